using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class PollTests
{
    private static readonly DateTime Now = new(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc);

    private static Poll OpenPoll(int eligible = 10) => Poll.Open(1, 2, "是否同意旧住房改造方案?", eligible, "chair-user-id", Now);

    [Fact]
    public void OpenedPollAcceptsBallots()
    {
        var poll = OpenPoll(eligible: 151);

        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Equal(151, poll.EligibleAtOpen);
        Assert.Equal(0, poll.BallotCount);
        Assert.Equal(MajorityRule.SimpleMajorityOfVotesCast, poll.Rule);
        Assert.Null(poll.Result);
        Assert.Null(poll.Outcome);
        poll.EnsureAcceptsBallots();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void OpenWithNoEligibleVotersIsRefused(int eligible)
    {
        var ex = Assert.Throws<DomainException>(() => OpenPoll(eligible));

        Assert.Equal("Poll.NoEligibleVoters", ex.Code);
    }

    [Fact]
    public void EmptyQuestionIsRequired()
    {
        var ex = Assert.Throws<DomainException>(() => Poll.Open(1, 2, "  ", 5, "chair", Now));

        Assert.Equal("Poll.Question.Required", ex.Code);
    }

    [Fact]
    public void QuestionLongerThanTheLimitIsRefused()
    {
        var ex = Assert.Throws<DomainException>(() => Poll.Open(1, 2, new string('问', Limits.Question + 1), 5, "chair", Now));

        Assert.Equal("Poll.Question.TooLong", ex.Code);
    }

    [Fact]
    public void ClosingFixesResultAndOutcome()
    {
        var poll = OpenPoll();

        var outcome = poll.Close(Tally.Empty, Now.AddMinutes(5));

        Assert.Equal(PollOutcome.Rejected, outcome);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Equal(Tally.Empty, poll.Result);
        Assert.Equal(PollOutcome.Rejected, poll.Outcome);
        Assert.Equal(Now.AddMinutes(5), poll.ClosedAtUtc);
    }

    [Fact]
    public void CloseTwiceIsRefused()
    {
        var poll = OpenPoll();
        poll.Close(Tally.Empty, Now.AddMinutes(5));

        var ex = Assert.Throws<DomainException>(() => poll.Close(Tally.Empty, Now.AddMinutes(6)));

        Assert.Equal("Poll.Closed", ex.Code);
        Assert.Equal(Now.AddMinutes(5), poll.ClosedAtUtc);
    }

    [Fact]
    public void ClosedPollRefusesBallots()
    {
        var poll = OpenPoll();
        poll.Close(Tally.Empty, Now);

        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(poll.EnsureAcceptsBallots).Code);
    }

    [Fact]
    public void FinalTallyMustMatchTheRecordedBallotCount()
    {
        var poll = OpenPoll();

        Assert.Throws<InvalidOperationException>(() => poll.Close(new Tally(1, 0, 0), Now));
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Null(poll.Result);
    }

    [Theory]
    [InlineData(BallotChoice.Yes)]
    [InlineData(BallotChoice.No)]
    [InlineData(BallotChoice.Abstain)]
    public void BallotKeepsItsChoice(BallotChoice choice)
    {
        var ballot = new Ballot(7, 11, choice, "rep-user-id", Now);

        Assert.Equal(choice, ballot.Choice);
        Assert.Equal(7, ballot.PollId);
        Assert.Equal(11, ballot.MembershipId);
        Assert.Equal("rep-user-id", ballot.CastByUserId);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(99)]
    public void BallotWithUndefinedChoiceIsRefused(int value)
    {
        var ex = Assert.Throws<DomainException>(() => new Ballot(7, 11, (BallotChoice)value, "rep-user-id", Now));

        Assert.Equal("Ballot.InvalidChoice", ex.Code);
    }
}
