using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Proxies (issue 4): a member gives their vote for one session to another voting member, who casts it for them.
/// In these tests rep001 (A) gives the proxy to rep002 (B) unless stated otherwise.
/// </summary>
public sealed class ProxyVotingTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const int A = 1;
    private const int B = 2;
    private const int C = 3;
    private const int D = 4;

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private SessionService Sessions => _council.Sessions;

    private Actor Rep(int number) => _council.Rep(number);

    private Task<int> Seat(int number) => _council.RepMembershipIdAsync(number);

    /// <summary>An open session where A has given B the proxy and B (plus the quorum) is checked in; A is not.</summary>
    private async Task<(int SessionId, int ItemId)> SessionWithProxyAsync(params int[] alsoPresent)
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));
        await _council.CheckInAsync(sessionId, [B, .. alsoPresent]);
        await _council.EnsureQuorumAsync(sessionId);
        return (sessionId, itemId);
    }

    private async Task<int> OpenMotionAsync(int sessionId, int itemId, Secrecy secrecy = Secrecy.Named)
    {
        var pollId = await Voting.CreatePollAsync(_council.Chair, sessionId, JiangchuanCouncil.Motion(itemId, secrecy));
        await Voting.OpenPollAsync(_council.Chair, pollId);
        return pollId;
    }

    private async Task<List<(int From, int To, bool Active)>> DelegationsAsync(int sessionId)
    {
        await using var db = await _council.DbAsync();
        return (await db.Delegations.AsNoTracking().Where(d => d.SessionId == sessionId).ToListAsync())
            .Select(d => (d.FromMembershipId, d.ToMembershipId, d.RevokedAtUtc is null)).ToList();
    }

    [Fact]
    public async Task HolderCastsForTheDelegatorAndForThemself()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync();
        var pollId = await OpenMotionAsync(sessionId, itemId);
        var (a, b) = (await Seat(A), await Seat(B));

        var forA = await Voting.CastAsync(Rep(B), pollId, [PollSpec.Yes], onBehalfOfMembershipId: a);
        var forB = await Voting.CastAsync(Rep(B), pollId, [PollSpec.No]);

        Assert.Equal((CastOutcome.Accepted, a), (forA.Outcome, forA.MembershipId));
        Assert.Equal((CastOutcome.Accepted, b), (forB.Outcome, forB.MembershipId));
        VoteAssert.Equal(VoteAssert.Count([1, 1, 0], 2), forB.Count);

        var participations = await _council.ParticipationsAsync(pollId);
        Assert.Equal(2, participations.Count);
        var byProxy = Assert.Single(participations, p => p.MembershipId == a);
        Assert.True(byProxy.IsProxy);
        Assert.Equal(_council.UserId("rep002"), byProxy.CastByUserId);
        Assert.False(Assert.Single(participations, p => p.MembershipId == b).IsProxy);

        var ballot = Assert.Single(await _council.BallotsAsync(pollId), x => x.MembershipId == a);
        Assert.True(ballot.IsProxy);
        Assert.Equal(_council.UserId("rep002"), ballot.CastByUserId);
        Assert.Equal([PollSpec.Yes], ballot.SelectedOptions);

        // A second cast for A stores nothing.
        var again = await Voting.CastAsync(Rep(B), pollId, [PollSpec.No], onBehalfOfMembershipId: a);
        Assert.Equal(CastOutcome.AlreadyVoted, again.Outcome);
        Assert.Equal([PollSpec.Yes], again.Selections);
        Assert.Equal(2, await _council.BallotRowsAsync(pollId));

        // The holder sees the proxy as used; the delegator sees whom they gave it to.
        var holderView = await Sessions.GetLiveViewAsync(Rep(B), sessionId);
        var held = Assert.Single(holderView.Viewer.ProxiesHeld);
        Assert.Equal(a, held.MembershipId);
        Assert.True(held.VotedInOpenPoll);
        Assert.True(holderView.Viewer.VotedInOpenPoll);
        Assert.Equal(await _council.MemberNameAsync(b), (await Sessions.GetLiveViewAsync(Rep(A), sessionId)).Viewer.DelegatedTo);

        await Voting.ClosePollAsync(_council.Chair, pollId);
        var permalink = await Voting.FindFinishedAsync(pollId);
        Assert.NotNull(permalink);
        var nameOfA = await _council.MemberNameAsync(a);
        var named = Assert.Single(permalink.NamedVotes, v => v.Name == nameOfA);
        Assert.True(named.IsProxy);
        Assert.Equal([PollSpec.Yes], named.Selections);
        Assert.False(Assert.Single(permalink.NamedVotes, v => v.Name != nameOfA).IsProxy);
    }

    [Fact]
    public async Task ProxyCountsAsAPossibleBallotWhenTheVoteOpens()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync();

        var pollId = await OpenMotionAsync(sessionId, itemId);

        // 76 present (B and 75 others), none of whom delegated, plus A's vote held by B.
        Assert.Equal(JiangchuanCouncil.Quorum + 1, (await _council.LoadPollAsync(pollId)).EligibleAtOpen);
    }

    [Fact]
    public async Task SecretProxyBallotNamesNobody()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync();
        var pollId = await OpenMotionAsync(sessionId, itemId, Secrecy.Secret);
        var a = await Seat(A);

        var result = await Voting.CastAsync(Rep(B), pollId, [PollSpec.No], onBehalfOfMembershipId: a);

        Assert.Equal(CastOutcome.Accepted, result.Outcome);
        Assert.NotNull(result.ReceiptCode);
        Assert.Single(await _council.SealedEnvelopesAsync(pollId));
        await Voting.ClosePollAsync(_council.Chair, pollId);
        var ballot = Assert.Single(await _council.BallotsAsync(pollId));
        Assert.Null(ballot.MembershipId);
        Assert.Null(ballot.CastByUserId);
        var participation = Assert.Single(await _council.ParticipationsAsync(pollId));
        Assert.Equal((a, true), (participation.MembershipId, participation.IsProxy));
    }

    [Fact]
    public async Task DelegatorCannotVoteThemself()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync(A);
        var pollId = await OpenMotionAsync(sessionId, itemId);

        var direct = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(A), pollId, BallotChoice.Yes));
        var explicitSelf = await Assert.ThrowsAsync<DomainException>(async () => await Voting.CastAsync(Rep(A), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));

        Assert.Equal("Proxy.DelegatedCannotVote", direct.Code);
        Assert.Equal("Proxy.DelegatedCannotVote", explicitSelf.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));
    }

    [Fact]
    public async Task CastingForSomeoneWhoseProxyYouDoNotHoldIsForbidden()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync(C);
        var pollId = await OpenMotionAsync(sessionId, itemId);

        var notHeld = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(C), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));
        var neverGiven = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(B), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(C)));

        Assert.Equal("Proxy.NotHeld", notHeld.Code);
        Assert.Equal("Proxy.NotHeld", neverGiven.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));
    }

    [Fact]
    public async Task HolderMustBeCheckedInToCastTheProxy()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));
        await _council.EnsureQuorumAsync(sessionId);
        var pollId = await OpenMotionAsync(sessionId, itemId);

        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Voting.CastAsync(Rep(B), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));

        Assert.Equal("Ballot.NotCheckedIn", ex.Code);
        Assert.Equal(JiangchuanCouncil.Quorum, (await _council.LoadPollAsync(pollId)).EligibleAtOpen);
    }

    [Fact]
    public async Task SecondProxyForTheSameHolderIsRefusedAtTheDefaultCap()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));

        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(C), sessionId, await Seat(B)));

        Assert.Equal("Proxy.CapReached", ex.Code);
        Assert.Equal([1], ex.Arguments);
        Assert.Equal([(await Seat(A), await Seat(B), true)], await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task ProxyCannotBeRevokedOrGivenWhileAVoteIsOpen()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync();
        var pollId = await OpenMotionAsync(sessionId, itemId);

        var revoke = await Assert.ThrowsAsync<DomainException>(() => Sessions.RevokeDelegationAsync(Rep(A), sessionId));
        var give = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(C), sessionId, await Seat(D)));

        Assert.Equal("Proxy.VoteOpen", revoke.Code);
        Assert.Equal("Proxy.VoteOpen", give.Code);
        Assert.Equal([(await Seat(A), await Seat(B), true)], await DelegationsAsync(sessionId));

        await Voting.ClosePollAsync(_council.Chair, pollId);
        await Sessions.RevokeDelegationAsync(Rep(A), sessionId);

        Assert.Equal([(await Seat(A), await Seat(B), false)], await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task ProxyRevokedBeforeTheVoteOpensGivesTheVoteBack()
    {
        var (sessionId, itemId) = await SessionWithProxyAsync(A);

        await Sessions.RevokeDelegationAsync(Rep(A), sessionId);
        var pollId = await OpenMotionAsync(sessionId, itemId);

        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(A), pollId, BallotChoice.No)).Outcome);
        var ex = await Assert.ThrowsAsync<ForbiddenException>(async () => await Voting.CastAsync(Rep(B), pollId, [PollSpec.Yes], onBehalfOfMembershipId: await Seat(A)));
        Assert.Equal("Proxy.NotHeld", ex.Code);
        Assert.Empty((await Sessions.GetLiveViewAsync(Rep(B), sessionId)).Viewer.ProxiesHeld);

        // Once revoked, the proxy may be given again (the filtered unique index only covers active proxies).
        await Voting.ClosePollAsync(_council.Chair, pollId);
        Assert.Equal("Proxy.NoneToRevoke", (await Assert.ThrowsAsync<DomainException>(() => Sessions.RevokeDelegationAsync(Rep(A), sessionId))).Code);
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(C));
        Assert.Contains((await Seat(A), await Seat(C), true), await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task MemberHoldingAProxyCannotDelegate()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));

        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(B), sessionId, await Seat(C)));

        Assert.Equal("Proxy.HoldsProxies", ex.Code);
        Assert.Single(await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task ProxyCannotBeGivenToSomeoneWhoDelegated()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(C), sessionId, await Seat(D));

        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(C)));

        Assert.Equal("Proxy.HolderHasDelegated", ex.Code);
    }

    [Fact]
    public async Task ProxyIsGivenOnlyOnceAndNeverToOneself()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(B));

        var twice = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(A), sessionId, await Seat(C)));
        var self = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.DelegateAsync(Rep(C), sessionId, await Seat(C)));

        Assert.Equal("Proxy.AlreadyDelegated", twice.Code);
        Assert.Equal("Proxy.ToSelf", self.Code);
        Assert.Single(await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task OnlyVotingMembersGiveOrHoldProxies()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var secretary = await _council.MembershipIdAsync("secretary");

        var toSecretary = await Assert.ThrowsAsync<DomainException>(() => Sessions.DelegateAsync(Rep(A), sessionId, secretary));
        var toNobody = await Assert.ThrowsAsync<DomainException>(() => Sessions.DelegateAsync(Rep(A), sessionId, 987_654_321));
        var fromSecretary = await Assert.ThrowsAsync<ForbiddenException>(async () => await Sessions.DelegateAsync(_council.Secretary, sessionId, await Seat(B)));
        var fromResident = await Assert.ThrowsAsync<ForbiddenException>(async () => await Sessions.DelegateAsync(_council.ActorFor("resident", Roles.Resident), sessionId, await Seat(B)));

        Assert.Equal("Proxy.UnknownHolder", toSecretary.Code);
        Assert.Equal("Proxy.UnknownHolder", toNobody.Code);
        Assert.Equal("Ballot.NotEligible", fromSecretary.Code);
        Assert.Equal("Ballot.NotEligible", fromResident.Code);
        Assert.Empty(await DelegationsAsync(sessionId));
    }

    [Fact]
    public async Task ProxyCandidatesAreTheOtherVotingMembers()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();

        var candidates = await Sessions.ProxyCandidatesAsync(Rep(A), sessionId);

        Assert.Equal(JiangchuanCouncil.VotingMembers - 1, candidates.Count);
        Assert.DoesNotContain(await Seat(A), candidates.Select(c => c.MembershipId));
        Assert.DoesNotContain(await _council.MembershipIdAsync("secretary"), candidates.Select(c => c.MembershipId));
        Assert.Contains(await _council.MembershipIdAsync("chair"), candidates.Select(c => c.MembershipId));
        Assert.All(candidates, c => Assert.True(c.HasVote));
    }

    [Fact]
    public async Task ConcurrentProxiesToOneHolderRespectTheCap()
    {
        const int givers = 20;
        var (sessionId, _) = await _council.OpenSessionAsync();
        var holder = await Seat(100);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(1, givers).Select(n => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await Sessions.DelegateAsync(Rep(n), sessionId, holder);
                return "given";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();

        gate.SetResult();
        var outcomes = await Task.WhenAll(tasks);

        Assert.Single(outcomes, o => o == "given");
        Assert.All(outcomes.Where(o => o != "given"), o => Assert.Equal("Proxy.CapReached", o));
        Assert.Single(await DelegationsAsync(sessionId), d => d.To == holder && d.Active);
    }
}
