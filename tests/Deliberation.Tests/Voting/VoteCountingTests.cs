using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>Deciding votes (issue 4): pure arithmetic on counts, no database.</summary>
public sealed class VoteCountingTests
{
    private const int Members = 151;

    private static readonly string[] Candidates = ["张伟", "王芳", "李娜", "刘洋", "陈静"];

    private static PollSpec Motion(MajorityRule rule) => PollSpec.YesNoAbstain(Secrecy.Named, rule).Validated();

    private static PollSpec Motion(MajorityKind kind, MajorityBase @base = MajorityBase.VotesCast, bool abstentionsCount = false, int numerator = 0, int denominator = 0) =>
        Motion(new MajorityRule(kind, @base, abstentionsCount, numerator, denominator));

    private static VoteCount Votes(int yes, int no, int abstain) => new([yes, no, abstain], yes + no + abstain);

    private static PollDecision Decide(PollSpec spec, VoteCount count, int present = Members, int members = Members) =>
        VoteCounting.Decide(spec, count, present, members);

    private static PollSpec SingleChoice(MajorityRule? rule = null) =>
        new PollSpec(VoteMethod.SingleChoice, ["方案甲", "方案乙", "方案丙"], 0, 1, 0, Secrecy.Secret, rule ?? MajorityRule.SimpleOfVotesCast).Validated();

    private static PollSpec MultipleChoice(MajorityRule? rule = null) =>
        new PollSpec(VoteMethod.MultipleChoice, ["加装电梯", "更换水管", "外墙保温", "增设车位"], 0, 3, 0, Secrecy.Named, rule ?? MajorityRule.SimpleOfVotesCast).Validated();

    private static PollSpec Election(int seats, MajorityRule? rule = null) =>
        new PollSpec(VoteMethod.Election, Candidates, 0, 0, seats, Secrecy.Secret, rule ?? MajorityRule.SimpleOfVotesCast).Validated();

    private static VoteCount Choices(int ballots, params int[] votes) => new(votes, ballots);

    // ---- Motions: simple majority ----

    [Fact]
    public void MoreYesThanNoIsAdopted()
    {
        var decision = Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(yes: 77, no: 75, abstain: 0));

        Assert.Equal(PollOutcome.Adopted, decision.Outcome);
        Assert.Equal([PollSpec.Yes], decision.Winners);
        Assert.Empty(decision.Tied);
        Assert.Equal(152, decision.Base);
        Assert.Equal(76, decision.Threshold);
    }

    [Fact]
    public void OneVoteMajorityIsAdopted() =>
        Assert.Equal(PollOutcome.Adopted, Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(1, 0, 0)).Outcome);

    [Fact]
    public void MoreNoThanYesIsRejected()
    {
        var decision = Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(yes: 10, no: 11, abstain: 0));

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Winners);
    }

    [Fact]
    public void TieIsRejected()
    {
        var decision = Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(yes: 40, no: 40, abstain: 5));

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Winners);
        Assert.Equal(41, decision.Threshold);
    }

    [Fact]
    public void AllAbstainIsRejected() =>
        Assert.Equal(PollOutcome.Rejected, Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(0, 0, 151)).Outcome);

    [Fact]
    public void NoBallotsIsRejected() =>
        Assert.Equal(PollOutcome.Rejected, Decide(Motion(MajorityRule.SimpleOfVotesCast), VoteCount.Empty(3)).Outcome);

    [Fact]
    public void AbstentionsDoNotCountByDefault()
    {
        var decision = Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(yes: 3, no: 2, abstain: 10));

        Assert.Equal(PollOutcome.Adopted, decision.Outcome);
        Assert.Equal(5, decision.Base);
    }

    [Theory]
    [InlineData(10, 5, 5, PollOutcome.Rejected)]
    [InlineData(11, 5, 5, PollOutcome.Adopted)]
    [InlineData(3, 2, 10, PollOutcome.Rejected)]
    [InlineData(11, 0, 10, PollOutcome.Adopted)]
    public void WhenAbstentionsCountYesMustBeatNoAndAbstentionsTogether(int yes, int no, int abstain, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.Simple, abstentionsCount: true), Votes(yes, no, abstain));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(no + abstain + 1, decision.Threshold);
        Assert.Equal(yes + no + abstain, decision.Base);
    }

    // ---- Motions: absolute, two-thirds and custom majorities ----

    [Theory]
    [InlineData(6, 5, 0, PollOutcome.Adopted)]
    [InlineData(5, 5, 0, PollOutcome.Rejected)]
    [InlineData(6, 5, 40, PollOutcome.Adopted)]
    public void AbsoluteMajorityOfVotesCastLeavesAbstentionsOutByDefault(int yes, int no, int abstain, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.Absolute), Votes(yes, no, abstain));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(yes + no, decision.Base);
        Assert.Equal(((yes + no) / 2) + 1, decision.Threshold);
    }

    [Theory]
    [InlineData(6, 3, 3, PollOutcome.Rejected)]
    [InlineData(7, 3, 3, PollOutcome.Adopted)]
    public void AbsoluteMajorityOfVotesCastWithAbstentionsCountsThemInTheBase(int yes, int no, int abstain, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.Absolute, MajorityBase.VotesCast, abstentionsCount: true), Votes(yes, no, abstain));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(yes + no + abstain, decision.Base);
    }

    [Theory]
    [InlineData(51, PollOutcome.Adopted)]
    [InlineData(50, PollOutcome.Rejected)]
    public void AbsoluteMajorityOfMembersPresent(int yes, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.Absolute, MajorityBase.MembersPresent), Votes(yes, no: 0, abstain: 3), present: 100);

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(100, decision.Base);
        Assert.Equal(51, decision.Threshold);
    }

    [Theory]
    [InlineData(76, PollOutcome.Adopted)]
    [InlineData(75, PollOutcome.Rejected)]
    public void AbsoluteMajorityOfAllMembersCountsTheWholeCouncil(int yes, PollOutcome expected)
    {
        // 120 present, yes well ahead of no: only the 151 members decide the threshold.
        var decision = Decide(Motion(MajorityKind.Absolute, MajorityBase.AllMembers), Votes(yes, no: 10, abstain: 0), present: 120, members: 151);

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(151, decision.Base);
        Assert.Equal(76, decision.Threshold);
    }

    [Theory]
    [InlineData(100, 50, PollOutcome.Adopted)]
    [InlineData(99, 51, PollOutcome.Rejected)]
    [InlineData(2, 1, PollOutcome.Adopted)]
    [InlineData(1, 1, PollOutcome.Rejected)]
    public void TwoThirdsMeansAtLeastTwoThirds(int yes, int no, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.TwoThirds), Votes(yes, no, abstain: 0));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(yes + no, decision.Base);
    }

    [Theory]
    [InlineData(101, PollOutcome.Adopted)]
    [InlineData(100, PollOutcome.Rejected)]
    public void TwoThirdsOfAllMembersRoundsTheThresholdUp(int yes, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.TwoThirds, MajorityBase.AllMembers), Votes(yes, no: 0, abstain: 0));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(101, decision.Threshold);
    }

    [Theory]
    [InlineData(75, PollOutcome.Adopted)]
    [InlineData(74, PollOutcome.Rejected)]
    public void CustomThreeQuartersOfMembersPresent(int yes, PollOutcome expected)
    {
        var decision = Decide(Motion(MajorityKind.Custom, MajorityBase.MembersPresent, numerator: 3, denominator: 4), Votes(yes, no: 1, abstain: 0), present: 100);

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(100, decision.Base);
        Assert.Equal(75, decision.Threshold);
    }

    [Theory]
    [InlineData(MajorityKind.Absolute)]
    [InlineData(MajorityKind.TwoThirds)]
    [InlineData(MajorityKind.Custom)]
    public void BaseOfZeroIsRejected(MajorityKind kind)
    {
        var decision = Decide(Motion(kind, MajorityBase.VotesCast, abstentionsCount: false, numerator: 1, denominator: 3), Votes(0, 0, 20));

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Equal(0, decision.Base);
        Assert.Empty(decision.Winners);
    }

    [Fact]
    public void NobodyPresentIsRejectedUnderAMembersPresentRule() =>
        Assert.Equal(PollOutcome.Rejected, Decide(Motion(MajorityKind.Absolute, MajorityBase.MembersPresent), Votes(0, 0, 0), present: 0).Outcome);

    [Fact]
    public void BaseOfHelperPicksTheRulesBase()
    {
        Assert.Equal(10, VoteCounting.BaseOf(new MajorityRule(MajorityKind.Absolute, MajorityBase.VotesCast, false), 10, 5, 80, 151));
        Assert.Equal(15, VoteCounting.BaseOf(new MajorityRule(MajorityKind.Absolute, MajorityBase.VotesCast, true), 10, 5, 80, 151));
        Assert.Equal(80, VoteCounting.BaseOf(new MajorityRule(MajorityKind.Absolute, MajorityBase.MembersPresent, true), 10, 5, 80, 151));
        Assert.Equal(151, VoteCounting.BaseOf(new MajorityRule(MajorityKind.TwoThirds, MajorityBase.AllMembers, false), 10, 5, 80, 151));
    }

    // ---- Single choice ----

    [Fact]
    public void SingleChoiceGoesToTheOptionWithTheMostVotes()
    {
        var decision = Decide(SingleChoice(), Choices(10, 5, 3, 2));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([0], decision.Winners);
        Assert.Empty(decision.Tied);
        Assert.Equal([0, 1, 2], decision.Ranking);
    }

    [Fact]
    public void SingleChoicePluralityNeedsNoMajority()
    {
        var decision = Decide(SingleChoice(), Choices(10, 3, 4, 3));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([1], decision.Winners);
        Assert.Equal([1, 0, 2], decision.Ranking);
    }

    [Fact]
    public void SingleChoiceTieIsReportedNotBroken()
    {
        var decision = Decide(SingleChoice(), Choices(10, 4, 4, 2));

        Assert.Equal(PollOutcome.Tie, decision.Outcome);
        Assert.Equal([0, 1], decision.Tied);
        Assert.Empty(decision.Winners);
    }

    [Fact]
    public void SingleChoiceWithOnlyBlankBallotsIsRejected()
    {
        var decision = Decide(SingleChoice(), new VoteCount([0, 0, 0], 3) { BlankBallots = 3 });

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Winners);
    }

    [Theory]
    [InlineData(5, 3, 2, PollOutcome.Rejected)]
    [InlineData(6, 2, 2, PollOutcome.Decided)]
    public void SingleChoiceUnderAnAbsoluteRuleNeedsMoreThanHalf(int a, int b, int c, PollOutcome expected)
    {
        var decision = Decide(SingleChoice(new MajorityRule(MajorityKind.Absolute, MajorityBase.VotesCast, false)), Choices(a + b + c, a, b, c));

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(6, decision.Threshold);
        int[] winners = expected == PollOutcome.Decided ? [0] : [];
        Assert.Equal(winners, decision.Winners);
    }

    // ---- Multiple choice ----

    [Fact]
    public void MultipleChoiceAdoptsEachOptionMarkedOnMoreThanHalfOfTheNonBlankBallots()
    {
        // 10 ballots, 2 blank: an option needs more than 4 of the 8 marked ballots.
        var decision = Decide(MultipleChoice(), new VoteCount([5, 4, 8, 0], 10) { BlankBallots = 2 });

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([2, 0], decision.Winners);
        Assert.Equal(5, decision.Threshold);
        Assert.Equal(8, decision.Base);
    }

    [Fact]
    public void MultipleChoiceWithBlankBallotsCountingNeedsMoreThanHalfOfAllBallots()
    {
        var decision = Decide(MultipleChoice(new MajorityRule(MajorityKind.Simple, MajorityBase.VotesCast, abstentionsCount: true)), new VoteCount([5, 4, 8, 0], 10) { BlankBallots = 2 });

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([2], decision.Winners);
        Assert.Equal(6, decision.Threshold);
    }

    [Fact]
    public void MultipleChoiceWithNoOptionOverHalfIsRejected()
    {
        var decision = Decide(MultipleChoice(), Choices(10, 5, 5, 5, 0));

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Winners);
    }

    [Fact]
    public void MultipleChoiceUnderAThresholdRuleAdoptsOptionsMeetingIt()
    {
        // Two thirds of the 9 marked ballots: at least 6.
        var decision = Decide(MultipleChoice(new MajorityRule(MajorityKind.TwoThirds, MajorityBase.VotesCast, false)), new VoteCount([6, 5, 9, 1], 10) { BlankBallots = 1 });

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([2, 0], decision.Winners);
        Assert.Equal(6, decision.Threshold);
        Assert.Equal(9, decision.Base);
    }

    // ---- Elections ----

    [Fact]
    public void ElectionElectsTheTopCandidatesForTheSeats()
    {
        var decision = Decide(Election(seats: 2), Choices(10, 9, 7, 3, 2, 0));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([0, 1], decision.Winners);
        Assert.Empty(decision.Tied);
    }

    [Fact]
    public void TieBetweenTwoCandidatesForTheLastSeatIsReported()
    {
        var decision = Decide(Election(seats: 2), Choices(10, 9, 5, 5, 2, 0));

        Assert.Equal(PollOutcome.Tie, decision.Outcome);
        Assert.Equal([0], decision.Winners);
        Assert.Equal([1, 2], decision.Tied);
    }

    [Fact]
    public void TieOfThreeForTwoSeatsElectsNobodyAboveTheLine()
    {
        var decision = Decide(Election(seats: 2), Choices(8, 5, 1, 5, 5, 0));

        Assert.Equal(PollOutcome.Tie, decision.Outcome);
        Assert.Empty(decision.Winners);
        Assert.Equal([0, 2, 3], decision.Tied);
    }

    [Fact]
    public void TieWithinTheSeatsIsDecided()
    {
        var decision = Decide(Election(seats: 2), Choices(10, 6, 6, 3, 0, 0));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([0, 1], decision.Winners);
        Assert.Empty(decision.Tied);
    }

    [Fact]
    public void CandidateWithoutVotesIsNeverElected()
    {
        var decision = Decide(Election(seats: 3), Choices(4, 4, 0, 2, 0, 0));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([0, 2], decision.Winners);
        Assert.DoesNotContain(1, decision.Winners);
    }

    [Fact]
    public void ElectionWithoutAnyVoteIsRejected()
    {
        var decision = Decide(Election(seats: 2), new VoteCount([0, 0, 0, 0, 0], 6) { BlankBallots = 6 });

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Empty(decision.Winners);
        Assert.Empty(decision.Tied);
    }

    [Fact]
    public void ThresholdRuleExcludesCandidatesBelowIt()
    {
        // Absolute majority of the 10 ballots: 6 votes. Only two candidates reach it, so the third seat stays open.
        var decision = Decide(Election(seats: 3, new MajorityRule(MajorityKind.Absolute, MajorityBase.VotesCast, false)), Choices(10, 8, 6, 5, 5, 0));

        Assert.Equal(PollOutcome.Decided, decision.Outcome);
        Assert.Equal([0, 1], decision.Winners);
        Assert.Equal(6, decision.Threshold);
        Assert.Equal(10, decision.Base);
    }

    [Fact]
    public void ThresholdRuleWithNobodyReachingItIsRejected()
    {
        var decision = Decide(Election(seats: 2, new MajorityRule(MajorityKind.Absolute, MajorityBase.AllMembers, false)), Choices(100, 75, 70, 60, 40, 10));

        Assert.Equal(PollOutcome.Rejected, decision.Outcome);
        Assert.Equal(76, decision.Threshold);
    }

    // ---- Quorum ----

    [Fact]
    public void LostQuorumMakesAMotionInvalid()
    {
        var decision = VoteCounting.Decide(Motion(MajorityRule.SimpleOfVotesCast), Votes(70, 0, 0), present: 70, members: Members, quorumMet: false);

        Assert.Equal(PollOutcome.QuorumLost, decision.Outcome);
        Assert.Empty(decision.Winners);
        Assert.Empty(decision.Tied);
    }

    [Fact]
    public void LostQuorumMakesAnElectionInvalid()
    {
        var decision = VoteCounting.Decide(Election(seats: 2), Choices(10, 9, 7, 3, 2, 0), present: 70, members: Members, quorumMet: false);

        Assert.Equal(PollOutcome.QuorumLost, decision.Outcome);
        Assert.Empty(decision.Winners);
        Assert.Equal([0, 1, 2, 3, 4], decision.Ranking);
    }
}
