using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>Hearings through the real services on a seeded SQLite file: registration, selection and the draw, the live part, the log and the report.</summary>
public sealed class HearingServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly HearingDesk _desk = new(fixture);

    private HearingService Hearings => _desk.Hearings;

    private HearingPublicService Public => _desk.Public;

    private async Task<int> CountAsync(int hearingId)
    {
        await using var db = await _desk.Council.DbAsync();
        return await db.HearingRegistrations.CountAsync(r => r.HearingId == hearingId);
    }

    [Fact]
    public async Task ASecondRegistrationWithTheSameContactIsRefusedEvenWrittenDifferently()
    {
        var id = await _desk.OpenAsync();
        await Public.RegisterAsync(id, HearingDesk.Person("王阿姨", contact: "139-0000-1111"), HearingDesk.NewSource());

        var again = await Assert.ThrowsAsync<DomainException>(() =>
            Public.RegisterAsync(id, HearingDesk.Person("王 阿姨", contact: "+86 139 0000 1111"), HearingDesk.NewSource()));

        Assert.Equal("Hearing.AlreadyRegistered", again.Code);
        Assert.Equal(1, await CountAsync(id));
    }

    [Fact]
    public async Task TwoRegistrationsWithTheSameContactAtOnceStoreOne()
    {
        var id = await _desk.OpenAsync();
        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                await Public.RegisterAsync(id, HearingDesk.Person($"同一人{i}", contact: "13800001234"), HearingDesk.NewSource());
                return "stored";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r == "stored");
        Assert.All(results.Where(r => r != "stored"), r => Assert.Equal("Hearing.AlreadyRegistered", r));
        Assert.Equal(1, await CountAsync(id));
    }

    [Fact]
    public async Task TheSameContactMayRegisterForAnotherHearing()
    {
        var first = await _desk.OpenAsync();
        var second = await _desk.OpenAsync();
        await Public.RegisterAsync(first, HearingDesk.Person("王阿姨", contact: "13900002222"), HearingDesk.NewSource());
        await Public.RegisterAsync(second, HearingDesk.Person("王阿姨", contact: "13900002222"), HearingDesk.NewSource());
        Assert.Equal(1, await CountAsync(second));
    }

    [Fact]
    public async Task OneSourceIsLimitedPerHour()
    {
        var id = await _desk.OpenAsync(HearingDesk.Notice(residentSeats: 50));
        var source = HearingDesk.NewSource();
        for (var i = 0; i < HearingPublicService.PerHour; i++)
        {
            await Public.RegisterAsync(id, HearingDesk.Person($"居民{i}"), source);
        }

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Public.RegisterAsync(id, HearingDesk.Person("再一位"), source));

        Assert.Equal("Hearing.TooMany", refusal.Code);
        Assert.Equal(HearingPublicService.PerHour, await CountAsync(id));
    }

    [Fact]
    public async Task HostileInputIsRefusedAndNothingIsStored()
    {
        var id = await _desk.OpenAsync();

        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Public.RegisterAsync(id, HearingDesk.Person("王阿姨", testimony: new string('长', 501)), HearingDesk.NewSource()));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => Public.RegisterAsync(id, HearingDesk.Person("王阿姨", (ParticipantCategory)99), HearingDesk.NewSource()));
        var noSeats = await Assert.ThrowsAsync<DomainException>(() => Public.RegisterAsync(id, HearingDesk.Person("王阿姨", ParticipantCategory.ResidentUnit), HearingDesk.NewSource()));

        Assert.Equal("Hearing.Testimony.TooLong", tooLong.Code);
        Assert.Equal("Hearing.UnknownCategory", unknown.Code);
        Assert.Equal("Hearing.UnknownCategory", noSeats.Code);
        Assert.Equal(0, await CountAsync(id));
    }

    [Fact]
    public async Task ScriptInTestimonyStaysInertOnTheNoticeAndInTheReport()
    {
        var id = await _desk.OpenAsync();
        var script = "<script>alert(1)</script> [点我](javascript:alert(2)) <img src=x onerror=alert(3)>";
        var (_, regId) = await _desk.RegisterAsync(id, HearingDesk.Person("<b>王</b>阿姨", testimony: script));
        await Hearings.CloseRegistrationAsync(_desk.Secretary, id);
        await Hearings.DecideAsync(_desk.Secretary, regId, RegistrationStatus.Selected, null);
        await Hearings.GoLiveAsync(_desk.Chair, id);

        var notice = await Public.GetNoticeAsync(id);
        var html = SafeMarkdown.ToHtml(Assert.Single(notice!.Testimonies).Testimony);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrackingCodeShowsTheStatusAndTheReasonButNeverTheContact()
    {
        var id = await _desk.OpenAsync();
        var (code, regId) = await _desk.RegisterAsync(id, HearingDesk.Person("李师傅", contact: "13912345678"));
        Assert.Equal(RegistrationStatus.Registered, (await Public.TrackAsync(code))!.Status);
        await Hearings.CloseRegistrationAsync(_desk.Secretary, id);
        await Hearings.DecideAsync(_desk.Secretary, regId, RegistrationStatus.NotSelected, "同类意见已有代表发言");

        var status = await Public.TrackAsync(code.ToLowerInvariant());

        Assert.Equal(RegistrationStatus.NotSelected, status!.Status);
        Assert.Equal("同类意见已有代表发言", status.Reason);
        Assert.DoesNotContain("13912345678", System.Text.Json.JsonSerializer.Serialize(status), StringComparison.Ordinal);
        Assert.Null(await Public.TrackAsync("NOSUCHCODE"));
    }

    [Fact]
    public async Task AHearingBelongsOnlyToAPublicHearingSessionAndOnlyOnce()
    {
        var council = await _desk.SessionAsync(SessionKind.CouncilSession);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => Hearings.CreateAsync(_desk.Secretary, council, HearingDesk.Notice()));
        Assert.Equal("Hearing.NotAHearingSession", refusal.Code);

        var session = await _desk.SessionAsync();
        await Hearings.CreateAsync(_desk.Secretary, session, HearingDesk.Notice());
        var twice = await Assert.ThrowsAsync<DomainException>(() => Hearings.CreateAsync(_desk.Secretary, session, HearingDesk.Notice()));
        Assert.Equal("Hearing.AlreadyExists", twice.Code);
    }

    [Fact]
    public async Task ADrawFillsTheFreeSeatsPutsTheRestOnTheWaitingListAndIsReproducibleFromTheLog()
    {
        var id = await _desk.OpenAsync(HearingDesk.Notice(residentSeats: 3));
        var ids = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await _desk.RegisterAsync(id, HearingDesk.Person($"居民{i}", position: i % 2 == 0 ? HearingPosition.Support : HearingPosition.Oppose))).Id);
        }

        await Hearings.CloseRegistrationAsync(_desk.Secretary, id);
        await Hearings.DecideAsync(_desk.Secretary, ids[6], RegistrationStatus.Selected, null);

        var draw = await Hearings.DrawAsync(_desk.Secretary, id, ParticipantCategory.Resident);

        Assert.Equal(ids.Take(6), draw.Candidates);
        Assert.Equal(2, draw.Seats);
        var view = await Hearings.GetManagementAsync(_desk.Secretary, id);
        Assert.Equal(3, view.Registrations.Count(r => r.Status == RegistrationStatus.Selected));
        Assert.Equal([1, 2, 3, 4], view.Registrations.Where(r => r.Status == RegistrationStatus.WaitingList).OrderBy(r => r.WaitingPlace).Select(r => r.WaitingPlace!.Value));
        Assert.Equal(draw.Order.Take(2).Append(ids[6]).Order(), view.Registrations.Where(r => r.Status == RegistrationStatus.Selected).Select(r => r.Id).Order());

        // Anyone with the log can redo it.
        await using var db = await _desk.Council.DbAsync();
        var sessionId = await db.Hearings.Where(h => h.Id == id).Select(h => h.SessionId).SingleAsync();
        var logged = (await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).ToListAsync()).Select(SessionLog.Read).OfType<HearingDrawnEntry>().Single();
        Assert.Equal(draw.Order, FairDraw.Reproduce(logged.Seed, logged.Candidates, logged.Seats).Order);
        var again = await Assert.ThrowsAsync<DomainException>(() => Hearings.DrawAsync(_desk.Secretary, id, ParticipantCategory.Resident));
        Assert.Equal("Hearing.NotOversubscribed", again.Code);
    }

    [Fact]
    public async Task SelectionIsRefusedOverTheSeats()
    {
        var id = await _desk.OpenAsync(HearingDesk.Notice(residentSeats: 1));
        var a = await _desk.RegisterAsync(id, HearingDesk.Person("甲"));
        var b = await _desk.RegisterAsync(id, HearingDesk.Person("乙"));
        await Hearings.CloseRegistrationAsync(_desk.Secretary, id);
        await Hearings.DecideAsync(_desk.Secretary, a.Id, RegistrationStatus.Selected, null);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Hearings.DecideAsync(_desk.Secretary, b.Id, RegistrationStatus.Selected, null));

        Assert.Equal("Hearing.SeatsFull", refusal.Code);
        Assert.Equal(RegistrationStatus.Registered, (await Public.TrackAsync(b.Code))!.Status);
    }

    [Fact]
    public async Task AWholeHearingIsLoggedAndItsPublishedReportComesFromTheLog()
    {
        var hearing = await _desk.LiveAsync();
        var id = hearing.HearingId;
        var view = await Hearings.GetManagementAsync(_desk.Chair, id);
        Assert.Equal(3, view.SuggestedOrder.Count);
        Assert.NotEqual(view.SuggestedOrder[0].Position, view.SuggestedOrder[1].Position);

        await Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[0]);
        var busy = await Assert.ThrowsAsync<DomainException>(() => Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[1]));
        Assert.Equal("Hearing.SomeoneSpeaking", busy.Code);
        await Hearings.ExtendAsync(_desk.Chair, id, 60);
        await Hearings.EndSpeechAsync(_desk.Chair, id);
        await Hearings.SkipAsync(_desk.Chair, hearing.Registrations[2]);
        await Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[1]);
        await Hearings.EndSpeechAsync(_desk.Chair, id);
        await Public.CommentAsync(await CodeOfAsync(hearing.Registrations[1]), "施工期间请**不要**夜间作业。");
        await Hearings.OpenCommentsAsync(_desk.Chair, id);

        view = await Hearings.GetManagementAsync(_desk.Secretary, id);
        var spoken = view.Speeches.Where(s => !s.Skipped).ToList();
        await Hearings.SummarizeAsync(_desk.Secretary, spoken[0].Id, "支持改造,希望尽快启动。");
        var subsidy = await Hearings.RaiseIssueAsync(_desk.Secretary, id, "过渡安置补贴", [spoken[0].Id, spoken[1].Id], []);
        var noise = await Hearings.RaiseIssueAsync(_desk.Secretary, id, "夜间施工噪声", [], [view.Comments.Single().Id]);
        await Hearings.DraftReportAsync(_desk.Secretary, id);
        await Hearings.RespondAsync(_desk.Secretary, subsidy, "补贴延长至回迁入住。");

        await Hearings.RespondAsync(_desk.Secretary, noise, "晚上十点后停止施工。");
        await _desk.PublishReportAsync(id);
        await Hearings.PublishFeedbackAsync(_desk.Secretary, id, "党工委采纳补贴延长的意见。");

        var report = (await Public.GetNoticeAsync(id))!.ReportMarkdown!;
        Assert.Contains("# 听证报告:沪闵路沿线旧住房改造项目听证会", report, StringComparison.Ordinal);
        Assert.Contains("| 居民 | 2 | 2 | 2 |", report, StringComparison.Ordinal);
        Assert.Contains("| 居民 | 1 | 1 | 0 |", report, StringComparison.Ordinal);
        Assert.Contains("王阿姨(居民 · 支持)", report, StringComparison.Ordinal);
        Assert.Contains("摘要:支持改造,希望尽快启动。", report, StringComparison.Ordinal);
        Assert.Contains("张教授(专家 · 其他):未发言", report, StringComparison.Ordinal);
        Assert.Contains("施工期间请\\*\\*不要\\*\\*夜间作业。", report, StringComparison.Ordinal);
        Assert.Contains("回应:晚上十点后停止施工。", report, StringComparison.Ordinal);
        Assert.Contains("## 决策反馈", report, StringComparison.Ordinal);
        Assert.DoesNotContain("139", report, StringComparison.Ordinal);

        await using var db = await _desk.Council.DbAsync();
        var sessionId = await db.Hearings.Where(h => h.Id == id).Select(h => h.SessionId).SingleAsync();
        var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.True(SessionLogChain.Verify(log).IsValid);
        var steps = log.Select(SessionLog.Read).OfType<HearingStepEntry>().Select(s => s.Step).ToList();
        Assert.Equal(
            ["NoticePublished", "RegistrationOpen", "RegistrationClosed", "Live", "CommentsOpen", "ReportDrafted", "ReportPublished", "FeedbackPublished"], steps);
        Assert.DoesNotContain(log, e => e.PayloadJson.Contains("139", StringComparison.Ordinal) && e.Kind == HearingRegisteredEntry.Kind);
    }

    [Fact]
    public async Task OnlyHearingsOpenForRegistrationAreListedForTheHomePageAndDraftsAreNotPublic()
    {
        var draft = await _desk.DraftAsync();
        var open = await _desk.OpenAsync();
        var closed = (await _desk.ClosedAsync()).HearingId;

        var listed = (await Public.ListOpenAsync()).Select(h => h.Id).ToList();
        var published = (await Public.ListPublicAsync()).Select(h => h.Id).ToList();

        Assert.Contains(open, listed);
        Assert.DoesNotContain(closed, listed);
        Assert.DoesNotContain(draft, listed);
        Assert.Contains(closed, published);
        Assert.DoesNotContain(draft, published);
        Assert.Null(await Public.GetNoticeAsync(draft));
    }

    [Fact]
    public async Task TheLiveViewShowsWhoHasTheFloorAndTheRestInTheRotatingOrderAndNeverAContact()
    {
        var hearing = await _desk.LiveAsync();
        var before = await Public.GetLiveAsync(hearing.HearingId);
        Assert.Null(before!.Speaker);
        Assert.Equal(3, before.Upcoming.Count);
        Assert.NotEqual(before.Upcoming[0].Position, before.Upcoming[1].Position);

        await Hearings.GiveFloorAsync(_desk.Chair, hearing.Registrations[1]);
        var during = await Public.GetLiveAsync(hearing.HearingId);

        Assert.Equal("李师傅", during!.Speaker!.Name);
        Assert.Equal(180, during.AllowedSeconds);
        Assert.NotNull(during.StartedAtUtc);
        Assert.Equal(2, during.Upcoming.Count);
        Assert.NotEqual(HearingPosition.Oppose, during.Upcoming[0].Position);
        Assert.DoesNotContain("contact", System.Text.Json.JsonSerializer.Serialize(during), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CommentsAreRefusedOnceTheReportIsDrafted()
    {
        var drafted = await _desk.DraftedAsync();
        var code = await CodeOfAsync(drafted.Spoken.Hearing.Registrations[0]);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => Public.CommentAsync(code, "太晚了"));
        Assert.Equal("Hearing.CommentsClosed", refusal.Code);
    }

    private async Task<string> CodeOfAsync(int registrationId)
    {
        await using var db = await _desk.Council.DbAsync();
        return await db.HearingRegistrations.Where(r => r.Id == registrationId).Select(r => r.TrackingCode).SingleAsync();
    }
}
