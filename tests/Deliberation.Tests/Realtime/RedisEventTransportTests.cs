using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityDeliberation.Tests.Realtime;

/// <summary>
/// Two app instances in one test process, each with its own event bus and Redis transport, against a real redis-server
/// (ADR 0022): what one publishes reaches the other's subscribers, once, in order, and again after Redis restarts.
/// </summary>
public sealed class RedisEventTransportTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly string _channel = "deliberation:test:" + Guid.NewGuid().ToString("N");
    private readonly List<RedisSessionEventTransport> _transports = [];

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task EventPublishedOnOneInstanceReachesSubscribersOnTheOther()
    {
        var (busA, publisherA) = await InstanceAsync();
        var (busB, _) = await InstanceAsync();
        var onA = new Received();
        var onB = new Received();
        using var subscriptionA = busA.Subscribe(LiveChannels.Session(5), onA.Add);
        using var subscriptionB = busB.Subscribe(LiveChannels.Session(5), onB.Add);

        var tally = new TallyChanged(5, 9, 3, new VoteCount([2, 1, 0], 3));
        await publisherA.PublishAsync(tally);

        var atB = await onB.WaitForAsync(1);
        Assert.Equal(Wire(tally), Wire(atB[0]));
        // A delivered its own event at once and skips it when Redis echoes it back.
        await Task.Delay(300);
        Assert.Single(onA.Events);
        Assert.Single(onB.Events);
    }

    [Fact]
    public async Task EventsFromOneInstanceArriveInTheOrderTheyWerePublished()
    {
        var (_, publisherA) = await InstanceAsync();
        var (busB, _) = await InstanceAsync();
        var onB = new Received();
        using var subscription = busB.Subscribe(LiveChannels.Session(1), onB.Add);

        for (var ballots = 1; ballots <= 200; ballots++)
        {
            await publisherA.PublishAsync(new TallyChanged(1, 2, ballots, null));
        }

        await onB.WaitForAsync(200);
        // The handler records synchronously, so Order is the order in which B's bus delivered them.
        Assert.Equal(Enumerable.Range(1, 200), onB.Order.Cast<TallyChanged>().Select(t => t.Ballots));
    }

    [Fact]
    public async Task OnlySubscribersOfTheEventsChannelReceiveIt()
    {
        var (_, publisherA) = await InstanceAsync();
        var (busB, _) = await InstanceAsync();
        var session = new Received();
        var other = new Received();
        var hearing = new Received();
        using var s1 = busB.Subscribe(LiveChannels.Session(3), session.Add);
        using var s2 = busB.Subscribe(LiveChannels.Session(4), other.Add);
        using var s3 = busB.Subscribe(HearingChanged.ChannelOf(8), hearing.Add);

        await publisherA.PublishAsync(new PollClosed(3, 1, PollOutcome.Adopted));
        await publisherA.PublishAsync(new HearingChanged(8));

        Assert.IsType<PollClosed>((await session.WaitForAsync(1))[0]);
        Assert.Equal(new HearingChanged(8), (await hearing.WaitForAsync(1))[0]);
        await Task.Delay(300);
        Assert.Empty(other.Events);
    }

    [Fact]
    public async Task DeliveryResumesAfterRedisIsKilledAndStartedAgain()
    {
        var (busA, publisherA) = await InstanceAsync();
        var (busB, _) = await InstanceAsync();
        var onA = new Received();
        var onB = new Received();
        using var subscriptionA = busA.Subscribe(LiveChannels.Session(2), onA.Add);
        using var subscriptionB = busB.Subscribe(LiveChannels.Session(2), onB.Add);

        await _redis.KillAsync();
        // While Redis is away, the publishing instance's own screens still get the event and the publisher does not fail.
        await publisherA.PublishAsync(new AgendaChanged(2));
        await onA.WaitForAsync(1);

        await _redis.StartAsync();
        // The multiplexers reconnect and resubscribe by themselves; keep publishing until B hears one (Redis pub/sub does
        // not replay what was sent while it was down).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var attempt = 0;
        while (!onB.Events.Any(e => e is AttendanceChanged) && DateTime.UtcNow < deadline)
        {
            await publisherA.PublishAsync(new AttendanceChanged(2, ++attempt, 50));
            await Task.Delay(200);
        }

        // What was published during the outage may arrive late (the multiplexer's backlog) or not at all.
        Assert.Contains(onB.Events, e => e is AttendanceChanged);
        Assert.All(onB.Events, e => Assert.True(e is AttendanceChanged or AgendaChanged, e.ToString()));
    }

    private async Task<(SessionEventBus Bus, ISessionEventPublisher Publisher)> InstanceAsync()
    {
        var bus = new SessionEventBus(NullLogger<SessionEventBus>.Instance);
        var transport = new RedisSessionEventTransport(bus, _redis.ConnectionString, NullLogger<RedisSessionEventTransport>.Instance, _channel);
        _transports.Add(transport);
        await transport.StartAsync();
        return (bus, new SessionEventPublisher(transport));
    }

    private static string Wire(LiveEvent e) => LiveEventCodec.Encode(e, "x");

    private sealed class Received
    {
        private readonly Lock _gate = new();

        public ConcurrentQueue<LiveEvent> Events { get; } = new();

        /// <summary>The order in which the bus handed the events to this subscriber.</summary>
        public List<LiveEvent> Order { get; } = [];

        public Task Add(LiveEvent e)
        {
            lock (_gate)
            {
                Order.Add(e);
            }

            Events.Enqueue(e);
            return Task.CompletedTask;
        }

        public async Task<LiveEvent[]> WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Events.Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.True(Events.Count >= count, $"received {Events.Count} of {count} events within 5 s");
            return [.. Events];
        }
    }
}
