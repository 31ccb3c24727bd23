using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class PollSpecTests
{
    private static readonly string[] FourOptions = ["加装电梯", "更换水管", "外墙保温", "增设车位"];

    private static PollSpec Spec(VoteMethod method, IReadOnlyList<string> options, int min = 1, int max = 1, int seats = 0) =>
        new(method, options, min, max, seats, Secrecy.Named, MajorityRule.SimpleOfVotesCast);

    private static PollSpec UpToTwoOfFour => Spec(VoteMethod.MultipleChoice, FourOptions, min: 1, max: 2).Validated();

    // ---- Validated ----

    [Fact]
    public void YesNoAbstainHasTheThreeFixedOptions()
    {
        var rule = new MajorityRule(MajorityKind.TwoThirds, MajorityBase.AllMembers, false);

        var spec = new PollSpec(VoteMethod.YesNoAbstain, ["随便写的选项"], 0, 5, 3, Secrecy.Secret, rule).Validated();

        Assert.Equal(["Yes", "No", "Abstain"], spec.Options);
        Assert.Equal((1, 1, 0), (spec.MinChoices, spec.MaxChoices, spec.Seats));
        Assert.Equal(Secrecy.Secret, spec.Secrecy);
        Assert.Equal(rule, spec.Rule);
        Assert.Equal(0, PollSpec.Yes);
        Assert.Equal(1, PollSpec.No);
        Assert.Equal(2, PollSpec.Abstain);
    }

    [Fact]
    public void OptionLabelsAreTrimmed() =>
        Assert.Equal(["方案甲", "方案乙"], Spec(VoteMethod.SingleChoice, ["  方案甲 ", "方案乙\u3000"]).Validated().Options);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FewerThanTwoOptionsAreRefused(int count)
    {
        var ex = Assert.Throws<DomainException>(() => Spec(VoteMethod.SingleChoice, FourOptions.Take(count).ToList()).Validated());

        Assert.Equal("Poll.TooFewOptions", ex.Code);
        Assert.Equal([2], ex.Arguments);
    }

    [Fact]
    public void MoreThanFiftyOptionsAreRefused()
    {
        var options = Enumerable.Range(1, PollSpec.MaxOptions + 1).Select(i => $"候选人{i}").ToList();

        var ex = Assert.Throws<DomainException>(() => Spec(VoteMethod.SingleChoice, options).Validated());

        Assert.Equal("Poll.TooManyOptions", ex.Code);
        Assert.Equal(PollSpec.MaxOptions, Spec(VoteMethod.SingleChoice, options.Take(PollSpec.MaxOptions).ToList()).Validated().Options.Count);
    }

    [Fact]
    public void DuplicateOptionLabelsAreRefused()
    {
        var ex = Assert.Throws<DomainException>(() => Spec(VoteMethod.MultipleChoice, ["方案甲", "方案乙", " 方案甲 "], 1, 2).Validated());

        Assert.Equal("Poll.DuplicateOption", ex.Code);
    }

    [Fact]
    public void EmptyOptionLabelIsRefused() =>
        Assert.Equal("Poll.Option.Required", Assert.Throws<DomainException>(() => Spec(VoteMethod.SingleChoice, ["方案甲", "  "]).Validated()).Code);

    [Fact]
    public void OverlongOptionLabelIsRefused() =>
        Assert.Equal("Poll.Option.TooLong", Assert.Throws<DomainException>(() => Spec(VoteMethod.SingleChoice, ["方案甲", new string('长', PollSpec.OptionLabelMax + 1)]).Validated()).Code);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    public void SingleChoiceTakesExactlyOneOrAllowsABlankBallot(int min, int expectedMin)
    {
        var spec = Spec(VoteMethod.SingleChoice, FourOptions, min, max: 4).Validated();

        Assert.Equal(expectedMin, spec.MinChoices);
        Assert.Equal(1, spec.MaxChoices);
        Assert.Equal(0, spec.Seats);
    }

    [Fact]
    public void ElectionMarksUpToOneCandidatePerSeat()
    {
        var spec = Spec(VoteMethod.Election, FourOptions, min: 2, max: 4, seats: 2).Validated();

        Assert.Equal((0, 2, 2), (spec.MinChoices, spec.MaxChoices, spec.Seats));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(5)]
    public void ElectionSeatsOutOfRangeAreRefused(int seats)
    {
        var ex = Assert.Throws<DomainException>(() => Spec(VoteMethod.Election, FourOptions, seats: seats).Validated());

        Assert.Equal("Poll.SeatsOutOfRange", ex.Code);
        Assert.Equal([1, 3], ex.Arguments);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(0, 5)]
    [InlineData(0, 0)]
    [InlineData(-1, 2)]
    public void MultipleChoiceLimitsMustFitTheOptions(int min, int max)
    {
        var ex = Assert.Throws<DomainException>(() => Spec(VoteMethod.MultipleChoice, FourOptions, min, max).Validated());

        Assert.Equal("Poll.ChoiceLimitsInvalid", ex.Code);
        Assert.Equal([4], ex.Arguments);
    }

    [Fact]
    public void MultipleChoiceKeepsItsLimits()
    {
        var spec = Spec(VoteMethod.MultipleChoice, FourOptions, min: 0, max: 4, seats: 3).Validated();

        Assert.Equal((0, 4, 0), (spec.MinChoices, spec.MaxChoices, spec.Seats));
    }

    [Fact]
    public void UndefinedMethodOrSecrecyIsRefused()
    {
        Assert.Equal("Poll.InvalidMethod", Assert.Throws<DomainException>(() => Spec((VoteMethod)9, FourOptions).Validated()).Code);
        Assert.Equal("Poll.InvalidMethod", Assert.Throws<DomainException>(() =>
            new PollSpec(VoteMethod.SingleChoice, FourOptions, 1, 1, 0, (Secrecy)9, MajorityRule.SimpleOfVotesCast).Validated()).Code);
    }

    // ---- ValidateSelections ----

    [Fact]
    public void ThreeSelectionsWhenTwoAreAllowedAreRefused()
    {
        var ex = Assert.Throws<DomainException>(() => UpToTwoOfFour.ValidateSelections([0, 1, 2]));

        Assert.Equal("Ballot.WrongNumberOfChoices", ex.Code);
        Assert.Equal([1, 2, 3], ex.Arguments);
    }

    [Fact]
    public void TooFewSelectionsAreRefused()
    {
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.Throws<DomainException>(() => UpToTwoOfFour.ValidateSelections([])).Code);
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.Throws<DomainException>(() => UpToTwoOfFour.ValidateSelections(null)).Code);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void UnknownOptionIndexIsRefused(int index)
    {
        var ex = Assert.Throws<DomainException>(() => UpToTwoOfFour.ValidateSelections([0, index]));

        Assert.Equal("Ballot.UnknownOption", ex.Code);
    }

    [Fact]
    public void DuplicateSelectionIsRefused() =>
        Assert.Equal("Ballot.DuplicateOption", Assert.Throws<DomainException>(() => UpToTwoOfFour.ValidateSelections([3, 3])).Code);

    [Fact]
    public void ValidSelectionsComeBackSorted() => Assert.Equal([1, 3], UpToTwoOfFour.ValidateSelections([3, 1]));

    [Fact]
    public void BlankBallotIsAcceptedWhenTheMinimumIsZero()
    {
        var spec = Spec(VoteMethod.SingleChoice, FourOptions, min: 0).Validated();

        Assert.Empty(spec.ValidateSelections([]));
        Assert.Empty(spec.ValidateSelections(null));
    }

    [Fact]
    public void YesNoAbstainTakesExactlyOneOfTheThree()
    {
        var spec = PollSpec.YesNoAbstain(Secrecy.Named, MajorityRule.SimpleOfVotesCast).Validated();

        Assert.Equal([PollSpec.Abstain], spec.ValidateSelections([PollSpec.Abstain]));
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.Throws<DomainException>(() => spec.ValidateSelections([PollSpec.Yes, PollSpec.No])).Code);
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.Throws<DomainException>(() => spec.ValidateSelections([])).Code);
        Assert.Equal("Ballot.UnknownOption", Assert.Throws<DomainException>(() => spec.ValidateSelections([3])).Code);
    }

    [Fact]
    public void ElectionBallotMarksAtMostOneCandidatePerSeat()
    {
        var spec = Spec(VoteMethod.Election, FourOptions, seats: 2).Validated();

        Assert.Equal([0, 2], spec.ValidateSelections([2, 0]));
        Assert.Empty(spec.ValidateSelections([]));
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.Throws<DomainException>(() => spec.ValidateSelections([0, 1, 2])).Code);
    }
}
