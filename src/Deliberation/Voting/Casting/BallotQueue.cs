using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting.Casting;

/// <summary>
/// One cast waiting for its vote's writer (ADR 0008). The writer fills in what the checks found (<see cref="Voter"/>,
/// <see cref="Chosen"/>, <see cref="IsProxy"/>) and answers the caller through its own <see cref="Result"/>.
/// </summary>
internal sealed class PendingCast(Actor actor, int pollId, IReadOnlyList<int>? selections, string? idempotencyKey, int? onBehalfOfMembershipId)
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource<CastResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public Actor Actor { get; } = actor;

    public int PollId { get; } = pollId;

    public IReadOnlyList<int>? Selections { get; } = selections;

    public string? IdempotencyKey { get; } = idempotencyKey;

    public int? OnBehalfOfMembershipId { get; } = onBehalfOfMembershipId;

    /// <summary>The caller's own seat in the vote's term; set by the checks.</summary>
    public int Seat { get; set; }

    /// <summary>Whose ballot it is (the delegator's for a proxy ballot); set by the checks.</summary>
    public int Voter { get; set; }

    public bool IsProxy { get; set; }

    /// <summary>The validated selections, sorted; set by the checks.</summary>
    public IReadOnlyList<int> Chosen { get; set; } = [];

    public Task<CastResult> Result => _result.Task;

    public bool IsAnswered => _result.Task.IsCompleted;

    /// <summary>The writer takes the cast into a batch; false when the caller withdrew it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>The caller gives up; false when the writer has already taken the cast (it is then stored or refused whole).</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

    public void Answer(CastResult result) => _result.TrySetResult(result);

    public void Fail(Exception exception) => _result.TrySetException(exception);

    public void Cancel(CancellationToken ct) => _result.TrySetCanceled(ct);
}

/// <summary>What the ballot writers have done since start (for tests and diagnostics).</summary>
internal sealed class CastCounters
{
    private int _checked;
    private int _stored;
    private int _fallbacks;

    /// <summary>Batches checked and about to be written (counted just before their transaction begins).</summary>
    public int BatchesChecked => Volatile.Read(ref _checked);

    /// <summary>Ballots stored, in batches or one by one.</summary>
    public int BallotsStored => Volatile.Read(ref _stored);

    /// <summary>Batches cast one ballot at a time after a unique violation.</summary>
    public int Fallbacks => Volatile.Read(ref _fallbacks);

    public void Checked() => Interlocked.Increment(ref _checked);

    public void Stored(int ballots) => Interlocked.Add(ref _stored, ballots);

    public void FellBack() => Interlocked.Increment(ref _fallbacks);
}

/// <summary>
/// Casts wait here, one lane per vote, for a single writer that takes everything waiting as one batch (group commit,
/// ADR 0008). A lane's writer runs while casts arrive and stops when its lane is empty; the first cast after that starts
/// a new one. Nothing here knows the rules: <c>writeBatch</c> checks, stores and answers every cast it is given.
/// </summary>
internal sealed class BallotQueue(Func<int, IReadOnlyList<PendingCast>, Task> writeBatch, ILogger logger)
{
    /// <summary>The most casts written in one transaction; more wait for the next batch.</summary>
    public const int MaxBatch = 500;

    private readonly ConcurrentDictionary<int, Lane> _lanes = new();

    /// <summary>
    /// Queues the cast and waits for its answer. Cancelling withdraws the cast while it is still waiting (nothing is
    /// stored); once the writer has taken it, it is stored or refused whole and the caller gets that answer.
    /// </summary>
    public async Task<CastResult> CastAsync(PendingCast cast, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Enqueue([cast]);
        if (!ct.CanBeCanceled)
        {
            return await cast.Result.ConfigureAwait(false);
        }

        await using (ct.Register(static state =>
        {
            var (pending, token) = ((PendingCast, CancellationToken))state!;
            if (pending.TryWithdraw())
            {
                pending.Cancel(token);
            }
        }, (cast, ct)))
        {
            return await cast.Result.ConfigureAwait(false);
        }
    }

    /// <summary>Queues several casts of one vote at once: a writer that is not busy takes them as one batch.</summary>
    public void Enqueue(IReadOnlyList<PendingCast> casts)
    {
        if (casts.Count == 0)
        {
            return;
        }

        var pollId = casts[0].PollId;
        if (casts.Any(c => c.PollId != pollId))
        {
            throw new ArgumentException("All casts of a batch must be for the same vote", nameof(casts));
        }

        while (true)
        {
            var lane = _lanes.GetOrAdd(pollId, _ => new Lane());
            bool start;
            lock (lane)
            {
                if (lane.Retired)
                {
                    // Its writer has just stopped and removed it: take the lane that replaces it.
                    continue;
                }

                lane.Waiting.AddRange(casts);
                start = !lane.Running;
                lane.Running = true;
            }

            if (start)
            {
                _ = Task.Run(() => DrainAsync(pollId, lane));
            }

            return;
        }
    }

    private async Task DrainAsync(int pollId, Lane lane)
    {
        while (true)
        {
            List<PendingCast> batch;
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Running = false;
                    lane.Retired = true;
                    _lanes.TryRemove(new KeyValuePair<int, Lane>(pollId, lane));
                    return;
                }

                var count = Math.Min(lane.Waiting.Count, MaxBatch);
                batch = lane.Waiting.GetRange(0, count);
                lane.Waiting.RemoveRange(0, count);
            }

            var taken = batch.Where(c => c.TryTake()).ToList();
            if (taken.Count == 0)
            {
                continue;
            }

            try
            {
                await writeBatch(pollId, taken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Writing a batch of {Count} ballots for poll {PollId} failed", taken.Count, pollId);
                foreach (var cast in taken)
                {
                    cast.Fail(ex);
                }
            }

            foreach (var cast in taken.Where(c => !c.IsAnswered))
            {
                // A bug, not a rule: never leave a caller waiting for ever.
                cast.Fail(new InvalidOperationException($"The batch for poll {pollId} left a cast unanswered"));
            }
        }
    }

    private sealed class Lane
    {
        public readonly List<PendingCast> Waiting = [];
        public bool Running;
        public bool Retired;
    }
}
