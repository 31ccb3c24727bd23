using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>Paper or show-of-hands ballots entered by the chair, counted together with the electronic ones.</summary>
public sealed class PaperCountTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    [Fact]
    public async Task PaperCountIsAddedToTheElectronicBallots()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.No);
        await Voting.CastAsync(_council.Rep(3), pollId, BallotChoice.Yes);

        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 10, [3, 6, 1]);

        var live = await _council.Sessions.GetLiveViewAsync(_council.Rep(1), sessionId);
        Assert.NotNull(live.OpenPoll);
        Assert.Equal(13, live.OpenPoll.Ballots);
        Assert.Equal(10, live.OpenPoll.PaperBallots);
        VoteAssert.Equal(VoteAssert.Count([5, 7, 1], 13), live.OpenPoll.Count);

        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);

        VoteAssert.Equal(VoteAssert.Count([5, 7, 1], 13), closed.Count);
        Assert.Equal(13, closed.Ballots);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
        Assert.NotNull(closed.Decision);
        Assert.Equal(12, closed.Decision.Base);
        var poll = await _council.LoadPollAsync(pollId);
        VoteAssert.Equal(VoteAssert.Count([2, 1, 0], 3), poll.ElectronicCount());
        VoteAssert.Equal(VoteAssert.Count([3, 6, 1], 10), poll.PaperCount());
        Assert.Equal(3, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task LaterPaperCountReplacesTheEarlierOne()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.No);
        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 10, [3, 6, 1]);

        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 4, [4, 0, 0]);
        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);

        VoteAssert.Equal(VoteAssert.Count([4, 1, 0], 5), closed.Count);
        Assert.Equal(PollOutcome.Adopted, closed.Outcome);
    }

    [Fact]
    public async Task PaperTotalAboveTheEligibleIsRefusedAndNothingIsStored()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(3), pollId, BallotChoice.Yes);

        // 76 ballots are possible (76 present, no proxies): 3 electronic + 74 paper is one too many.
        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.RecordPaperCountAsync(_council.Chair, pollId, 74, [0, 74, 0]));

        Assert.Equal("Paper.ExceedsEligible", ex.Code);
        Assert.Equal([3, 74, 76], ex.Arguments);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(0, poll.PaperBallots);
        Assert.All(poll.Options, o => Assert.Equal(0, o.PaperVotes));

        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 73, [0, 73, 0]);
        Assert.Equal(73, (await _council.LoadPollAsync(pollId)).PaperBallots);
    }

    [Fact]
    public async Task PaperMarksThatDoNotMatchTheBallotsAreRefused()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.RecordPaperCountAsync(_council.Chair, pollId, 5, [3, 3, 0]));
        var malformed = await Assert.ThrowsAsync<DomainException>(() => Voting.RecordPaperCountAsync(_council.Chair, pollId, 2, [1, 1]));

        // A motion: one mark a ballot, so the options must add up to the ballots (5), not to 6.
        Assert.Equal("Paper.MarksMustEqualBallots", ex.Code);
        Assert.Equal<object>([5, 6], ex.Arguments);
        Assert.Equal("Paper.Invalid", malformed.Code);
        Assert.Equal(0, (await _council.LoadPollAsync(pollId)).PaperBallots);
    }

    [Fact]
    public async Task OnlyTheChairRecordsPaperCounts()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.RecordPaperCountAsync(_council.Rep(1), pollId, 1, [1, 0, 0]));
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.RecordPaperCountAsync(_council.Secretary, pollId, 1, [1, 0, 0]));

        Assert.Equal(0, (await _council.LoadPollAsync(pollId)).PaperBallots);
    }

    [Fact]
    public async Task PaperCountNeedsAnOpenVote()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.ClosePollAsync(_council.Chair, pollId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.RecordPaperCountAsync(_council.Chair, pollId, 1, [1, 0, 0]));

        Assert.Equal("Poll.Closed", ex.Code);
        Assert.Equal(0, (await _council.LoadPollAsync(pollId)).PaperBallots);
    }

    [Fact]
    public async Task PaperCountOfASecretVoteStaysHiddenUntilClose()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(item => JiangchuanCouncil.Motion(item, Secrecy.Secret), 1);
        await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes]);

        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 5, [1, 2, 2]);

        var live = await _council.Sessions.GetLiveViewAsync(_council.Chair, sessionId);
        Assert.NotNull(live.OpenPoll);
        Assert.Equal(6, live.OpenPoll.Ballots);
        Assert.Null(live.OpenPoll.Count);

        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);
        VoteAssert.Equal(VoteAssert.Count([2, 2, 2], 6), closed.Count);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
    }

    [Fact]
    public async Task PaperBlankBallotsCountInAMultipleChoiceVote()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(
            item => new PollInput(item, "优先实施哪些改造项目?", VoteMethod.MultipleChoice, ["加装电梯", "更换水管", "外墙保温"], 0, 2, 0, Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, false),
            1, 2);
        await Voting.CastAsync(_council.Rep(1), pollId, [0, 2]);
        await Voting.CastAsync(_council.Rep(2), pollId, []);

        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 6, [4, 1, 2], blankBallots: 1);
        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);

        // 8 ballots, 2 blank: an option needs more than 3 of the 6 marked ballots.
        VoteAssert.Equal(VoteAssert.Count([5, 1, 3], 8, blank: 2), closed.Count);
        Assert.Equal(PollOutcome.Decided, closed.Outcome);
        Assert.NotNull(closed.Decision);
        Assert.Equal([0], closed.Decision.Winners);
    }

    [Fact]
    public async Task ElectronicBallotAfterAFullPaperCountIsNotCountedTwice()
    {
        // 76 present (rep001..rep004 and 72 others), no proxies: 76 ballots are possible.
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(3), pollId, BallotChoice.Yes);

        // The chair counts the 73 members without a device on paper: every possible ballot is now in.
        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 73, [0, 73, 0]);

        // rep004 was one of the 73 counted on paper and now also votes on the device: there is no ballot left for them.
        var late = await Record.ExceptionAsync(() => Voting.CastAsync(_council.Rep(4), pollId, BallotChoice.Yes));
        var poll = await _council.LoadPollAsync(pollId);

        Assert.True(
            poll.BallotCount + poll.PaperBallots <= poll.EligibleAtOpen,
            $"{poll.BallotCount} electronic + {poll.PaperBallots} paper ballots counted, but only {poll.EligibleAtOpen} are possible (the late cast {(late is null ? "was accepted" : "failed with " + late.Message)})");
        Assert.IsType<DomainException>(late);
        Assert.Equal(3, await _council.BallotRowsAsync(pollId));
        Assert.Equal(3, (await _council.ParticipationsAsync(pollId)).Count);
        VoteAssert.Equal(VoteAssert.Count([3, 0, 0], 3), poll.ElectronicCount());

        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);
        Assert.Equal(76, closed.Ballots);
    }
}
