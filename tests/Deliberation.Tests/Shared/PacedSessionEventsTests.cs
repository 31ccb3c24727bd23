using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>
/// The session events the Blazor screens get (ADR 0023): tallies paced by the number of screens on this instance,
/// everything else straight through, on the real in-process bus and a fake clock.
/// </summary>
public sealed class PacedSessionEventsTests : IDisposable
{
    private const int SessionId = 7;
    private const int PollId = 3;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
    private readonly DateTimeOffset _start;
    private readonly SessionEventBus _bus = new(NullLogger<SessionEventBus>.Instance);
    private readonly SessionEventPublisher _publisher;
    private readonly PacedSessionEvents _paced;

    public PacedSessionEventsTests()
    {
        _start = _clock.GetUtcNow();
        _publisher = new SessionEventPublisher(new InProcessSessionEventTransport(_bus));
        _paced = new PacedSessionEvents(_bus, _clock, NullLogger<PacedSessionEvents>.Instance);
    }

    public void Dispose() => _paced.Dispose();

    private sealed class Screen
    {
        public readonly List<(int AtMs, SessionEvent Event)> Seen = [];

        public IEnumerable<(int AtMs, int Ballots)> Tallies => Seen.Where(s => s.Event is TallyChanged).Select(s => (s.AtMs, ((TallyChanged)s.Event).Ballots));
    }

    private (Screen[] Screens, IDisposable[] Subscriptions) Screens(int count)
    {
        var screens = Enumerable.Range(0, count).Select(_ => new Screen()).ToArray();
        var subscriptions = screens.Select(s => _paced.Subscribe(SessionId, e =>
        {
            lock (s.Seen)
            {
                s.Seen.Add(((int)(_clock.GetUtcNow() - _start).TotalMilliseconds, e));
            }

            return Task.CompletedTask;
        })).ToArray();
        return (screens, subscriptions);
    }

    private static TallyChanged Tally(int ballots) => new(SessionId, PollId, ballots, new VoteCount([ballots, 0, 0], ballots));

    private void Publish(SessionEvent e) => _publisher.PublishAsync(e).GetAwaiter().GetResult();

    /// <summary>Millisecond by millisecond, so every timer fires at its own moment.</summary>
    private void Advance(int ms)
    {
        for (var i = 0; i < ms; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void ALoneBallotReachesEveryScreenAtOnce()
    {
        var (screens, _) = Screens(150);

        Publish(Tally(1));

        Assert.All(screens, s => Assert.Equal([(0, 1)], s.Tallies));
    }

    [Fact]
    public void ARoomOfOneHundredFiftyScreensGetsACountAboutEveryOneHundredFiftyMillisecondsNotEveryFortyAndTheLastCountAlways()
    {
        var (screens, _) = Screens(150);

        for (var i = 1; i <= 100; i++)
        {
            Publish(Tally(i)); // a ballot every 10 ms for a second, as the ballot writer's counts come
            Advance(10);
        }

        Advance(500);

        var first = screens[0].Tallies.ToList();
        Assert.All(screens, s => Assert.Equal(first, s.Tallies));
        Assert.Equal(100, first[^1].Ballots);
        Assert.InRange(first.Count, 8, 11); // 3 quick ones, then one per 150 ms (25 a second unpaced: 100 here)
        Assert.All(first.Skip(3).Zip(first.Skip(4)), pair => Assert.True(pair.Second.AtMs - pair.First.AtMs >= 149, $"{pair.First.AtMs} → {pair.Second.AtMs}"));
        Assert.All(first.Zip(first.Skip(1)), pair => Assert.True(pair.Second.Ballots > pair.First.Ballots));
    }

    [Fact]
    public void ASmallCommitteeStillSeesACountEveryFortyMilliseconds()
    {
        var (screens, _) = Screens(12);

        for (var i = 1; i <= 10; i++)
        {
            Publish(Tally(i));
            Advance(10);
        }

        Advance(100);

        Assert.Equal([0, 40, 80, 120], screens[0].Tallies.Select(t => t.AtMs));
        Assert.Equal(10, screens[0].Tallies.Last().Ballots);
    }

    [Fact]
    public void OtherEventsPassStraightThroughAndAClosedVotesWaitingCountIsNeverShown()
    {
        var (screens, _) = Screens(300); // 250 ms pace
        Publish(Tally(1));
        Advance(41);
        Publish(Tally(2));
        Publish(Tally(3)); // waits: the spacing allows it at 40 ms after the second send
        Publish(new PollClosed(SessionId, PollId, PollOutcome.Adopted));
        Publish(new AgendaMoved(SessionId, 12));

        Advance(1000);

        Assert.All(screens, s => Assert.Equal(
            ["TallyChanged:1", "TallyChanged:2", "PollClosed", "AgendaMoved"],
            s.Seen.Select(x => x.Event is TallyChanged t ? $"TallyChanged:{t.Ballots}" : x.Event.GetType().Name)));
    }

    [Fact]
    public void AScreenThatFailsDoesNotKeepTheEventFromTheOthers()
    {
        using var broken = _paced.Subscribe(SessionId, _ => throw new InvalidOperationException("a circuit that went away"));
        var (screens, _) = Screens(2);

        Publish(Tally(1));
        Publish(new AgendaMoved(SessionId, 12));

        Assert.All(screens, s => Assert.Equal(2, s.Seen.Count));
    }

    [Fact]
    public void TheSessionIsFollowedOnTheBusOnceAndNoLongerWhenTheLastScreenLeaves()
    {
        var (screens, subscriptions) = Screens(3);
        Assert.Equal(1, _bus.SubscriberCount(SessionId));
        Assert.Equal(3, _paced.ScreensOf(SessionId));

        subscriptions[0].Dispose();
        subscriptions[0].Dispose(); // twice is harmless
        Publish(Tally(1));
        Assert.Empty(screens[0].Seen);
        Assert.Single(screens[1].Seen);

        subscriptions[1].Dispose();
        subscriptions[2].Dispose();

        Assert.Equal(0, _bus.SubscriberCount(SessionId));
        Assert.Equal(0, _paced.ScreensOf(SessionId));
        Publish(Tally(2));
        Assert.Single(screens[2].Seen);
    }

    [Fact]
    public void AScreenJoiningAfterTheLastOneLeftFollowsTheSessionAgain()
    {
        var (_, first) = Screens(1);
        first[0].Dispose();

        var (again, _) = Screens(1);
        Publish(Tally(4));

        Assert.Equal([(0, 4)], again[0].Tallies);
        Assert.Equal(1, _bus.SubscriberCount(SessionId));
    }
}
