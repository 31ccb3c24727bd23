using CommunityDeliberation.Deliberation.Hearings;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>The fair draw: deterministic from its seed, a permutation, every order reachable, and a recorded draw reproduced.</summary>
public sealed class FairDrawTests
{
    /// <summary>A draw as recorded: 7 residents (registration ids) for 3 seats, with this seed.</summary>
    private const string RecordedSeed = "6A09E667F3BCC908B2FB1366EA957D1E3C6EF372FE94F82BA54FF53A5F1D36F1";

    private static readonly int[] RecordedCandidates = [11, 12, 15, 18, 21, 22, 30];

    [Fact]
    public void ARecordedDrawIsReproducedFromItsSeedAndCandidates()
    {
        var draw = FairDraw.Reproduce(RecordedSeed, RecordedCandidates, 3);

        Assert.Equal(RecordedOrder, draw.Order);
        Assert.Equal(RecordedOrder.Take(3), draw.Selected);
        Assert.Equal(RecordedOrder.Skip(3), draw.WaitingList);
        Assert.Equal(RecordedSeed, draw.SeedHex);
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrderWhateverOrderTheCandidatesComeIn()
    {
        var seed = FairDraw.NewSeed();
        var first = FairDraw.Run(seed, [5, 3, 9, 1, 7], 2);
        var again = FairDraw.Run((byte[])seed.Clone(), [9, 7, 5, 3, 1], 2);

        Assert.Equal(first.Order, again.Order);
        Assert.Equal([1, 3, 5, 7, 9], first.Candidates);
    }

    [Fact]
    public void TheOrderIsAPermutationOfTheCandidates()
    {
        for (var n = 0; n < 40; n++)
        {
            var candidates = Enumerable.Range(100, n).ToList();
            var draw = FairDraw.Run(FairDraw.NewSeed(), candidates, 3);
            Assert.Equal(candidates, draw.Order.Order());
            Assert.Equal(Math.Min(3, n), draw.Selected.Count);
        }
    }

    [Fact]
    public void DifferentSeedsReachEveryOrderOfThreeCandidatesAboutEquallyOften()
    {
        // 6 orders, 6,000 seeds derived from a counter: each order should come up about 1,000 times.
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 6_000; i++)
        {
            var seed = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i));
            var key = string.Join(",", FairDraw.Run(seed, [1, 2, 3], 1).Order);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    private static readonly int[] RecordedOrder = [30, 18, 21, 12, 15, 11, 22];
}
