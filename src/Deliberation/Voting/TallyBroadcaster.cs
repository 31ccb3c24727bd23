using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>
/// Publishes the running count of open votes. The ballot writer hands over the count it read after each commit
/// (<see cref="Publish"/>), so a burst costs no extra reads; other changes (a paper count) are read from the database.
/// Each count goes out as soon as the previous one of its vote has been handed to the transport, with no window: counts
/// that arrive meanwhile are folded into the one with the most ballots. Pacing by the audience is done where the
/// audience is known, once per path (ADR 0023: the hub relay per connection count, the screens per circuit count);
/// a second pacer here would only add its wait to theirs.
/// </summary>
public sealed class TallyBroadcaster(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, ILogger<TallyBroadcaster> logger)
{
    /// <summary>How long the loop pauses after a failed send before it sends a change made meanwhile.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<int, State> _polls = new();

    /// <summary>Votes closed by this instance: a count read before the close is never published after it.</summary>
    private readonly ConcurrentDictionary<int, byte> _closed = new();

    /// <summary>The vote changed in a way only the database knows (e.g. a paper count): read it when publishing.</summary>
    public void MarkChanged(int sessionId, int pollId)
    {
        var state = _polls.GetOrAdd(pollId, _ => new State(sessionId));
        lock (state)
        {
            state.NeedsRead = true;
        }

        Start(pollId, state);
    }

    /// <summary>
    /// The count of an open vote as read right after a commit. Of the counts waiting to go out the one with the most ballots wins
    /// (ballots only grow while a vote is open); a change marked with <see cref="MarkChanged"/> is read instead.
    /// </summary>
    public void Publish(TallyChanged snapshot)
    {
        if (_closed.ContainsKey(snapshot.PollId))
        {
            return;
        }

        var state = _polls.GetOrAdd(snapshot.PollId, _ => new State(snapshot.SessionId));
        lock (state)
        {
            if (state.Latest is null || snapshot.Ballots >= state.Latest.Ballots)
            {
                state.Latest = snapshot;
            }
        }

        Start(snapshot.PollId, state);
    }

    /// <summary>The vote closed: nothing more is published for it (its result follows as <see cref="PollClosed"/>).</summary>
    public void Closed(int pollId)
    {
        _closed.TryAdd(pollId, 0);
        _polls.TryRemove(pollId, out _);
    }

    private void Start(int pollId, State state)
    {
        if (Interlocked.Exchange(ref state.Dirty, 1) == 0 && Interlocked.CompareExchange(ref state.Running, 1, 0) == 0)
        {
            // On the thread pool: the caller (the ballot writer, with callers waiting for their answers) does not run the fan-out.
            _ = Task.Run(() => FlushLoopAsync(pollId, state));
        }
    }

    private async Task FlushLoopAsync(int pollId, State state)
    {
        while (true)
        {
            Interlocked.Exchange(ref state.Dirty, 0);
            try
            {
                await PublishAsync(pollId, state).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // That count is lost, the loop is not: a change made meanwhile is tried again after a pause (no tight
                // loop while the database is away), and a later change starts the loop as usual.
                logger.LogWarning(ex, "Publishing the count of poll {PollId} failed", pollId);
                await Task.Delay(RetryAfterFailure).ConfigureAwait(false);
            }

            if (Volatile.Read(ref state.Dirty) == 0)
            {
                Interlocked.Exchange(ref state.Running, 0);
                // A change may have slipped in between the check and the reset: take it if nobody else did.
                if (Volatile.Read(ref state.Dirty) == 0 || Interlocked.CompareExchange(ref state.Running, 1, 0) != 0)
                {
                    return;
                }
            }
        }
    }

    private async Task PublishAsync(int pollId, State state)
    {
        bool read;
        TallyChanged? snapshot;
        lock (state)
        {
            (read, snapshot) = (state.NeedsRead, state.Latest);
            state.NeedsRead = false;
            state.Latest = null;
        }

        if (_closed.ContainsKey(pollId))
        {
            return;
        }

        if (!read)
        {
            if (snapshot is not null)
            {
                await events.PublishAsync(snapshot).ConfigureAwait(false);
            }

            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId);
        if (poll is null || poll.Status != PollStatus.Open)
        {
            _polls.TryRemove(pollId, out _);
            return;
        }

        await events.PublishAsync(new TallyChanged(state.SessionId, pollId, poll.BallotCount + poll.PaperBallots, poll.CountsVisible ? poll.TotalCount() : null));
    }

    private sealed class State(int sessionId)
    {
        public readonly int SessionId = sessionId;
        public int Dirty;
        public int Running;
        public bool NeedsRead;
        public TallyChanged? Latest;
    }
}
