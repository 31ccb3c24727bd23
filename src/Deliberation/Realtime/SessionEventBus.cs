using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Realtime;

/// <summary>Publishes session events (called by application services after their unit of work commits).</summary>
public interface ISessionEventPublisher
{
    Task PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default);
}

/// <summary>Lets a circuit or hub connection follow one session. Dispose the subscription to stop.</summary>
public interface ISessionEventSubscriber
{
    IDisposable Subscribe(int sessionId, Func<SessionEvent, Task> handler);
}

/// <summary>
/// Carries published events to every instance of the app. The in-process transport hands them straight to
/// this instance's <see cref="SessionEventBus"/>; a PostgreSQL LISTEN/NOTIFY transport would send them to all instances,
/// each of which delivers them locally.
/// </summary>
public interface ISessionEventTransport
{
    Task SendAsync(SessionEvent sessionEvent, CancellationToken cancellationToken);
}

/// <summary>The single in-process notification path: services publish, subscribers (circuits, hub groups) receive.</summary>
public sealed class SessionEventBus(ILogger<SessionEventBus> logger) : ISessionEventSubscriber
{
    private readonly ConcurrentDictionary<int, ImmutableArray<Subscription>> _subscriptions = new();

    public int SubscriberCount(int sessionId) => _subscriptions.TryGetValue(sessionId, out var list) ? list.Length : 0;

    public IDisposable Subscribe(int sessionId, Func<SessionEvent, Task> handler)
    {
        var subscription = new Subscription(this, sessionId, handler);
        _subscriptions.AddOrUpdate(sessionId, _ => [subscription], (_, list) => list.Add(subscription));
        return subscription;
    }

    /// <summary>
    /// Hands an event to every local subscriber of its session without waiting for them: a slow or broken screen
    /// must not delay the ballot that caused the event, nor the other screens.
    /// </summary>
    public void Deliver(SessionEvent sessionEvent)
    {
        if (!_subscriptions.TryGetValue(sessionEvent.SessionId, out var list))
        {
            return;
        }

        foreach (var subscription in list)
        {
            _ = RunAsync(subscription, sessionEvent);
        }
    }

    private async Task RunAsync(Subscription subscription, SessionEvent sessionEvent)
    {
        try
        {
            await subscription.Handler(sessionEvent).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A subscriber of session {SessionId} failed on {Event}", sessionEvent.SessionId, sessionEvent.GetType().Name);
        }
    }

    private void Remove(Subscription subscription)
    {
        while (_subscriptions.TryGetValue(subscription.SessionId, out var list))
        {
            var updated = list.Remove(subscription);
            if (updated.IsEmpty
                ? _subscriptions.TryRemove(new KeyValuePair<int, ImmutableArray<Subscription>>(subscription.SessionId, list))
                : _subscriptions.TryUpdate(subscription.SessionId, updated, list))
            {
                return;
            }
        }
    }

    private sealed class Subscription(SessionEventBus bus, int sessionId, Func<SessionEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public int SessionId { get; } = sessionId;

        public Func<SessionEvent, Task> Handler { get; } = handler;

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
    public Task SendAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        bus.Deliver(sessionEvent);
        return Task.CompletedTask;
    }
}

public sealed class SessionEventPublisher(ISessionEventTransport transport) : ISessionEventPublisher
{
    public Task PublishAsync(SessionEvent sessionEvent, CancellationToken cancellationToken = default) => transport.SendAsync(sessionEvent, cancellationToken);
}
