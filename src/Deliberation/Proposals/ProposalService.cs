using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
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
public sealed class ProposalService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
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
        var bodyIds = (await OfficeReader.EverywhereAsync(db, actor, ct, today)).Where(ProposalPermissions.MayTakePart).Select(o => o.BodyId).ToList();
        return await db.Bodies.AsNoTracking().Where(b => bodyIds.Contains(b.Id)).OrderBy(b => b.Id)
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
        var member = await CurrentSeatAsync(db, actor, input.BodyId, ct) ?? throw new ForbiddenException("Proposal.NotAMember");
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
        Permit.Require(proposal.IsAuthoredBy(actor.UserId));

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
            Permit.Require(p.IsAuthoredBy(actor.UserId));
            p.Submit(actor.UserId, Now);
            await Task.CompletedTask;
        }, ct);

    /// <summary>The author withdraws the proposal; when it is on an agenda, the session log records it.</summary>
    public async Task WithdrawAsync(Actor actor, int proposalId, string? reason, CancellationToken ct = default)
    {
        var (proposal, sessionId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var p = await LoadAsync(db, proposalId, ct);
            Permit.Require(p.IsAuthoredBy(actor.UserId));
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
        await SessionLog.AppendAsync(db, sessionId,
            new ProposalLeftAgendaEntry(proposal.Id, proposal.Title, proposal.Status.ToString(), proposal.Version, note, proposal.ReferredToName), actor.UserId, Now, ct);
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
                if (await CurrentSeatAsync(db, actor, p.BodyId, ct) is null)
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
        var presidedTerms = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(o => o.BodyId == bodyId && o.Presides).Select(o => o.TermId).ToList();
        return await db.Sessions.AsNoTracking()
            .Where(s => s.BodyId == bodyId && s.Status != SessionStatus.Closed && presidedTerms.Contains(s.TermId))
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
            Permit.Require((await OfficeReader.InTermAsync(db, actor, session.TermId, ct)).Presides, "Office.Presides");
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
            var coSponsors = proposal.CoSponsors.Select(c => c.Name).ToList();
            await SessionLog.AppendAsync(db, sessionId, new ProposalOnAgendaEntry(proposalId, proposal.Title, item.Id, item.Position, proposal.Version, coSponsors), actor.UserId, Now, ct);
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
            var session = await PresidingSessionAsync(db, proposal, ct) ?? throw new DomainException("Proposal.NotOnAgenda");
            Permit.Require((await OfficeReader.InTermAsync(db, actor, session.TermId, ct)).Presides, "Office.Presides");
            var poll = await FinishedPollOnItemAsync(db, proposal, pollId, ct);
            proposal.RecordDecision(pollId, poll.Outcome == PollOutcome.Adopted, actor.UserId, Now);
            await SessionLog.AppendAsync(db, session.Id, new ProposalDecidedEntry(proposalId, proposal.Title, pollId, proposal.Status.ToString(), proposal.Version), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (session.Id, proposal);
        }, ct);
        await PublishAsync(proposal, ct);
        await events.PublishAsync(new AgendaChanged(sessionId), ct);
    }

    /// <summary>The secretariat or chair refers a proposal to another body (a copy keeps the link) or to a higher level.</summary>
    public async Task<int?> ReferAsync(Actor actor, int proposalId, int? toBodyId, string? toName, string? reason, CancellationToken ct = default)
    {
        var (proposal, copyId, sessionId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var proposal = await LoadAsync(db, proposalId, ct);
            Permit.Require((await OfficeReader.InBodyAsync(db, actor, proposal.BodyId, ct)).IsSecretariat, "Office.Secretariat");
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
        if (!ProposalPermissions.MayRead(actor.UserId, proposal))
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

        var member = await MemberOfficesAsync(db, actor, proposal.BodyId, ct);
        var presiding = session is not null ? await OfficeReader.InTermAsync(db, actor, session.TermId, ct) : member;
        var presidedSessionTerms = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(o => o.BodyId == proposal.BodyId && o.Presides).Select(o => o.TermId).ToList();
        var hasOpenSession = presidedSessionTerms.Count > 0
            && await db.Sessions.AnyAsync(s => s.BodyId == proposal.BodyId && presidedSessionTerms.Contains(s.TermId) && s.Status != SessionStatus.Closed, ct);
        var can = new ProposalFlags(
            CanEdit: ProposalPermissions.MayEdit(actor.UserId, proposal),
            CanSubmit: ProposalPermissions.MaySubmit(actor.UserId, proposal),
            CanWithdraw: ProposalPermissions.MayWithdraw(actor.UserId, proposal),
            CanCoSponsor: ProposalPermissions.MayCoSponsor(member, proposal),
            CanWithdrawCoSponsorship: ProposalPermissions.MayWithdrawCoSponsorship(actor.UserId, proposal),
            CanAmend: ProposalPermissions.MayAmend(member, proposal),
            CanPreside: ProposalPermissions.MayPreside(presiding, proposal),
            CanPlaceOnAgenda: hasOpenSession && proposal.Status == ProposalStatus.Submitted,
            CanRefer: ProposalPermissions.MayRefer(member, proposal),
            CanRecordDecision: session is not null && ProposalPermissions.MayRecordDecision(presiding, proposal));

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
        if (proposal.Status == ProposalStatus.Draft && proposal.AuthorUserId != actor.UserId)
        {
            throw new NotFoundException("Proposal", proposalId);
        }

        var versions = await db.ProposalVersions.AsNoTracking().Where(v => v.ProposalId == proposalId && (v.Number == from || v.Number == to)).ToListAsync(ct);
        var a = versions.SingleOrDefault(v => v.Number == from) ?? throw new DomainException("Proposal.UnknownVersion", from);
        var b = versions.SingleOrDefault(v => v.Number == to) ?? throw new DomainException("Proposal.UnknownVersion", to);
        return new VersionComparison(from, to, a.Title, b.Title, TextDiff.Lines(a.Text, b.Text));
    }

    // ---- helpers ----

    /// <summary>The session whose agenda the proposal is on, if any (its chair presides over the proposal).</summary>
    internal static async Task<Session?> PresidingSessionAsync(DeliberationDbContext db, Proposal proposal, CancellationToken ct)
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

    /// <summary>The actor's offices in the body's current term (none once that term has ended).</summary>
    private Task<Offices> MemberOfficesAsync(DeliberationDbContext db, Actor actor, int bodyId, CancellationToken ct) =>
        OfficeReader.InBodyAsync(db, actor, bodyId, ct, Today);

    private Task<Membership?> CurrentSeatAsync(DeliberationDbContext db, Actor actor, int bodyId, CancellationToken ct) => VotingSeatAsync(db, actor, bodyId, Today, ct);

    /// <summary>The actor's voting seat in the body's current term, if <see cref="ProposalPermissions.MayTakePart"/>.</summary>
    internal static async Task<Membership?> VotingSeatAsync(DeliberationDbContext db, Actor actor, int bodyId, DateOnly today, CancellationToken ct)
    {
        var offices = await OfficeReader.InBodyAsync(db, actor, bodyId, ct, today);
        return ProposalPermissions.MayTakePart(offices) ? await db.Memberships.AsNoTracking().SingleAsync(m => m.Id == offices.MembershipId, ct) : null;
    }

    internal static async Task<string> DisplayNameAsync(DeliberationDbContext db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? "?";


    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);
}
