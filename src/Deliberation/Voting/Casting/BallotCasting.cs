using System.Data.Common;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting.Casting;

/// <summary>
/// Casting ballots (ADR 0008): every cast waits for its vote's writer, which checks every cast waiting at that moment in
/// arrival order and stores them in one transaction; the unique index on participations decides every race.
/// </summary>
public sealed class BallotCasting(
    IDbContextFactory<DeliberationDbContext> dbFactory, TallyBroadcaster tallies, CastChecks checks, BallotSeal seal, TimeProvider clock, ILogger<BallotCasting> logger,
    DeliberationMetrics metrics)
{
    private BallotQueue? _queue;

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
        metrics.BatchTaken(batch.Count);
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

        var checkedAt = clock.GetTimestamp();
        var stored = writes.Count == 0 ? Stored.Nothing : await StoreAsync(db, poll, writes, now, ct);
        var committedAt = clock.GetTimestamp();
        if (stored is null)
        {
            Counters.FellBack();
            logger.LogInformation("Poll {PollId}: a member of a batch of {Count} was stored by another writer; casting them one by one", pollId, writes.Count + repeats.Count);
            foreach (var cast in passed)
            {
                try
                {
                    var one = await CastOneAsync(poll, cast, now, ct);
                    metrics.BallotsAccepted(one.Outcome == CastOutcome.Accepted ? 1 : 0);
                    cast.Answer(one);
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
            metrics.BallotsAccepted(stored.Accepted.Count);
            if (fresh.Status == PollStatus.Open)
            {
                tallies.Publish(new TallyChanged(poll.SessionId, pollId, ballots, count));
            }
        }

        metrics.BatchWritten(clock.GetElapsedTime(started));
        logger.LogDebug("Poll {PollId}: batch of {Count} in {Elapsed} ms (checks {Checks} ms, store {Store} ms, answers {Answers} ms): {Accepted} stored, {Repeats} repeated in the batch, {Earlier} voted before, {Refused} refused",
            pollId, batch.Count, (int)clock.GetElapsedTime(started).TotalMilliseconds, (int)clock.GetElapsedTime(started, checkedAt).TotalMilliseconds,
            (int)clock.GetElapsedTime(checkedAt, committedAt).TotalMilliseconds, (int)clock.GetElapsedTime(committedAt).TotalMilliseconds,
            stored.Accepted.Count, repeats.Count, fromStore.Count, batch.Count - passed.Count + stored.Refused.Count);
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
    /// Stores the first cast of every member of the batch in one transaction, four round trips on PostgreSQL: one read of
    /// the counters (with the vote's row locked), one <c>UPDATE Polls … WHERE Status = 'Open'</c> guarded by the counters
    /// just read (so a close, a paper count or another writer in between is noticed, never overwritten), the option totals
    /// and a multi-row insert per table (<see cref="BatchStatements"/>: one command on PostgreSQL), one commit.
    /// Casts beyond the ballots possible after a paper count are refused in arrival order.
    /// Returns null when the batch must be cast one by one instead (a unique violation, or counters changed under it).
    /// </summary>
    private async Task<Stored?> StoreAsync(DeliberationDbContext db, CastPoll poll, List<PendingCast> writes, DateTime now, CancellationToken ct)
    {
        Counters.Checked();
        var pollId = poll.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // On PostgreSQL another instance's writer may take ballots for the same vote (ADR 0022). The counters are read
        // with the vote's row locked (FOR UPDATE, in the same round trip), as SQLite's write lock does, so the two batches
        // wait for each other instead of one losing the race on the counters below and casting its whole batch one
        // ballot at a time.
        var polls = db.Database.IsNpgsql() ? db.Polls.FromSql($"SELECT * FROM \"Polls\" WHERE \"Id\" = {pollId} FOR UPDATE") : db.Polls;
        var state = await polls.Where(p => p.Id == pollId).Select(p => new { p.Status, p.ClosesAtUtc, p.BallotCount, p.PaperBallots }).SingleAsync(ct);
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
        var possible = state.PaperBallots > 0 ? Math.Max(poll.Poll.EligibleAtOpen, await PollQueries.BallotsPossibleAsync(db, poll.TermId, poll.SessionId, ct)) : int.MaxValue;
        var room = (int)Math.Clamp((long)possible - state.BallotCount - state.PaperBallots, 0, writes.Count);
        var accepted = writes.Take(room).ToList();
        var tooMany = writes.Skip(room).ToDictionary(c => c, Exception (_) => new DomainException("Paper.ExceedsEligible", state.BallotCount + room, state.PaperBallots, possible));
        if (accepted.Count == 0)
        {
            return new Stored([], tooMany);
        }

        var n = accepted.Count;
        var secret = poll.Secrecy == Secrecy.Secret;

        // A secret vote counts participation only until it closes: no blank or option count exists before (ADR 0016).
        var blank = secret ? 0 : accepted.Count(c => c.Chosen.Count == 0);
        var counted = await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Open && (p.ClosesAtUtc == null || p.ClosesAtUtc > now)
                && p.BallotCount == state.BallotCount && p.PaperBallots == state.PaperBallots)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + n).SetProperty(p => p.BlankBallots, p => p.BlankBallots + blank), ct);
        if (counted == 0)
        {
            // Cannot happen while the row is locked (SQLite's write lock, PostgreSQL's FOR UPDATE above); if it does, decide one by one.
            await tx.RollbackAsync(ct);
            return null;
        }

        // The option totals and the rows in one command on PostgreSQL (BatchStatements): one round trip while the lock
        // is held, not one per distinct total and per table.
        var rows = new AcceptedRows(seal, poll, now);
        var receipts = accepted.ToDictionary(c => c, rows.Add);

        try
        {
            await rows.WriteAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            await tx.RollbackAsync(ct);
            return null;
        }

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
        var secret = poll.Secrecy == Secrecy.Secret;
        string? receipt;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Count the ballot only while the vote is open; this row update also orders the cast against a close.
            // A secret vote counts participation only until it closes (ADR 0016).
            var blank = chosen.Count == 0 && !secret ? 1 : 0;

            // After a paper count the total may not pass the ballots possible. Read inside the transaction, so a paper
            // count saved since the checks is seen.
            var paper = await db.Polls.Where(p => p.Id == pollId).Select(p => p.PaperBallots).SingleAsync(ct);
            var possible = paper > 0 ? Math.Max(poll.Poll.EligibleAtOpen, await PollQueries.BallotsPossibleAsync(db, poll.TermId, poll.SessionId, ct)) : int.MaxValue;
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

            var rows = new AcceptedRows(seal, poll, now);
            receipt = rows.Add(cast);
            try
            {
                await rows.WriteAsync(db, ct);
                await tx.CommitAsync(ct);
            }
            catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                await tx.RollbackAsync(ct);
                return await EarlierCastAsync(db, pollId, poll.Secrecy, cast.Voter, cast.IdempotencyKey, ct)
                    ?? throw new InvalidOperationException("A unique violation without an earlier participation");
            }
        }

        Counters.Stored(1);
        var (ballots, count) = await PollQueries.CurrentCountAsync(db, pollId, ct);
        return new CastResult(CastOutcome.Accepted, cast.Voter, chosen, receipt, ballots, count);
    }

    /// <summary>
    /// What accepted casts write besides the vote's counters: a participation each; for a named vote the ballot as cast
    /// and its options' totals; for a secret one the ballot sealed with a new receipt, whose choice nobody can read — nor
    /// count — before the vote is counted (ADR 0016). The one writer of these, for a batch and for a cast on its own.
    /// </summary>
    private sealed class AcceptedRows(BallotSeal seal, CastPoll poll, DateTime now)
    {
        private readonly List<Participation> _participations = [];
        private readonly List<Ballot> _ballots = [];
        private readonly List<SealedBallot> _sealed = [];
        private readonly SortedDictionary<int, int> _optionVotes = [];

        /// <summary>Adds the rows of <paramref name="cast"/>; returns its receipt (secret votes only).</summary>
        public string? Add(PendingCast cast)
        {
            _participations.Add(new Participation(poll.Id, cast.Voter, cast.Actor.UserId, cast.IsProxy, cast.IdempotencyKey, now));
            if (poll.Secrecy == Secrecy.Named)
            {
                _ballots.Add(Ballot.Named(poll.Id, cast.Voter, cast.Actor.UserId, cast.Chosen, cast.IsProxy));
                foreach (var index in cast.Chosen)
                {
                    _optionVotes[index] = _optionVotes.GetValueOrDefault(index) + 1;
                }

                return null;
            }

            var receipt = Ballot.NewReceiptCode();
            _sealed.Add(new SealedBallot(poll.Id, seal.Seal(poll.Id, poll.Spec.Options.Count, cast.Chosen, receipt)));
            return receipt;
        }

        /// <summary>
        /// Writes the option totals and the rows (<see cref="BatchStatements"/>: one command on PostgreSQL) in the caller's
        /// transaction, after its counter update; a member stored meanwhile is a unique violation (<see cref="DbErrors"/>).
        /// </summary>
        public async Task WriteAsync(DeliberationDbContext db, CancellationToken ct)
        {
            using var statements = new BatchStatements(db);
            statements.AddOptionVotes(poll.Id, _optionVotes);
            statements.Insert(_participations);
            statements.Insert(_ballots);
            statements.Insert(_sealed);
            await statements.ExecuteAsync(ct);
        }
    }

    private static IReadOnlyList<int> ParseSelections(string selections) =>
        selections.Length == 0 ? [] : selections.Split(',').Select(i => int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>What <see cref="StoreAsync"/> did with each cast: accepted (with its receipt, for a secret vote) or refused.</summary>
    private sealed record Stored(Dictionary<PendingCast, string?> Accepted, Dictionary<PendingCast, Exception> Refused)
    {
        public static readonly Stored Nothing = new([], []);
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

        var (ballots, count) = await PollQueries.CurrentCountAsync(db, pollId, ct);
        var outcome = idempotencyKey is not null && earlier.IdempotencyKey == idempotencyKey ? CastOutcome.Replayed : CastOutcome.AlreadyVoted;
        return new CastResult(outcome, membershipId, stored, null, ballots, count);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
