using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// Value comparisons for the voting records that hold lists (<see cref="VoteCount"/>, <see cref="PollDecision"/>,
/// <see cref="PollView"/>): their generated equality compares the lists by reference.
/// </summary>
public static class VoteAssert
{
    public static VoteCount Count(int[] optionVotes, int ballots, int blank = 0) => new(optionVotes, ballots) { BlankBallots = blank };

    /// <summary>The count of a set of ballots, each a list of option indexes (empty: blank).</summary>
    public static VoteCount CountOf(int options, IEnumerable<IReadOnlyList<int>> ballots)
    {
        var votes = new int[options];
        int total = 0, blank = 0;
        foreach (var ballot in ballots)
        {
            total++;
            if (ballot.Count == 0)
            {
                blank++;
            }

            foreach (var option in ballot)
            {
                votes[option]++;
            }
        }

        return Count(votes, total, blank);
    }

    public static void Equal(VoteCount? expected, VoteCount? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.Equal(expected is null, actual is null);
            return;
        }

        Assert.True(expected.ValueEquals(actual), $"expected {Describe(expected)}, got {Describe(actual)}");
    }

    public static void Equal(PollDecision? expected, PollDecision? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.Equal(expected is null, actual is null);
            return;
        }

        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal(expected.Base, actual.Base);
        Assert.Equal(expected.Threshold, actual.Threshold);
        Assert.Equal(expected.Winners, actual.Winners);
        Assert.Equal(expected.Tied, actual.Tied);
        Assert.Equal(expected.Ranking, actual.Ranking);
    }

    public static void Equal(PollView expected, PollView actual)
    {
        Assert.Equal(expected.Options, actual.Options);
        Equal(expected.Count, actual.Count);
        Equal(expected.Decision, actual.Decision);
        Assert.Equal(expected with { Options = actual.Options, Count = actual.Count, Decision = actual.Decision }, actual);
    }

    public static string Describe(VoteCount count) => $"[{string.Join(", ", count.OptionVotes)}] of {count.Ballots} ({count.BlankBallots} blank)";
}
