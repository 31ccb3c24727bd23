using System.Collections.Concurrent;
using System.Text.Json;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityDeliberation.Tests.Shared;

public sealed class SessionEventBusTests
{
    /// <summary>Hang guard only: events are delivered at once; a missing event fails the test instead of hanging it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly SessionEventBus _bus = new(NullLogger<SessionEventBus>.Instance);

    public static TheoryData<SessionEvent> AllEventKinds => new()
    {
        new SessionStatusChanged(1, SessionStatus.Open),
        new AgendaMoved(2, 17),
        new AgendaMoved(2, null),
        new AttendanceChanged(3, 77, 151),
        new PollOpened(4, 9),
        new TallyChanged(5, 9, 76, new VoteCount([40, 30, 6], 76)),
        new TallyChanged(5, 9, 12, new VoteCount([4, 3, 0, 9], 12) { BlankBallots = 2 }),
        new TallyChanged(5, 9, 76, null),
        new PollClosed(6, 9, PollOutcome.Adopted),
        new PollClosed(6, 9, PollOutcome.QuorumLost),
        new PollChanged(7, 9, PollStatus.Annulled),
        new ProxiesChanged(8),
    };

    [Fact]
    public async Task SubscriberReceivesEventsOfItsSessionOnly()
    {
        var first = new Recorder();
        var second = new Recorder();
        using var s1 = _bus.Subscribe(1, first.Handle);
        using var s2 = _bus.Subscribe(2, second.Handle);

        _bus.Deliver(new PollOpened(2, 20));
        _bus.Deliver(new PollOpened(3, 30));
        _bus.Deliver(new PollOpened(1, 10));
        await first.WaitForAsync(e => e is PollOpened { PollId: 10 });
        await second.WaitForAsync(e => e is PollOpened { PollId: 20 });

        Assert.Equal([new PollOpened(1, 10)], first.Received);
        Assert.Equal([new PollOpened(2, 20)], second.Received);
    }

    [Fact]
    public async Task EverySubscriberOfASessionReceivesTheEvent()
    {
        var recorders = Enumerable.Range(0, 5).Select(_ => new Recorder()).ToList();
        var subscriptions = recorders.Select(r => _bus.Subscribe(8, r.Handle)).ToList();

        _bus.Deliver(new AttendanceChanged(8, 1, 151));

        foreach (var recorder in recorders)
        {
            await recorder.WaitForAsync(e => e is AttendanceChanged);
        }

        Assert.Equal(5, _bus.SubscriberCount(8));
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task DisposeUnsubscribes()
    {
        var recorder = new Recorder();
        var subscription = _bus.Subscribe(1, recorder.Handle);
        Assert.Equal(1, _bus.SubscriberCount(1));
        _bus.Deliver(new PollOpened(1, 1));
        await recorder.WaitForAsync(e => e is PollOpened { PollId: 1 });

        subscription.Dispose();
        Assert.Equal(0, _bus.SubscriberCount(1));

        // A later subscriber proves the next event was delivered, and that the disposed one did not get it.
        var probe = new Recorder();
        using (_bus.Subscribe(1, probe.Handle))
        {
            _bus.Deliver(new PollOpened(1, 2));
            await probe.WaitForAsync(e => e is PollOpened { PollId: 2 });
        }

        Assert.Equal([new PollOpened(1, 1)], recorder.Received);
        Assert.Equal(0, _bus.SubscriberCount(1));
    }

    [Fact]
    public void DisposingTwiceRemovesOnlyThatSubscription()
    {
        var keep = _bus.Subscribe(4, _ => Task.CompletedTask);
        var drop = _bus.Subscribe(4, _ => Task.CompletedTask);

        drop.Dispose();
        drop.Dispose();

        Assert.Equal(1, _bus.SubscriberCount(4));
        keep.Dispose();
        Assert.Equal(0, _bus.SubscriberCount(4));
    }

    [Fact]
    public async Task ConcurrentSubscribeAndDisposeLeaveNoSubscribers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            using var subscription = _bus.Subscribe(5, _ => Task.CompletedTask);
            _bus.Deliver(new PollOpened(5, 1));
        })).ToList();

        gate.SetResult();
        await Task.WhenAll(tasks).WaitAsync(HangGuard);

        Assert.Equal(0, _bus.SubscriberCount(5));
    }

    [Fact]
    public async Task ThrowingSubscriberDoesNotStopOthers()
    {
        var before = new Recorder();
        var after = new Recorder();
        using var s1 = _bus.Subscribe(1, before.Handle);
        using var s2 = _bus.Subscribe(1, _ => throw new InvalidOperationException("broken screen (synchronous)"));
        using var s3 = _bus.Subscribe(1, async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("broken screen (asynchronous)");
        });
        using var s4 = _bus.Subscribe(1, after.Handle);

        _bus.Deliver(new PollOpened(1, 1));
        _bus.Deliver(new PollOpened(1, 2));

        await before.WaitForAsync(e => e is PollOpened { PollId: 2 });
        await after.WaitForAsync(e => e is PollOpened { PollId: 2 });
        Assert.Equal([new PollOpened(1, 1), new PollOpened(1, 2)], after.Received);
        Assert.Equal(4, _bus.SubscriberCount(1));
    }

    [Fact]
    public async Task SlowSubscriberDoesNotHoldUpDelivery()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fast = new Recorder();
        using var slow = _bus.Subscribe(1, _ => release.Task);
        using var quick = _bus.Subscribe(1, fast.Handle);

        _bus.Deliver(new PollOpened(1, 1));

        await fast.WaitForAsync(e => e is PollOpened);
        release.SetResult();
    }

    [Fact]
    public async Task PublisherDeliversThroughTheInProcessTransport()
    {
        var publisher = new SessionEventPublisher(new InProcessSessionEventTransport(_bus));
        var recorder = new Recorder();
        using var subscription = _bus.Subscribe(3, recorder.Handle);

        var tally = new TallyChanged(3, 4, 1, new VoteCount([1, 0, 0], 1));
        await publisher.PublishAsync(tally);

        await recorder.WaitForAsync(e => e is TallyChanged);
        Assert.Same(tally, Assert.Single(recorder.Received));
    }

    [Fact]
    public void DeliveringWithoutSubscribersDoesNothing()
    {
        _bus.Deliver(new PollOpened(99, 1));

        Assert.Equal(0, _bus.SubscriberCount(99));
    }

    [Theory]
    [MemberData(nameof(AllEventKinds))]
    public void EventsRoundTripThroughPolymorphicJson(SessionEvent sessionEvent)
    {
        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            var json = JsonSerializer.Serialize(sessionEvent, options);
            var back = JsonSerializer.Deserialize<SessionEvent>(json, options);

            Assert.StartsWith("{\"type\":", json, StringComparison.Ordinal);
            Assert.NotNull(back);
            Assert.IsType(sessionEvent.GetType(), back);

            // A count holds a list (compared by reference by the record): compare the numbers, then everything else.
            if (sessionEvent is TallyChanged { Count: var sent } tally)
            {
                var received = (TallyChanged)back;
                VoteAssert.Equal(sent, received.Count);
                Assert.Equal(tally with { Count = null }, received with { Count = null });
            }
            else
            {
                Assert.Equal(sessionEvent, back);
            }
        }
    }

    [Fact]
    public void EventTypeDiscriminatorsAreStable()
    {
        Assert.Contains("\"type\":\"tally\"", JsonSerializer.Serialize<SessionEvent>(new TallyChanged(1, 2, 0, VoteCount.Empty(3))), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"pollClosed\"", JsonSerializer.Serialize<SessionEvent>(new PollClosed(1, 2, PollOutcome.Rejected)), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"poll\"", JsonSerializer.Serialize<SessionEvent>(new PollChanged(1, 2, PollStatus.Published)), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"proxies\"", JsonSerializer.Serialize<SessionEvent>(new ProxiesChanged(1)), StringComparison.Ordinal);
        Assert.IsType<AttendanceChanged>(JsonSerializer.Deserialize<SessionEvent>("""{"type":"attendance","SessionId":3,"Present":77,"Eligible":151}"""));
    }

    /// <summary>Records what a subscriber receives and lets a test await a particular event.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<SessionEvent> _received = new();
        private readonly List<(Func<SessionEvent, bool> Match, TaskCompletionSource Signal)> _waiters = [];
        private readonly Lock _lock = new();

        public IReadOnlyList<SessionEvent> Received => [.. _received];

        public Task Handle(SessionEvent sessionEvent)
        {
            lock (_lock)
            {
                _received.Enqueue(sessionEvent);
                foreach (var (match, signal) in _waiters.Where(w => w.Match(sessionEvent)))
                {
                    signal.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }

        public Task WaitForAsync(Func<SessionEvent, bool> match)
        {
            lock (_lock)
            {
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_received.Any(match))
                {
                    signal.SetResult();
                }
                else
                {
                    _waiters.Add((match, signal));
                }

                return signal.Task.WaitAsync(HangGuard);
            }
        }
    }
}
