using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Bodies;

/// <summary>
/// What ending or removing a seat does: an ended seat keeps its history but no longer counts for quorum, checks in,
/// votes or holds proxies; a used seat cannot be deleted; seats are locked while a session of the term is open.
/// Each test puts the seats it ends back, so the council keeps its 151 voting members.
/// </summary>
public sealed class SeatEndingTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private BodyAdminService Admin => fixture.Database.Services.GetRequiredService<BodyAdminService>();

    private MinutesService Minutes => fixture.Database.Services.GetRequiredService<MinutesService>();

    [Fact]
    public async Task EndedSeatNoLongerCountsForQuorumNorChecksIn()
    {
        var seat = await _council.RepMembershipIdAsync(140);
        await Admin.EndSeatAsync(_council.Admin, seat, "迁出本社区");
        try
        {
            var (sessionId, _) = await _council.OpenSessionAsync();
            try
            {
                var view = await _council.Sessions.GetLiveViewAsync(_council.Chair, sessionId);
                Assert.Equal(JiangchuanCouncil.VotingMembers - 1, view.Quorum.Eligible);

                var self = await Assert.ThrowsAsync<ForbiddenException>(() => _council.Sessions.CheckInAsync(_council.Rep(140), sessionId));
                Assert.Equal("CheckIn.NotAMember", self.Code);

                var byChair = await Assert.ThrowsAsync<DomainException>(() => _council.Sessions.CheckInMembersAsync(_council.Chair, sessionId, [seat]));
                Assert.Equal("CheckIn.UnknownMember", byChair.Code);

                var roster = await _council.Sessions.GetRosterAsync(_council.Chair, sessionId);
                Assert.DoesNotContain(roster, r => r.MembershipId == seat);
                Assert.Equal(JiangchuanCouncil.VotingMembers, roster.Count); // 150 voting seats and the secretary

                var rep140View = await _council.Sessions.GetLiveViewAsync(_council.Rep(140), sessionId);
                Assert.Null(rep140View.Viewer.MembershipId);
            }
            finally
            {
                await _council.Sessions.CloseAsync(_council.Chair, sessionId);
            }
        }
        finally
        {
            await Admin.ReinstateAsync(_council.Admin, seat);
        }

        var (next, _) = await _council.OpenSessionAsync();
        Assert.Equal(JiangchuanCouncil.VotingMembers, (await _council.Sessions.GetLiveViewAsync(_council.Chair, next)).Quorum.Eligible);
        await _council.Sessions.CloseAsync(_council.Chair, next);
    }

    [Fact]
    public async Task EndedSeatCannotVote()
    {
        var seat = await _council.RepMembershipIdAsync(139);
        await Admin.EndSeatAsync(_council.Admin, seat, null);
        try
        {
            var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);
            try
            {
                var ex = await Assert.ThrowsAsync<ForbiddenException>(() => _council.Voting.CastAsync(_council.Rep(139), pollId, BallotChoice.Yes));
                Assert.Equal("Ballot.NotEligible", ex.Code);
                Assert.Equal(0, await _council.BallotRowsAsync(pollId));
                Assert.Equal(CastOutcome.Accepted, (await _council.Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes)).Outcome);
            }
            finally
            {
                await _council.Voting.ClosePollAsync(_council.Chair, pollId);
                await _council.Sessions.CloseAsync(_council.Chair, sessionId);
            }
        }
        finally
        {
            await Admin.ReinstateAsync(_council.Admin, seat);
        }
    }

    [Fact]
    public async Task EndingASeatRevokesItsProxiesInSessionsNotYetOpenedAndLogsIt()
    {
        var sessionId = await _council.ScheduleAsync("委托测试会议");
        var holder = await _council.RepMembershipIdAsync(131);
        var giver = await _council.RepMembershipIdAsync(133);
        await _council.Sessions.DelegateAsync(_council.Rep(132), sessionId, holder);
        await _council.Sessions.DelegateAsync(_council.Rep(133), sessionId, await _council.RepMembershipIdAsync(134));
        await _council.Sessions.DelegateAsync(_council.Rep(135), sessionId, await _council.RepMembershipIdAsync(136));

        await Admin.EndSeatAsync(_council.Admin, holder, "辞去代表职务");
        await Admin.EndSeatAsync(_council.Admin, giver, "迁出本社区");
        try
        {
            await using (var db = await _council.DbAsync())
            {
                // The proxy held by one ended seat and the one given by the other are revoked; the unrelated one stays.
                var active = await db.Delegations.Where(d => d.SessionId == sessionId && d.RevokedAtUtc == null).Select(d => d.FromMembershipId).ToListAsync();
                Assert.Equal([await _council.RepMembershipIdAsync(135)], active);
                var revoked = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId && e.Kind == ProxyRevokedEntry.Kind).ToListAsync();
                Assert.Equal(2, revoked.Count);
                Assert.All(revoked, e => Assert.Contains("\"reason\":\"seatEnded\"", e.PayloadJson, StringComparison.Ordinal));
                Assert.True((await SessionLog.VerifyAsync(db, sessionId, CancellationToken.None)).IsValid);
            }

            // An ended seat can neither hold nor give a proxy.
            var toEnded = await Assert.ThrowsAsync<DomainException>(() => _council.Sessions.DelegateAsync(_council.Rep(132), sessionId, holder));
            Assert.Equal("Proxy.UnknownHolder", toEnded.Code);
            var fromEnded = await Assert.ThrowsAsync<ForbiddenException>(() => _council.Sessions.DelegateAsync(_council.Rep(131), sessionId, giver + 10));
            Assert.Equal("Ballot.NotEligible", fromEnded.Code);
            Assert.DoesNotContain(await _council.Sessions.ProxyCandidatesAsync(_council.Rep(132), sessionId), c => c.MembershipId == holder);
        }
        finally
        {
            await Admin.ReinstateAsync(_council.Admin, holder);
            await Admin.ReinstateAsync(_council.Admin, giver);
        }
    }

    [Fact]
    public async Task SeatsAreLockedWhileASessionOfTheTermIsOpen()
    {
        var seat = await _council.RepMembershipIdAsync(125);
        var (sessionId, _) = await _council.OpenSessionAsync();
        var termId = (await _council.LoadSessionAsync(sessionId)).TermId;
        var name = await _council.MemberNameAsync(seat);
        try
        {
            async Task Refused(Func<Task> attempt) =>
                Assert.Equal("Membership.SessionOpen", (await Assert.ThrowsAsync<DomainException>(attempt)).Code);

            await Refused(() => Admin.EndSeatAsync(_council.Admin, seat, null));
            await Refused(() => Admin.RemoveMemberAsync(_council.Admin, seat));
            await Refused(() => Admin.AddMemberAsync(_council.Admin, termId, new MemberInput("新代表", MemberRole.Representative, null, null)));
            await Refused(() => Admin.EditMemberAsync(_council.Admin, seat, new MemberInput(name, MemberRole.Secretary, null, JiangchuanCouncil.RepUserName(125))));
            await Refused(() => Admin.EditMemberAsync(_council.Admin, seat, new MemberInput(name, MemberRole.Representative, null, null)));

            // A name may be corrected at any time: it does not change who votes.
            await Admin.EditMemberAsync(_council.Admin, seat, new MemberInput(name + "(更正)", MemberRole.Representative, await OrganisationOfAsync(seat), JiangchuanCouncil.RepUserName(125)));
            Assert.Equal(name + "(更正)", await _council.MemberNameAsync(seat));
            Assert.Equal(JiangchuanCouncil.VotingMembers, (await _council.Sessions.GetLiveViewAsync(_council.Chair, sessionId)).Quorum.Eligible);
        }
        finally
        {
            await _council.Sessions.CloseAsync(_council.Chair, sessionId);
            await Admin.EditMemberAsync(_council.Admin, seat, new MemberInput(name, MemberRole.Representative, await OrganisationOfAsync(seat), JiangchuanCouncil.RepUserName(125)));
        }
    }

    [Fact]
    public async Task SeatWithHistoryIsEndedNotRemoved()
    {
        var seat = await _council.RepMembershipIdAsync(143);
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 143);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        var termId = (await _council.LoadSessionAsync(sessionId)).TermId;

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.RemoveMemberAsync(_council.Admin, seat));
        Assert.Equal("Membership.HasHistory", ex.Code);

        await Admin.EndSeatAsync(_council.Admin, seat, "去世");
        try
        {
            var view = (await Admin.GetTermAsync(_council.Admin, termId)).Members.Single(m => m.Id == seat);
            Assert.True(view.HasHistory);
            Assert.False(view.IsActive);
            Assert.Equal("去世", view.EndReason);

            // The record of the past session is unchanged: the member is still listed as present.
            var past = await _council.Sessions.GetLiveViewAsync(_council.Chair, sessionId);
            Assert.Contains(past.Present, p => p.MembershipId == seat);

            var twice = await Assert.ThrowsAsync<DomainException>(() => Admin.EndSeatAsync(_council.Admin, seat, null));
            Assert.Equal("Membership.AlreadyEnded", twice.Code);
        }
        finally
        {
            await Admin.ReinstateAsync(_council.Admin, seat);
        }

        var notEnded = await Assert.ThrowsAsync<DomainException>(() => Admin.ReinstateAsync(_council.Admin, seat));
        Assert.Equal("Membership.NotEnded", notEnded.Code);
    }

    [Fact]
    public async Task SeatWithoutHistoryIsRemoved()
    {
        var termId = (await _council.LoadSessionAsync(await _council.ScheduleAsync())).TermId;
        var seat = await Admin.AddMemberAsync(_council.Admin, termId, new MemberInput("误录入的代表", MemberRole.Representative, null, null));

        await Admin.RemoveMemberAsync(_council.Admin, seat);

        await using var db = await _council.DbAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.Id == seat));
    }

    [Fact]
    public async Task MinutesOfAnEarlierSessionCountTheSeatsHeldThen()
    {
        var (sessionId, _) = await _council.OpenSessionWithQuorumAsync(1);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        Assert.Contains("法定人数为有表决权成员 76 人", await Minutes.PreviewAsync(sessionId), StringComparison.Ordinal);

        int[] seats = [await _council.RepMembershipIdAsync(136), await _council.RepMembershipIdAsync(137), await _council.RepMembershipIdAsync(138)];
        foreach (var seat in seats)
        {
            await Admin.EndSeatAsync(_council.Admin, seat, null);
        }

        try
        {
            // 151 seats when it met: 76 required. A new session has 148 voting seats: 75 required.
            Assert.Contains("法定人数为有表决权成员 76 人", await Minutes.PreviewAsync(sessionId), StringComparison.Ordinal);
            var (next, _) = await _council.OpenSessionAsync();
            var quorum = (await _council.Sessions.GetLiveViewAsync(_council.Chair, next)).Quorum;
            Assert.Equal((148, 75), (quorum.Eligible, quorum.Required));
            await _council.Sessions.CloseAsync(_council.Chair, next);
        }
        finally
        {
            foreach (var seat in seats)
            {
                await Admin.ReinstateAsync(_council.Admin, seat);
            }
        }
    }

    [Fact]
    public async Task EndReasonIsLimited()
    {
        var seat = await _council.RepMembershipIdAsync(129);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.EndSeatAsync(_council.Admin, seat, new string('因', Limits.EndReason + 1)));

        Assert.Equal("Membership.EndReason.TooLong", ex.Code);
        await using var db = await _council.DbAsync();
        Assert.Null(await db.Memberships.Where(m => m.Id == seat).Select(m => m.EndedAtUtc).SingleAsync());
    }

    private async Task<int?> OrganisationOfAsync(int seat)
    {
        await using var db = await _council.DbAsync();
        return await db.Memberships.Where(m => m.Id == seat).Select(m => m.OrganisationId).SingleAsync();
    }
}
