using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>Publishes session events (called by application services after their unit of work commits).</summary>
public interface ISessionEventPublisher
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default);
}

/// <summary>
/// Lets a circuit or hub connection follow one channel: a session, or a proposal's discussion. Dispose the
/// subscription to stop.
/// </summary>
public interface ISessionEventSubscriber
{
    IDisposable Subscribe(string channel, Func<LiveEvent, Task> handler);

    /// <summary>Follows one session's events.</summary>
    IDisposable Subscribe(int sessionId, Func<SessionEvent, Task> handler) =>
        Subscribe(LiveChannels.Session(sessionId), e => e is SessionEvent s ? handler(s) : Task.CompletedTask);
}

/// <summary>
/// Carries published events to every instance of the app. The in-process transport hands them straight to
/// this instance's <see cref="SessionEventBus"/>; a PostgreSQL LISTEN/NOTIFY transport would send them to all instances,
/// each of which delivers them locally.
/// </summary>
public interface ISessionEventTransport
{
    Task SendAsync(LiveEvent liveEvent, CancellationToken cancellationToken);
}

/// <summary>The single in-process notification path: services publish, subscribers (circuits, hub groups) receive.</summary>
public sealed class SessionEventBus(ILogger<SessionEventBus> logger, DeliberationMetrics? metrics = null) : ISessionEventSubscriber
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Subscription>> _subscriptions = new(StringComparer.Ordinal);

    public int SubscriberCount(int sessionId) => SubscriberCount(LiveChannels.Session(sessionId));

    public int SubscriberCount(string channel) => _subscriptions.TryGetValue(channel, out var list) ? list.Length : 0;

    public IDisposable Subscribe(string channel, Func<LiveEvent, Task> handler)
    {
        var subscription = new Subscription(this, channel, handler);
        _subscriptions.AddOrUpdate(channel, _ => [subscription], (_, list) => list.Add(subscription));
        return subscription;
    }

    public IDisposable Subscribe(int sessionId, Func<SessionEvent, Task> handler) =>
        Subscribe(LiveChannels.Session(sessionId), e => e is SessionEvent s ? handler(s) : Task.CompletedTask);

    /// <summary>
    /// Hands an event to every local subscriber of its session without waiting for them: a slow or broken screen
    /// must not delay the ballot that caused the event, nor the other screens.
    /// </summary>
    public void Deliver(LiveEvent liveEvent)
    {
        if (!_subscriptions.TryGetValue(liveEvent.Channel, out var list))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var handlers = metrics?.MeasuresFanOut == true ? new Task[list.Length] : [];
        for (var i = 0; i < list.Length; i++)
        {
            var run = RunAsync(list[i], liveEvent);
            if (handlers.Length > 0)
            {
                handlers[i] = run;
            }
        }

        metrics?.FanOut(started, handlers, liveEvent.GetType().Name);
    }

    private async Task RunAsync(Subscription subscription, LiveEvent liveEvent)
    {
        try
        {
            await subscription.Handler(liveEvent).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A subscriber of {Channel} failed on {Event}", liveEvent.Channel, liveEvent.GetType().Name);
        }
    }

    private void Remove(Subscription subscription)
    {
        while (_subscriptions.TryGetValue(subscription.Channel, out var list))
        {
            var updated = list.Remove(subscription);
            if (updated.IsEmpty
                ? _subscriptions.TryRemove(new KeyValuePair<string, ImmutableArray<Subscription>>(subscription.Channel, list))
                : _subscriptions.TryUpdate(subscription.Channel, updated, list))
            {
                return;
            }
        }
    }

    private sealed class Subscription(SessionEventBus bus, string channel, Func<LiveEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public string Channel { get; } = channel;

        public Func<LiveEvent, Task> Handler { get; } = handler;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Remove(this);
            }
        }
    }
}

/// <summary>Single-instance transport: delivers to this process's subscribers.</summary>
public sealed class InProcessSessionEventTransport(SessionEventBus bus) : ISessionEventTransport
{
    public Task SendAsync(LiveEvent liveEvent, CancellationToken cancellationToken)
    {
        bus.Deliver(liveEvent);
        return Task.CompletedTask;
    }
}

public sealed class SessionEventPublisher(ISessionEventTransport transport) : ISessionEventPublisher
{
    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default) => transport.SendAsync(liveEvent, cancellationToken);
}
