using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>
/// The floor at a live hearing through the real services: check-in at the door (only those present are in the speaking
/// order and get the floor), absent speakers marked and reported, panel questions timed and logged, and the report's
/// issues fixed once the chair approved it.
/// </summary>
public sealed class HearingFloorTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly HearingDesk _desk = new(fixture);

    private HearingService Hearings => _desk.Hearings;

    [Fact]
    public async Task OnlyThoseCheckedInAreInTheSpeakingOrderAndGetTheFloor()
    {
        var hearing = await _desk.LiveAsync(present: 2);
        var late = hearing.Registrations[2];

        var view = await Hearings.GetManagementAsync(_desk.Chair, hearing.HearingId);
        Assert.Equal(2, view.SuggestedOrder.Count);
        Assert.DoesNotContain(view.SuggestedOrder, w => w.RegistrationId == late);
        Assert.Equal([late], view.NotPresent.Select(r => r.Id));
        Assert.Equal(2, (await _desk.Public.GetLiveAsync(hearing.HearingId))!.Upcoming.Count);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Hearings.GiveFloorAsync(_desk.Chair, late));
        Assert.Equal("Hearing.SpeakerNotCheckedIn", refusal.Code);
        Assert.Null((await Hearings.GetManagementAsync(_desk.Chair, hearing.HearingId)).CurrentSpeech);

        // Arriving late during the hearing: checked in, then in the order.
        await Hearings.CheckInAsync(_desk.Secretary, late);
        view = await Hearings.GetManagementAsync(_desk.Chair, hearing.HearingId);
        Assert.Contains(view.SuggestedOrder, w => w.RegistrationId == late);
        Assert.Empty(view.NotPresent);
        Assert.NotNull(view.Registrations.Single(r => r.Id == late).CheckedInAtUtc);
        await Hearings.GiveFloorAsync(_desk.Chair, late);
    }

    [Fact]
    public async Task CheckInIsRefusedTwiceForADeclinedRegistrantAndBeforeRegistrationCloses()
    {
        var hearing = await _desk.ClosedAsync();
        await Hearings.DecideAsync(_desk.Secretary, hearing.Registrations[1], RegistrationStatus.NotSelected, "名额已满");
        await Hearings.CheckInAsync(_desk.Secretary, hearing.Registrations[0]);

        Assert.Equal("Hearing.AlreadyCheckedIn", (await Assert.ThrowsAsync<DomainException>(() => Hearings.CheckInAsync(_desk.Secretary, hearing.Registrations[0]))).Code);
        Assert.Equal("Hearing.SpeakerNotSelected", (await Assert.ThrowsAsync<DomainException>(() => Hearings.CheckInAsync(_desk.Secretary, hearing.Registrations[1]))).Code);

        var open = await _desk.OpenAsync();
        var early = await _desk.RegisterAsync(open, HearingDesk.Person("赵先生"));
        Assert.Equal("Hearing.WrongStage", (await Assert.ThrowsAsync<DomainException>(() => Hearings.CheckInAsync(_desk.Secretary, early.Id))).Code);

        await using var db = await _desk.Council.DbAsync();
        var present = await db.HearingRegistrations.Where(r => r.HearingId == hearing.HearingId || r.HearingId == open).Where(r => r.CheckedInAtUtc != null).Select(r => r.Id).ToListAsync();
        Assert.Equal([hearing.Registrations[0]], present);
        var sessionId = await db.Hearings.Where(h => h.Id == hearing.HearingId).Select(h => h.SessionId).SingleAsync();
        Assert.Single(await LogAsync<HearingCheckedInEntry>(sessionId));
    }

    [Fact]
    public async Task AnAbsentSpeakerIsMarkedOnceLoggedAndNamedInTheReport()
    {
        var hearing = await _desk.LiveAsync(present: 2);
        var id = hearing.HearingId;
        var absent = hearing.Registrations[2];

        var present = await Assert.ThrowsAsync<DomainException>(() => Hearings.MarkAbsentAsync(_desk.Chair, hearing.Registrations[0]));
        Assert.Equal("Hearing.SpeakerPresent", present.Code);
        await Hearings.MarkAbsentAsync(_desk.Chair, absent);
        var again = await Assert.ThrowsAsync<DomainException>(() => Hearings.MarkAbsentAsync(_desk.Chair, absent));
        Assert.Equal("Hearing.AlreadyCalled", again.Code);
        Assert.Empty((await Hearings.GetManagementAsync(_desk.Chair, id)).NotPresent);

        await Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[0]);
        await Hearings.EndSpeechAsync(_desk.Chair, id);
        await Hearings.OpenCommentsAsync(_desk.Chair, id);
        await Hearings.DraftReportAsync(_desk.Secretary, id);

        var report = (await Hearings.GetManagementAsync(_desk.Secretary, id)).Notice.ReportMarkdown!;
        Assert.Contains("- 现场签到:2 人(入选 3 人)。", report, StringComparison.Ordinal);
        Assert.Contains("- 缺席:张教授。", report, StringComparison.Ordinal);
        Assert.Contains("1. 张教授(专家 · 其他):缺席,未发言。", report, StringComparison.Ordinal);
        Assert.Contains("2. 王阿姨(居民 · 支持),", report, StringComparison.Ordinal);

        var sessionId = await SessionOfAsync(id);
        var entry = Assert.Single(await LogAsync<HearingAbsentEntry>(sessionId));
        Assert.Equal(absent, entry.RegistrationId);
    }

    [Fact]
    public async Task APanelQuestionIsTimedLoggedShownToObserversAndReportedWithoutTakingTheSpeakersTurn()
    {
        var hearing = await _desk.LiveAsync(present: 2);
        var id = hearing.HearingId;

        Assert.Equal("Hearing.AskedBy.Required",
            (await Assert.ThrowsAsync<DomainException>(() => Hearings.GivePanelQuestionAsync(_desk.Chair, hearing.Registrations[0], "  "))).Code);
        Assert.Equal("Hearing.SpeakerNotCheckedIn",
            (await Assert.ThrowsAsync<DomainException>(() => Hearings.GivePanelQuestionAsync(_desk.Chair, hearing.Registrations[2], "专家 陈工"))).Code);

        await Hearings.GivePanelQuestionAsync(_desk.Chair, hearing.Registrations[0], "专家 陈工");
        var live = (await _desk.Public.GetLiveAsync(id))!;
        Assert.Equal("专家 陈工", live.AskedBy);
        Assert.Equal("王阿姨", live.Speaker!.Name);
        Assert.Equal(HearingLimits.PanelQuestionSeconds, live.AllowedSeconds);
        Assert.Equal(2, live.Upcoming.Count);
        Assert.Equal("Hearing.SomeoneSpeaking",
            (await Assert.ThrowsAsync<DomainException>(() => Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[1]))).Code);

        await Hearings.ExtendAsync(_desk.Chair, id, 30);
        await Hearings.EndSpeechAsync(_desk.Chair, id);
        live = (await _desk.Public.GetLiveAsync(id))!;
        Assert.Null(live.AskedBy);
        Assert.Equal(0, live.Spoken);
        Assert.Equal(2, live.Upcoming.Count);

        // The participant asked still has their own turn.
        await Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[0]);
        await Hearings.EndSpeechAsync(_desk.Chair, id);
        Assert.Single((await _desk.Public.GetLiveAsync(id))!.Upcoming);

        await Hearings.OpenCommentsAsync(_desk.Chair, id);
        await Hearings.DraftReportAsync(_desk.Secretary, id);
        var report = (await Hearings.GetManagementAsync(_desk.Secretary, id)).Notice.ReportMarkdown!;
        Assert.Contains("### 专家提问", report, StringComparison.Ordinal);
        var line = report.Split('\n').Single(l => l.StartsWith("1. 专家 陈工 向 王阿姨 提问,", StringComparison.Ordinal));
        Assert.EndsWith("(限时 3 分 30 秒)。", line, StringComparison.Ordinal);
        Assert.Matches(@"提问,\d\d:\d\d–\d\d:\d\d,", line);
        Assert.Contains("1. 王阿姨(居民 · 支持),", report, StringComparison.Ordinal);

        var question = Assert.Single(await LogAsync<HearingQuestionEntry>(await SessionOfAsync(id)));
        Assert.Equal(("专家 陈工", hearing.Registrations[0]), (question.AskedBy, question.RegistrationId));
    }

    [Fact]
    public async Task IssuesResponsesAndSummariesAreFixedOnceTheChairApprovedTheReport()
    {
        var drafted = await _desk.DraftedAsync(responded: true);
        await _desk.ApprovedReportAsync(drafted.HearingId);

        var respond = await Assert.ThrowsAsync<DomainException>(() => Hearings.RespondAsync(_desk.Secretary, drafted.IssueId, "改过的回应"));
        var raise = await Assert.ThrowsAsync<DomainException>(() => Hearings.RaiseIssueAsync(_desk.Secretary, drafted.HearingId, "新意见", [drafted.Spoken.SpeechId], []));
        var summarize = await Assert.ThrowsAsync<DomainException>(() => Hearings.SummarizeAsync(_desk.Secretary, drafted.Spoken.SpeechId, "改过的摘要"));

        Assert.All([respond, raise, summarize], e => Assert.Equal("Hearing.ReportApproved", e.Code));
        var view = await Hearings.GetManagementAsync(_desk.Secretary, drafted.HearingId);
        Assert.True(view.ReportApproved);
        var issue = Assert.Single(view.Issues);
        Assert.Equal("补贴标准按区里规定执行,并延长至入住。", issue.Response);
        Assert.Null(view.Speeches.Single().Summary);
    }

    private async Task<int> SessionOfAsync(int hearingId)
    {
        await using var db = await _desk.Council.DbAsync();
        return await db.Hearings.Where(h => h.Id == hearingId).Select(h => h.SessionId).SingleAsync();
    }

    private async Task<List<T>> LogAsync<T>(int sessionId)
        where T : SessionLogEvent
    {
        await using var db = await _desk.Council.DbAsync();
        var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync();
        return log.Select(SessionLog.Read).OfType<T>().ToList();
    }
}
