using System.Threading.Channels;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace CommunityDeliberation.App.Hubs;

/// <summary>
/// Forwards session events to live-hub groups. It follows a session on the event bus (ADR 0004) while at least one hub
/// connection has joined it, and stops when the last one leaves or disconnects. Per session, events go out one at a time
/// in the order they were published; tally snapshots of the same vote that queue up behind a slow send are folded into
/// the newest, so a burst of ballots never piles up a backlog of stale counts for a thousand connections.
/// Tallies are also paced by the session's audience on this instance (<see cref="FanOutPace"/>, ADR 0023): the first
/// change after a quiet interval goes out at once, later ones at most once per interval, the last one always.
/// </summary>
public sealed class HubEventRelay(ISessionEventSubscriber bus, IHubContext<LiveHub> hub, TimeProvider time, ILogger<HubEventRelay> logger) : IDisposable
{
    private readonly ISessionEventSubscriber _bus = bus;
    private readonly IHubContext<LiveHub> _hub = hub;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>A connection can follow this many sessions at once (a projector shows one; a monitor a few).</summary>
    public const int MaxSessionsPerConnection = 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Feed> _feeds = [];
    private readonly Dictionary<string, HashSet<int>> _joined = new(StringComparer.Ordinal);

    public static string GroupName(int sessionId) => "session-" + sessionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sessions followed by hub connections now (for tests and diagnostics).</summary>
    public int FollowedSessions
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>Adds the connection to the session's group, following the session on the bus if nobody did yet.</summary>
    public async Task JoinAsync(string connectionId, int sessionId, CancellationToken ct)
    {
        lock (_gate)
        {
            var sessions = _joined.TryGetValue(connectionId, out var set) ? set : _joined[connectionId] = [];
            if (sessions.Contains(sessionId))
            {
                return;
            }

            if (sessions.Count >= MaxSessionsPerConnection)
            {
                throw new HubException(HubErrors.Format("Session.TooManyJoined", $"A connection can follow at most {MaxSessionsPerConnection} sessions at once."));
            }

            sessions.Add(sessionId);
            if (!_feeds.TryGetValue(sessionId, out var feed))
            {
                _feeds[sessionId] = feed = new Feed(this, sessionId);
                feed.Start();
            }

            feed.Connections++;
        }

        await _hub.Groups.AddToGroupAsync(connectionId, GroupName(sessionId), ct);
    }

    public async Task LeaveAsync(string connectionId, int sessionId, CancellationToken ct)
    {
        if (Forget(connectionId, sessionId))
        {
            await _hub.Groups.RemoveFromGroupAsync(connectionId, GroupName(sessionId), ct);
        }
    }

    /// <summary>On disconnect: SignalR drops the connection from its groups; the relay stops following sessions nobody follows.</summary>
    public void Disconnected(string connectionId)
    {
        int[] sessions;
        lock (_gate)
        {
            if (!_joined.Remove(connectionId, out var set))
            {
                return;
            }

            sessions = [.. set];
            foreach (var sessionId in sessions)
            {
                Release(sessionId);
            }
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
            _joined.Clear();
        }
    }

    private bool Forget(string connectionId, int sessionId)
    {
        lock (_gate)
        {
            if (!_joined.TryGetValue(connectionId, out var set) || !set.Remove(sessionId))
            {
                return false;
            }

            if (set.Count == 0)
            {
                _joined.Remove(connectionId);
            }

            Release(sessionId);
            return true;
        }
    }

    private void Release(int sessionId)
    {
        if (_feeds.TryGetValue(sessionId, out var feed) && --feed.Connections == 0)
        {
            _feeds.Remove(sessionId);
            feed.Dispose();
        }
    }

    /// <summary>
    /// One followed session: a bus subscription feeding an ordered queue, drained by one sender. Tallies pass through
    /// a throttle per vote first, paced by the number of connections following the session here.
    /// </summary>
    private sealed class Feed(HubEventRelay relay, int sessionId) : IDisposable
    {
        private readonly Channel<SessionEvent> _queue = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private TallyPacer? _tallies;
        private IDisposable? _subscription;
        private int _connections;

        /// <summary>Connections following the session on this instance (changed under the relay's lock, read by the throttles).</summary>
        public int Connections
        {
            get => Volatile.Read(ref _connections);
            set => Volatile.Write(ref _connections, value);
        }

        public void Start()
        {
            _tallies = new TallyPacer(relay._time, () => FanOutPace.IntervalFor(Connections), tally => _queue.Writer.TryWrite(tally));
            _subscription = relay._bus.Subscribe(sessionId, e =>
            {
                switch (e)
                {
                    case TallyChanged tally:
                        _tallies?.Offer(tally);
                        break;
                    case PollClosed closed:
                        // The result supersedes any running count still waiting for its interval.
                        _tallies?.Forget(closed.PollId);
                        _queue.Writer.TryWrite(e);
                        break;
                    default:
                        _queue.Writer.TryWrite(e);
                        break;
                }

                return Task.CompletedTask;
            });
            _ = Task.Run(PumpAsync);
        }

        public void Dispose()
        {
            // The token source is not disposed: the pump may still read its token, and it holds no timer.
            _subscription?.Dispose();
            _stop.Cancel();
            _queue.Writer.TryComplete();
            _tallies?.Dispose();
        }

        private async Task PumpAsync()
        {
            var group = relay._hub.Clients.Group(GroupName(sessionId));
            var batch = new List<SessionEvent>();
            var closed = new HashSet<int>(); // votes whose result went out: a paced tally released just before it is stale
            try
            {
                while (await _queue.Reader.WaitToReadAsync(_stop.Token))
                {
                    batch.Clear();
                    while (_queue.Reader.TryRead(out var e))
                    {
                        batch.Add(e);
                    }

                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (batch[i] is TallyChanged tally && (IsSuperseded(batch, i, tally) || closed.Contains(tally.PollId)))
                        {
                            continue;
                        }

                        if (batch[i] is PollClosed pollClosed)
                        {
                            closed.Add(pollClosed.PollId);
                        }

                        var (method, payload) = LiveEvents.ToWire(batch[i]);
                        try
                        {
                            await group.SendAsync(method, payload, _stop.Token);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            relay._logger.LogWarning(ex, "Sending {Method} to the live-hub group of session {SessionId} failed", method, sessionId);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the last connection left
            }
        }

        /// <summary>A later tally of the same vote in the same batch carries at least these numbers (ballots only grow).</summary>
        private static bool IsSuperseded(List<SessionEvent> batch, int index, TallyChanged tally)
        {
            for (var j = index + 1; j < batch.Count; j++)
            {
                if (batch[j] is TallyChanged later && later.PollId == tally.PollId && later.Ballots >= tally.Ballots)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
