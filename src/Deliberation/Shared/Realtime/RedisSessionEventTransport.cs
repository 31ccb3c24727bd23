using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>
/// Carries events to every instance of the app over Redis pub/sub (ADR 0022). An event is delivered to this instance's
/// subscribers at once, as the in-process transport does, and published on one Redis channel; every other instance
/// receives it there and delivers it to its own subscribers. An instance skips its own messages.
/// <para>
/// Redis pub/sub delivers at most once: while Redis is away, other instances miss the events (this instance's screens
/// still get them). The connection comes back by itself and resubscribes; screens catch up on their next event or
/// when they reload (tallies carry whole counts, so the next one corrects the screen).
/// </para>
/// </summary>
public sealed class RedisSessionEventTransport : ISessionEventTransport, IAsyncDisposable
{
    /// <summary>The channel every instance publishes on and listens to.</summary>
    public const string ChannelName = "deliberation:live-events";

    private readonly SessionEventBus _bus;
    private readonly ILogger _logger;
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly RedisChannel _channel;
    private readonly Lock _gate = new();
    private bool _subscribed;

    public RedisSessionEventTransport(SessionEventBus bus, string configuration, ILogger<RedisSessionEventTransport> logger, string? channelName = null)
    {
        _bus = bus;
        _logger = logger;
        _channel = RedisChannel.Literal(channelName ?? ChannelName);
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync(configuration));
    }

    /// <summary>This instance's id in the messages it sends (unique per process).</summary>
    public string InstanceId { get; } = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Connects and subscribes (the app calls it at start, so remote events arrive before anything is published here).</summary>
    public Task StartAsync() => _connection.Value;

    public async Task SendAsync(LiveEvent liveEvent, CancellationToken cancellationToken)
    {
        _bus.Deliver(liveEvent);
        string message;
        try
        {
            message = LiveEventCodec.Encode(liveEvent, InstanceId);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            _logger.LogError(ex, "{Event} cannot be sent to other instances", liveEvent.GetType().Name);
            return;
        }

        try
        {
            var connection = await _connection.Value.ConfigureAwait(false);
            // Fire and forget: a ballot never waits for Redis, and a Redis outage never fails the command that
            // published (its transaction has committed). The multiplexer queues while it reconnects.
            await connection.GetSubscriber().PublishAsync(_channel, message, CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            _logger.LogWarning(ex, "{Event} on {Channel} was not sent to other instances", liveEvent.GetType().Name, liveEvent.Channel);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start (and keep running) while Redis is down: the multiplexer keeps retrying and resubscribes when it is back.
        options.AbortOnConnectFail = false;
        options.ClientName ??= "deliberation-events";
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        connection.ConnectionFailed += (_, e) => _logger.LogWarning("Redis event transport lost its connection ({FailureType}); retrying", e.FailureType);
        connection.ConnectionRestored += (_, e) =>
        {
            _logger.LogInformation("Redis event transport connected again ({ConnectionType})", e.ConnectionType);
            _ = SubscribeAsync(connection);
        };
        await SubscribeAsync(connection).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Listens on the channel once (a queue: messages are handled one at a time, in the order Redis sent them). If Redis
    /// is away at start, the next restored connection subscribes.
    /// </summary>
    private async Task SubscribeAsync(ConnectionMultiplexer connection)
    {
        lock (_gate)
        {
            if (_subscribed)
            {
                return;
            }

            _subscribed = true;
        }

        try
        {
            var queue = await connection.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
            queue.OnMessage(message => Receive(message.Message));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not subscribe to the Redis event channel yet");
            lock (_gate)
            {
                _subscribed = false;
            }
        }
    }

    private void Receive(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return;
        }

        var decoded = LiveEventCodec.Decode(value.ToString(), out var problem);
        if (decoded is not { } message)
        {
            _logger.LogWarning("Ignored a message on the Redis event channel: {Problem}", problem);
            return;
        }

        if (message.Origin != InstanceId)
        {
            _bus.Deliver(message.Event);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            try
            {
                var connection = await _connection.Value.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // never connected
            }
        }
    }
}
