using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class VoteRulesTests
{
    private static PollOutcome Decide(int yes, int no, int abstain) =>
        VoteRules.Decide(new Tally(yes, no, abstain), MajorityRule.SimpleMajorityOfVotesCast);

    [Fact]
    public void MoreYesThanNoIsAdopted() => Assert.Equal(PollOutcome.Adopted, Decide(yes: 77, no: 75, abstain: 0));

    [Fact]
    public void OneVoteMajorityIsAdopted() => Assert.Equal(PollOutcome.Adopted, Decide(yes: 1, no: 0, abstain: 0));

    [Fact]
    public void MoreNoThanYesIsRejected() => Assert.Equal(PollOutcome.Rejected, Decide(yes: 10, no: 11, abstain: 0));

    [Fact]
    public void TieIsNotAdopted() => Assert.Equal(PollOutcome.Rejected, Decide(yes: 40, no: 40, abstain: 5));

    [Fact]
    public void AllAbstainIsRejected() => Assert.Equal(PollOutcome.Rejected, Decide(yes: 0, no: 0, abstain: 151));

    [Fact]
    public void ZeroBallotsIsRejected() => Assert.Equal(PollOutcome.Rejected, VoteRules.Decide(Tally.Empty, MajorityRule.SimpleMajorityOfVotesCast));

    [Fact]
    public void AbstentionsDoNotCountEitherWay() => Assert.Equal(PollOutcome.Adopted, Decide(yes: 3, no: 2, abstain: 10));

    [Fact]
    public void AbstentionsDoNotTurnATieIntoAdoption() => Assert.Equal(PollOutcome.Rejected, Decide(yes: 2, no: 2, abstain: 100));

    [Fact]
    public void UnknownRuleThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VoteRules.Decide(new Tally(1, 0, 0), (MajorityRule)42));
}
