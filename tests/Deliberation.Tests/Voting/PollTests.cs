using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>The vote's lifecycle (draft → open → closed → published, annulled) and its paper counts, without a database.</summary>
public sealed class PollTests
{
    private const string Question = "是否同意旧住房改造方案?";

    private static readonly DateTime Now = new(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc);

    private static readonly PollSpec Motion = PollSpec.YesNoAbstain(Secrecy.Named, MajorityRule.SimpleOfVotesCast);

    private static readonly PollSpec UpToTwoOfFour =
        new(VoteMethod.MultipleChoice, ["加装电梯", "更换水管", "外墙保温", "增设车位"], 1, 2, 0, Secrecy.Secret, MajorityRule.SimpleOfVotesCast);

    private static Poll Draft(PollSpec? spec = null) => Poll.Draft(1, 2, Question, spec ?? Motion, "chair-user-id", Now);

    private static Poll Open(int eligible = 10, PollSpec? spec = null)
    {
        var poll = Draft(spec);
        poll.Open(eligible, Now, null);
        return poll;
    }

    private static Poll Closed(int eligible = 10)
    {
        var poll = Open(eligible);
        poll.Close(VoteCount.Empty(3), 80, 151, true, Now.AddMinutes(5));
        return poll;
    }

    [Fact]
    public void DraftKeepsTheValidatedSpec()
    {
        var poll = Draft(UpToTwoOfFour with { Options = [" 加装电梯 ", "更换水管", "外墙保温", "增设车位"] });

        Assert.Equal(PollStatus.Draft, poll.Status);
        Assert.Equal(Question, poll.Question);
        Assert.Equal(VoteMethod.MultipleChoice, poll.Method);
        Assert.Equal(Secrecy.Secret, poll.Secrecy);
        Assert.Equal((1, 2, 0), (poll.MinChoices, poll.MaxChoices, poll.Seats));
        Assert.Equal(["加装电梯", "更换水管", "外墙保温", "增设车位"], poll.Spec.Options);
        Assert.Equal([0, 1, 2, 3], poll.Options.Select(o => o.Index));
        Assert.Equal("chair-user-id", poll.CreatedByUserId);
        Assert.Equal(Now, poll.CreatedAtUtc);
        Assert.Null(poll.OpenedAtUtc);
        Assert.Null(poll.Outcome);
        Assert.Null(poll.Decision);
        Assert.False(poll.CountsVisible);
    }

    [Fact]
    public void InvalidSpecIsRefusedAtDraft() =>
        Assert.Equal("Poll.TooFewOptions", Assert.Throws<DomainException>(() => Draft(UpToTwoOfFour with { Options = ["加装电梯"] })).Code);

    [Fact]
    public void EmptyQuestionIsRequired() =>
        Assert.Equal("Poll.Question.Required", Assert.Throws<DomainException>(() => Poll.Draft(1, 2, "  ", Motion, "chair", Now)).Code);

    [Fact]
    public void QuestionLongerThanTheLimitIsRefused() =>
        Assert.Equal("Poll.Question.TooLong", Assert.Throws<DomainException>(() => Poll.Draft(1, 2, new string('问', Limits.Question + 1), Motion, "chair", Now)).Code);

    [Fact]
    public void OpenedPollAcceptsBallots()
    {
        var poll = Draft();

        poll.Open(151, Now, TimeSpan.FromMinutes(10));

        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Equal(151, poll.EligibleAtOpen);
        Assert.Equal(Now, poll.OpenedAtUtc);
        Assert.Equal(Now.AddMinutes(10), poll.ClosesAtUtc);
        Assert.Equal(0, poll.BallotCount);
        poll.EnsureAcceptsBallots();
    }

    [Fact]
    public void DraftRefusesBallots() =>
        Assert.Equal("Poll.NotOpenYet", Assert.Throws<DomainException>(Draft().EnsureAcceptsBallots).Code);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void OpenWithNoEligibleVotersIsRefused(int eligible)
    {
        var poll = Draft();

        Assert.Equal("Poll.NoEligibleVoters", Assert.Throws<DomainException>(() => poll.Open(eligible, Now, null)).Code);
        Assert.Equal(PollStatus.Draft, poll.Status);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(24 * 60 * 60 + 1)]
    public void ClosingTimeOutOfRangeIsRefused(int seconds)
    {
        var poll = Draft();

        var ex = Assert.Throws<DomainException>(() => poll.Open(10, Now, TimeSpan.FromSeconds(seconds)));

        Assert.Equal("Poll.TimerOutOfRange", ex.Code);
        Assert.Equal([10, 24 * 60 * 60], ex.Arguments);
        Assert.Equal(PollStatus.Draft, poll.Status);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(24 * 60 * 60)]
    public void ClosingTimeAtTheBoundsIsAccepted(int seconds)
    {
        var poll = Draft();

        poll.Open(10, Now, TimeSpan.FromSeconds(seconds));

        Assert.Equal(Now.AddSeconds(seconds), poll.ClosesAtUtc);
    }

    [Fact]
    public void CannotOpenTwice()
    {
        var poll = Open();

        Assert.Equal("Poll.AlreadyOpen", Assert.Throws<DomainException>(() => poll.Open(20, Now.AddMinutes(1), null)).Code);
        Assert.Equal(10, poll.EligibleAtOpen);
        Assert.Equal(Now, poll.OpenedAtUtc);
    }

    [Fact]
    public void ClosedVoteCannotBeReopened()
    {
        var poll = Closed();

        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.Open(10, Now.AddHours(1), null)).Code);
        Assert.Equal(PollStatus.Closed, poll.Status);

        poll.Publish(Now.AddHours(1));
        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.Open(10, Now.AddHours(2), null)).Code);
        Assert.Equal(PollStatus.Published, poll.Status);
    }

    [Fact]
    public void ClosingDecidesOnElectronicAndPaperBallotsTogether()
    {
        var poll = Open(eligible: 10);
        poll.RecordPaperCount(9, [5, 3, 1], 0, eligible: 10);

        var decision = poll.Close(VoteCount.Empty(3), present: 80, members: 151, quorumMet: true, Now.AddMinutes(5));

        Assert.Equal(PollOutcome.Adopted, decision.Outcome);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Equal(PollOutcome.Adopted, poll.Outcome);
        Assert.Equal(Now.AddMinutes(5), poll.ClosedAtUtc);
        Assert.Equal((80, 151), (poll.PresentAtClose, poll.MembersAtClose));
        VoteAssert.Equal(decision, poll.Decision);
        Assert.True(poll.CountsVisible);
    }

    [Fact]
    public void ClosingWithoutQuorumRecordsQuorumLost()
    {
        var poll = Open();
        poll.RecordPaperCount(5, [5, 0, 0], 0, eligible: 10);

        var decision = poll.Close(VoteCount.Empty(3), present: 70, members: 151, quorumMet: false, Now);

        Assert.Equal(PollOutcome.QuorumLost, decision.Outcome);
        Assert.Equal(PollOutcome.QuorumLost, poll.Outcome);
    }

    [Fact]
    public void CountedBallotsMustMatchTheCounters()
    {
        var poll = Open();

        Assert.Throws<InvalidOperationException>(() => poll.Close(new VoteCount([1, 0, 0], 1), 80, 151, true, Now));
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Null(poll.Outcome);
        Assert.Null(poll.DecisionJson);
    }

    [Fact]
    public void CloseTwiceIsRefused()
    {
        var poll = Closed();

        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.Close(VoteCount.Empty(3), 80, 151, true, Now.AddHours(1))).Code);
        Assert.Equal(Now.AddMinutes(5), poll.ClosedAtUtc);
    }

    [Fact]
    public void BallotsAreRefusedFromTheClosingTimeOnEvenBeforeTheVoteIsClosed()
    {
        var poll = Draft();
        poll.Open(10, Now, TimeSpan.FromSeconds(30));

        poll.EnsureAcceptsBallots(Now.AddSeconds(29.999));

        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.EnsureAcceptsBallots(Now.AddSeconds(30))).Code);
        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.EnsureAcceptsBallots(Now.AddHours(1))).Code);
        Assert.Equal(PollStatus.Open, poll.Status);
    }

    [Fact]
    public void VoteWithoutClosingTimeAcceptsBallotsUntilClosed()
    {
        var poll = Open();

        poll.EnsureAcceptsBallots(Now.AddDays(2));

        Assert.Equal("Poll.NotOpenYet", Assert.Throws<DomainException>(() => Draft().EnsureAcceptsBallots(Now)).Code);
    }

    [Fact]
    public void ClosedPollRefusesBallots() =>
        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(Closed().EnsureAcceptsBallots).Code);

    // ---- Paper counts ----

    [Fact]
    public void PaperCountIsPartOfTheTotal()
    {
        var poll = Open(eligible: 20, UpToTwoOfFour);

        poll.RecordPaperCount(ballots: 6, optionVotes: [4, 3, 2, 0], blankBallots: 0, eligible: 20);

        VoteAssert.Equal(VoteAssert.Count([4, 3, 2, 0], 6), poll.PaperCount());
        VoteAssert.Equal(VoteCount.Empty(4), poll.ElectronicCount());
        VoteAssert.Equal(poll.ElectronicCount().Add(poll.PaperCount()), poll.TotalCount());
        VoteAssert.Equal(VoteAssert.Count([4, 3, 2, 0], 6), poll.TotalCount());
        Assert.Equal([4, 3, 2, 0], poll.Options.Select(o => o.PaperVotes));
    }

    [Fact]
    public void PaperCountReplacesTheEarlierEntry()
    {
        var poll = Open(eligible: 20);
        poll.RecordPaperCount(6, [4, 1, 1], 0, 20);

        poll.RecordPaperCount(3, [1, 1, 1], 0, 20);

        VoteAssert.Equal(VoteAssert.Count([1, 1, 1], 3), poll.TotalCount());
    }

    [Fact]
    public void PaperTotalAboveTheEligibleIsRefused()
    {
        var poll = Open(eligible: 10);

        var ex = Assert.Throws<DomainException>(() => poll.RecordPaperCount(11, [6, 5, 0], 0, eligible: 10));

        Assert.Equal("Paper.ExceedsEligible", ex.Code);
        Assert.Equal([0, 11, 10], ex.Arguments);
        Assert.Equal(0, poll.PaperBallots);
        VoteAssert.Equal(VoteCount.Empty(3), poll.TotalCount());
    }

    [Fact]
    public void PaperTotalOfExactlyTheEligibleIsAccepted()
    {
        var poll = Open(eligible: 10);

        poll.RecordPaperCount(10, [6, 4, 0], 0, eligible: 10);

        Assert.Equal(10, poll.PaperBallots);
    }

    [Theory]
    [InlineData(5, new[] { 3, 1, 0 })]
    [InlineData(5, new[] { 3, 2, 1 })]
    [InlineData(0, new[] { 1, 0, 0 })]
    public void PaperMarksMustMatchTheBallotsOfAMotion(int ballots, int[] votes)
    {
        var poll = Open(eligible: 10);

        var refused = Assert.Throws<DomainException>(() => poll.RecordPaperCount(ballots, votes, 0, 10));
        Assert.Equal("Paper.MarksMustEqualBallots", refused.Code);
        Assert.Equal<object>([ballots, votes.Sum()], refused.Arguments);
        Assert.Equal(0, poll.PaperBallots);
    }

    [Fact]
    public void PaperMarksMustFitTheChoiceLimits()
    {
        var poll = Open(eligible: 20, UpToTwoOfFour);

        // 4 ballots with 1 to 2 marks each: between 4 and 8 marks; 2 blank ballots carry none.
        Assert.Equal("Paper.MarksDoNotMatchBallots", Assert.Throws<DomainException>(() => poll.RecordPaperCount(4, [3, 3, 3, 0], 0, 20)).Code);
        Assert.Equal("Paper.MarksDoNotMatchBallots", Assert.Throws<DomainException>(() => poll.RecordPaperCount(4, [1, 1, 1, 0], 0, 20)).Code);
        Assert.Equal("Paper.MarksDoNotMatchBallots", Assert.Throws<DomainException>(() => poll.RecordPaperCount(4, [2, 2, 2, 2], 2, 20)).Code);
        // More blank ballots than ballots is no count at all (it was reported as "-1 marked ballots").
        Assert.Equal("Paper.Invalid", Assert.Throws<DomainException>(() => poll.RecordPaperCount(2, [0, 0, 0, 0], 3, 20)).Code);
        poll.RecordPaperCount(6, [2, 2, 2, 2], 2, 20);

        VoteAssert.Equal(VoteAssert.Count([2, 2, 2, 2], 6, blank: 2), poll.TotalCount());
    }

    [Theory]
    [InlineData(3, new[] { 1, 1 }, 0)]
    [InlineData(3, new[] { 1, 1, 1, 0 }, 0)]
    [InlineData(-1, new[] { 0, 0, 0 }, 0)]
    [InlineData(1, new[] { 2, -1, 0 }, 0)]
    [InlineData(3, new[] { 1, 1, 0 }, 1)]
    public void MalformedPaperCountOfAMotionIsRefused(int ballots, int[] votes, int blank)
    {
        var poll = Open(eligible: 10);

        Assert.Equal("Paper.Invalid", Assert.Throws<DomainException>(() => poll.RecordPaperCount(ballots, votes, blank, 10)).Code);
        Assert.Equal(0, poll.PaperBallots);
    }

    [Fact]
    public void PaperCountNeedsAnOpenVote()
    {
        Assert.Equal("Poll.NotOpenYet", Assert.Throws<DomainException>(() => Draft().RecordPaperCount(1, [1, 0, 0], 0, 10)).Code);
        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => Closed().RecordPaperCount(1, [1, 0, 0], 0, 10)).Code);
    }

    // ---- Publishing ----

    [Fact]
    public void PublishingNeedsAClosedVote()
    {
        Assert.Equal("Poll.NotClosed", Assert.Throws<DomainException>(() => Draft().Publish(Now)).Code);
        Assert.Equal("Poll.NotClosed", Assert.Throws<DomainException>(() => Open().Publish(Now)).Code);

        var poll = Closed();
        poll.Publish(Now.AddHours(1));

        Assert.Equal(PollStatus.Published, poll.Status);
        Assert.Equal(Now.AddHours(1), poll.PublishedAtUtc);
        Assert.Equal("Poll.AlreadyPublished", Assert.Throws<DomainException>(() => poll.Publish(Now.AddHours(2))).Code);
        Assert.Equal(Now.AddHours(1), poll.PublishedAtUtc);
    }

    // ---- Annulment ----

    [Fact]
    public void AnnulmentNeedsAClosedVote()
    {
        Assert.Equal("Poll.NotClosed", Assert.Throws<DomainException>(() => Draft().Annul("chair", Roles.Chair, "程序错误", Now)).Code);
        Assert.Equal("Poll.NotClosed", Assert.Throws<DomainException>(() => Open().Annul("chair", Roles.Chair, "程序错误", Now)).Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void FirstAnnulmentRequestNeedsAReason(string? reason)
    {
        var poll = Closed();

        Assert.Equal("Poll.AnnulmentReason.Required", Assert.Throws<DomainException>(() => poll.Annul("chair", Roles.Chair, reason, Now)).Code);
        Assert.Null(poll.AnnulmentRequestedByUserId);
        Assert.Null(poll.AnnulmentReason);
    }

    [Fact]
    public void ChairAndSecretaryTogetherAnnulAVote()
    {
        var poll = Closed();

        Assert.False(poll.Annul("chair", Roles.Chair, "  表决时到会人数统计有误  ", Now.AddHours(1)));
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Equal("表决时到会人数统计有误", poll.AnnulmentReason);
        Assert.Equal("chair", poll.AnnulmentRequestedByUserId);
        Assert.Equal(Roles.Chair, poll.AnnulmentRequestedAs);

        Assert.True(poll.Annul("secretary", Roles.Secretary, null, Now.AddHours(2)));
        Assert.Equal(PollStatus.Annulled, poll.Status);
        Assert.Equal("secretary", poll.AnnulledByUserId);
        Assert.Equal(Now.AddHours(2), poll.AnnulledAtUtc);
        Assert.Equal("表决时到会人数统计有误", poll.AnnulmentReason);
    }

    [Fact]
    public void SecretaryMayAskAndTheChairConfirm()
    {
        var poll = Closed();
        poll.Publish(Now);

        Assert.False(poll.Annul("secretary", Roles.Secretary, "选票统计错误", Now));
        Assert.True(poll.Annul("chair", Roles.Chair, null, Now));
        Assert.Equal(PollStatus.Annulled, poll.Status);
    }

    [Fact]
    public void TheSamePersonCannotAnnulAlone()
    {
        var poll = Closed();
        poll.Annul("chair", Roles.Chair, "程序错误", Now);

        var ex = Assert.Throws<DomainException>(() => poll.Annul("chair", Roles.Secretary, null, Now));

        Assert.Equal("Poll.AnnulmentNeedsSecondPerson", ex.Code);
        Assert.Equal(PollStatus.Closed, poll.Status);
    }

    [Fact]
    public void TwoPeopleInTheSameRoleCannotAnnul()
    {
        var poll = Closed();
        poll.Annul("chair", Roles.Chair, "程序错误", Now);

        Assert.Equal("Poll.AnnulmentNeedsSecondPerson", Assert.Throws<DomainException>(() => poll.Annul("admin", Roles.Chair, null, Now)).Code);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Null(poll.AnnulledByUserId);
    }

    [Fact]
    public void AnnulledVoteCannotBePublishedOrAnnulledAgain()
    {
        var poll = Closed();
        poll.Annul("chair", Roles.Chair, "程序错误", Now);
        poll.Annul("secretary", Roles.Secretary, null, Now);

        Assert.Equal("Poll.NotClosed", Assert.Throws<DomainException>(() => poll.Publish(Now)).Code);
        Assert.Equal("Poll.AlreadyAnnulled", Assert.Throws<DomainException>(() => poll.Annul("chair", Roles.Chair, "再次", Now)).Code);
        Assert.Equal("Poll.Closed", Assert.Throws<DomainException>(() => poll.Open(10, Now, null)).Code);
        Assert.Equal(PollStatus.Annulled, poll.Status);
        Assert.Null(poll.PublishedAtUtc);
    }

    // ---- Visibility ----

    [Fact]
    public void SecretCountsStayHiddenUntilTheVoteCloses()
    {
        var poll = Open(eligible: 20, UpToTwoOfFour);
        Assert.False(poll.CountsVisible);

        poll.RecordPaperCount(1, [1, 0, 0, 0], 0, 20);
        poll.Close(VoteCount.Empty(4), 80, 151, true, Now);

        Assert.True(poll.CountsVisible);
    }

    [Fact]
    public void NamedCountsAreVisibleWhileOpen()
    {
        Assert.False(Draft().CountsVisible);
        Assert.True(Open().CountsVisible);
    }
}
