using CommunityDeliberation.App.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// The live hub's lifetime manager when several instances run (ADR 0022, section of 2026-12-03): the SignalR Redis
/// backplane for whatever must reach connections on other instances (a connection, a user, everyone), and this
/// instance's own in-process manager for the relay's instance-scoped session groups and whenever Redis is away.
/// <list type="bullet">
/// <item>A session group scoped to this instance (<see cref="InstanceScopedHubContext"/>) holds only connections of this
/// process, so its tallies go straight to the sockets: no Redis round trip per tally, and still delivered while Redis is
/// down (before, every tally went out to Redis and back, and a Redis outage silenced even the instance's own voters).</item>
/// <item>A new connection is registered with the backplane, but is not refused when Redis cannot take it: the
/// <c>RedisHubLifetimeManager</c> awaits a SUBSCRIBE per connection and per user, so during an outage every new hub
/// connection was closed with 1011 (dotnet/aspnetcore#21539). Such a connection works on this instance; only messages
/// addressed to it through the backplane from another instance miss it, and the app sends none today.</item>
/// <item>Anything else goes through the backplane; when Redis refuses it, it is delivered to this instance's connections
/// rather than lost everywhere.</item>
/// </list>
/// Both managers are singletons of the container (which disposes the Redis one and its connection).
/// </summary>
public sealed class BackplaneHubLifetimeManager : HubLifetimeManager<LiveHub>
{
    /// <summary>How long a new connection waits for its backplane registration before it is let in without it.</summary>
    public static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(1);

    private readonly RedisHubLifetimeManager<LiveHub> _redis;
    private readonly DefaultHubLifetimeManager<LiveHub> _local;
    private readonly string _localGroupSuffix;
    private readonly ILogger<BackplaneHubLifetimeManager> _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _registering = new();
    private int _redisFailing;

    public BackplaneHubLifetimeManager(
        RedisHubLifetimeManager<LiveHub> redis, DefaultHubLifetimeManager<LiveHub> local, string localGroupSuffix, ILogger<BackplaneHubLifetimeManager> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(localGroupSuffix);
        _redis = redis;
        _local = local;
        _localGroupSuffix = localGroupSuffix;
        _logger = logger;
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _local.OnConnectedAsync(connection);
        var registration = _redis.OnConnectedAsync(connection);
        try
        {
            await registration.WaitAsync(RegistrationWait);
            Recovered();
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Failed(ex, "register a hub connection");
            if (!registration.IsCompleted)
            {
                // Still under way (Redis slow, or the backplane's first connect): a disconnect must wait for it, or the late
                // registration would keep a departed connection in the Redis manager's store and its channel subscribed.
                _registering[connection.ConnectionId] = registration;
                _ = registration.ContinueWith(
                    t => { _ = t.Exception; _registering.TryRemove(new KeyValuePair<string, Task>(connection.ConnectionId, t)); },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Local first, at once; the backplane's part in the background: during an outage its unsubscribes queue behind
    /// other connections' timed-out subscribes, and a departing connection must not be held by them.
    /// </summary>
    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        await _local.OnDisconnectedAsync(connection);
        var pending = _registering.TryGetValue(connection.ConnectionId, out var registration) ? registration : Task.CompletedTask;
        _ = UnregisterAsync(connection, pending);
    }

    private async Task UnregisterAsync(HubConnectionContext connection, Task pending)
    {
        try
        {
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await _redis.OnDisconnectedAsync(connection);
        }
        catch (Exception ex)
        {
            // Whatever the backplane says now, the connection is gone from this instance already.
            Failed(ex, "unregister a hub connection");
        }
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        IsLocal(groupName) ? _local.AddToGroupAsync(connectionId, groupName, cancellationToken)
            : _redis.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        IsLocal(groupName) ? _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken)
            : _redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        IsLocal(groupName) ? _local.SendGroupAsync(groupName, methodName, args, cancellationToken)
            : ThroughBackplaneAsync(m => m.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(
        string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        IsLocal(groupName) ? _local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken)
            : ThroughBackplaneAsync(m => m.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override async Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var local = groupNames.Where(IsLocal).ToList();
        if (local.Count > 0)
        {
            await _local.SendGroupsAsync(local, methodName, args, cancellationToken);
        }

        if (local.Count < groupNames.Count)
        {
            var shared = groupNames.Where(g => !IsLocal(g)).ToList();
            await ThroughBackplaneAsync(m => m.SendGroupsAsync(shared, methodName, args, cancellationToken));
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        ThroughBackplaneAsync(m => m.SendUsersAsync(userIds, methodName, args, cancellationToken));

    /// <summary>Client results go through the backplane, which knows on which instance the connection lives.</summary>
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => _redis.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _redis.TryGetReturnType(invocationId, out type);

    private bool IsLocal(string groupName) => groupName.EndsWith(_localGroupSuffix, StringComparison.Ordinal);

    /// <summary>Sends through Redis; when Redis refuses, this instance's connections still get the message.</summary>
    private async Task ThroughBackplaneAsync(Func<HubLifetimeManager<LiveHub>, Task> send)
    {
        try
        {
            await send(_redis);
            Recovered();
        }
        catch (StackExchange.Redis.RedisConnectionException ex)
        {
            // Not sent at all (the backplane fails fast while disconnected, Scaleout): this instance's connections still get
            // it. Not on a timeout: a PUBLISH that timed out may still be delivered, and would then arrive twice.
            Failed(ex, "send through the backplane");
            await send(_local);
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>One warning per outage, not one per connection (a room of 1,000 would flood the log).</summary>
    private void Failed(Exception ex, string what)
    {
        if (Interlocked.Exchange(ref _redisFailing, 1) == 0)
        {
            _logger.LogWarning(ex, "The live hub's Redis backplane could not {What}; this instance serves its own connections until Redis answers again", what);
        }
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _redisFailing, 0) == 1)
        {
            _logger.LogInformation("The live hub's Redis backplane answers again");
        }
    }
}
