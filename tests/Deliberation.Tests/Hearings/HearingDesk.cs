using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>
/// Brings hearings of the Jiangchuan council into a stage through the real services: the chair schedules a public-hearing
/// session, the secretary prepares the hearing, residents register from sources of their own, the chair moderates.
/// </summary>
public sealed class HearingDesk(SeededDatabaseFixture fixture)
{
    public JiangchuanCouncil Council { get; } = new(fixture);

    public HearingService Hearings { get; } = fixture.Database.Services.GetRequiredService<HearingService>();

    public HearingPublicService Public { get; } = fixture.Database.Services.GetRequiredService<HearingPublicService>();

    public MinutesService Minutes { get; } = fixture.Database.Services.GetRequiredService<MinutesService>();

    public Actor Chair => Council.Chair;

    public Actor Secretary => Council.Secretary;

    public static HearingNotice Notice(int residentSeats = 2, int expertSeats = 1, int testimonyLimit = 500) => new(
        "沪闵路沿线旧住房改造项目听证会", "## 背景\n\n改造范围:沪闵路沿线 **12 幢**旧住房。", "江川社区党工委会议室",
        DateTime.UtcNow.AddDays(8), DateTime.UtcNow.AddDays(7),
        [new HearingSeats(ParticipantCategory.Resident, residentSeats), new HearingSeats(ParticipantCategory.Expert, expertSeats)], testimonyLimit, 180);

    public static RegistrationInput Person(string name, ParticipantCategory category = ParticipantCategory.Resident, HearingPosition position = HearingPosition.Support,
        string? contact = null, string? testimony = null) =>
        new(name, category, "沪闵路 12 号 3 单元", contact ?? $"139{Random.Shared.Next(10_000_000, 99_999_999)}", position, testimony);

    public static string NewSource() => $"10.9.{Random.Shared.Next(256)}.{Guid.NewGuid():N}";

    public async Task<int> SessionAsync(SessionKind kind = SessionKind.PublicHearing)
    {
        var input = JiangchuanCouncil.Input("听证会", await Council.BodyIdAsync()) with { Kind = kind };
        return await Council.Sessions.ScheduleAsync(Chair, input);
    }

    public async Task<int> DraftAsync(HearingNotice? notice = null) => await Hearings.CreateAsync(Secretary, await SessionAsync(), notice ?? Notice());

    public async Task<int> OpenAsync(HearingNotice? notice = null)
    {
        var id = await DraftAsync(notice);
        await Hearings.PublishNoticeAsync(Secretary, id);
        await Hearings.OpenRegistrationAsync(Secretary, id);
        return id;
    }

    public async Task<(string Code, int Id)> RegisterAsync(int hearingId, RegistrationInput person)
    {
        var receipt = await Public.RegisterAsync(hearingId, person, NewSource());
        await using var db = await Council.DbAsync();
        return (receipt.TrackingCode, await db.HearingRegistrations.Where(r => r.TrackingCode == receipt.TrackingCode).Select(r => r.Id).SingleAsync());
    }

    /// <summary>A hearing whose notice is published, registration not yet open.</summary>
    public async Task<int> PublishedAsync()
    {
        var id = await DraftAsync();
        await Hearings.PublishNoticeAsync(Secretary, id);
        return id;
    }

    /// <summary>Registration closed with two residents for one seat.</summary>
    public async Task<int> OversubscribedAsync()
    {
        var id = await OpenAsync(Notice(residentSeats: 1));
        await RegisterAsync(id, Person("甲"));
        await RegisterAsync(id, Person("乙"));
        await Hearings.CloseRegistrationAsync(Secretary, id);
        return id;
    }

    /// <summary>Registration closed and the first registrant selected: ready to go live.</summary>
    public async Task<Registered> SelectedAsync()
    {
        var hearing = await ClosedAsync();
        await Hearings.DecideAsync(Secretary, hearing.Registrations[0], RegistrationStatus.Selected, null);
        return hearing;
    }

    /// <summary>A live hearing where the first registrant has the floor.</summary>
    public async Task<Registered> SpeakingAsync()
    {
        var hearing = await LiveAsync();
        await Hearings.GiveFloorAsync(Chair, hearing.Registrations[0]);
        return hearing;
    }

    /// <summary>A live hearing with one written comment by the second registrant; returns the comment's id.</summary>
    public async Task<int> CommentedAsync()
    {
        var hearing = await LiveAsync();
        await using var db = await Council.DbAsync();
        var code = await db.HearingRegistrations.Where(r => r.Id == hearing.Registrations[1]).Select(r => r.TrackingCode).SingleAsync();
        await Public.CommentAsync(code, "请公布补贴标准。");
        return await db.HearingComments.Where(c => c.HearingId == hearing.HearingId).Select(c => c.Id).SingleAsync();
    }

    /// <summary>The spoken part over after one speech.</summary>
    public async Task<int> CommentsOpenAsync()
    {
        var spoken = await SpokenAsync();
        await Hearings.OpenCommentsAsync(Chair, spoken.Hearing.HearingId);
        return spoken.Hearing.HearingId;
    }

    /// <summary>The report published (every issue answered).</summary>
    public async Task<int> ReportPublishedAsync()
    {
        var drafted = await DraftedAsync(responded: true);
        await PublishReportAsync(drafted.HearingId);
        return drafted.HearingId;
    }

    /// <summary>The report of a drafted hearing as the minutes of its session: generated by the secretary, approved by the chair. Returns the minutes' id.</summary>
    public async Task<int> ApprovedReportAsync(int hearingId)
    {
        int sessionId;
        await using (var db = await Council.DbAsync())
        {
            sessionId = await db.Hearings.Where(h => h.Id == hearingId).Select(h => h.SessionId).SingleAsync();
        }

        var minutesId = await Minutes.GenerateAsync(Secretary, sessionId);
        await Minutes.ApproveAsync(Chair, minutesId);
        return minutesId;
    }

    /// <summary>Publishes the report through the minutes workflow (generate, approve, publish).</summary>
    public async Task PublishReportAsync(int hearingId) => await Minutes.PublishAsync(Secretary, await ApprovedReportAsync(hearingId));

    /// <summary>An open hearing with a supporter and an opponent among residents and one expert, registration closed.</summary>
    public async Task<Registered> ClosedAsync()
    {
        var id = await OpenAsync();
        var a = await RegisterAsync(id, Person("王阿姨", position: HearingPosition.Support, testimony: "希望**尽快**改造。"));
        var b = await RegisterAsync(id, Person("李师傅", position: HearingPosition.Oppose));
        var c = await RegisterAsync(id, Person("张教授", ParticipantCategory.Expert, HearingPosition.Other));
        await Hearings.CloseRegistrationAsync(Secretary, id);
        return new Registered(id, [a.Id, b.Id, c.Id]);
    }

    /// <summary>Everyone of <see cref="ClosedAsync"/> selected, the first <paramref name="present"/> checked in at the door, and the hearing live.</summary>
    public async Task<Registered> LiveAsync(int present = 3)
    {
        var hearing = await ClosedAsync();
        foreach (var r in hearing.Registrations)
        {
            await Hearings.DecideAsync(Secretary, r, RegistrationStatus.Selected, null);
        }

        foreach (var r in hearing.Registrations.Take(present))
        {
            await Hearings.CheckInAsync(Secretary, r);
        }

        await Hearings.GoLiveAsync(Chair, hearing.HearingId);
        return hearing;
    }

    /// <summary>A live hearing where the first registrant spoke; the target's speech id is the last of the list.</summary>
    public async Task<Spoken> SpokenAsync()
    {
        var hearing = await LiveAsync();
        await Hearings.GiveFloorAsync(Chair, hearing.Registrations[0]);
        await Hearings.EndSpeechAsync(Chair, hearing.HearingId);
        await using var db = await Council.DbAsync();
        var speechId = await db.HearingSpeeches.Where(s => s.HearingId == hearing.HearingId).Select(s => s.Id).SingleAsync();
        return new Spoken(hearing, speechId);
    }

    /// <summary>The spoken part over, one issue raised from the speech (no response yet), the report drafted.</summary>
    public async Task<WithIssue> DraftedAsync(bool responded = false)
    {
        var spoken = await SpokenAsync();
        await Hearings.OpenCommentsAsync(Chair, spoken.Hearing.HearingId);
        var issueId = await Hearings.RaiseIssueAsync(Secretary, spoken.Hearing.HearingId, "过渡安置期间的租房补贴", [spoken.SpeechId], []);
        if (responded)
        {
            await Hearings.RespondAsync(Secretary, issueId, "补贴标准按区里规定执行,并延长至入住。");
        }

        await Hearings.DraftReportAsync(Secretary, spoken.Hearing.HearingId);
        return new WithIssue(spoken, issueId);
    }
}

public sealed record Registered(int HearingId, IReadOnlyList<int> Registrations);

public sealed record Spoken(Registered Hearing, int SpeechId);

public sealed record WithIssue(Spoken Spoken, int IssueId)
{
    public int HearingId => Spoken.Hearing.HearingId;
}
