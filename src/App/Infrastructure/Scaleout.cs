using CommunityDeliberation.App.Hubs;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// Several instances behind one address (ADR 0022), switched on by a Redis connection string in <c>Realtime:Redis</c>;
/// without one the app is a single instance and nothing here runs. With it:
/// <list type="bullet">
/// <item>the app's event bus crosses instances over Redis pub/sub (<see cref="RedisSessionEventTransport"/>), so Blazor
/// circuits and hub groups on every instance hear every event;</item>
/// <item>the live hub (<see cref="LiveHub"/>) uses the SignalR Redis backplane (<see cref="BackplaneHubLifetimeManager"/>),
/// so anything sent through its hub context to a connection, a user or everyone reaches every instance; its session
/// groups are this instance's own and never wait for Redis. Blazor's own circuit hub keeps the in-process manager: a
/// circuit lives on one instance (sticky routing) and must not fail while Redis is away;</item>
/// <item>the hub relay's session groups are scoped to this instance (<see cref="InstanceScopedHubContext"/>): every
/// instance's relay hears each event on the bus already, so through the backplane an unscoped group would get each
/// event once per instance that follows the session.</item>
/// </list>
/// </summary>
public static class Scaleout
{
    public const string RedisSetting = "Realtime:Redis";

    /// <summary>Channel prefix of the live hub's backplane messages.</summary>
    public const string BackplanePrefix = "deliberation-hub";

    public static WebApplicationBuilder AddScaleout(this WebApplicationBuilder builder)
    {
        var redis = builder.Configuration[RedisSetting];
        if (string.IsNullOrWhiteSpace(redis))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddSingleton(sp => new RedisSessionEventTransport(
            sp.GetRequiredService<SessionEventBus>(), redis, sp.GetRequiredService<ILogger<RedisSessionEventTransport>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionEventTransport>(sp => sp.GetRequiredService<RedisSessionEventTransport>()));
        services.AddHostedService<ScaleoutStart>();

        // The backplane for the live hub only (AddStackExchangeRedis would register it for every hub, Blazor's included).
        services.Configure<RedisOptions>(options =>
        {
            options.Configuration = ConfigurationOptions.Parse(redis);
            options.Configuration.AbortOnConnectFail = false;
            options.Configuration.ChannelPrefix = RedisChannel.Literal(BackplanePrefix);
            // While disconnected, a command fails at once instead of waiting in a backlog: a new hub connection is let in
            // without its backplane registration (BackplaneHubLifetimeManager) rather than after a 5 s timeout, and a send
            // that fails was not sent, so delivering it locally instead cannot make it arrive twice.
            options.Configuration.BacklogPolicy = BacklogPolicy.FailFast;
        });
        services.AddSingleton<RedisHubLifetimeManager<LiveHub>>();
        services.AddSingleton<DefaultHubLifetimeManager<LiveHub>>();
        services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => new BackplaneHubLifetimeManager(
            sp.GetRequiredService<RedisHubLifetimeManager<LiveHub>>(),
            sp.GetRequiredService<DefaultHubLifetimeManager<LiveHub>>(),
            InstanceScopedHubContext.SuffixOf(sp.GetRequiredService<RedisSessionEventTransport>().InstanceId),
            sp.GetRequiredService<ILogger<BackplaneHubLifetimeManager>>()));

        services.Replace(ServiceDescriptor.Singleton(sp => new HubEventRelay(
            sp.GetRequiredService<ISessionEventSubscriber>(),
            new InstanceScopedHubContext(sp.GetRequiredService<IHubContext<LiveHub>>(), sp.GetRequiredService<RedisSessionEventTransport>().InstanceId),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HubEventRelay>>())));
        return builder;
    }

    /// <summary>Connects the event transport when the app starts, before any request can publish.</summary>
    private sealed class ScaleoutStart(RedisSessionEventTransport transport) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => transport.StartAsync();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// The live hub's context with every group name suffixed by this instance's id: a group then holds only this
/// instance's connections, wherever the message travels. Everything else passes through unchanged.
/// </summary>
public sealed class InstanceScopedHubContext(IHubContext<LiveHub> inner, string instanceId) : IHubContext<LiveHub>
{
    private readonly string _suffix = SuffixOf(instanceId);

    /// <summary>What this instance's scoped group names end with.</summary>
    public static string SuffixOf(string instanceId) => "@" + instanceId;

    public IHubClients Clients => new ScopedClients(inner.Clients, this);

    public IGroupManager Groups => new ScopedGroups(inner.Groups, this);

    public string Scoped(string group) => group + _suffix;

    private sealed class ScopedClients(IHubClients inner, InstanceScopedHubContext context) : IHubClients
    {
        public IClientProxy All => inner.All;

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => inner.AllExcept(excludedConnectionIds);

        public IClientProxy Client(string connectionId) => inner.Client(connectionId);

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => inner.Clients(connectionIds);

        public IClientProxy Group(string groupName) => inner.Group(context.Scoped(groupName));

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) =>
            inner.GroupExcept(context.Scoped(groupName), excludedConnectionIds);

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => inner.Groups([.. groupNames.Select(context.Scoped)]);

        public IClientProxy User(string userId) => inner.User(userId);

        public IClientProxy Users(IReadOnlyList<string> userIds) => inner.Users(userIds);
    }

    private sealed class ScopedGroups(IGroupManager inner, InstanceScopedHubContext context) : IGroupManager
    {
        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
            inner.AddToGroupAsync(connectionId, context.Scoped(groupName), cancellationToken);

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
            inner.RemoveFromGroupAsync(connectionId, context.Scoped(groupName), cancellationToken);
    }
}
