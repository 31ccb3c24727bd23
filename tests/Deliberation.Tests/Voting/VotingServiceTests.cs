using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Opening, casting and closing votes through the real <see cref="VotingService"/> on a real SQLite file loaded with
/// the seeds: the Jiangchuan council's second term (chair + secretary + rep001..rep150; 151 voting members, quorum 76).
/// Every test opens its own session, so tests do not share polls.
/// </summary>
public sealed class VotingServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private const int UnknownId = 987_654_321;

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private Actor Chair => _council.Chair;

    private Actor Rep(int number) => _council.Rep(number);

    // ---- Opening ----

    [Fact]
    public async Task ChairOpensAPollForTheCheckedInMembers()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1, 2, 3);
        await _council.EnsureQuorumAsync(sessionId);
        Assert.Equal(CheckInOutcome.CheckedIn, await _council.Sessions.CheckInAsync(_council.Secretary, sessionId));

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意改造方案?");

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(sessionId, poll.SessionId);
        Assert.Equal(itemId, poll.AgendaItemId);
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Equal("是否同意改造方案?", poll.Question);
        Assert.Equal(VoteMethod.YesNoAbstain, poll.Method);
        Assert.Equal(Secrecy.Named, poll.Secrecy);
        Assert.Equal(MajorityRule.SimpleOfVotesCast, poll.Rule);
        Assert.Equal(["Yes", "No", "Abstain"], poll.Options.OrderBy(o => o.Index).Select(o => o.Label));
        Assert.Equal(JiangchuanCouncil.Quorum, poll.EligibleAtOpen);
        Assert.Equal(0, poll.BallotCount);
        Assert.Null(poll.ClosesAtUtc);
        Assert.NotNull(poll.OpenedAtUtc);
        Assert.Equal(_council.UserId("chair"), poll.CreatedByUserId);
    }

    [Fact]
    public async Task PollCannotBeOpenedBeforeAnyoneChecksIn()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "无人到场时的表决"));

        Assert.Equal("Quorum.NotMet", ex.Code);
        Assert.Equal([76, 0, 76], ex.Arguments);
        Assert.Equal(0, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task OpeningIsRefusedOneMemberShortOfTheQuorum()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, 75));
        var pollId = await Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, pollId));

        Assert.Equal("Quorum.NotMet", ex.Code);
        Assert.Equal([1, 75, 76], ex.Arguments);
        Assert.Equal(PollStatus.Draft, (await _council.LoadPollAsync(pollId)).Status);

        await _council.CheckInAsync(sessionId, 76);
        await Voting.OpenPollAsync(Chair, pollId);

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Equal(76, poll.EligibleAtOpen);
    }

    [Fact]
    public async Task SecretaryAndObserversDoNotCountTowardsTheQuorum()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, 75));
        Assert.Equal(CheckInOutcome.CheckedIn, await _council.Sessions.CheckInAsync(_council.Secretary, sessionId));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "秘书不计入法定人数"));

        Assert.Equal("Quorum.NotMet", ex.Code);
        Assert.Equal(1, ex.Arguments[0]);
    }

    [Fact]
    public async Task PollCannotBeOpenedInADraftSession()
    {
        var sessionId = await _council.ScheduleAsync("尚未开始的会议");
        var itemId = (await _council.LoadSessionAsync(sessionId)).Agenda.Single(a => a.Position == 1).Id;

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "提前表决"));

        Assert.Equal("Session.NotOpenYet", ex.Code);
        Assert.Equal(0, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task PollOnAnItemOfAnotherSessionIsRefused()
    {
        var (sessionId, _) = await _council.OpenSessionWithQuorumAsync(1);
        var (_, otherItemId) = await _council.OpenSessionAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, otherItemId, "别的会议的议题"));

        Assert.Equal("Agenda.UnknownItem", ex.Code);
        Assert.Equal(0, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task InvalidSpecIsRefusedAndNothingIsStored()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        var input = new PollInput(itemId, "选举居民小组长", VoteMethod.Election, ["张伟", "王芳", "李娜"], 0, 0, 3, Secrecy.Secret, MajorityKind.Simple, MajorityBase.VotesCast, false);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CreatePollAsync(Chair, sessionId, input));

        Assert.Equal("Poll.SeatsOutOfRange", ex.Code);
        Assert.Equal("Rule.InvalidFraction", (await Assert.ThrowsAsync<DomainException>(() =>
            Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId) with { Majority = MajorityKind.Custom, Numerator = 5, Denominator = 4 }))).Code);
        Assert.Equal(0, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task NonChairCannotOpenOrClosePoll()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1);

        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.OpenPollAsync(Rep(1), sessionId, itemId, "代表自行发起的表决"));
        Assert.Equal(0, await _council.PollCountAsync(sessionId));

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意?");
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.ClosePollAsync(Rep(1), pollId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.ClosePollAsync(_council.Secretary, pollId));

        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
        Assert.Equal(1, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task PlatformAdminDoesNotCloseACouncilsVote()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => Voting.ClosePollAsync(_council.Admin, pollId));

        Assert.Equal("Office.Presides", ex.Code);
        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
    }

    [Fact]
    public async Task CannotOpenSecondPollWhileOneIsOpen()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1);
        await Voting.OpenPollAsync(Chair, sessionId, itemId, "第一个表决");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "第二个表决"));

        Assert.Equal("Poll.AnotherIsOpen", ex.Code);
        Assert.Equal(1, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task NextPollMayOpenOnceThePreviousIsClosed()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1);
        await Voting.ClosePollAsync(Chair, await Voting.OpenPollAsync(Chair, sessionId, itemId, "第一个表决"));

        var second = await Voting.OpenPollAsync(Chair, sessionId, itemId, "第二个表决");

        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(second)).Status);
        Assert.Equal(2, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task PollInUnknownSessionIsNotFound()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => Voting.OpenPollAsync(Chair, UnknownId, 1, "?"));

        Assert.Equal("Session", ex.What);
    }

    // ---- Casting: bad input ----

    [Fact]
    public async Task UnknownPollIsNotFound()
    {
        await _council.OpenSessionWithQuorumAsync(1);

        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.CastAsync(Rep(1), UnknownId, BallotChoice.Yes))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.CastAsync(Rep(1), UnknownId, [0], "key"))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.OpenPollAsync(Chair, UnknownId))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.ClosePollAsync(Chair, UnknownId))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.RecordPaperCountAsync(Chair, UnknownId, 1, [1, 0, 0]))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.PublishAsync(Chair, UnknownId))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.AnnulAsync(Chair, UnknownId, "?"))).What);
        Assert.Null(await Voting.FindFinishedAsync(UnknownId));
    }

    [Fact]
    public async Task RejectsBallotAfterClose()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes)).Outcome);
        await Voting.ClosePollAsync(Chair, pollId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(2), pollId, BallotChoice.No));

        Assert.Equal("Poll.Closed", ex.Code);
        Assert.Equal(1, await _council.BallotRowsAsync(pollId));
        Assert.Single(await _council.ParticipationsAsync(pollId));
        var closed = await Voting.FindFinishedAsync(pollId);
        Assert.NotNull(closed);
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), closed.Poll.Count);
        Assert.Equal(sessionId, closed.SessionId);
    }

    [Fact]
    public async Task DraftVoteRefusesBallots()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1);
        var pollId = await Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes));

        Assert.Equal("Poll.NotOpenYet", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));
    }

    [Theory]
    [InlineData("resident", Roles.Resident)]
    [InlineData("expert", Roles.Expert)]
    [InlineData("stakeholder", Roles.Stakeholder)]
    [InlineData("secretary", Roles.Secretary)]
    public async Task ObserverCannotVote(string userName, string role)
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);
        var observer = _council.ActorFor(userName, role);
        if (userName == "secretary")
        {
            // The secretary sits on the council and may check in, but has no vote.
            Assert.Equal(CheckInOutcome.CheckedIn, await _council.Sessions.CheckInAsync(observer, sessionId));
        }

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => Voting.CastAsync(observer, pollId, BallotChoice.Yes));

        Assert.Equal("Ballot.NotEligible", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));
    }

    [Fact]
    public async Task MemberMustCheckInBeforeVoting()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(2), pollId, BallotChoice.Yes));

        Assert.Equal("Ballot.NotCheckedIn", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task UndefinedChoiceIsRefused()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, (BallotChoice)3));

        Assert.Equal("Ballot.InvalidChoice", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task WrongNumberOfChoicesStoresNothing()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(
            item => new PollInput(item, "优先实施哪些改造项目?", VoteMethod.MultipleChoice, ["加装电梯", "更换水管", "外墙保温", "增设车位"], 1, 2, 0,
                Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, false),
            1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, [0, 1, 2]));

        Assert.Equal("Ballot.WrongNumberOfChoices", ex.Code);
        Assert.Equal([1, 2, 3], ex.Arguments);
        Assert.Equal("Ballot.WrongNumberOfChoices", (await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, []))).Code);
        Assert.Equal("Ballot.UnknownOption", (await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, [4]))).Code);
        Assert.Equal("Ballot.DuplicateOption", (await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, [2, 2]))).Code);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(0, poll.BallotCount);
        VoteAssert.Equal(VoteCount.Empty(4), poll.ElectronicCount());
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));

        // The member may still vote properly afterwards.
        var accepted = await Voting.CastAsync(Rep(1), pollId, [2, 0]);
        Assert.Equal(CastOutcome.Accepted, accepted.Outcome);
        Assert.Equal([0, 2], accepted.Selections);
    }

    // ---- Casting and counting ----

    [Fact]
    public async Task SecondBallotStoresNothingAndSaysSo()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        var membershipId = await _council.RepMembershipIdAsync(1);

        var first = await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        var second = await Voting.CastAsync(Rep(1), pollId, BallotChoice.No);

        Assert.Equal(CastOutcome.Accepted, first.Outcome);
        Assert.Equal(membershipId, first.MembershipId);
        Assert.Equal([PollSpec.Yes], first.Selections);
        Assert.Null(first.ReceiptCode);
        Assert.Equal(1, first.Ballots);
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), first.Count);
        Assert.Equal(CastOutcome.AlreadyVoted, second.Outcome);
        Assert.Equal([PollSpec.Yes], second.Selections);
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), second.Count);

        var ballot = Assert.Single(await _council.BallotsAsync(pollId));
        Assert.Equal([PollSpec.Yes], ballot.SelectedOptions);
        Assert.Equal(membershipId, ballot.MembershipId);
        Assert.Equal(_council.UserId("rep001"), ballot.CastByUserId);
        var participation = Assert.Single(await _council.ParticipationsAsync(pollId));
        Assert.Equal(membershipId, participation.MembershipId);
        Assert.False(participation.IsProxy);
        Assert.Equal(1, (await _council.LoadPollAsync(pollId)).BallotCount);
    }

    [Fact]
    public async Task OpenPollHasNoPermalinkYet()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        Assert.Null(await Voting.FindFinishedAsync(pollId));
    }

    [Fact]
    public async Task ClosingTwiceIsRefused()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.ClosePollAsync(Chair, pollId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.ClosePollAsync(Chair, pollId));

        Assert.Equal("Poll.Closed", ex.Code);
    }

    [Fact]
    public async Task ClosingStoresTheResultAndTheOutcome()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4, 5, 6);
        await CastAllAsync(pollId, (1, BallotChoice.Yes), (2, BallotChoice.Yes), (3, BallotChoice.Yes), (4, BallotChoice.No), (5, BallotChoice.Abstain), (6, BallotChoice.Abstain));

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(PollStatus.Closed, closed.Status);
        VoteAssert.Equal(VoteAssert.Count([3, 1, 2], 6), closed.Count);
        Assert.Equal(6, closed.Ballots);
        Assert.Equal(PollOutcome.Adopted, closed.Outcome);
        Assert.Equal(MajorityRule.SimpleOfVotesCast, closed.Rule);
        Assert.Equal(JiangchuanCouncil.Quorum, closed.EligibleAtOpen);
        Assert.Equal(JiangchuanCouncil.Quorum, closed.PresentAtClose);
        Assert.Equal(JiangchuanCouncil.VotingMembers, closed.MembersAtClose);
        Assert.NotNull(closed.ClosedAtUtc);
        Assert.NotNull(closed.Decision);
        Assert.Equal(PollOutcome.Adopted, closed.Decision.Outcome);
        Assert.Equal(4, closed.Decision.Base);
        Assert.Equal(2, closed.Decision.Threshold);
        Assert.Equal([PollSpec.Yes], closed.Decision.Winners);

        var stored = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Closed, stored.Status);
        VoteAssert.Equal(VoteAssert.Count([3, 1, 2], 6), stored.TotalCount());
        Assert.Equal(PollOutcome.Adopted, stored.Outcome);
        Assert.Equal(6, stored.BallotCount);
        VoteAssert.Equal(closed.Decision, stored.Decision);

        var permalink = await Voting.FindFinishedAsync(pollId);
        Assert.NotNull(permalink);
        VoteAssert.Equal(closed, permalink.Poll);
        Assert.Equal(sessionId, permalink.SessionId);
        Assert.Equal(JiangchuanCouncil.Question, permalink.Poll.Question);
        Assert.Equal("议事会会议", permalink.SessionTitle);
    }

    [Fact]
    public async Task TieIsRejectedOnClose()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4, 5);
        await CastAllAsync(pollId, (1, BallotChoice.Yes), (2, BallotChoice.Yes), (3, BallotChoice.No), (4, BallotChoice.No), (5, BallotChoice.Abstain));

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        VoteAssert.Equal(VoteAssert.Count([2, 2, 1], 5), closed.Count);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
    }

    [Fact]
    public async Task PollWithoutBallotsClosesRejected()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        VoteAssert.Equal(VoteCount.Empty(3), closed.Count);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
    }

    [Theory]
    [InlineData(MajorityKind.Absolute, 76, PollOutcome.Adopted)]
    [InlineData(MajorityKind.TwoThirds, 101, PollOutcome.Rejected)]
    public async Task MajorityOfAllMembersIsDecidedOnTheWholeCouncil(MajorityKind kind, int threshold, PollOutcome expected)
    {
        // All 76 present vote yes (3 on their devices, 73 on paper): more than half of the 151 members, not two thirds.
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1, 2, 3);
        var pollId = await Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId) with { Majority = kind, Base = MajorityBase.AllMembers });
        await Voting.OpenPollAsync(Chair, pollId);
        await CastAllAsync(pollId, (1, BallotChoice.Yes), (2, BallotChoice.Yes), (3, BallotChoice.Yes));
        await Voting.RecordPaperCountAsync(Chair, pollId, 73, [73, 0, 0]);

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        VoteAssert.Equal(VoteAssert.Count([76, 0, 0], 76), closed.Count);
        Assert.Equal(expected, closed.Outcome);
        Assert.NotNull(closed.Decision);
        Assert.Equal(JiangchuanCouncil.VotingMembers, closed.Decision.Base);
        Assert.Equal(threshold, closed.Decision.Threshold);
    }

    [Fact]
    public async Task ElectionThroughTheServiceReportsATieForTheLastSeat()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(
            item => new PollInput(item, "选举两名居民小组长", VoteMethod.Election, ["张伟", "王芳", "李娜", "刘洋"], 0, 0, 2,
                Secrecy.Secret, MajorityKind.Simple, MajorityBase.VotesCast, false),
            1, 2, 3, 4, 5);
        int[][] ballots = [[0, 1], [0, 2], [0, 1], [2, 3], []];
        for (var i = 0; i < ballots.Length; i++)
        {
            var result = await Voting.CastAsync(Rep(i + 1), pollId, ballots[i]);
            Assert.Equal(CastOutcome.Accepted, result.Outcome);
        }

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        VoteAssert.Equal(VoteAssert.Count([3, 2, 2, 1], 5, blank: 1), closed.Count);
        Assert.Equal(PollOutcome.Tie, closed.Outcome);
        Assert.NotNull(closed.Decision);
        Assert.Equal([0], closed.Decision.Winners);
        Assert.Equal([1, 2], closed.Decision.Tied);
    }

    [Fact]
    public async Task PublishesTallyChangedAndPollClosed()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1);
        var pollOpened = new TaskCompletionSource<PollOpened>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tallyChanged = new TaskCompletionSource<TallyChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pollClosed = new TaskCompletionSource<PollClosed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var foreign = new ConcurrentQueue<SessionEvent>();
        var subscriber = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>();
        using var subscription = subscriber.Subscribe(sessionId, e =>
        {
            switch (e)
            {
                case PollOpened o: pollOpened.TrySetResult(o); break;
                case TallyChanged t: tallyChanged.TrySetResult(t); break;
                case PollClosed c: pollClosed.TrySetResult(c); break;
            }

            if (e.SessionId != sessionId)
            {
                foreign.Enqueue(e);
            }

            return Task.CompletedTask;
        });

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意?");
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);

        Assert.Equal(new PollOpened(sessionId, pollId), await pollOpened.Task.WaitAsync(HangGuard));
        var tally = await tallyChanged.Task.WaitAsync(HangGuard);
        Assert.Equal((sessionId, pollId, 1), (tally.SessionId, tally.PollId, tally.Ballots));
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), tally.Count);

        await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(new PollClosed(sessionId, pollId, PollOutcome.Adopted), await pollClosed.Task.WaitAsync(HangGuard));
        Assert.Empty(foreign);
    }

    private async Task CastAllAsync(int pollId, params (int Voter, BallotChoice Choice)[] ballots)
    {
        foreach (var (voter, choice) in ballots)
        {
            Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(voter), pollId, choice)).Outcome);
        }
    }

    [Fact]
    public async Task TwoVotesOpenedAtTheSameMomentLeaveOneOpen()
    {
        const int rounds = 5;
        var doubleOpen = new List<int>();
        for (var round = 0; round < rounds; round++)
        {
            var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync();
            var first = await Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId));
            var second = await Voting.CreatePollAsync(Chair, sessionId, JiangchuanCouncil.Motion(itemId));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var opens = new[] { first, second }.Select(id => Task.Run(async () =>
            {
                await gate.Task;
                return await Record.ExceptionAsync(() => Voting.OpenPollAsync(Chair, id));
            })).ToList();

            gate.SetResult();
            var errors = await Task.WhenAll(opens);

            Assert.All(errors.Where(e => e is not null), e => Assert.Equal("Poll.AnotherIsOpen", Assert.IsType<DomainException>(e).Code));
            var open = 0;
            foreach (var id in new[] { first, second })
            {
                open += (await _council.LoadPollAsync(id)).Status == PollStatus.Open ? 1 : 0;
            }

            if (open > 1)
            {
                doubleOpen.Add(sessionId);
            }
        }

        Assert.True(doubleOpen.Count == 0, $"{doubleOpen.Count} of {rounds} sessions ended up with two open votes");
    }
}
