using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class MajorityRuleTests
{
    private static readonly MajorityRule Absolute = new(MajorityKind.Absolute, MajorityBase.AllMembers, false);
    private static readonly MajorityRule TwoThirds = new(MajorityKind.TwoThirds, MajorityBase.VotesCast, false);
    private static readonly MajorityRule ThreeQuarters = new(MajorityKind.Custom, MajorityBase.MembersPresent, false, 3, 4);

    [Fact]
    public void SimpleOfVotesCastIsTheDefaultRule()
    {
        Assert.Equal(MajorityKind.Simple, MajorityRule.SimpleOfVotesCast.Kind);
        Assert.Equal(MajorityBase.VotesCast, MajorityRule.SimpleOfVotesCast.Base);
        Assert.False(MajorityRule.SimpleOfVotesCast.AbstentionsCount);
        Assert.Equal(0, MajorityRule.SimpleOfVotesCast.Threshold(151));
    }

    [Fact]
    public void SimpleMajorityIsAlwaysOfTheVotesCast()
    {
        var rule = new MajorityRule(MajorityKind.Simple, MajorityBase.AllMembers, true, 5, 7);

        Assert.Equal(MajorityBase.VotesCast, rule.Base);
        Assert.Equal((1, 2), (rule.Numerator, rule.Denominator));
        Assert.True(rule.AbstentionsCount);
    }

    [Fact]
    public void NamedFractionsIgnoreTheGivenNumbers()
    {
        var twoThirds = new MajorityRule(MajorityKind.TwoThirds, MajorityBase.AllMembers, false, 9, 10);
        var absolute = new MajorityRule(MajorityKind.Absolute, MajorityBase.MembersPresent, false, 0, 0);

        Assert.Equal((2, 3), (twoThirds.Numerator, twoThirds.Denominator));
        Assert.Equal((1, 2), (absolute.Numerator, absolute.Denominator));
        Assert.Equal(MajorityBase.AllMembers, twoThirds.Base);
    }

    [Theory]
    [InlineData(151, 76)]
    [InlineData(150, 76)]
    [InlineData(10, 6)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void AbsoluteThresholdIsMoreThanHalf(int @base, int threshold) => Assert.Equal(threshold, Absolute.Threshold(@base));

    [Theory]
    [InlineData(76, 151, true)]
    [InlineData(75, 151, false)]
    [InlineData(76, 150, true)]
    [InlineData(75, 150, false)]
    [InlineData(0, 0, false)]
    [InlineData(5, 0, false)]
    public void AbsoluteMeetsOnlyAboveHalf(int votes, int @base, bool meets) => Assert.Equal(meets, Absolute.Meets(votes, @base));

    [Theory]
    [InlineData(150, 100)]
    [InlineData(151, 101)]
    [InlineData(3, 2)]
    [InlineData(0, 0)]
    public void TwoThirdsThresholdRoundsUp(int @base, int threshold) => Assert.Equal(threshold, TwoThirds.Threshold(@base));

    [Theory]
    [InlineData(100, 150, true)]
    [InlineData(99, 150, false)]
    [InlineData(101, 151, true)]
    [InlineData(100, 151, false)]
    [InlineData(2, 3, true)]
    [InlineData(0, 0, false)]
    public void TwoThirdsMeetsAtExactlyTwoThirds(int votes, int @base, bool meets) => Assert.Equal(meets, TwoThirds.Meets(votes, @base));

    [Theory]
    [InlineData(100, 75)]
    [InlineData(101, 76)]
    [InlineData(4, 3)]
    public void CustomThresholdIsTheFractionRoundedUp(int @base, int threshold) => Assert.Equal(threshold, ThreeQuarters.Threshold(@base));

    [Theory]
    [InlineData(75, 100, true)]
    [InlineData(74, 100, false)]
    [InlineData(76, 101, true)]
    [InlineData(75, 101, false)]
    public void CustomMeetsAtTheFraction(int votes, int @base, bool meets) => Assert.Equal(meets, ThreeQuarters.Meets(votes, @base));

    [Fact]
    public void ThresholdIsTheSmallestNumberThatMeetsTheRule()
    {
        foreach (var rule in new[] { Absolute, TwoThirds, ThreeQuarters, new MajorityRule(MajorityKind.Custom, MajorityBase.VotesCast, false, 5, 7) })
        {
            for (var @base = 1; @base <= 200; @base++)
            {
                var threshold = rule.Threshold(@base);
                Assert.True(rule.Meets(threshold, @base), $"{rule}: {threshold} of {@base}");
                Assert.False(rule.Meets(threshold - 1, @base), $"{rule}: {threshold - 1} of {@base}");
            }
        }
    }

    [Fact]
    public void UnanimityIsAValidCustomFraction()
    {
        var unanimous = new MajorityRule(MajorityKind.Custom, MajorityBase.MembersPresent, false, 1, 1);

        Assert.Equal(12, unanimous.Threshold(12));
        Assert.True(unanimous.Meets(12, 12));
        Assert.False(unanimous.Meets(11, 12));
    }

    [Fact]
    public void LargeBasesDoNotOverflow()
    {
        Assert.Equal(1_431_655_765, TwoThirds.Threshold(int.MaxValue));
        Assert.True(TwoThirds.Meets(int.MaxValue, int.MaxValue));
        Assert.True(Absolute.Meets(int.MaxValue, int.MaxValue));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 4)]
    [InlineData(5, 4)]
    [InlineData(-1, 4)]
    [InlineData(1, -2)]
    [InlineData(1, 1001)]
    public void InvalidCustomFractionIsRefused(int numerator, int denominator)
    {
        var ex = Assert.Throws<DomainException>(() => new MajorityRule(MajorityKind.Custom, MajorityBase.VotesCast, false, numerator, denominator));

        Assert.Equal("Rule.InvalidFraction", ex.Code);
    }

    [Fact]
    public void UndefinedKindOrBaseIsRefused()
    {
        Assert.Equal("Rule.Invalid", Assert.Throws<DomainException>(() => new MajorityRule((MajorityKind)42, MajorityBase.VotesCast, false)).Code);
        Assert.Equal("Rule.Invalid", Assert.Throws<DomainException>(() => new MajorityRule(MajorityKind.Absolute, (MajorityBase)42, false)).Code);
    }

    [Fact]
    public void RulesWithTheSameTermsAreEqual() =>
        Assert.Equal(new MajorityRule(MajorityKind.Custom, MajorityBase.MembersPresent, false, 3, 4), ThreeQuarters);
}
