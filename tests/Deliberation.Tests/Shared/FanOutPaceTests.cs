using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>The pacing of tallies by audience (ADR 0023), on a fake clock: every edge is checked at the millisecond.</summary>
public sealed class FanOutPaceTests
{
    private sealed record Tally(int Ballots);

    private sealed class Harness : IDisposable
    {
        public readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        public readonly List<(TimeSpan At, int Ballots)> Sent = [];
        public int Audience;
        public readonly LatestValueThrottle<Tally> Throttle;
        private readonly DateTimeOffset _start;

        public Harness(int audience)
        {
            Audience = audience;
            _start = Clock.GetUtcNow();
            Throttle = new LatestValueThrottle<Tally>(
                Clock,
                () => FanOutPace.IntervalFor(Audience),
                (pending, next) => next.Ballots >= pending.Ballots ? next : pending,
                t => Sent.Add((Clock.GetUtcNow() - _start, t.Ballots)));
        }

        /// <summary>Millisecond by millisecond: FakeTimeProvider fires a timer with the clock already at the end of one Advance.</summary>
        public void Advance(int ms)
        {
            for (var i = 0; i < ms; i++)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        public void Dispose() => Throttle.Dispose();
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Theory]
    [InlineData(0, 40)]
    [InlineData(1, 40)]
    [InlineData(160, 40)]
    [InlineData(400, 100)]
    [InlineData(1000, 250)]
    [InlineData(50_000, 250)]
    public void IntervalGrowsWithTheAudienceBetweenFortyAndTwoHundredFiftyMilliseconds(int audience, int expectedMs)
    {
        Assert.Equal(Ms(expectedMs), FanOutPace.IntervalFor(audience));
    }

    [Fact]
    public void ALoneBallotIsSentAtOnceEvenToAThousandScreens()
    {
        using var h = new Harness(1000);

        h.Throttle.Offer(new Tally(1));

        Assert.Equal([(TimeSpan.Zero, 1)], h.Sent);
        Assert.False(h.Throttle.HasPending);
    }

    [Fact]
    public void ChangesWithinTheSpacingAreFoldedIntoTheNewest()
    {
        using var h = new Harness(1000);
        h.Throttle.Offer(new Tally(1));
        h.Advance(10);
        h.Throttle.Offer(new Tally(5));
        h.Advance(10);
        h.Throttle.Offer(new Tally(9));
        h.Throttle.Offer(new Tally(7)); // an older snapshot arriving late never replaces a newer one

        h.Advance(19);
        Assert.Single(h.Sent);
        h.Advance(1);

        Assert.Equal([(TimeSpan.Zero, 1), (Ms(40), 9)], h.Sent);
        Assert.False(h.Throttle.HasPending);
    }

    [Fact]
    public void ABurstCommittedInTwoBatchesIsShownWithinTheSpacingNotTheInterval()
    {
        using var h = new Harness(1000);
        h.Throttle.Offer(new Tally(1)); // the first ballot's batch
        h.Advance(15);
        h.Throttle.Offer(new Tally(150)); // everything that queued meanwhile

        h.Advance(25);

        Assert.Equal([(TimeSpan.Zero, 1), (Ms(40), 150)], h.Sent);
    }

    [Fact]
    public void AChangeAfterAQuietIntervalIsSentAtOnceAgain()
    {
        using var h = new Harness(1000);
        h.Throttle.Offer(new Tally(1));
        h.Advance(300);

        h.Throttle.Offer(new Tally(2));

        Assert.Equal([(TimeSpan.Zero, 1), (Ms(300), 2)], h.Sent);
    }

    [Fact]
    public void ASteadyStreamToAThousandScreensSettlesAtOneTallyPerIntervalAndTheLastStateIsAlwaysSent()
    {
        using var h = new Harness(1000);
        for (var i = 1; i <= 100; i++)
        {
            h.Throttle.Offer(new Tally(i)); // one ballot every 10 ms for a second
            h.Advance(10);
        }

        h.Advance(1000);

        // three quick sends from the bucket, then one per 250 ms
        Assert.Equal([0, 40, 80, 250, 500, 750, 1000], h.Sent.Select(s => (int)s.At.TotalMilliseconds));
        Assert.Equal(100, h.Sent[^1].Ballots);
        Assert.All(h.Sent.Zip(h.Sent.Skip(1)), pair => Assert.True(pair.Second.Ballots > pair.First.Ballots));
    }

    [Fact]
    public void ASmallRoomGetsATallyEveryFortyMilliseconds()
    {
        using var h = new Harness(30);
        for (var i = 1; i <= 10; i++)
        {
            h.Throttle.Offer(new Tally(i));
            h.Advance(10);
        }

        h.Advance(100);

        Assert.Equal([0, 40, 80, 120], h.Sent.Select(s => (int)s.At.TotalMilliseconds));
        Assert.Equal(10, h.Sent[^1].Ballots);
    }

    [Fact]
    public void AnAudienceThatGrowsWhileAChangeWaitsStretchesTheWait()
    {
        using var h = new Harness(400); // 100 ms
        for (var i = 1; i <= 8; i++)
        {
            h.Throttle.Offer(new Tally(i));
            h.Advance(10);
        }

        h.Throttle.Offer(new Tally(9)); // sent at 0, 40, 80 with 0.8 tokens left; 9 waits for 40 ms of spacing (due at 120)
        h.Audience = 1000; // 250 ms: at 120 the bucket holds 0.96 tokens, so 10 ms more
        h.Advance(49);
        Assert.Equal(3, h.Sent.Count);
        h.Advance(1);

        Assert.Equal([0, 40, 80, 130], h.Sent.Select(s => (int)s.At.TotalMilliseconds));
    }

    [Fact]
    public void ADiscardedChangeIsNeverSent()
    {
        using var h = new Harness(1000);
        h.Throttle.Offer(new Tally(1));
        h.Throttle.Offer(new Tally(2));

        h.Throttle.Discard();
        h.Advance(1000);

        Assert.Equal([(TimeSpan.Zero, 1)], h.Sent);
    }

    [Fact]
    public void NothingIsSentAfterDispose()
    {
        var h = new Harness(1000);
        h.Throttle.Offer(new Tally(1));
        h.Throttle.Offer(new Tally(2));

        h.Dispose();
        h.Advance(1000);
        h.Throttle.Offer(new Tally(3));

        Assert.Equal([(TimeSpan.Zero, 1)], h.Sent);
    }
}
