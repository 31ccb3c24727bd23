using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>
/// A session's events for the screens (Blazor circuits) of this instance, with vote tallies paced by how many screens
/// follow the session here (ADR 0023, 2026-12-03). One bus subscription per followed session feeds every screen; other
/// events pass straight through. Each tally costs every screen a render and a message, so a room of 150 representatives
/// voting gets a count every 150 ms instead of 150 renders every 40 ms; a small committee still sees every 40 ms, and the
/// first change after a quiet interval goes out at once (<see cref="LatestValueThrottle{T}"/>).
/// </summary>
public sealed class PacedSessionEvents(ISessionEventSubscriber bus, TimeProvider time, ILogger<PacedSessionEvents> logger) : IDisposable
{
    private readonly ISessionEventSubscriber _bus = bus;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Feed> _feeds = [];

    /// <summary>Follows one session: <paramref name="handler"/> gets its events, tallies at the screens' pace.</summary>
    public IDisposable Subscribe(int sessionId, Func<SessionEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(sessionId, out var feed))
            {
                _feeds[sessionId] = feed = new Feed(this, sessionId);
                feed.Start();
            }

            return feed.Add(handler);
        }
    }

    /// <summary>Screens following the session on this instance (for tests and diagnostics).</summary>
    public int ScreensOf(int sessionId)
    {
        lock (_gate)
        {
            return _feeds.TryGetValue(sessionId, out var feed) ? feed.Screens : 0;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var feed in _feeds.Values)
            {
                feed.Dispose();
            }

            _feeds.Clear();
        }
    }

    private void Left(Feed feed, Screen screen)
    {
        lock (_gate)
        {
            if (feed.Remove(screen) == 0 && _feeds.TryGetValue(feed.SessionId, out var current) && current == feed)
            {
                _feeds.Remove(feed.SessionId);
                feed.Dispose();
            }
        }
    }

    private sealed class Feed : IDisposable
    {
        private readonly PacedSessionEvents _owner;
        private readonly TallyPacer _tallies;
        private volatile Screen[] _screens = [];
        private IDisposable? _subscription;

        public Feed(PacedSessionEvents owner, int sessionId)
        {
            _owner = owner;
            SessionId = sessionId;
            _tallies = new TallyPacer(owner._time, () => FanOutPace.IntervalFor(Screens, FanOutPace.ScreenRendersPerSecond), Deliver);
        }

        public int SessionId { get; }

        public int Screens => _screens.Length;

        public void Start() => _subscription = _owner._bus.Subscribe(SessionId, OnEvent);

        /// <summary>Called under the owner's lock.</summary>
        public Screen Add(Func<SessionEvent, Task> handler)
        {
            var screen = new Screen(_owner, this, handler);
            _screens = [.. _screens, screen];
            return screen;
        }

        /// <summary>Called under the owner's lock; the screens left.</summary>
        public int Remove(Screen screen)
        {
            _screens = Array.FindAll(_screens, s => s != screen);
            return _screens.Length;
        }

        public void Dispose()
        {
            _subscription?.Dispose();
            _tallies.Dispose();
        }

        private Task OnEvent(SessionEvent e)
        {
            switch (e)
            {
                case TallyChanged tally:
                    _tallies.Offer(tally);
                    break;
                case PollClosed closed:
                    // The result supersedes a running count still waiting for its interval.
                    _tallies.Forget(closed.PollId);
                    Deliver(e);
                    break;
                default:
                    Deliver(e);
                    break;
            }

            return Task.CompletedTask;
        }

        /// <summary>To every screen, without waiting: a slow screen must not hold up the others.</summary>
        private void Deliver(SessionEvent e)
        {
            foreach (var screen in _screens)
            {
                _ = screen.RunAsync(e);
            }
        }
    }

    private sealed class Screen(PacedSessionEvents owner, Feed feed, Func<SessionEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public async Task RunAsync(SessionEvent e)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                await handler(e).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                owner._logger.LogWarning(ex, "A screen of session {SessionId} failed on {Event}", feed.SessionId, e.GetType().Name);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Left(feed, this);
            }
        }
    }
}
