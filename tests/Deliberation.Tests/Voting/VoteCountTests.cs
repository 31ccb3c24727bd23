using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class VoteCountTests
{
    [Fact]
    public void EmptyCountHasNoBallotsAndNoVotes()
    {
        var empty = VoteCount.Empty(4);

        Assert.Equal([0, 0, 0, 0], empty.OptionVotes);
        Assert.Equal(0, empty.Ballots);
        Assert.Equal(0, empty.BlankBallots);
    }

    [Fact]
    public void AddingCombinesVotesBallotsAndBlankBallots()
    {
        var electronic = new VoteCount([3, 1, 0], 5) { BlankBallots = 1 };
        var paper = new VoteCount([2, 2, 4], 9) { BlankBallots = 2 };

        var total = electronic.Add(paper);

        Assert.Equal([5, 3, 4], total.OptionVotes);
        Assert.Equal(14, total.Ballots);
        Assert.Equal(3, total.BlankBallots);
        Assert.Equal(3, total[1]);
    }

    [Fact]
    public void ValueEqualsComparesTheNumbersNotTheLists()
    {
        var a = new VoteCount([1, 2, 3], 6) { BlankBallots = 0 };

        Assert.True(a.ValueEquals(new VoteCount(new List<int> { 1, 2, 3 }, 6)));
        Assert.False(a.ValueEquals(new VoteCount([1, 2, 3], 7)));
        Assert.False(a.ValueEquals(new VoteCount([1, 2, 3], 6) { BlankBallots = 1 }));
        Assert.False(a.ValueEquals(new VoteCount([3, 2, 1], 6)));
    }
}
