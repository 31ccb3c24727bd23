namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>
/// The running tallies of one followed session, one <see cref="LatestValueThrottle{T}"/> per vote, paced by the audience
/// the owner reports (ADR 0023). Shared by the hub relay and the Blazor screens' feed: a tally is offered, the newest
/// (most ballots) goes out when the pace allows, and a closed vote's waiting tally is forgotten.
/// </summary>
public sealed class TallyPacer(TimeProvider time, Func<TimeSpan> interval, Action<TallyChanged> send) : IDisposable
{
    private readonly Dictionary<int, LatestValueThrottle<TallyChanged>> _throttles = [];
    private bool _disposed;

    /// <summary>A new count of a vote: sent now, or kept as the newest until the pace allows.</summary>
    public void Offer(TallyChanged tally)
    {
        LatestValueThrottle<TallyChanged> throttle;
        lock (_throttles)
        {
            if (_disposed)
            {
                return;
            }

            if (!_throttles.TryGetValue(tally.PollId, out throttle!))
            {
                _throttles[tally.PollId] = throttle = new LatestValueThrottle<TallyChanged>(
                    time, interval, (pending, next) => next.Ballots >= pending.Ballots ? next : pending, send);
            }
        }

        throttle.Offer(tally);
    }

    /// <summary>The vote closed: its result supersedes any count still waiting.</summary>
    public void Forget(int pollId)
    {
        lock (_throttles)
        {
            if (_throttles.Remove(pollId, out var throttle))
            {
                throttle.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_throttles)
        {
            _disposed = true;
            foreach (var throttle in _throttles.Values)
            {
                throttle.Dispose();
            }

            _throttles.Clear();
        }
    }
}
