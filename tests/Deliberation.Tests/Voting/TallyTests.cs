using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class TallyTests
{
    [Fact]
    public void CastIsTheSumOfAllChoices() => Assert.Equal(15, new Tally(3, 2, 10).Cast);

    [Fact]
    public void EmptyTallyHasNothingCast()
    {
        Assert.Equal(new Tally(0, 0, 0), Tally.Empty);
        Assert.Equal(0, Tally.Empty.Cast);
    }

    [Fact]
    public void FromAddsCountsPerChoice()
    {
        var tally = Tally.From([(BallotChoice.Yes, 3), (BallotChoice.Abstain, 10), (BallotChoice.No, 2)]);

        Assert.Equal(new Tally(Yes: 3, No: 2, Abstain: 10), tally);
        Assert.Equal(15, tally.Cast);
    }

    [Fact]
    public void FromAddsRepeatedChoicesTogether()
    {
        var tally = Tally.From([(BallotChoice.Yes, 3), (BallotChoice.Yes, 4), (BallotChoice.No, 1), (BallotChoice.No, 1)]);

        Assert.Equal(new Tally(7, 2, 0), tally);
    }

    [Fact]
    public void FromNothingIsEmpty() => Assert.Equal(Tally.Empty, Tally.From([]));

    [Fact]
    public void TalliesWithTheSameCountsAreEqual() => Assert.Equal(new Tally(1, 2, 3), Tally.From([(BallotChoice.Abstain, 3), (BallotChoice.No, 2), (BallotChoice.Yes, 1)]));
}
