using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting.Casting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>
/// Creating, opening, casting, counting, closing, publishing and annulling votes. The one service the Blazor UI and
/// the hub both call: it does all authorization and validation.
/// </summary>
public sealed class VotingService(
    IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TallyBroadcaster tallies, CastChecks checks, TimeProvider clock, ILogger<VotingService> logger)
{
    private BallotQueue? _queue;

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
    /// The cast waits for its vote's writer, which checks and stores every cast waiting at that moment in one
    /// transaction (<see cref="WriteBatchAsync"/>, ADR 0008). Cancelling withdraws the cast while it is still waiting;
    /// once the writer has taken it, it is stored or refused whole and this answers with the outcome.
    /// </summary>
    public async Task<CastResult> CastAsync(Actor actor, int pollId, IReadOnlyList<int>? selections, string? idempotencyKey = null, int? onBehalfOfMembershipId = null, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: 0 or > Participation.IdempotencyKeyMax })
        {
            throw new DomainException("Ballot.IdempotencyKeyInvalid", Participation.IdempotencyKeyMax);
        }

        return await Queue.CastAsync(new PendingCast(actor, pollId, selections?.ToArray(), idempotencyKey, onBehalfOfMembershipId), ct);
    }

    /// <summary>
    /// Queues several casts of one vote at once, so that a writer that is not busy takes them as one batch. For tests
    /// that need to know what a batch holds; callers otherwise use <see cref="CastAsync(Actor, int, IReadOnlyList{int}?, string?, int?, CancellationToken)"/>.
    /// </summary>
    internal IReadOnlyList<Task<CastResult>> CastTogether(int pollId, params (Actor Actor, IReadOnlyList<int>? Selections, string? IdempotencyKey, int? OnBehalfOf)[] casts)
    {
        if (casts.Any(c => c.IdempotencyKey is { Length: 0 or > Participation.IdempotencyKeyMax }))
        {
            throw new DomainException("Ballot.IdempotencyKeyInvalid", Participation.IdempotencyKeyMax);
        }

        var pending = casts.Select(c => new PendingCast(c.Actor, pollId, c.Selections?.ToArray(), c.IdempotencyKey, c.OnBehalfOf)).ToList();
        Queue.Enqueue(pending);
        return pending.Select(p => p.Result).ToList();
    }

    /// <summary>What the writers have done so far (for tests and diagnostics).</summary>
    internal CastCounters Counters { get; } = new();

    private BallotQueue Queue => LazyInitializer.EnsureInitialized(ref _queue, () => new BallotQueue(WriteBatchAsync, logger));

    /// <summary>
    /// The writer of one vote (ADR 0008). Checks every cast of the batch in the order they arrived, exactly as a single
    /// cast is checked (open, selections, seat with a vote, checked in, proxy), reading through <see cref="CastChecks"/>;
    /// answers casts of members who voted before from the stored participation; then stores the first cast of every
    /// other member in one transaction (<see cref="StoreAsync"/>) and answers every caller with its own outcome from one
    /// count read. A unique violation — a member stored by another writer since the participations were read — rolls the
    /// batch back and casts it one ballot at a time (<see cref="CastOneAsync"/>), so the database decides each race.
    /// A refusal reaches only the caller it concerns.
    /// </summary>
    private async Task WriteBatchAsync(int pollId, IReadOnlyList<PendingCast> batch)
    {
        // The batch belongs to all its callers: none of them can cancel it (a caller cancels only while still waiting).
        var ct = CancellationToken.None;
        var started = clock.GetTimestamp();
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await checks.PollAsync(db, pollId, ct);
        if (poll is null)
        {
            foreach (var cast in batch)
            {
                cast.Fail(new NotFoundException("Poll", pollId));
            }

            return;
        }

        var passed = await CheckAsync(db, poll, batch, now, ct);
        if (passed.Count == 0)
        {
            return;
        }

        // Members who voted before (another batch, another tab, another instance): answered from what is stored.
        var voters = passed.Select(c => c.Voter).Distinct().ToList();
        var earlier = await db.Participations.AsNoTracking().Where(p => p.PollId == pollId && voters.Contains(p.MembershipId))
            .Select(p => new { p.MembershipId, p.IdempotencyKey }).ToDictionaryAsync(p => p.MembershipId, p => p.IdempotencyKey, ct);
        var writes = new List<PendingCast>();
        var repeats = new List<(PendingCast Cast, PendingCast First)>();
        var fromStore = new List<PendingCast>();
        var firstOf = new Dictionary<int, PendingCast>();
        foreach (var cast in passed)
        {
            if (earlier.ContainsKey(cast.Voter))
            {
                fromStore.Add(cast);
            }
            else if (firstOf.TryGetValue(cast.Voter, out var first))
            {
                // The same member again in this batch: answered as a later cast once the first is stored.
                repeats.Add((cast, first));
            }
            else
            {
                firstOf[cast.Voter] = cast;
                writes.Add(cast);
            }
        }

        var stored = writes.Count == 0 ? Stored.Nothing : await StoreAsync(db, poll, writes, now, ct);
        if (stored is null)
        {
            Counters.FellBack();
            logger.LogInformation("Poll {PollId}: a member of a batch of {Count} was stored by another writer; casting them one by one", pollId, writes.Count + repeats.Count);
            foreach (var cast in passed)
            {
                try
                {
                    cast.Answer(await CastOneAsync(poll, cast, now, ct));
                }
                catch (Exception ex)
                {
                    if (ex is not (DomainException or ForbiddenException or NotFoundException))
                    {
                        logger.LogWarning(ex, "Poll {PollId}: casting one ballot after a unique violation failed", pollId);
                    }

                    cast.Fail(ex);
                }
            }

            tallies.MarkChanged(poll.SessionId, pollId);
            return;
        }

        // One count read answers every caller of the batch and feeds the live tally.
        var fresh = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
        var ballots = fresh.BallotCount + fresh.PaperBallots;
        var count = fresh.CountsVisible ? fresh.TotalCount() : null;
        foreach (var (cast, receipt) in stored.Accepted)
        {
            cast.Answer(new CastResult(CastOutcome.Accepted, cast.Voter, cast.Chosen, receipt, ballots, count));
        }

        foreach (var (cast, refusal) in stored.Refused)
        {
            cast.Fail(refusal);
        }

        foreach (var (cast, first) in repeats)
        {
            if (stored.Refused.TryGetValue(first, out var refusal))
            {
                // Checked again after the first, it meets the same closed vote or full count.
                cast.Fail(refusal is DomainException d ? new DomainException(d.Code, [.. d.Arguments]) : refusal);
                continue;
            }

            var outcome = cast.IdempotencyKey is not null && cast.IdempotencyKey == first.IdempotencyKey ? CastOutcome.Replayed : CastOutcome.AlreadyVoted;
            cast.Answer(new CastResult(outcome, cast.Voter, poll.Secrecy == Secrecy.Named ? first.Chosen : null, null, ballots, count));
        }

        if (fromStore.Count > 0)
        {
            var selections = new Dictionary<int, IReadOnlyList<int>>();
            if (poll.Secrecy == Secrecy.Named)
            {
                var members = fromStore.Select(c => c.Voter).Distinct().ToList();
                var rows = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId && b.MembershipId != null && members.Contains(b.MembershipId.Value))
                    .Select(b => new { b.MembershipId, b.Selections }).ToListAsync(ct);
                selections = rows.ToDictionary(r => r.MembershipId!.Value, r => ParseSelections(r.Selections));
            }

            foreach (var cast in fromStore)
            {
                var outcome = cast.IdempotencyKey is not null && earlier[cast.Voter] == cast.IdempotencyKey ? CastOutcome.Replayed : CastOutcome.AlreadyVoted;
                cast.Answer(new CastResult(outcome, cast.Voter, poll.Secrecy == Secrecy.Named ? selections[cast.Voter] : null, null, ballots, count));
            }
        }

        if (stored.Accepted.Count > 0)
        {
            Counters.Stored(stored.Accepted.Count);
            if (fresh.Status == PollStatus.Open)
            {
                tallies.Publish(new TallyChanged(poll.SessionId, pollId, ballots, count));
            }
        }

        logger.LogDebug("Poll {PollId}: batch of {Count} in {Elapsed} ms: {Accepted} stored, {Repeats} repeated in the batch, {Earlier} voted before, {Refused} refused",
            pollId, batch.Count, (int)clock.GetElapsedTime(started).TotalMilliseconds, stored.Accepted.Count, repeats.Count, fromStore.Count, batch.Count - passed.Count + stored.Refused.Count);
    }

    /// <summary>The checks of <see cref="CastAsync(Actor, int, IReadOnlyList{int}?, string?, int?, CancellationToken)"/>, in its order, for every cast of a batch; a failed check answers its caller.</summary>
    private async Task<List<PendingCast>> CheckAsync(DeliberationDbContext db, CastPoll poll, IReadOnlyList<PendingCast> batch, DateTime now, CancellationToken ct)
    {
        var passed = batch.Where(c => Check(c, () =>
        {
            poll.Poll.EnsureAcceptsBallots(now);
            c.Chosen = poll.Spec.ValidateSelections(c.Selections);
        })).ToList();
        if (passed.Count == 0)
        {
            return passed;
        }

        var seats = await checks.SeatsAsync(db, poll.Id, poll.TermId, passed.Select(c => c.Actor.UserId).ToList(), ct);
        passed = passed.Where(c => Check(c, () =>
        {
            if (!seats.TryGetValue(c.Actor.UserId, out var seat) || !Membership.HasVoteIn(seat.Role))
            {
                throw new ForbiddenException("Ballot.NotEligible");
            }

            c.Seat = seat.MembershipId;
        })).ToList();
        if (passed.Count == 0)
        {
            return passed;
        }

        var present = await checks.PresentAsync(db, poll.SessionId, passed.Select(c => c.Seat).ToList(), ct);
        var delegations = poll.Delegations;
        return passed.Where(c => Check(c, () =>
        {
            if (!present.Contains(c.Seat))
            {
                throw new DomainException("Ballot.NotCheckedIn");
            }

            c.Voter = c.Seat;
            c.IsProxy = false;
            if (c.OnBehalfOfMembershipId is { } delegator && delegator != c.Seat)
            {
                if (!delegations.TryGetValue(delegator, out var holder) || holder != c.Seat)
                {
                    throw new ForbiddenException("Proxy.NotHeld");
                }

                c.Voter = delegator;
                c.IsProxy = true;
            }
            else if (delegations.ContainsKey(c.Seat))
            {
                throw new DomainException("Proxy.DelegatedCannotVote");
            }
        })).ToList();

        static bool Check(PendingCast cast, Action check)
        {
            try
            {
                check();
                return true;
            }
            catch (Exception ex) when (ex is DomainException or ForbiddenException or NotFoundException)
            {
                cast.Fail(ex);
                return false;
            }
        }
    }

    /// <summary>
    /// Stores the first cast of every member of the batch in one transaction: one read of the counters, one
    /// <c>UPDATE Polls … WHERE Status = 'Open'</c> guarded by the counters just read (so a close, a paper count or another
    /// writer in between is noticed, never overwritten), one update per distinct option total, the inserts in one
    /// <c>SaveChanges</c>, one commit. Casts beyond the ballots possible after a paper count are refused in arrival order.
    /// Returns null when the batch must be cast one by one instead (a unique violation, or counters changed under it).
    /// </summary>
    private async Task<Stored?> StoreAsync(DeliberationDbContext db, CastPoll poll, List<PendingCast> writes, DateTime now, CancellationToken ct)
    {
        Counters.Checked();
        var pollId = poll.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var state = await db.Polls.Where(p => p.Id == pollId).Select(p => new { p.Status, p.ClosesAtUtc, p.BallotCount, p.PaperBallots }).SingleAsync(ct);
        if (state.Status != PollStatus.Open || (state.ClosesAtUtc is { } closes && now >= closes))
        {
            // Closed since the checks: nothing of the batch is stored, and every caller hears why.
            checks.ForgetPoll(pollId);
            var current = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
            var refused = new Dictionary<PendingCast, Exception>();
            foreach (var cast in writes)
            {
                refused[cast] = Record(() => current.EnsureAcceptsBallots(now)) ?? new DomainException("Poll.Closed");
            }

            return new Stored([], refused);
        }

        // After a paper count the total may not pass the ballots possible (checked only then: it costs queries).
        var possible = state.PaperBallots > 0 ? Math.Max(poll.Poll.EligibleAtOpen, await BallotsPossibleAsync(db, poll.TermId, poll.SessionId, ct)) : int.MaxValue;
        var room = (int)Math.Clamp((long)possible - state.BallotCount - state.PaperBallots, 0, writes.Count);
        var accepted = writes.Take(room).ToList();
        var tooMany = writes.Skip(room).ToDictionary(c => c, Exception (_) => new DomainException("Paper.ExceedsEligible", state.BallotCount + room, state.PaperBallots, possible));
        if (accepted.Count == 0)
        {
            return new Stored([], tooMany);
        }

        var n = accepted.Count;
        var blank = accepted.Count(c => c.Chosen.Count == 0);
        var counted = await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Open && (p.ClosesAtUtc == null || p.ClosesAtUtc > now)
                && p.BallotCount == state.BallotCount && p.PaperBallots == state.PaperBallots)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + n).SetProperty(p => p.BlankBallots, p => p.BlankBallots + blank), ct);
        if (counted == 0)
        {
            // Cannot happen on SQLite (the transaction holds the write lock since the read); elsewhere decide one by one.
            await tx.RollbackAsync(ct);
            return null;
        }

        var votes = new int[poll.Spec.Options.Count];
        foreach (var index in accepted.SelectMany(c => c.Chosen))
        {
            votes[index]++;
        }

        foreach (var total in Enumerable.Range(0, votes.Length).Where(i => votes[i] > 0).GroupBy(i => votes[i]))
        {
            var indexes = total.ToList();
            var add = total.Key;
            await db.PollOptions.Where(o => o.PollId == pollId && indexes.Contains(o.Index)).ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + add), ct);
        }

        var receipts = new Dictionary<PendingCast, string?>();
        foreach (var cast in accepted)
        {
            var ballot = poll.Secrecy == Secrecy.Secret
                ? Ballot.Secret(pollId, cast.Chosen)
                : Ballot.Named(pollId, cast.Voter, cast.Actor.UserId, cast.Chosen, cast.IsProxy);
            db.Participations.Add(new Participation(pollId, cast.Voter, cast.Actor.UserId, cast.IsProxy, cast.IdempotencyKey, now));
            db.Ballots.Add(ballot);
            receipts[cast] = ballot.ReceiptCode;
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }

        db.ChangeTracker.Clear();
        return new Stored(receipts, tooMany);

        static Exception? Record(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (DomainException ex)
            {
                return ex;
            }
        }
    }

    /// <summary>
    /// One cast in its own transaction, as before group commit: the fallback of a batch that met a unique violation.
    /// The unique index decides: a member stored meanwhile is answered as an earlier cast.
    /// </summary>
    private async Task<CastResult> CastOneAsync(CastPoll poll, PendingCast cast, DateTime now, CancellationToken ct)
    {
        var pollId = poll.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var earlier = await EarlierCastAsync(db, pollId, poll.Secrecy, cast.Voter, cast.IdempotencyKey, ct);
        if (earlier is not null)
        {
            return earlier;
        }

        var chosen = cast.Chosen;
        var ballot = poll.Secrecy == Secrecy.Secret
            ? Ballot.Secret(pollId, chosen)
            : Ballot.Named(pollId, cast.Voter, cast.Actor.UserId, chosen, cast.IsProxy);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Count the ballot only while the vote is open; this row update also orders the cast against a close.
            var blank = chosen.Count == 0 ? 1 : 0;

            // After a paper count the total may not pass the ballots possible. Read inside the transaction, so a paper
            // count saved since the checks is seen.
            var paper = await db.Polls.Where(p => p.Id == pollId).Select(p => p.PaperBallots).SingleAsync(ct);
            var possible = paper > 0 ? Math.Max(poll.Poll.EligibleAtOpen, await BallotsPossibleAsync(db, poll.TermId, poll.SessionId, ct)) : int.MaxValue;
            var counted = await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Open && (p.ClosesAtUtc == null || p.ClosesAtUtc > now)
                    && p.BallotCount + p.PaperBallots < possible)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + 1).SetProperty(p => p.BlankBallots, p => p.BlankBallots + blank), ct);
            if (counted == 0)
            {
                var current = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
                if (current.Status != PollStatus.Open)
                {
                    checks.ForgetPoll(pollId);
                }

                current.EnsureAcceptsBallots(now);
                throw new DomainException("Paper.ExceedsEligible", current.BallotCount, current.PaperBallots, possible);
            }

            if (chosen.Count > 0)
            {
                await db.PollOptions.Where(o => o.PollId == pollId && chosen.Contains(o.Index))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + 1), ct);
            }

            db.Participations.Add(new Participation(pollId, cast.Voter, cast.Actor.UserId, cast.IsProxy, cast.IdempotencyKey, now));
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
                return await EarlierCastAsync(db, pollId, poll.Secrecy, cast.Voter, cast.IdempotencyKey, ct)
                    ?? throw new InvalidOperationException("A unique violation without an earlier participation");
            }
        }

        Counters.Stored(1);
        var (ballots, count) = await CurrentCountAsync(db, pollId, ct);
        return new CastResult(CastOutcome.Accepted, cast.Voter, chosen, ballot.ReceiptCode, ballots, count);
    }

    private static IReadOnlyList<int> ParseSelections(string selections) =>
        selections.Length == 0 ? [] : selections.Split(',').Select(i => int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>What <see cref="StoreAsync"/> did with each cast: accepted (with its receipt, for a secret vote) or refused.</summary>
    private sealed record Stored(Dictionary<PendingCast, string?> Accepted, Dictionary<PendingCast, Exception> Refused)
    {
        public static readonly Stored Nothing = new([], []);
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
        await CloseAsync(pollId, actor.UserId, async (db, session) => await RequireChairAsync(db, actor, session, ct), ct);

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
                await CloseAsync(id, null, (_, _) => Task.CompletedTask, ct);
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
        var role = VotingPermissions.AnnulmentSide(await OfficeReader.InTermAsync(db, actor, session.TermId, ct))
            ?? throw new ForbiddenException("Office.Secretariat");

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

    internal static async Task<(int Ballots, VoteCount? Count)> CurrentCountAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        var fresh = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
        return (fresh.BallotCount + fresh.PaperBallots, fresh.CountsVisible ? fresh.TotalCount() : null);
    }

    private async Task<PollView> CloseAsync(int pollId, string? actorUserId, Func<DeliberationDbContext, Session, Task> authorize, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
            await authorize(db, session);
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

            tallies.Closed(pollId);
            checks.ForgetPoll(pollId);
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

    private static async Task<CastResult?> EarlierCastAsync(DeliberationDbContext db, int pollId, Secrecy secrecy, int membershipId, string? idempotencyKey, CancellationToken ct)
    {
        var earlier = await db.Participations.AsNoTracking().Where(p => p.PollId == pollId && p.MembershipId == membershipId)
            .Select(p => new { p.IdempotencyKey }).SingleOrDefaultAsync(ct);
        if (earlier is null)
        {
            return null;
        }

        IReadOnlyList<int>? stored = null;
        if (secrecy == Secrecy.Named)
        {
            var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId && b.MembershipId == membershipId).Select(b => b.Selections).SingleAsync(ct);
            stored = ParseSelections(selections);
        }

        var (ballots, count) = await CurrentCountAsync(db, pollId, ct);
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
        await RequireChairAsync(db, actor, session, ct);
        return session;
    }

    private static async Task RequireChairAsync(DeliberationDbContext db, Actor actor, Session session, CancellationToken ct) =>
        Permit.Require(VotingPermissions.MayRunVotes(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Presides");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
