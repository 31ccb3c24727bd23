using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Casting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// What the checks of a cast keep between batches (<see cref="CastChecks"/>, ADR 0008) never lets an ineligible ballot in
/// nor refuses an eligible one: check-ins count at once, proxies are read per vote, and the session's events drop what
/// they change. Each test first casts once so that the vote, the seats and the attendance are kept.
/// </summary>
public sealed class CastChecksTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const int A = 1;
    private const int B = 2;

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private SessionService Sessions => _council.Sessions;

    private Actor Rep(int number) => _council.Rep(number);

    private Task<int> Seat(int number) => _council.RepMembershipIdAsync(number);

    private ISessionEventPublisher Events => fixture.Database.Services.GetRequiredService<ISessionEventPublisher>();

    [Fact]
    public async Task MemberRefusedBeforeCheckingInCanVoteRightAfterCheckingIn()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        var refused = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(5), pollId, BallotChoice.No));

        await _council.CheckInAsync(sessionId, 5);
        var accepted = await Voting.CastAsync(Rep(5), pollId, BallotChoice.No);

        Assert.Equal("Ballot.NotCheckedIn", refused.Code);
        Assert.Equal(CastOutcome.Accepted, accepted.Outcome);
        Assert.Equal(2, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task ProxyTakenBackBetweenTwoVotesIsRefusedInTheSecond()
    {
        var (sessionId, itemId) = await SessionWhereAGaveBTheProxyAsync();
        var first = await OpenMotionAsync(sessionId, itemId);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(B), first, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A))).Outcome);
        await Voting.ClosePollAsync(_council.Chair, first);

        await Sessions.RevokeDelegationAsync(Rep(A), sessionId);
        await _council.CheckInAsync(sessionId, A);
        var second = await OpenMotionAsync(sessionId, itemId);

        var ex = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(B), second, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));
        Assert.Equal("Proxy.NotHeld", ex.Code);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(A), second, BallotChoice.No)).Outcome);
        Assert.Equal(1, await _council.BallotRowsAsync(second));
    }

    [Fact]
    public async Task ProxyGivenBetweenTwoVotesStopsTheDelegatorVotingInTheSecond()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(A, B);
        var first = await OpenMotionAsync(sessionId, itemId);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(A), first, BallotChoice.Yes)).Outcome);
        await Voting.ClosePollAsync(_council.Chair, first);

        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));
        var second = await OpenMotionAsync(sessionId, itemId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(A), second, BallotChoice.Yes));
        Assert.Equal("Proxy.DelegatedCannotVote", ex.Code);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(B), second, [PollSpec.No], onBehalfOfMembershipId: await Seat(A))).Outcome);
    }

    [Fact]
    public async Task ProxyTakenBackOnAnotherInstanceBetweenVotesIsSeenInTheNextVote()
    {
        var (sessionId, itemId) = await SessionWhereAGaveBTheProxyAsync();
        var first = await OpenMotionAsync(sessionId, itemId);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(B), first, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A))).Outcome);
        await Voting.ClosePollAsync(_council.Chair, first);

        // No event reaches this instance: proxies are read again for every vote, not kept for the session.
        int second;
        await using (var other = new SecondInstance(fixture.Database))
        {
            await other.Sessions.RevokeDelegationAsync(Rep(A), sessionId);
            second = await other.Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);
        }

        var ex = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(B), second, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));
        Assert.Equal("Proxy.NotHeld", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(second));
    }

    [Fact]
    public async Task ProxiesChangedDropsTheProxiesKeptForAnOpenVote()
    {
        var (sessionId, itemId) = await SessionWhereAGaveBTheProxyAsync(3);
        var pollId = await OpenMotionAsync(sessionId, itemId);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(3), pollId, BallotChoice.Yes)).Outcome);

        // A proxy taken back while the vote is open (RevokeDelegationAsync checks for an open vote before it writes, so a
        // vote opening in between lets this happen), followed by the event the service publishes.
        await using (var db = await _council.DbAsync())
        {
            var a = await Seat(A);
            await db.Delegations.Where(d => d.SessionId == sessionId && d.FromMembershipId == a).ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAtUtc, DateTime.UtcNow));
        }

        await Events.PublishAsync(new ProxiesChanged(sessionId));

        var ex = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(B), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));
        Assert.Equal("Proxy.NotHeld", ex.Code);
        Assert.Equal(1, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task PollClosedFromAnotherInstanceIsRefusedByTheChecksOnceItsEventArrives()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        await using (var other = new SecondInstance(fixture.Database))
        {
            await other.Voting.ClosePollAsync(_council.Chair, pollId);
        }

        // What a cross-instance transport would deliver here (ADR 0004).
        await Events.PublishAsync(new PollClosed(sessionId, pollId, PollOutcome.Adopted));
        var checkedBefore = Voting.Counters.BatchesChecked;

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(2), pollId, BallotChoice.No));

        Assert.Equal("Poll.Closed", ex.Code);
        Assert.Equal(checkedBefore, Voting.Counters.BatchesChecked);
        Assert.Equal(1, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task VoteOpenedInAFollowedSessionIsReadBeforeItsFirstCast()
    {
        var (sessionId, first) = await _council.OpenPollWithVotersAsync(1);
        await Voting.CastAsync(Rep(1), first, BallotChoice.Yes);
        await Voting.ClosePollAsync(_council.Chair, first);

        var itemId = await FirstItemAsync(sessionId);
        var second = await OpenMotionAsync(sessionId, itemId);

        // The burst that follows an opening finds the vote and its seats read; nobody has cast yet.
        await WaitUntilAsync(() => Checks.Holds(second));
        Assert.Equal(0, await _council.BallotRowsAsync(second));
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(1), second, BallotChoice.No)).Outcome);
    }

    [Fact]
    public async Task VoteOpenedOnAnotherInstanceIsReadHereWhenItsEventArrives()
    {
        var (sessionId, first) = await _council.OpenPollWithVotersAsync(1, 2);
        await Voting.CastAsync(Rep(1), first, BallotChoice.Yes);
        await Voting.ClosePollAsync(_council.Chair, first);
        var itemId = await FirstItemAsync(sessionId);
        int second;
        await using (var other = new SecondInstance(fixture.Database))
        {
            second = await other.Voting.CreatePollAsync(_council.Chair, sessionId, JiangchuanCouncil.Motion(itemId));
            await other.Voting.OpenPollAsync(_council.Chair, second);
        }

        Assert.False(Checks.Holds(second));
        // What a cross-instance transport would deliver here (ADR 0004).
        await Events.PublishAsync(new PollOpened(sessionId, second));

        await WaitUntilAsync(() => Checks.Holds(second));
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(2), second, BallotChoice.Abstain)).Outcome);
        Assert.Equal(1, await _council.BallotRowsAsync(second));
    }

    [Fact]
    public async Task VoteOpenWhenAScreenJoinsIsReadThen()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);
        Assert.False(Checks.Holds(pollId));

        // A representative opens the live session (page or hub) on this instance while the vote is open.
        Voting.WatchedHere(await Sessions.GetLiveViewAsync(Rep(1), sessionId));

        await WaitUntilAsync(() => Checks.Holds(pollId));
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes)).Outcome);
        Assert.Equal(1, await _council.BallotRowsAsync(pollId));
    }

    private CastChecks Checks => fixture.Database.Services.GetRequiredService<CastChecks>();

    private async Task<int> FirstItemAsync(int sessionId)
    {
        await using var db = await _council.DbAsync();
        return await db.AgendaItems.Where(i => i.SessionId == sessionId).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    /// <summary>An open session where A has given B the proxy; B, these others and the quorum are checked in, A is not.</summary>
    private async Task<(int SessionId, int ItemId)> SessionWhereAGaveBTheProxyAsync(params int[] alsoPresent)
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));
        await _council.CheckInAsync(sessionId, [B, .. alsoPresent]);
        await _council.EnsureQuorumAsync(sessionId);
        return (sessionId, itemId);
    }

    private async Task<int> OpenMotionAsync(int sessionId, int itemId)
    {
        var pollId = await Voting.CreatePollAsync(_council.Chair, sessionId, JiangchuanCouncil.Motion(itemId));
        await Voting.OpenPollAsync(_council.Chair, pollId);
        return pollId;
    }
}
