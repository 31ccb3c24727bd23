namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>
/// How often one instance sends a changing figure (a vote's running tally) to the screens of one session (ADR 0023).
/// Every send goes to every connection of the session, so the instance keeps to a budget of
/// <see cref="MessagesPerSecond"/> messages per session: a small room gets a tally every <see cref="Fastest"/>, a
/// thousand screens every <see cref="Slowest"/> — nobody reads a count that changes 25 times a second, and the slowest
/// pace stays well inside what a watcher must see (a ballot within half a second of its acknowledgement).
/// </summary>
public static class FanOutPace
{
    /// <summary>The shortest interval between two sends: 25 a second, the most a small room gets.</summary>
    public static readonly TimeSpan Fastest = TimeSpan.FromMilliseconds(40);

    /// <summary>The longest interval between two sends, whatever the audience.</summary>
    public static readonly TimeSpan Slowest = TimeSpan.FromMilliseconds(250);

    /// <summary>Messages per second one session's fan-out may cost this instance: 4,000 = 1,000 screens at 250 ms.</summary>
    public const int MessagesPerSecond = 4_000;

    /// <summary>
    /// Renders per second one session's tallies may cost this instance's Blazor circuits: a render diffs the page and
    /// sends a batch, several times a hub message, so 1,000 = 40 screens every 40 ms, 150 every 150 ms, 250 or more
    /// every 250 ms.
    /// </summary>
    public const int ScreenRendersPerSecond = 1_000;

    /// <summary>The interval between two sends to <paramref name="audience"/> receivers, at <paramref name="perSecond"/> sends a second in all.</summary>
    public static TimeSpan IntervalFor(int audience, int perSecond = MessagesPerSecond)
    {
        var interval = TimeSpan.FromSeconds((double)Math.Max(0, audience) / perSecond);
        return interval < Fastest ? Fastest : interval > Slowest ? Slowest : interval;
    }
}

/// <summary>
/// Sends the latest of a stream of values at a paced rate, with a leading and a trailing edge: the first value after a
/// quiet period goes out at once (a lone ballot never waits for the pace); values arriving while the pace holds are folded
/// into the newest, which goes out as soon as the pace allows (the last state is always sent).
/// The pace is a token bucket: one send per <c>interval</c> on average, up to <see cref="Burst"/> sends in a row at least
/// <see cref="FanOutPace.Fastest"/> apart — so a burst of ballots committed in two or three batches is still shown within
/// tens of milliseconds, while a steady stream to a large audience settles at one send per interval.
/// The interval is asked for at every decision, so it follows the audience as it grows or shrinks.
/// </summary>
/// <typeparam name="T">The value; <c>newer(a, b)</c> picks the one to keep when both are pending.</typeparam>
public sealed class LatestValueThrottle<T> : IDisposable
    where T : class
{
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _interval;
    private readonly Func<T, T, T> _newer;
    private readonly Action<T> _send;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private T? _pending;
    private long _lastSent;
    private bool _sentOnce;
    private double _tokens = Burst;
    private bool _armed;
    private bool _disposed;

    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="interval">The minimum interval between two sends, read at every decision.</param>
    /// <param name="newer">Of two pending values, the one to send (e.g. the tally with more ballots).</param>
    /// <param name="send">Hands a value on (must not block: e.g. writes it into a queue); called outside the throttle's lock.</param>
    public LatestValueThrottle(TimeProvider time, Func<TimeSpan> interval, Func<T, T, T> newer, Action<T> send)
    {
        _time = time;
        _interval = interval;
        _newer = newer;
        _send = send;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sends allowed in a row (at least <see cref="FanOutPace.Fastest"/> apart) after a quiet period.</summary>
    public const int Burst = 3;

    /// <summary>A wait shorter than this is no wait (rounding of the token arithmetic; timers are not that precise).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    /// <summary>Whether a value waits for the pace to allow it.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending is not null;
            }
        }
    }

    /// <summary>A new value: sent now if nothing was sent within the interval, otherwise kept (the newest) for the trailing edge.</summary>
    public void Offer(T value)
    {
        T? now = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending = _pending is null ? value : _newer(_pending, value);
            if (_armed)
            {
                return;
            }

            var wait = WaitLocked();
            if (wait <= Slack)
            {
                now = TakeLocked();
            }
            else
            {
                _armed = true;
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
            }
        }

        if (now is not null)
        {
            _send(now);
        }
    }

    /// <summary>Forgets a pending value (e.g. the vote closed: its result supersedes any running count).</summary>
    public void Discard()
    {
        lock (_gate)
        {
            _pending = null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending = null;
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        T? due = null;
        lock (_gate)
        {
            _armed = false;
            if (_disposed || _pending is null)
            {
                return;
            }

            // The audience may have grown since the timer was set: keep to the interval that holds now.
            var wait = WaitLocked();
            if (wait > Slack)
            {
                _armed = true;
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }

            due = TakeLocked();
        }

        _send(due);
    }

    /// <summary>How long the pending value must still wait: for the spacing since the last send, and for a whole token.</summary>
    private TimeSpan WaitLocked()
    {
        if (!_sentOnce)
        {
            return TimeSpan.Zero;
        }

        var sinceLast = _time.GetElapsedTime(_lastSent);
        var interval = _interval();
        var tokens = TokensAt(sinceLast, interval);
        var forToken = tokens >= 1 ? TimeSpan.Zero : interval * (1 - tokens);
        var forSpacing = FanOutPace.Fastest - sinceLast;
        return forToken > forSpacing ? forToken : forSpacing;
    }

    private double TokensAt(TimeSpan sinceLast, TimeSpan interval) =>
        Math.Min(Burst, _tokens + (sinceLast / interval));

    private T TakeLocked()
    {
        var value = _pending!;
        _pending = null;
        _tokens = (_sentOnce ? TokensAt(_time.GetElapsedTime(_lastSent), _interval()) : Burst) - 1;
        _lastSent = _time.GetTimestamp();
        _sentOnce = true;
        return value;
    }
}
