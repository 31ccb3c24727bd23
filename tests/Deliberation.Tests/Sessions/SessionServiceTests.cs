using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Sessions;

/// <summary>
/// Scheduling, opening and attending sessions through the real <see cref="SessionService"/> on a real SQLite file
/// loaded with the seeds. Every test schedules its own session in the Jiangchuan council.
/// </summary>
public sealed class SessionServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly JiangchuanCouncil _council = new(fixture);

    private SessionService Sessions => _council.Sessions;

    [Fact]
    public async Task ChairSchedulesAndOpensASession()
    {
        var sessionId = await _council.ScheduleAsync("旧住房改造项目议事会");

        var draft = await _council.LoadSessionAsync(sessionId);
        Assert.Equal(SessionStatus.Draft, draft.Status);
        Assert.Equal("旧住房改造项目议事会", draft.Title);
        Assert.Equal(new DateTime(2026, 3, 8, 6, 0, 0), draft.ScheduledAtUtc);
        Assert.Equal(_council.UserId("chair"), draft.ChairUserId);
        Assert.Equal([1, 2], draft.Agenda.OrderBy(a => a.Position).Select(a => a.Position));
        Assert.Null(draft.CurrentAgendaItemId);

        await Sessions.OpenAsync(_council.Chair, sessionId);

        var open = await _council.LoadSessionAsync(sessionId);
        Assert.Equal(SessionStatus.Open, open.Status);
        Assert.NotNull(open.OpenedAtUtc);
        Assert.Equal(open.Agenda.Single(a => a.Position == 1).Id, open.CurrentAgendaItemId);
    }

    [Fact]
    public async Task SessionIsScheduledInTheBodysLatestTerm()
    {
        var session = await _council.LoadSessionAsync(await _council.ScheduleAsync());

        await using var db = await _council.DbAsync();
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == session.TermId);
        Assert.Equal(2, term.Number);
        Assert.Equal(await _council.BodyIdAsync(), session.BodyId);
        Assert.Equal(session.BodyId, term.BodyId);
    }

    [Fact]
    public async Task ScheduledSessionsAreNumberedWithinTheTerm()
    {
        var first = await _council.LoadSessionAsync(await _council.ScheduleAsync("第一次会议"));
        var second = await _council.LoadSessionAsync(await _council.ScheduleAsync("第二次会议"));

        Assert.Equal(first.TermId, second.TermId);
        Assert.Equal(first.Number + 1, second.Number);
    }

    [Fact]
    public async Task SchedulingWithoutAgendaIsRefused()
    {
        var input = JiangchuanCouncil.Input("没有议程的会议", await _council.BodyIdAsync()) with { Agenda = [] };

        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.ScheduleAsync(_council.Chair, input));

        Assert.Equal("Session.NoAgenda", ex.Code);
    }

    [Fact]
    public async Task SchedulingWithAnInvalidTitleStoresNothing()
    {
        var input = JiangchuanCouncil.Input(new string('长', 10_000), await _council.BodyIdAsync());
        await using var db = await _council.DbAsync();
        var before = await db.Sessions.CountAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.ScheduleAsync(_council.Chair, input));

        Assert.Equal("Session.Title.TooLong", ex.Code);
        Assert.Equal(before, await db.Sessions.CountAsync());
    }

    [Fact]
    public async Task SchedulingForAnUnknownBodyIsRefused()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.ScheduleAsync(_council.Chair, JiangchuanCouncil.Input("未知机构的会议", 987_654_321)));

        Assert.Equal("Session.UnknownBody", ex.Code);
    }

    [Fact]
    public async Task FindsAScheduledSession()
    {
        var sessionId = await _council.ScheduleAsync("可以查到的会议");

        var summary = await Sessions.FindAsync(sessionId);

        Assert.NotNull(summary);
        Assert.Equal(sessionId, summary.Id);
        Assert.Equal("可以查到的会议", summary.Title);
        Assert.Equal(SessionStatus.Draft, summary.Status);
        Assert.Equal("第二届", summary.TermName);
    }

    [Fact]
    public async Task ListsScheduledSessions()
    {
        var sessionId = await _council.ScheduleAsync("列表中的会议");

        var sessions = await Sessions.ListAsync();

        Assert.Contains(sessions, s => s.Id == sessionId && s.Title == "列表中的会议" && s.Status == SessionStatus.Draft);
    }

    [Fact]
    public async Task LiveViewShowsAgendaQuorumAndTheViewer()
    {
        var (sessionId, firstItemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1, 2);

        var chairView = await Sessions.GetLiveViewAsync(_council.Chair, sessionId);
        var memberView = await Sessions.GetLiveViewAsync(_council.Rep(1), sessionId);

        Assert.Equal(SessionStatus.Open, chairView.Session.Status);
        Assert.Equal(2, chairView.Agenda.Count);
        Assert.Equal(firstItemId, chairView.CurrentAgendaItemId);
        Assert.Equal(new QuorumView(Present: 2, Eligible: 151, Required: 76, IsMet: false, Missing: 74), chairView.Quorum);
        Assert.Equal(2, chairView.Present.Count);
        Assert.True(chairView.Viewer.CanChair);
        Assert.False(chairView.Viewer.CheckedIn);
        Assert.True(memberView.Viewer.CheckedIn);
        Assert.True(memberView.Viewer.HasVote);
        Assert.False(memberView.Viewer.CanChair);
    }

    [Fact]
    public async Task LiveViewShowsTheOpenPollAndThenItsResult()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        await _council.Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.No);

        var during = await Sessions.GetLiveViewAsync(_council.Rep(1), sessionId);
        var notYetVoted = await Sessions.GetLiveViewAsync(_council.Rep(2), sessionId);

        Assert.NotNull(during.OpenPoll);
        Assert.Equal(pollId, during.OpenPoll.Id);
        Assert.Equal(1, during.OpenPoll.Ballots);
        VoteAssert.Equal(VoteAssert.Count([0, 1, 0], 1), during.OpenPoll.Count);
        Assert.True(during.Viewer.VotedInOpenPoll);
        Assert.Equal([PollSpec.No], during.Viewer.MySelectionsInOpenPoll);
        Assert.False(notYetVoted.Viewer.VotedInOpenPoll);
        Assert.Null(notYetVoted.Viewer.MySelectionsInOpenPoll);
        Assert.Empty(during.ClosedPolls);

        var closed = await _council.Voting.ClosePollAsync(_council.Chair, pollId);
        var after = await Sessions.GetLiveViewAsync(_council.Rep(1), sessionId);

        Assert.Null(after.OpenPoll);
        Assert.Null(after.Viewer.MySelectionsInOpenPoll);
        VoteAssert.Equal(closed, Assert.Single(after.ClosedPolls));
        Assert.Equal(PollOutcome.Rejected, after.ClosedPolls[0].Outcome);
    }

    [Fact]
    public async Task RepresentativeCannotScheduleOrOpenASession()
    {
        var bodyId = await _council.BodyIdAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.ScheduleAsync(_council.Rep(1), JiangchuanCouncil.Input("代表自行召集的会议", bodyId)));

        var sessionId = await _council.ScheduleAsync("代表不能开会");
        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.OpenAsync(_council.Rep(1), sessionId));
        Assert.Equal(SessionStatus.Draft, (await _council.LoadSessionAsync(sessionId)).Status);
    }

    [Fact]
    public async Task CheckingInTwiceSaysAlreadyCheckedIn()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();

        Assert.Equal(CheckInOutcome.CheckedIn, await Sessions.CheckInAsync(_council.Rep(1), sessionId));
        Assert.Equal(CheckInOutcome.AlreadyCheckedIn, await Sessions.CheckInAsync(_council.Rep(1), sessionId));
        Assert.Equal(CheckInOutcome.CheckedIn, await Sessions.CheckInAsync(_council.Rep(2), sessionId));

        await using var db = await _council.DbAsync();
        var rows = await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            new[] { _council.UserId("rep001"), _council.UserId("rep002") }.Order(StringComparer.Ordinal),
            rows.Select(a => a.CheckedInByUserId).Order(StringComparer.Ordinal));
        Assert.All(rows, a => Assert.Equal(CheckInMethod.Self, a.Method));
    }

    [Fact]
    public async Task ConcurrentCheckInsOfOneMemberStoreOneAttendance()
    {
        const int members = 20;
        var (sessionId, _) = await _council.OpenSessionAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(1, members).SelectMany(n => new[] { n, n }).Select(n => Task.Run(async () =>
        {
            await gate.Task;
            return (Member: n, Outcome: await Sessions.CheckInAsync(_council.Rep(n), sessionId));
        })).ToList();

        gate.SetResult();
        var outcomes = await Task.WhenAll(tasks);

        Assert.All(outcomes.GroupBy(o => o.Member), g => Assert.Equal(
            [CheckInOutcome.CheckedIn, CheckInOutcome.AlreadyCheckedIn],
            g.Select(o => o.Outcome).Order()));
        await using var db = await _council.DbAsync();
        Assert.Equal(members, await db.Attendances.CountAsync(a => a.SessionId == sessionId));
    }

    [Fact]
    public async Task CheckInPublishesAttendanceWithTheQuorumCount()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var received = new TaskCompletionSource<AttendanceChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            if (e is AttendanceChanged attendance)
            {
                received.TrySetResult(attendance);
            }

            return Task.CompletedTask;
        });

        await _council.CheckInAsync(sessionId, 7);

        Assert.Equal(new AttendanceChanged(sessionId, Present: 1, Eligible: 151), await received.Task.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task SecretaryCheckInDoesNotCountTowardsQuorum()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);

        Assert.Equal(CheckInOutcome.CheckedIn, await Sessions.CheckInAsync(_council.ActorFor("secretary", Roles.Secretary), sessionId));

        await using var db = await _council.DbAsync();
        var quorum = await SessionService.QuorumAsync(db, (await _council.LoadSessionAsync(sessionId)).TermId, sessionId, CancellationToken.None);
        Assert.Equal(new QuorumView(Present: 1, Eligible: 151, Required: 76, IsMet: false, Missing: 75), quorum);
    }

    [Fact]
    public async Task QuorumIsMetWhenMoreThanHalfCheckIn()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, Enumerable.Range(1, 76).ToArray());

        await using var db = await _council.DbAsync();
        var quorum = await SessionService.QuorumAsync(db, (await _council.LoadSessionAsync(sessionId)).TermId, sessionId, CancellationToken.None);
        Assert.Equal(new QuorumView(Present: 76, Eligible: 151, Required: 76, IsMet: true, Missing: 0), quorum);
    }

    [Fact]
    public async Task ChairMovesToAnotherAgendaItem()
    {
        var (sessionId, firstItemId) = await _council.OpenSessionAsync();
        var secondItemId = (await _council.LoadSessionAsync(sessionId)).Agenda.Single(a => a.Position == 2).Id;

        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.MoveToAgendaItemAsync(_council.Rep(1), sessionId, secondItemId));
        Assert.Equal(firstItemId, (await _council.LoadSessionAsync(sessionId)).CurrentAgendaItemId);

        await Sessions.MoveToAgendaItemAsync(_council.Chair, sessionId, secondItemId);
        Assert.Equal(secondItemId, (await _council.LoadSessionAsync(sessionId)).CurrentAgendaItemId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.MoveToAgendaItemAsync(_council.Chair, sessionId, 987_654_321));
        Assert.Equal("Agenda.UnknownItem", ex.Code);
    }

    [Fact]
    public async Task CheckInToADraftSessionIsRefused()
    {
        var sessionId = await _council.ScheduleAsync("尚未开始的会议");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.CheckInAsync(_council.Rep(1), sessionId));

        Assert.Equal("Session.NotOpenYet", ex.Code);
    }

    [Fact]
    public async Task NonMemberCannotCheckIn()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.CheckInAsync(_council.ActorFor("resident", Roles.Resident), sessionId));

        Assert.Equal("CheckIn.NotAMember", ex.Code);
    }

    [Fact]
    public async Task SessionCannotCloseWhileAPollIsOpen()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Sessions.CloseAsync(_council.Chair, sessionId));
        Assert.Equal("Session.PollStillOpen", ex.Code);
        Assert.Equal(SessionStatus.Open, (await _council.LoadSessionAsync(sessionId)).Status);

        await _council.Voting.ClosePollAsync(_council.Chair, pollId);
        await Sessions.CloseAsync(_council.Chair, sessionId);
        Assert.Equal(SessionStatus.Closed, (await _council.LoadSessionAsync(sessionId)).Status);
    }

    [Fact]
    public async Task UnknownSessionIsNotFound()
    {
        const int unknownSessionId = 987_654_321;

        await Assert.ThrowsAsync<NotFoundException>(() => Sessions.OpenAsync(_council.Chair, unknownSessionId));
        await Assert.ThrowsAsync<NotFoundException>(() => Sessions.CloseAsync(_council.Chair, unknownSessionId));
        await Assert.ThrowsAsync<NotFoundException>(() => Sessions.CheckInAsync(_council.Rep(1), unknownSessionId));
        Assert.Null(await Sessions.FindAsync(unknownSessionId));
    }

    [Fact]
    public async Task RosterListsTheTermsMembersWithTheirPresence()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1, 2);

        var roster = await Sessions.GetRosterAsync(_council.Secretary, sessionId);

        Assert.Equal(152, roster.Count);
        Assert.Equal(JiangchuanCouncil.VotingMembers, roster.Count(r => r.HasVote));
        var present = roster.Where(r => r.Present).Select(r => r.MembershipId).Order().ToList();
        Assert.Equal(new[] { await _council.RepMembershipIdAsync(1), await _council.RepMembershipIdAsync(2) }.Order(), present);
        var secretary = await _council.MembershipIdAsync("secretary");
        Assert.False(Assert.Single(roster, r => r.MembershipId == secretary).HasVote);
        Assert.Equal(roster.Count, (await Sessions.GetRosterAsync(_council.Chair, sessionId)).Count);
    }

    [Fact]
    public async Task ChairChecksInManyMembersAtOnce()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var ids = new List<int>();
        foreach (var number in Enumerable.Range(1, 80))
        {
            ids.Add(await _council.RepMembershipIdAsync(number));
        }

        Assert.Equal(80, await Sessions.CheckInMembersAsync(_council.Chair, sessionId, ids));

        await using var db = await _council.DbAsync();
        var rows = await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId).ToListAsync();
        Assert.Equal(ids.Order(), rows.Select(r => r.MembershipId).Order());
        Assert.All(rows, r => Assert.Equal(CheckInMethod.BySecretary, r.Method));
        Assert.All(rows, r => Assert.Equal(_council.UserId("chair"), r.CheckedInByUserId));
        var view = await Sessions.GetLiveViewAsync(_council.Chair, sessionId);
        Assert.Equal(new QuorumView(Present: 80, Eligible: 151, Required: 76, IsMet: true, Missing: 0), view.Quorum);
    }

    [Fact]
    public async Task SecretaryChecksInMembersAndPublishesTheAttendance()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var received = new TaskCompletionSource<AttendanceChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            if (e is AttendanceChanged attendance)
            {
                received.TrySetResult(attendance);
            }

            return Task.CompletedTask;
        });

        var added = await Sessions.CheckInMembersAsync(_council.Secretary, sessionId, [await _council.RepMembershipIdAsync(5), await _council.RepMembershipIdAsync(6)]);

        Assert.Equal(2, added);
        Assert.Equal(new AttendanceChanged(sessionId, Present: 2, Eligible: 151), await received.Task.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task CheckingInAlreadyPresentMembersAddsNothing()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);
        var rep1 = await _council.RepMembershipIdAsync(1);
        var rep2 = await _council.RepMembershipIdAsync(2);

        Assert.Equal(0, await Sessions.CheckInMembersAsync(_council.Chair, sessionId, [rep1]));
        Assert.Equal(1, await Sessions.CheckInMembersAsync(_council.Chair, sessionId, [rep1, rep2, rep2]));
        Assert.Equal(0, await Sessions.CheckInMembersAsync(_council.Chair, sessionId, [rep2, rep1]));

        await using var db = await _council.DbAsync();
        var rows = await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(CheckInMethod.Self, rows.Single(r => r.MembershipId == rep1).Method);
        Assert.Equal(CheckInOutcome.AlreadyCheckedIn, await Sessions.CheckInAsync(_council.Rep(2), sessionId));
    }

    [Fact]
    public async Task RepresentativeCannotCheckOthersInOrSeeTheRoster()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var rep2 = await _council.RepMembershipIdAsync(2);

        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.CheckInMembersAsync(_council.Rep(1), sessionId, [rep2]));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.CheckInMembersAsync(_council.ActorFor("resident", Roles.Resident), sessionId, [rep2]));
        await Assert.ThrowsAsync<ForbiddenException>(() => Sessions.GetRosterAsync(_council.Rep(1), sessionId));

        await using var db = await _council.DbAsync();
        Assert.Equal(0, await db.Attendances.CountAsync(a => a.SessionId == sessionId));
    }

    [Fact]
    public async Task CheckingInAnUnknownMemberIsRefusedAndNobodyIsCheckedIn()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var rep1 = await _council.RepMembershipIdAsync(1);
        int otherTermMember;
        await using (var db = await _council.DbAsync())
        {
            otherTermMember = await db.Memberships.Where(m => m.Term.Body.Key != JiangchuanCouncil.BodyKey).Select(m => m.Id).FirstAsync();
        }

        var unknown = await Assert.ThrowsAsync<DomainException>(() => Sessions.CheckInMembersAsync(_council.Chair, sessionId, [rep1, 987_654_321]));
        var foreign = await Assert.ThrowsAsync<DomainException>(() => Sessions.CheckInMembersAsync(_council.Chair, sessionId, [rep1, otherTermMember]));
        var nobody = await Assert.ThrowsAsync<DomainException>(() => Sessions.CheckInMembersAsync(_council.Chair, sessionId, []));

        Assert.Equal("CheckIn.UnknownMember", unknown.Code);
        Assert.Equal("CheckIn.UnknownMember", foreign.Code);
        Assert.Equal("CheckIn.NobodySelected", nobody.Code);
        await using var check = await _council.DbAsync();
        Assert.Equal(0, await check.Attendances.CountAsync(a => a.SessionId == sessionId));
    }

    [Fact]
    public async Task MembersCannotBeCheckedInToADraftSession()
    {
        var sessionId = await _council.ScheduleAsync("尚未开始的会议");

        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Sessions.CheckInMembersAsync(_council.Chair, sessionId, [await _council.RepMembershipIdAsync(1)]));

        Assert.Equal("Session.NotOpenYet", ex.Code);
    }

    [Fact]
    public async Task LiveViewListsOnlyFinishedVotesAsResults()
    {
        // The live page creates a vote, then opens it; opening fails here (no quorum) and the draft stays behind.
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);
        var draftId = await _council.Voting.CreatePollAsync(_council.Chair, sessionId, JiangchuanCouncil.Motion(itemId));
        Assert.Equal("Quorum.NotMet", (await Assert.ThrowsAsync<DomainException>(() => _council.Voting.OpenPollAsync(_council.Chair, draftId))).Code);

        var view = await Sessions.GetLiveViewAsync(_council.Chair, sessionId);

        // ClosedPolls is shown as "Results" on the live page and as the last result on the projector.
        Assert.Null(view.OpenPoll);
        Assert.All(view.ClosedPolls, p => Assert.True(p.IsFinished, $"poll {p.Id} is listed as a result while {p.Status}"));
    }
}
