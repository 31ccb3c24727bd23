using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Bodies;

public sealed class QuorumRuleTests
{
    private static readonly QuorumRule TwoThirds = new(2, 3);

    [Fact]
    public void MoreThanHalfIsOneOverTwo()
    {
        Assert.Equal(1, QuorumRule.MoreThanHalf.Numerator);
        Assert.Equal(2, QuorumRule.MoreThanHalf.Denominator);
        Assert.Equal(new QuorumRule(1, 2), QuorumRule.MoreThanHalf);
    }

    [Theory]
    [InlineData(152, 77)]
    [InlineData(151, 76)]
    [InlineData(150, 76)]
    [InlineData(9, 5)]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public void MoreThanHalfNeedsStrictlyOverHalf(int eligible, int required) =>
        Assert.Equal(required, QuorumRule.MoreThanHalf.Required(eligible));

    [Fact]
    public void HalfOf152PresentIsNotEnough()
    {
        Assert.False(QuorumRule.MoreThanHalf.IsMet(76, 152));
        Assert.True(QuorumRule.MoreThanHalf.IsMet(77, 152));
    }

    [Fact]
    public void EveryoneOrMoreThanRequiredMeetsQuorum()
    {
        Assert.True(QuorumRule.MoreThanHalf.IsMet(152, 152));
        Assert.True(QuorumRule.MoreThanHalf.IsMet(100, 151));
    }

    [Theory]
    [InlineData(0, 152, 77)]
    [InlineData(70, 152, 7)]
    [InlineData(76, 152, 1)]
    [InlineData(77, 152, 0)]
    [InlineData(152, 152, 0)]
    [InlineData(75, 151, 1)]
    public void MissingCountsMembersStillNeeded(int present, int eligible, int missing) =>
        Assert.Equal(missing, QuorumRule.MoreThanHalf.Missing(present, eligible));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50)]
    public void ZeroEligibleIsNeverMet(int present) => Assert.False(QuorumRule.MoreThanHalf.IsMet(present, 0));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1, -2)]
    [InlineData(-1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void InvalidFractionThrows(int numerator, int denominator)
    {
        var ex = Assert.Throws<DomainException>(() => new QuorumRule(numerator, denominator));
        Assert.Equal("Quorum.InvalidFraction", ex.Code);
    }

    [Theory]
    [InlineData(152, 102)]
    [InlineData(150, 101)]
    [InlineData(14, 10)]
    [InlineData(12, 9)]
    [InlineData(3, 3)]
    public void TwoThirdsNeedsStrictlyOverTwoThirds(int eligible, int required) =>
        Assert.Equal(required, TwoThirds.Required(eligible));

    [Fact]
    public void TwoThirdsOfTwelveExactlyIsNotEnough()
    {
        Assert.False(TwoThirds.IsMet(8, 12));
        Assert.True(TwoThirds.IsMet(9, 12));
        Assert.Equal(1, TwoThirds.Missing(8, 12));
    }

    [Fact]
    public void ZeroNumeratorNeedsOnePresent()
    {
        var anyone = new QuorumRule(0, 1);

        Assert.False(anyone.IsMet(0, 10));
        Assert.True(anyone.IsMet(1, 10));
    }

    [Fact]
    public void LargeBodiesDoNotOverflow() => Assert.Equal(1_431_655_765, TwoThirds.Required(int.MaxValue));
}
