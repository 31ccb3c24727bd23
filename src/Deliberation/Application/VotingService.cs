using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Realtime;
using CommunityDeliberation.Deliberation.Records;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Application;

/// <summary>
/// Creating, opening, casting, counting, closing, publishing and annulling votes. The one service the Blazor UI and
/// the hub both call: it does all authorization and validation.
/// </summary>
public sealed class VotingService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TallyBroadcaster tallies, TimeProvider clock)
{
    /// <summary>Creates a draft vote on an agenda item of an open or scheduled session.</summary>
    public async Task<int> CreatePollAsync(Actor actor, int sessionId, PollInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadSessionForChairAsync(db, actor, sessionId, ct);
        if (session.Status == SessionStatus.Closed)
        {
            throw new DomainException("Session.AlreadyClosed");
        }

        if (!await db.AgendaItems.AnyAsync(a => a.Id == input.AgendaItemId && a.SessionId == sessionId, ct))
        {
            throw new DomainException("Agenda.UnknownItem");
        }

        var rule = new MajorityRule(input.Majority, input.Base, input.AbstentionsCount, input.Numerator, input.Denominator);
        var spec = new PollSpec(input.Method, input.Options ?? [], input.MinChoices, input.MaxChoices, input.Seats, input.Secrecy, rule);
        var poll = Poll.Draft(sessionId, input.AgendaItemId, input.Question ?? string.Empty, spec, actor.UserId, Now);
        db.Polls.Add(poll);
        await db.SaveChangesAsync(ct);
        return poll.Id;
    }

    /// <summary>Opens a draft vote. The session must be open, the quorum met, and no other vote open.</summary>
    public async Task OpenPollAsync(Actor actor, int pollId, int? closesAfterSeconds = null, CancellationToken ct = default)
    {
        var sessionId = await SessionLog.InUnitOfWorkAsync(dbFactory, db => OpenPollAsync(db, actor, pollId, closesAfterSeconds, ct), ct);
        await events.PublishAsync(new PollOpened(sessionId, pollId), ct);
    }

    private async Task<int> OpenPollAsync(DeliberationDbContext db, Actor actor, int pollId, int? closesAfterSeconds, CancellationToken ct)
    {
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        session.EnsureOpen();
        if (await db.Polls.AnyAsync(p => p.SessionId == poll.SessionId && p.Status == PollStatus.Open && p.Id != pollId, ct))
        {
            throw new DomainException("Poll.AnotherIsOpen");
        }

        var quorum = await SessionService.QuorumAsync(db, session.TermId, session.Id, ct);
        if (!quorum.IsMet)
        {
            throw new DomainException("Quorum.NotMet", quorum.Missing, quorum.Present, quorum.Required);
        }

        var possible = await BallotsPossibleAsync(db, session.TermId, session.Id, ct);
        poll.Open(possible, Now, closesAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        await SessionLog.AppendAsync(db, poll.SessionId, SessionLogKinds.PollOpened, actor.UserId, new
        {
            pollId, poll.AgendaItemId, poll.Question, method = poll.Method.ToString(), secrecy = poll.Secrecy.ToString(),
            rule = new { kind = poll.Rule.Kind.ToString(), @base = poll.Rule.Base.ToString(), poll.Rule.AbstentionsCount, poll.Rule.Numerator, poll.Rule.Denominator },
            options = poll.Options.OrderBy(o => o.Index).Select(o => o.Label), poll.MinChoices, poll.MaxChoices, poll.Seats,
            eligible = poll.EligibleAtOpen, poll.ClosesAtUtc,
        }, Now, ct);
        await db.SaveChangesAsync(ct);
        return poll.SessionId;
    }

    /// <summary>The quick path: a named yes / no / abstain vote by simple majority, created and opened at once.</summary>
    public Task<int> OpenPollAsync(Actor actor, int sessionId, int agendaItemId, string? question, CancellationToken ct = default) =>
        OpenNewPollAsync(actor, sessionId, new PollInput(agendaItemId, question, VoteMethod.YesNoAbstain, [], 1, 1, 0,
            Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false), null, ct);

    /// <summary>Creates a vote and opens it at once; when it cannot open (no quorum, another vote open), nothing is left behind.</summary>
    public async Task<int> OpenNewPollAsync(Actor actor, int sessionId, PollInput input, int? closesAfterSeconds, CancellationToken ct = default)
    {
        var id = await CreatePollAsync(actor, sessionId, input, ct);
        try
        {
            await OpenPollAsync(actor, id, closesAfterSeconds, ct);
        }
        catch (Exception ex) when (ex is DomainException or ForbiddenException)
        {
            await DeleteDraftAsync(id, ct);
            throw;
        }

        return id;
    }

    public Task<CastResult> CastAsync(Actor actor, int pollId, BallotChoice choice, CancellationToken ct = default) =>
        Enum.IsDefined(choice) ? CastAsync(actor, pollId, [(int)choice], null, null, ct) : throw new DomainException("Ballot.InvalidChoice");

    /// <summary>
    /// Casts a ballot for the caller, or, with <paramref name="onBehalfOfMembershipId"/>, for a member whose proxy the
    /// caller holds. A second attempt for the same member stores nothing and says so; the same idempotency key again
    /// confirms the first cast. The unique index on participations decides every race.
    /// </summary>
    public async Task<CastResult> CastAsync(Actor actor, int pollId, IReadOnlyList<int>? selections, string? idempotencyKey = null, int? onBehalfOfMembershipId = null, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: 0 or > Participation.IdempotencyKeyMax })
        {
            throw new DomainException("Ballot.IdempotencyKeyInvalid", Participation.IdempotencyKeyMax);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var now = Now;
        poll.EnsureAcceptsBallots(now);
        var spec = poll.Spec;
        var chosen = spec.ValidateSelections(selections?.ToList());

        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == poll.SessionId).Select(s => new { s.Id, s.TermId }).SingleAsync(ct);
        var me = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.UserId == actor.UserId && m.EndedAtUtc == null)
            .Select(m => new { m.Id, m.Role }).SingleOrDefaultAsync(ct);
        if (me is null || !Membership.HasVoteIn(me.Role))
        {
            throw new ForbiddenException("Ballot.NotEligible");
        }

        if (!await db.Attendances.AnyAsync(a => a.SessionId == session.Id && a.MembershipId == me.Id, ct))
        {
            throw new DomainException("Ballot.NotCheckedIn");
        }

        var voter = me.Id;
        var isProxy = false;
        if (onBehalfOfMembershipId is { } delegator && delegator != me.Id)
        {
            if (!await db.Delegations.AnyAsync(d => d.SessionId == session.Id && d.FromMembershipId == delegator && d.ToMembershipId == me.Id && d.RevokedAtUtc == null, ct))
            {
                throw new ForbiddenException("Proxy.NotHeld");
            }

            voter = delegator;
            isProxy = true;
        }
        else if (await db.Delegations.AnyAsync(d => d.SessionId == session.Id && d.FromMembershipId == me.Id && d.RevokedAtUtc == null, ct))
        {
            throw new DomainException("Proxy.DelegatedCannotVote");
        }

        var earlier = await EarlierCastAsync(db, poll, voter, idempotencyKey, ct);
        if (earlier is not null)
        {
            return earlier;
        }

        var ballot = poll.Secrecy == Secrecy.Secret
            ? Ballot.Secret(pollId, chosen)
            : Ballot.Named(pollId, voter, actor.UserId, chosen, isProxy);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Count the ballot only while the vote is open; this row update also orders the cast against a close.
            var blank = chosen.Count == 0 ? 1 : 0;

            // After a paper count the total may not pass the ballots possible (checked only then: it costs queries).
            // Read inside the transaction, so a paper count saved since the first read is seen.
            var paper = await db.Polls.Where(p => p.Id == pollId).Select(p => p.PaperBallots).SingleAsync(ct);
            var possible = paper > 0 ? Math.Max(poll.EligibleAtOpen, await BallotsPossibleAsync(db, session.TermId, session.Id, ct)) : int.MaxValue;
            var counted = await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Open && (p.ClosesAtUtc == null || p.ClosesAtUtc > now)
                    && p.BallotCount + p.PaperBallots < possible)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + 1).SetProperty(p => p.BlankBallots, p => p.BlankBallots + blank), ct);
            if (counted == 0)
            {
                var current = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
                current.EnsureAcceptsBallots(now);
                throw new DomainException("Paper.ExceedsEligible", current.BallotCount, current.PaperBallots, possible);
            }

            if (chosen.Count > 0)
            {
                await db.PollOptions.Where(o => o.PollId == pollId && chosen.Contains(o.Index))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + 1), ct);
            }

            db.Participations.Add(new Participation(pollId, voter, actor.UserId, isProxy, idempotencyKey, Now));
            db.Ballots.Add(ballot);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return await EarlierCastAsync(db, poll, voter, idempotencyKey, ct)
                    ?? throw new InvalidOperationException("A unique violation without an earlier participation");
            }
        }

        tallies.MarkChanged(poll.SessionId, pollId);
        var (ballots, count) = await CurrentCountAsync(db, poll, ct);
        return new CastResult(CastOutcome.Accepted, voter, chosen, ballot.ReceiptCode, ballots, count);
    }

    /// <summary>The chair records counted paper or show-of-hands votes for members without a device.</summary>
    public async Task RecordPaperCountAsync(Actor actor, int pollId, int ballots, IReadOnlyList<int> optionVotes, int blankBallots = 0, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        var possible = await BallotsPossibleAsync(db, session.TermId, session.Id, ct);
        poll.RecordPaperCount(ballots, optionVotes, blankBallots, Math.Max(possible, poll.EligibleAtOpen), Now);
        await SessionLog.AppendAsync(db, poll.SessionId, SessionLogKinds.PaperCounted, actor.UserId, new { pollId, ballots, blank = blankBallots, votes = optionVotes }, Now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Paper.BallotsArrived");
        }

        tallies.MarkChanged(poll.SessionId, pollId);
    }

    /// <summary>
    /// Closes a vote: checks the quorum again, counts the stored ballots against the counters, fixes the result and
    /// decides it by the vote's rule.
    /// </summary>
    public async Task<PollView> ClosePollAsync(Actor actor, int pollId, CancellationToken ct = default) =>
        await CloseAsync(pollId, actor.UserId, (db, session) => Authorize(actor.IsAdmin || session.IsChairedBy(actor.UserId)), ct);

    /// <summary>Closes every open vote whose closing time has passed. Called by <see cref="PollTimerService"/>.</summary>
    public async Task<int> CloseExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var due = await db.Polls.AsNoTracking().Where(p => p.Status == PollStatus.Open && p.ClosesAtUtc != null && p.ClosesAtUtc <= now).Select(p => p.Id).ToListAsync(ct);
        var closed = 0;
        foreach (var id in due)
        {
            try
            {
                await CloseAsync(id, null, (_, _) => { }, ct);
                closed++;
            }
            catch (DomainException)
            {
                // closed by the chair in the meantime
            }
        }

        return closed;
    }

    public async Task PublishAsync(Actor actor, int pollId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        poll.Publish(Now);
        await SessionLog.AppendAsync(db, poll.SessionId, SessionLogKinds.PollPublished, actor.UserId, new { pollId }, Now, ct);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new PollChanged(poll.SessionId, pollId, poll.Status), ct);
    }

    /// <summary>
    /// Annuls a closed vote: the chair (or the secretary) asks with a reason, the other confirms. Returns true once annulled.
    /// </summary>
    public async Task<bool> AnnulAsync(Actor actor, int pollId, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
        string role;
        if (session.IsChairedBy(actor.UserId) || actor.IsAdmin)
        {
            role = Roles.Chair;
        }
        else if (await SessionService.IsRecorderAsync(db, actor, session.TermId, ct))
        {
            role = Roles.Secretary;
        }
        else
        {
            throw new ForbiddenException("NotAllowed");
        }

        var annulled = poll.Annul(actor.UserId, role, reason, Now);
        await SessionLog.AppendAsync(db, poll.SessionId, annulled ? SessionLogKinds.PollAnnulled : SessionLogKinds.AnnulmentRequested, actor.UserId,
            new { pollId, reason = poll.AnnulmentReason, role }, Now, ct);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new PollChanged(poll.SessionId, pollId, poll.Status), ct);
        return annulled;
    }

    /// <summary>A finished vote's permanent result, with the anonymised ballot list (secret) or who voted what (named).</summary>
    public async Task<PollPermalink?> FindFinishedAsync(int pollId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId && (p.Status == PollStatus.Closed || p.Status == PollStatus.Published || p.Status == PollStatus.Annulled), ct);
        if (poll is null)
        {
            return null;
        }

        var title = await db.Sessions.Where(s => s.Id == poll.SessionId).Select(s => s.Title).SingleAsync(ct);
        var ballots = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).ToListAsync(ct);
        IReadOnlyList<PublishedBallot> secret = [];
        IReadOnlyList<NamedVote> named = [];
        if (poll.Secrecy == Secrecy.Secret)
        {
            secret = ballots.OrderBy(b => b.ReceiptCode, StringComparer.Ordinal).Select(b => new PublishedBallot(b.ReceiptCode!, b.SelectedOptions)).ToList();
        }
        else
        {
            named = await NamedVotesAsync(db, pollId, ct);
        }

        return new PollPermalink(poll.SessionId, title, ToView(poll), secret, named);
    }

    /// <summary>Who voted what in a named vote, ordered by name.</summary>
    private static async Task<List<NamedVote>> NamedVotesAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        var rows = await (from b in db.Ballots.AsNoTracking()
                          join m in db.Memberships on b.MembershipId equals m.Id
                          where b.PollId == pollId
                          select new { m.Name, b.Selections, b.IsProxy }).ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new NamedVote(r.Name, r.Selections.Length == 0 ? [] : r.Selections.Split(',').Select(int.Parse).ToArray(), r.IsProxy)).ToList();
    }

    internal static async Task<List<PollView>> PollViewsAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        var polls = await db.Polls.AsNoTracking().Where(p => p.SessionId == sessionId).OrderBy(p => p.CreatedAtUtc).ThenBy(p => p.Id).ToListAsync(ct);
        return polls.Select(ToView).ToList();
    }

    internal static PollView ToView(Poll poll)
    {
        var options = poll.Options.OrderBy(o => o.Index).Select(o => o.Label).ToList();
        return new PollView(
            poll.Id, poll.AgendaItemId, poll.Question, poll.Method, poll.Secrecy, poll.Rule, poll.MinChoices, poll.MaxChoices, poll.Seats,
            poll.Status, options, poll.BallotCount + poll.PaperBallots, poll.PaperBallots, poll.EligibleAtOpen,
            poll.CountsVisible || poll.Status == PollStatus.Annulled ? poll.TotalCount() : null,
            poll.Outcome, poll.Decision, poll.OpenedAtUtc, poll.ClosesAtUtc, poll.ClosedAtUtc, poll.PresentAtClose, poll.MembersAtClose,
            poll.AnnulmentReason, poll.AnnulmentRequestedByUserId is not null && poll.Status != PollStatus.Annulled);
    }

    /// <summary>Ballots possible now: voting members present who have not delegated, plus proxies held by present members.</summary>
    internal static async Task<int> BallotsPossibleAsync(DeliberationDbContext db, int termId, int sessionId, CancellationToken ct)
    {
        var present = await (from a in db.Attendances
                             join m in db.Memberships on a.MembershipId equals m.Id
                             where a.SessionId == sessionId && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role)
                             select m.Id).ToListAsync(ct);
        var delegations = await db.Delegations.Where(d => d.SessionId == sessionId && d.RevokedAtUtc == null)
            .Select(d => new { d.FromMembershipId, d.ToMembershipId }).ToListAsync(ct);
        var presentSet = present.ToHashSet();
        var delegated = delegations.Select(d => d.FromMembershipId).ToHashSet();
        var byProxy = delegations.Where(d => presentSet.Contains(d.ToMembershipId)).Select(d => d.FromMembershipId).ToHashSet();
        return presentSet.Count(id => !delegated.Contains(id)) + byProxy.Count;
    }

    internal static async Task<(int Ballots, VoteCount? Count)> CurrentCountAsync(DeliberationDbContext db, Poll poll, CancellationToken ct)
    {
        var fresh = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == poll.Id, ct);
        return (fresh.BallotCount + fresh.PaperBallots, fresh.CountsVisible ? fresh.TotalCount() : null);
    }

    private async Task<PollView> CloseAsync(int pollId, string? actorUserId, Action<DeliberationDbContext, Session> authorize, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
            authorize(db, session);
            poll.EnsureAcceptsBallots();

            var counted = await CountStoredAsync(db, poll, ct);
            if (!counted.ValueEquals(poll.ElectronicCount()) && attempt < 5)
            {
                // A ballot committed between reading the vote and counting: read both again.
                continue;
            }

            var quorum = await SessionService.QuorumAsync(db, session.TermId, session.Id, ct);
            var decision = poll.Close(counted, quorum.Present, quorum.Eligible, quorum.IsMet, Now);
            var named = poll.Secrecy == Secrecy.Named ? await NamedVotesAsync(db, pollId, ct) : [];
            await SessionLog.AppendAsync(db, poll.SessionId, SessionLogKinds.PollClosed, actorUserId, new
            {
                pollId, outcome = decision.Outcome.ToString(), count = poll.TotalCount(), paper = poll.PaperCount(), decision,
                present = quorum.Present, members = quorum.Eligible, quorumMet = quorum.IsMet, named,
            }, Now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }
            catch (DbUpdateException ex) when (SessionLog.IsSequenceConflict(ex) && attempt < 5)
            {
                continue;
            }

            await events.PublishAsync(new PollClosed(poll.SessionId, pollId, decision.Outcome), ct);
            return ToView(poll);
        }
    }

    private static async Task<VoteCount> CountStoredAsync(DeliberationDbContext db, Poll poll, CancellationToken ct)
    {
        var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == poll.Id).Select(b => b.Selections).ToListAsync(ct);
        var votes = new int[poll.Options.Count];
        var blank = 0;
        foreach (var s in selections)
        {
            if (s.Length == 0)
            {
                blank++;
                continue;
            }

            foreach (var index in s.Split(','))
            {
                votes[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]++;
            }
        }

        return new VoteCount(votes, selections.Count) { BlankBallots = blank };
    }

    private async Task<CastResult?> EarlierCastAsync(DeliberationDbContext db, Poll poll, int membershipId, string? idempotencyKey, CancellationToken ct)
    {
        var earlier = await db.Participations.AsNoTracking().Where(p => p.PollId == poll.Id && p.MembershipId == membershipId)
            .Select(p => new { p.IdempotencyKey }).SingleOrDefaultAsync(ct);
        if (earlier is null)
        {
            return null;
        }

        IReadOnlyList<int>? stored = null;
        if (poll.Secrecy == Secrecy.Named)
        {
            var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == poll.Id && b.MembershipId == membershipId).Select(b => b.Selections).SingleAsync(ct);
            stored = selections.Length == 0 ? [] : selections.Split(',').Select(int.Parse).ToArray();
        }

        var (ballots, count) = await CurrentCountAsync(db, poll, ct);
        var outcome = idempotencyKey is not null && earlier.IdempotencyKey == idempotencyKey ? CastOutcome.Replayed : CastOutcome.AlreadyVoted;
        return new CastResult(outcome, membershipId, stored, null, ballots, count);
    }

    private async Task DeleteDraftAsync(int pollId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Draft).ExecuteDeleteAsync(ct);
    }

    private static async Task<Session> LoadSessionForChairAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        Authorize(actor.IsAdmin || session.IsChairedBy(actor.UserId));
        return session;
    }

    private static void Authorize(bool allowed)
    {
        if (!allowed)
        {
            throw new ForbiddenException("NotAllowed");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
