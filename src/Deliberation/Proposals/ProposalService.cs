using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Proposals;

/// <summary>
/// Proposals from submission to decision: drafting and editing (versions, optimistic concurrency), co-sponsorship,
/// agenda placement, amendments, recording decisions, withdrawal and referral. All authorization is here.
/// Members of a body are those with a seat in one of its current terms.
/// </summary>
public sealed class ProposalService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, VotingService voting, TimeProvider clock)
{
    public async Task<IReadOnlyList<BodyChoice>> ListBodiesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Bodies.AsNoTracking().OrderBy(b => b.Id).Select(b => new BodyChoice(b.Id, b.Name, b.NameEn, b.Kind, b.ParentId)).ToListAsync(ct);
    }

    /// <summary>Bodies in which the actor may submit a proposal (a current seat with a vote).</summary>
    public async Task<IReadOnlyList<BodyChoice>> BodiesForSubmissionAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = Today;
        return await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == actor.UserId && Membership.VotingRoles.Contains(m.Role) && m.EndedAtUtc == null && (m.Term.EndsOn == null || m.Term.EndsOn >= today))
            .Select(m => m.Term.Body).Distinct().OrderBy(b => b.Id)
            .Select(b => new BodyChoice(b.Id, b.Name, b.NameEn, b.Kind, b.ParentId)).ToListAsync(ct);
    }

    /// <summary>Proposals of a body (or all), newest first. Drafts are listed only to their authors.</summary>
    public async Task<IReadOnlyList<ProposalSummary>> ListAsync(Actor? actor, int? bodyId = null, ProposalStatus? status = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var userId = actor?.UserId ?? string.Empty;
        var query = db.Proposals.AsNoTracking().Where(p => p.Status != ProposalStatus.Draft || p.AuthorUserId == userId);
        if (bodyId is { } b)
        {
            query = query.Where(p => p.BodyId == b);
        }

        if (status is { } s)
        {
            query = query.Where(p => p.Status == s);
        }

        return await (
            from p in query
            join body in db.Bodies on p.BodyId equals body.Id
            orderby p.CreatedAtUtc descending, p.Id descending
            select new ProposalSummary(p.Id, p.BodyId, body.Name, body.NameEn, p.Title, p.Category, p.Status, p.AuthorName,
                p.CoSponsors.Count, body.CoSponsorThreshold, p.CreatedAtUtc, p.Version, p.TopicId != null)).Take(500).ToListAsync(ct);
    }

    public async Task<int> CreateAsync(Actor actor, ProposalInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await CurrentSeatAsync(db, actor.UserId, input.BodyId, ct) ?? throw new ForbiddenException("Proposal.NotAMember");
        if (input.OrganisationId is { } org && !await db.Organisations.AnyAsync(o => o.Id == org, ct))
        {
            throw new DomainException("Proposal.UnknownOrganisation");
        }

        var proposal = Proposal.Draft(input.BodyId, input.Title ?? string.Empty, input.Text ?? string.Empty, input.Category,
            input.OrganisationId ?? member.OrganisationId, actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync(ct);
        return proposal.Id;
    }

    /// <summary>
    /// Saves a new version. <paramref name="expectedVersion"/> is the version the editor loaded; when someone saved in
    /// between, the edit is refused with <c>Proposal.EditConflict</c> and nothing is stored (the UI keeps the text).
    /// </summary>
    public async Task<int> EditAsync(Actor actor, int proposalId, string? title, string? text, int expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await LoadAsync(db, proposalId, ct);
        Authorize(proposal.IsAuthoredBy(actor.UserId));

        // The current version, so that a conflict can name who saved it (Proposal.Edit reports its author).
        await db.Entry(proposal).Collection(p => p.Versions).Query().Where(v => v.Number == proposal.Version).LoadAsync(ct);
        var version = proposal.Edit(actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), title ?? string.Empty, text ?? string.Empty, expectedVersion, Now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(ex))
        {
            // Someone saved the same version a moment earlier (concurrency token or the unique version number).
            throw new DomainException("Proposal.EditConflict", expectedVersion + 1, string.Empty);
        }

        await PublishAsync(proposal, ct);
        return version.Number;
    }

    public Task SubmitAsync(Actor actor, int proposalId, CancellationToken ct = default) =>
        ChangeAsync(proposalId, async (db, p) =>
        {
            Authorize(p.IsAuthoredBy(actor.UserId));
            p.Submit(actor.UserId, Now);
            await Task.CompletedTask;
        }, ct);

    /// <summary>The author withdraws the proposal; when it is on an agenda, the session log records it.</summary>
    public async Task WithdrawAsync(Actor actor, int proposalId, string? reason, CancellationToken ct = default)
    {
        var (proposal, sessionId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var p = await LoadAsync(db, proposalId, ct);
            Authorize(p.IsAuthoredBy(actor.UserId));
            p.Withdraw(actor.UserId, Now, reason);
            var sessionId = await LogOnAgendaAsync(db, p, actor, ct);
            await SaveAsync(db, ct);
            return (p, sessionId);
        }, ct);
        await PublishAsync(proposal, ct);
        if (sessionId is { } s)
        {
            await events.PublishAsync(new AgendaChanged(s), ct);
        }
    }

    /// <summary>
    /// A proposal on an agenda that is withdrawn or referred leaves a line in that session's log (and so in the minutes);
    /// its agenda item stays, as the meeting may already have discussed it.
    /// </summary>
    private async Task<int?> LogOnAgendaAsync(DeliberationDbContext db, Proposal proposal, Actor actor, CancellationToken ct)
    {
        if (proposal.AgendaItemId is not { } itemId)
        {
            return null;
        }

        var sessionId = await db.AgendaItems.Where(a => a.Id == itemId).Select(a => a.SessionId).SingleAsync(ct);
        var note = proposal.History[^1].Note;
        await SessionLog.AppendAsync(db, sessionId, SessionLogKinds.ProposalDecided, actor.UserId,
            new { proposalId = proposal.Id, title = proposal.Title, pollId = (int?)null, outcome = proposal.Status.ToString(), version = proposal.Version, reason = note, referredTo = proposal.ReferredToName }, Now, ct);
        return sessionId;
    }

    private static async Task SaveAsync(DeliberationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Proposal.EditConflict", 0, string.Empty);
        }
    }

    /// <summary>Co-sponsors (附议): a member of the body other than the author. One per person (unique index).</summary>
    public async Task CoSponsorAsync(Actor actor, int proposalId, CancellationToken ct = default)
    {
        try
        {
            await ChangeAsync(proposalId, async (db, p) =>
            {
                if (await CurrentSeatAsync(db, actor.UserId, p.BodyId, ct) is null)
                {
                    throw new ForbiddenException("Proposal.NotAMember");
                }

                p.CoSponsor(actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
            }, ct, actor.UserId);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new DomainException("Proposal.AlreadyCoSponsored");
        }
    }

    public Task WithdrawCoSponsorshipAsync(Actor actor, int proposalId, CancellationToken ct = default) =>
        ChangeAsync(proposalId, async (db, p) =>
        {
            p.WithdrawCoSponsorship(actor.UserId);
            await Task.CompletedTask;
        }, ct);

    /// <summary>Sessions of the proposal's body where it can be put on the agenda (not closed).</summary>
    public async Task<IReadOnlyList<SessionChoice>> AgendaSessionsAsync(Actor actor, int proposalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bodyId = await db.Proposals.Where(p => p.Id == proposalId).Select(p => (int?)p.BodyId).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Proposal", proposalId);
        return await db.Sessions.AsNoTracking()
            .Where(s => s.BodyId == bodyId && s.Status != SessionStatus.Closed && (actor.IsAdmin || s.ChairUserId == actor.UserId))
            .OrderBy(s => s.ScheduledAtUtc).Select(s => new SessionChoice(s.Id, s.Title, s.ScheduledAtUtc)).ToListAsync(ct);
    }

    /// <summary>
    /// The chair of a session of the same body puts a submitted proposal on its agenda as a new item; the body's
    /// co-sponsor threshold must be met. Logged in the session log.
    /// </summary>
    public async Task<int> PlaceOnAgendaAsync(Actor actor, int proposalId, int sessionId, int plannedMinutes, CancellationToken ct = default)
    {
        var (itemId, proposal) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var proposal = await LoadAsync(db, proposalId, ct);
            var session = await db.Sessions.Include(s => s.Agenda).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
            Authorize(actor.IsAdmin || session.IsChairedBy(actor.UserId));
            if (session.BodyId != proposal.BodyId)
            {
                throw new DomainException("Proposal.OtherBody");
            }

            if (session.Status == SessionStatus.Closed)
            {
                throw new DomainException("Session.AlreadyClosed");
            }

            var threshold = await db.Bodies.Where(b => b.Id == proposal.BodyId).Select(b => b.CoSponsorThreshold).SingleAsync(ct);
            var item = session.AddAgendaItem(proposal.Title, plannedMinutes, null);
            await db.SaveChangesAsync(ct);
            proposal.PlaceOnAgenda(item.Id, threshold, actor.UserId, Now);
            await SessionLog.AppendAsync(db, sessionId, SessionLogKinds.ProposalOnAgenda, actor.UserId,
                new { proposalId, title = proposal.Title, agendaItemId = item.Id, position = item.Position, version = proposal.Version, coSponsors = proposal.CoSponsors.Select(c => c.Name) }, Now, ct);
            await db.SaveChangesAsync(ct);
            return (item.Id, proposal);
        }, ct);
        await events.PublishAsync(new AgendaChanged(sessionId), ct);
        await PublishAsync(proposal, ct);
        return itemId;
    }

    /// <summary>Called in the unit of work that moves a session to an item: a proposal on it is now under deliberation.</summary>
    /// <returns>The event to publish after commit, when a proposal changed.</returns>
    internal static async Task<ProposalChanged?> BeginDeliberationAsync(DeliberationDbContext db, int agendaItemId, string userId, DateTime nowUtc, CancellationToken ct)
    {
        var proposal = await db.Proposals.Include(p => p.History).SingleOrDefaultAsync(p => p.AgendaItemId == agendaItemId && p.Status == ProposalStatus.OnAgenda, ct);
        return proposal is not null && proposal.BeginDeliberation(userId, nowUtc) ? new ProposalChanged(proposal.Id, proposal.Version) : null;
    }

    /// <summary>The presiding chair records a closed vote on the proposal's agenda item as the decision on the proposal.</summary>
    public async Task RecordDecisionAsync(Actor actor, int proposalId, int pollId, CancellationToken ct = default)
    {
        var (sessionId, proposal) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var proposal = await LoadAsync(db, proposalId, ct);
            var session = await PresidingSessionAsync(db, actor, proposal, ct) ?? throw new DomainException("Proposal.NotOnAgenda");
            Authorize(actor.IsAdmin || session.IsChairedBy(actor.UserId));
            var poll = await FinishedPollOnItemAsync(db, proposal, pollId, ct);
            proposal.RecordDecision(pollId, poll.Outcome == PollOutcome.Adopted, actor.UserId, Now);
            await SessionLog.AppendAsync(db, session.Id, SessionLogKinds.ProposalDecided, actor.UserId,
                new { proposalId, title = proposal.Title, pollId, outcome = proposal.Status.ToString(), version = proposal.Version }, Now, ct);
            await db.SaveChangesAsync(ct);
            return (session.Id, proposal);
        }, ct);
        await PublishAsync(proposal, ct);
        await events.PublishAsync(new AgendaChanged(sessionId), ct);
    }

    /// <summary>The secretariat or chair refers a proposal to another body (a copy keeps the link) or to a higher level.</summary>
    public async Task<int?> ReferAsync(Actor actor, int proposalId, int? toBodyId, string? toName, string? reason, CancellationToken ct = default)
    {
        Authorize(IsSecretariat(actor));
        var (proposal, copyId, sessionId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var proposal = await LoadAsync(db, proposalId, ct);
            var name = toName;
            if (toBodyId is { } target)
            {
                var body = await db.Bodies.AsNoTracking().SingleOrDefaultAsync(b => b.Id == target, ct) ?? throw new DomainException("Proposal.UnknownBody");
                name = body.Name;
            }

            proposal.Refer(toBodyId, name ?? string.Empty, reason ?? string.Empty, actor.UserId, Now);
            int? copyId = null;
            if (toBodyId is { } to)
            {
                var copy = proposal.ReferredCopy(to, actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
                db.Proposals.Add(copy);
                await db.SaveChangesAsync(ct);
                copyId = copy.Id;
            }

            var sessionId = await LogOnAgendaAsync(db, proposal, actor, ct);
            await SaveAsync(db, ct);
            return (proposal, copyId, sessionId);
        }, ct);
        await PublishAsync(proposal, ct);
        if (sessionId is { } s)
        {
            await events.PublishAsync(new AgendaChanged(s), ct);
        }

        return copyId;
    }

    public async Task<ProposalDetail> GetAsync(Actor actor, int proposalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await db.Proposals.AsNoTracking().AsSplitQuery()
            .Include(p => p.CoSponsors).Include(p => p.History).Include(p => p.Versions)
            .SingleOrDefaultAsync(p => p.Id == proposalId, ct) ?? throw new NotFoundException("Proposal", proposalId);
        if (proposal.Status == ProposalStatus.Draft && !proposal.IsAuthoredBy(actor.UserId) && !actor.IsAdmin)
        {
            throw new NotFoundException("Proposal", proposalId);
        }

        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == proposal.BodyId, ct);
        var organisation = proposal.OrganisationId is { } o ? await db.Organisations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == o, ct) : null;
        var userIds = proposal.History.Select(h => h.ByUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var amendments = await db.Amendments.AsNoTracking().Where(a => a.ProposalId == proposalId).OrderBy(a => a.Number).ToListAsync(ct);
        var pollIds = amendments.Where(a => a.PollId != null).Select(a => a.PollId!.Value).ToList();
        var polls = await db.Polls.AsNoTracking().Where(p => pollIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var paragraphs = Paragraphs.Split(proposal.Text);

        AgendaLink? agenda = null;
        Session? session = null;
        var decidable = new List<DecidablePoll>();
        if (proposal.AgendaItemId is { } itemId)
        {
            var item = await db.AgendaItems.AsNoTracking().SingleAsync(a => a.Id == itemId, ct);
            session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == item.SessionId, ct);
            agenda = new AgendaLink(session.Id, session.Title, item.Id, item.Position, item.Title);
            var used = amendments.Where(a => a.PollId != null).Select(a => a.PollId!.Value).ToHashSet();
            decidable = (await db.Polls.AsNoTracking()
                    .Where(p => p.AgendaItemId == itemId && (p.Status == PollStatus.Closed || p.Status == PollStatus.Published))
                    .OrderBy(p => p.Id).Select(p => new { p.Id, p.Question, p.Outcome }).ToListAsync(ct))
                .Where(p => !used.Contains(p.Id)).Select(p => new DecidablePoll(p.Id, p.Question, p.Outcome)).ToList();
        }

        var isMember = await CurrentSeatAsync(db, actor.UserId, proposal.BodyId, ct) is not null;
        var presides = actor.IsAdmin || (session is not null ? session.IsChairedBy(actor.UserId) : actor.IsInRole(Roles.Chair));
        var author = proposal.IsAuthoredBy(actor.UserId);
        var sponsored = proposal.CoSponsors.Any(c => c.UserId == actor.UserId);
        var open = proposal.Status is ProposalStatus.Submitted or ProposalStatus.OnAgenda or ProposalStatus.UnderDeliberation;
        var can = new ProposalPermissions(
            CanEdit: author && proposal.Status is ProposalStatus.Draft or ProposalStatus.Submitted,
            CanSubmit: author && proposal.Status == ProposalStatus.Draft,
            CanWithdraw: author && !proposal.IsClosed && proposal.Status != ProposalStatus.UnderDeliberation,
            CanCoSponsor: isMember && !author && !sponsored && proposal.Status == ProposalStatus.Submitted,
            CanWithdrawCoSponsorship: sponsored && proposal.Status == ProposalStatus.Submitted,
            CanAmend: isMember && open,
            CanPreside: presides && open,
            CanPlaceOnAgenda: proposal.Status == ProposalStatus.Submitted && (actor.IsAdmin || actor.IsInRole(Roles.Chair) ||
                await db.Sessions.AnyAsync(s => s.BodyId == proposal.BodyId && s.ChairUserId == actor.UserId && s.Status != SessionStatus.Closed, ct)),
            CanRefer: IsSecretariat(actor) && !proposal.IsClosed,
            CanRecordDecision: presides && session is not null && proposal.Status is ProposalStatus.OnAgenda or ProposalStatus.UnderDeliberation);

        return new ProposalDetail(
            proposal.Id, body.Id, body.Name, body.NameEn, proposal.Title, proposal.Text, proposal.Category, organisation?.Name, organisation?.NameEn,
            proposal.AuthorName, proposal.AuthorUserId, proposal.Status, proposal.Version, proposal.CreatedAtUtc, proposal.SubmittedAtUtc, body.CoSponsorThreshold,
            proposal.CoSponsors.OrderBy(c => c.AtUtc).Select(c => new CoSponsorView(c.UserId, c.Name, c.AtUtc)).ToList(),
            proposal.History.OrderBy(h => h.AtUtc).ThenBy(h => h.Id).Select(h => new StatusChangeView(h.From, h.To, names.GetValueOrDefault(h.ByUserId, "?"), h.AtUtc, h.Note)).ToList(),
            proposal.Versions.OrderByDescending(v => v.Number).Select(v => new VersionView(v.Number, v.Title, v.AuthorName, v.CreatedAtUtc, v.AmendmentNumber)).ToList(),
            amendments.Select(a =>
            {
                polls.TryGetValue(a.PollId ?? 0, out var poll);
                return new AmendmentView(a.Id, a.Number, a.ParagraphIndex, a.BaseVersion, a.OriginalText, a.ProposedText, a.Rationale, a.AuthorName, a.AuthorUserId,
                    a.CreatedAtUtc, a.Status, a.PollId, poll?.Status, poll?.Outcome, a.DecisionNote, a.ResultVersion,
                    !a.IsOpen || Paragraphs.Locate(paragraphs, a.ParagraphIndex, a.OriginalText) is not null,
                    TextDiff.Words(a.OriginalText, a.ProposedText));
            }).ToList(),
            agenda, proposal.DecidedByPollId, proposal.ReferredToName, proposal.ReferredFromProposalId, proposal.TopicId, decidable, can);
    }

    /// <summary>Compares two versions line by line, with word / character detail inside changed lines.</summary>
    public async Task<VersionComparison> CompareAsync(Actor actor, int proposalId, int from, int to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await db.Proposals.AsNoTracking().Where(p => p.Id == proposalId).Select(p => new { p.Status, p.AuthorUserId }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Proposal", proposalId);
        if (proposal.Status == ProposalStatus.Draft && proposal.AuthorUserId != actor.UserId && !actor.IsAdmin)
        {
            throw new NotFoundException("Proposal", proposalId);
        }

        var versions = await db.ProposalVersions.AsNoTracking().Where(v => v.ProposalId == proposalId && (v.Number == from || v.Number == to)).ToListAsync(ct);
        var a = versions.SingleOrDefault(v => v.Number == from) ?? throw new DomainException("Proposal.UnknownVersion", from);
        var b = versions.SingleOrDefault(v => v.Number == to) ?? throw new DomainException("Proposal.UnknownVersion", to);
        return new VersionComparison(from, to, a.Title, b.Title, TextDiff.Lines(a.Text, b.Text));
    }

    // ---- Amendments ----

    public async Task<int> ProposeAmendmentAsync(Actor actor, int proposalId, int paragraphIndex, string? proposedText, string? rationale, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var proposal = await LoadAsync(db, proposalId, ct);
            if (await CurrentSeatAsync(db, actor.UserId, proposal.BodyId, ct) is null)
            {
                throw new ForbiddenException("Proposal.NotAMember");
            }

            var number = (await db.Amendments.Where(a => a.ProposalId == proposalId).MaxAsync(a => (int?)a.Number, ct) ?? 0) + 1;
            var amendment = Amendment.Propose(proposal, number, paragraphIndex, proposedText, rationale, actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
            db.Amendments.Add(amendment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && attempt < 5)
            {
                continue; // two amendments took the same number at once: take the next.
            }

            await PublishAsync(proposal, ct);
            return amendment.Id;
        }
    }

    public Task WithdrawAmendmentAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: false, async (db, a, p, s) =>
        {
            a.Withdraw(actor.UserId, Now);
            await Task.CompletedTask;
            return null;
        }, ct);

    /// <summary>The presiding chair accepts the amendment into the text: a new version of the proposal.</summary>
    public Task AcceptAmendmentAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            var version = a.Accept(p, actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
            return new { amendmentId, a.Number, proposalId = p.Id, decision = "accepted", version = version.Number, original = a.OriginalText, proposed = a.ProposedText };
        }, ct);

    public Task RejectAmendmentAsync(Actor actor, int amendmentId, string? reason, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            a.Reject(actor.UserId, Now, reason);
            await Task.CompletedTask;
            return new { amendmentId, a.Number, proposalId = p.Id, decision = "rejected", reason = a.DecisionNote };
        }, ct);

    /// <summary>The presiding chair puts the amendment to a named yes / no / abstain vote on the proposal's agenda item.</summary>
    public async Task<int> PutAmendmentToVoteAsync(Actor actor, int amendmentId, CancellationToken ct = default)
    {
        int sessionId, agendaItemId, number;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var amendment = await db.Amendments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == amendmentId, ct) ?? throw new NotFoundException("Amendment", amendmentId);
            var proposal = await LoadAsync(db, amendment.ProposalId, ct);
            var session = await PresidingSessionAsync(db, actor, proposal, ct) ?? throw new DomainException("Proposal.NotOnAgenda");
            if (amendment.Status != AmendmentStatus.Proposed)
            {
                throw new DomainException("Amendment.AlreadyDecided", amendment.Status.ToString());
            }

            (sessionId, agendaItemId, number) = (session.Id, proposal.AgendaItemId!.Value, amendment.Number);
        }

        var question = $"修正案 {number} / Amendment {number}";
        var pollId = await voting.OpenNewPollAsync(actor, sessionId, new PollInput(agendaItemId, question, VoteMethod.YesNoAbstain, [], 1, 1, 0,
            Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false), null, ct);
        await AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            a.PutToVote(pollId);
            await Task.CompletedTask;
            return new { amendmentId, a.Number, proposalId = p.Id, decision = "putToVote", pollId };
        }, ct);
        return pollId;
    }

    /// <summary>After the vote on an amendment closed: adopted amendments change the text (a new version).</summary>
    public Task RecordAmendmentVoteAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(x => x.Id == a.PollId, ct) ?? throw new DomainException("Amendment.NotVoting");
            if (poll.Status is not (PollStatus.Closed or PollStatus.Published))
            {
                throw new DomainException("Amendment.VoteNotClosed");
            }

            var version = a.RecordVote(p, poll.Outcome == PollOutcome.Adopted, actor.UserId, await DisplayNameAsync(db, actor.UserId, ct), Now);
            return new { amendmentId, a.Number, proposalId = p.Id, decision = a.Status.ToString().ToLowerInvariant(), pollId = poll.Id, version = version?.Number };
        }, ct);

    private async Task AmendmentChangeAsync(Actor actor, int amendmentId, bool presiding, Func<DeliberationDbContext, Amendment, Proposal, Session?, Task<object?>> change, CancellationToken ct)
    {
        Proposal? changed = null;
        int? sessionId = null;
        try
        {
            await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
            {
                var amendment = await db.Amendments.SingleOrDefaultAsync(a => a.Id == amendmentId, ct) ?? throw new NotFoundException("Amendment", amendmentId);
                var proposal = await LoadAsync(db, amendment.ProposalId, ct);
                var session = await PresidingSessionAsync(db, actor, proposal, ct);
                if (presiding)
                {
                    Authorize(actor.IsAdmin || (session is not null ? session.IsChairedBy(actor.UserId) : actor.IsInRole(Roles.Chair)));
                }

                var payload = await change(db, amendment, proposal, session);
                if (payload is not null && session is not null)
                {
                    await SessionLog.AppendAsync(db, session.Id, SessionLogKinds.AmendmentDecided, actor.UserId, payload, Now, ct);
                }

                await db.SaveChangesAsync(ct);
                changed = proposal;
                sessionId = session?.Id;
                return 0;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another decision on the amendment (or an edit of the proposal) was saved first; nothing of this one is stored.
            throw new DomainException("Amendment.ChangedMeanwhile");
        }

        await PublishAsync(changed!, ct);
    }

    // ---- helpers ----

    /// <summary>The session whose agenda the proposal is on, if any (its chair presides over the proposal).</summary>
    private static async Task<Session?> PresidingSessionAsync(DeliberationDbContext db, Actor actor, Proposal proposal, CancellationToken ct)
    {
        if (proposal.AgendaItemId is not { } itemId)
        {
            return null;
        }

        var session = await db.AgendaItems.Where(a => a.Id == itemId).Select(a => a.Session).AsNoTracking().SingleAsync(ct);
        return session;
    }

    private static async Task<Poll> FinishedPollOnItemAsync(DeliberationDbContext db, Proposal proposal, int pollId, CancellationToken ct)
    {
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        if (poll.AgendaItemId != proposal.AgendaItemId)
        {
            throw new DomainException("Proposal.PollOnOtherItem");
        }

        if (poll.Status is not (PollStatus.Closed or PollStatus.Published))
        {
            throw new DomainException("Proposal.PollNotClosed");
        }

        if (await db.Amendments.AnyAsync(a => a.PollId == pollId, ct))
        {
            throw new DomainException("Proposal.PollIsAmendmentVote");
        }

        return poll;
    }

    private async Task ChangeAsync(int proposalId, Func<DeliberationDbContext, Proposal, Task> change, CancellationToken ct, string? viewerUserId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await LoadAsync(db, proposalId, ct);
        if (viewerUserId is not null && proposal.Status == ProposalStatus.Draft && !proposal.IsAuthoredBy(viewerUserId))
        {
            throw new NotFoundException("Proposal", proposalId); // a draft is private: do not reveal that it exists
        }

        await change(db, proposal);
        await SaveAsync(db, ct);
        await PublishAsync(proposal, ct);
    }

    private Task PublishAsync(Proposal proposal, CancellationToken ct) => events.PublishAsync(new ProposalChanged(proposal.Id, proposal.Version), ct);

    internal static async Task<Proposal> LoadAsync(DeliberationDbContext db, int proposalId, CancellationToken ct) =>
        await db.Proposals.Include(p => p.CoSponsors).Include(p => p.History).AsSplitQuery().SingleOrDefaultAsync(p => p.Id == proposalId, ct)
            ?? throw new NotFoundException("Proposal", proposalId);

    /// <summary>The actor's voting seat in a current term of the body, if any.</summary>
    private async Task<Membership?> CurrentSeatAsync(DeliberationDbContext db, string userId, int bodyId, CancellationToken ct)
    {
        var today = Today;
        return await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.Term.BodyId == bodyId && Membership.VotingRoles.Contains(m.Role) && m.EndedAtUtc == null && (m.Term.EndsOn == null || m.Term.EndsOn >= today))
            .OrderByDescending(m => m.Term.Number).FirstOrDefaultAsync(ct);
    }

    internal static async Task<string> DisplayNameAsync(DeliberationDbContext db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? "?";

    internal static bool IsSecretariat(Actor actor) => actor.IsAdmin || actor.IsInRole(Roles.Secretary) || actor.IsInRole(Roles.Chair);

    private static void Authorize(bool allowed)
    {
        if (!allowed)
        {
            throw new ForbiddenException("NotAllowed");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);
}
