using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Application;

/// <summary>
/// Publishes the running count of open votes. Casts mark a vote as changed; within one short window every change is
/// folded into a single read of the counters and a single event, so a burst of 150 ballots reaches a thousand screens
/// as a handful of messages, each with the latest numbers, instead of 150 events each.
/// </summary>
public sealed class TallyBroadcaster(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, ILogger<TallyBroadcaster> logger)
{
    /// <summary>The longest a change waits before it is published.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(40);

    private readonly ConcurrentDictionary<int, State> _polls = new();

    public void MarkChanged(int sessionId, int pollId)
    {
        var state = _polls.GetOrAdd(pollId, _ => new State(sessionId));
        if (Interlocked.Exchange(ref state.Dirty, 1) == 0 && Interlocked.CompareExchange(ref state.Running, 1, 0) == 0)
        {
            _ = FlushLoopAsync(pollId, state);
        }
    }

    private async Task FlushLoopAsync(int pollId, State state)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Window).ConfigureAwait(false);
                Interlocked.Exchange(ref state.Dirty, 0);
                await PublishAsync(pollId, state.SessionId).ConfigureAwait(false);
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
        catch (Exception ex)
        {
            Interlocked.Exchange(ref state.Running, 0);
            logger.LogWarning(ex, "Publishing the count of poll {PollId} failed", pollId);
        }
    }

    private async Task PublishAsync(int pollId, int sessionId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId);
        if (poll is null || poll.Status != PollStatus.Open)
        {
            _polls.TryRemove(pollId, out _);
            return;
        }

        await events.PublishAsync(new TallyChanged(sessionId, pollId, poll.BallotCount + poll.PaperBallots, poll.CountsVisible ? poll.TotalCount() : null));
    }

    private sealed class State(int sessionId)
    {
        public readonly int SessionId = sessionId;
        public int Dirty;
        public int Running;
    }
}
