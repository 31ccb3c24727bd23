using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Votes with a closing time, on a <see cref="ManualClock"/>: the clock only moves when a test advances it, so nothing
/// here waits for real time. Every test leaves no timed vote open, because <see cref="VotingService.CloseExpiredAsync"/>
/// looks at the whole database.
/// </summary>
public sealed class PollTimerTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private ManualClock Clock => fixture.Clock;

    private async Task<(int SessionId, int PollId)> DraftWithVotersAsync(params int[] voters)
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(voters);
        return (sessionId, await Voting.CreatePollAsync(_council.Chair, sessionId, JiangchuanCouncil.Motion(itemId)));
    }

    [Fact]
    public async Task VoteClosesOnceItsClosingTimeHasPassed()
    {
        var (_, pollId) = await DraftWithVotersAsync(1, 2);
        var openedAt = Clock.Now.UtcDateTime;
        await Voting.OpenPollAsync(_council.Chair, pollId, closesAfterSeconds: 10);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);

        var open = await _council.LoadPollAsync(pollId);
        Assert.Equal(openedAt, open.OpenedAtUtc);
        Assert.Equal(openedAt.AddSeconds(10), open.ClosesAtUtc);
        Assert.Equal(0, await Voting.CloseExpiredAsync());

        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await Voting.CloseExpiredAsync());
        await Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.No);

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await Voting.CloseExpiredAsync());

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Equal(openedAt.AddSeconds(11), poll.ClosedAtUtc);
        Assert.Equal(PollOutcome.Rejected, poll.Outcome);
        VoteAssert.Equal(VoteAssert.Count([1, 1, 0], 2), poll.TotalCount());
        Assert.Equal("Poll.Closed", (await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(_council.Rep(3), pollId, BallotChoice.Yes))).Code);
        Assert.Equal(0, await Voting.CloseExpiredAsync());
    }

    [Fact]
    public async Task VoteClosesExactlyAtItsClosingTime()
    {
        var (_, pollId) = await DraftWithVotersAsync(1);
        await Voting.OpenPollAsync(_council.Chair, pollId, closesAfterSeconds: 60);

        Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(1, await Voting.CloseExpiredAsync());
        Assert.Equal(PollStatus.Closed, (await _council.LoadPollAsync(pollId)).Status);
    }

    [Fact]
    public async Task VoteWithoutClosingTimeStaysOpen()
    {
        var (_, pollId) = await DraftWithVotersAsync(1);
        await Voting.OpenPollAsync(_council.Chair, pollId);

        Clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal(0, await Voting.CloseExpiredAsync());
        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
        Assert.Null((await _council.LoadPollAsync(pollId)).ClosesAtUtc);
        await Voting.ClosePollAsync(_council.Chair, pollId);
    }

    [Fact]
    public async Task VoteClosedByTheChairBeforeItsTimeIsLeftAlone()
    {
        var (_, pollId) = await DraftWithVotersAsync(1);
        await Voting.OpenPollAsync(_council.Chair, pollId, closesAfterSeconds: 30);
        await Voting.ClosePollAsync(_council.Chair, pollId);
        var closedAt = (await _council.LoadPollAsync(pollId)).ClosedAtUtc;

        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, await Voting.CloseExpiredAsync());
        Assert.Equal(closedAt, (await _council.LoadPollAsync(pollId)).ClosedAtUtc);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(24 * 60 * 60 + 1)]
    public async Task ClosingTimeOutOfRangeIsRefused(int seconds)
    {
        var (_, pollId) = await DraftWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(_council.Chair, pollId, seconds));

        Assert.Equal("Poll.TimerOutOfRange", ex.Code);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Draft, poll.Status);
        Assert.Null(poll.ClosesAtUtc);
    }

    [Fact]
    public async Task BallotAfterTheClosingTimeIsRefusedEvenBeforeTheTimerRuns()
    {
        var (_, pollId) = await DraftWithVotersAsync(1, 2);
        await Voting.OpenPollAsync(_council.Chair, pollId, closesAfterSeconds: 10);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);
        Clock.Advance(TimeSpan.FromSeconds(11));
        try
        {
            // The vote "closes by itself" at its closing time (Poll.ClosesAtUtc); the background timer only tidies up.
            var late = await Record.ExceptionAsync(() => Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.No));

            Assert.True(late is DomainException { Code: "Poll.Closed" }, $"a ballot cast 1 s after the closing time was {(late is null ? "accepted" : "refused with " + late.Message)}");
            Assert.Equal(1, await _council.BallotRowsAsync(pollId));
            Assert.Single(await _council.ParticipationsAsync(pollId));
            Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
            Assert.Equal(1, await Voting.CloseExpiredAsync());
            VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), (await _council.LoadPollAsync(pollId)).TotalCount());
        }
        finally
        {
            await Voting.CloseExpiredAsync();
        }
    }
}
