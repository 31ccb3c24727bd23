using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Hearings;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Notifications;

/// <summary>The seeded database with e-mail switched on (to a port nobody listens on: rows are written, never sent here).</summary>
public sealed class EmailOnDatabaseFixture() : SeededDatabaseFixture(null, services => services.Configure<SmtpOptions>(o =>
{
    o.Enabled = true;
    o.Host = "127.0.0.1";
    o.Port = 2525;
    o.Security = SmtpSecurity.None;
    o.From = "社区议事厅 <noreply@example.org>";
    o.PublicBaseUrl = "https://deliberation.example.org/";
}));

/// <summary>
/// Decision feedback of a hearing tells the registrants who asked: in-app to those registered with an account, by
/// e-mail (an outbox row) to e-mail contacts when e-mail is on, nobody else; all with the feedback or not at all.
/// </summary>
public sealed class HearingFeedbackNoticeTests(EmailOnDatabaseFixture fixture) : IClassFixture<EmailOnDatabaseFixture>
{
    private readonly HearingDesk _desk = new(fixture);

    private Actor Resident => _desk.Council.ActorFor("resident", Roles.Resident);

    [Fact]
    public async Task OptedInRegistrantsAreToldInAppAndByEmailAndNobodyElse()
    {
        var mail = $"wang.{Guid.NewGuid():N}@example.org";
        var hearing = await ReportPublishedAsync(
            HearingDesk.Person("王阿姨", contact: mail) with { NotifyOnDecision = true, AccountUserId = Resident.UserId },
            HearingDesk.Person("李师傅", position: HearingPosition.Oppose) with { NotifyOnDecision = true },
            HearingDesk.Person("张教授", ParticipantCategory.Expert, HearingPosition.Other, contact: $"zhang.{Guid.NewGuid():N}@example.org")
                with
            { AccountUserId = _desk.Council.Rep(40).UserId });
        var before = await CountsAsync();

        await _desk.Hearings.PublishFeedbackAsync(_desk.Secretary, hearing, "党工委采纳了意见：补贴延长至入住。");

        var after = await CountsAsync();
        Assert.Equal(1, after.Outbox - before.Outbox);
        await using var db = await _desk.Council.DbAsync();
        var notice = await db.Notices.AsNoTracking().Where(n => n.Link == $"/hearings/{hearing}#hearing-feedback").SingleAsync();
        Assert.Equal(Resident.UserId, notice.UserId);
        Assert.Equal(NoticeKind.HearingFeedbackPublished, notice.Kind);
        Assert.Equal("沪闵路沿线旧住房改造项目听证会", notice.Subject);
        var email = await db.OutboxMessages.AsNoTracking().Where(m => m.Recipient == mail).SingleAsync();
        Assert.Equal(OutboxChannel.Email, email.Channel);
        Assert.Contains($"https://deliberation.example.org/hearings/{hearing}#hearing-feedback", email.Body, StringComparison.Ordinal);
        Assert.Contains("补贴延长至入住", email.Body, StringComparison.Ordinal);
        Assert.Null(email.SentAtUtc);
        Assert.Equal(0, email.Attempts);
    }

    [Fact]
    public async Task NoticesAndMailAreKeptOnlyWithTheFeedback()
    {
        var mail = $"chen.{Guid.NewGuid():N}@example.org";
        var hearing = await ReportPublishedAsync(
            HearingDesk.Person("陈阿姨", contact: mail) with { NotifyOnDecision = true, AccountUserId = Resident.UserId },
            HearingDesk.Person("赵师傅", position: HearingPosition.Oppose));
        var before = await CountsAsync();

        // An empty feedback is refused: nobody is told of it.
        await Assert.ThrowsAsync<DomainException>(() => _desk.Hearings.PublishFeedbackAsync(_desk.Secretary, hearing, "  "));
        Assert.Equal(before, await CountsAsync());

        // The notice cannot be stored: the feedback is not published either, and no mail waits.
        using (fixture.Database.RefuseInsertsInto("Notices"))
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => _desk.Hearings.PublishFeedbackAsync(_desk.Secretary, hearing, "决定如下。"));
        }

        Assert.Equal(before, await CountsAsync());
        await using (var db = await _desk.Council.DbAsync())
        {
            Assert.Equal(HearingStage.ReportPublished, await db.Hearings.Where(h => h.Id == hearing).Select(h => h.Stage).SingleAsync());
        }

        await _desk.Hearings.PublishFeedbackAsync(_desk.Secretary, hearing, "决定如下。");
        var after = await CountsAsync();
        Assert.Equal((before.Notices + 1, before.Outbox + 1), (after.Notices, after.Outbox));
    }

    [Fact]
    public async Task TheRegistrationKeepsTheAccountOnlyWhenAsked()
    {
        var id = await _desk.OpenAsync();
        var asked = await _desk.RegisterAsync(id, HearingDesk.Person("孙阿姨") with { NotifyOnDecision = true, AccountUserId = Resident.UserId });
        var notAsked = await _desk.RegisterAsync(id, HearingDesk.Person("周师傅") with { AccountUserId = Resident.UserId });

        await using var db = await _desk.Council.DbAsync();
        var rows = await db.HearingRegistrations.AsNoTracking().Where(r => r.HearingId == id).ToDictionaryAsync(r => r.Id);
        Assert.True(rows[asked.Id].NotifyOnDecision);
        Assert.Equal(Resident.UserId, rows[asked.Id].NotifyUserId);
        Assert.False(rows[notAsked.Id].NotifyOnDecision);
        Assert.Null(rows[notAsked.Id].NotifyUserId);
    }

    [Theory]
    [InlineData("wang@example.org", "wang@example.org")]
    [InlineData("  li.si@mail.example.cn ", "li.si@mail.example.cn")]
    [InlineData("13912345678", null)]
    [InlineData("王阿姨 <wang@example.org>", null)]
    [InlineData("a@b", null)]
    [InlineData("a@b.org\r\nBcc: x@y.org", null)]
    [InlineData("", null)]
    public void OnlyAPlainEmailAddressIsMailed(string contact, string? expected) =>
        Assert.Equal(expected, HearingFeedbackNotices.EmailAddress(contact));

    private Task<int> ReportPublishedAsync(params RegistrationInput[] people) => ReportPublishedAsync(_desk, people);

    /// <summary>A hearing with these registrants, all selected, the first having spoken, one issue answered, its report published.</summary>
    internal static async Task<int> ReportPublishedAsync(HearingDesk desk, params RegistrationInput[] people)
    {
        var id = await desk.OpenAsync();
        var registrations = new List<int>();
        foreach (var person in people)
        {
            registrations.Add((await desk.RegisterAsync(id, person)).Id);
        }

        await desk.Hearings.CloseRegistrationAsync(desk.Secretary, id);
        foreach (var r in registrations)
        {
            await desk.Hearings.DecideAsync(desk.Secretary, r, RegistrationStatus.Selected, null);
        }

        await desk.Hearings.GoLiveAsync(desk.Chair, id);
        await desk.Hearings.CheckInAsync(desk.Secretary, registrations[0]);
        await desk.Hearings.GiveFloorAsync(desk.Chair, registrations[0]);
        await desk.Hearings.EndSpeechAsync(desk.Chair, id);
        await desk.Hearings.OpenCommentsAsync(desk.Chair, id);
        int speech;
        await using (var db = await desk.Council.DbAsync())
        {
            speech = await db.HearingSpeeches.Where(s => s.HearingId == id).Select(s => s.Id).SingleAsync();
        }

        var issue = await desk.Hearings.RaiseIssueAsync(desk.Secretary, id, "过渡安置期间的租房补贴", [speech], []);
        await desk.Hearings.RespondAsync(desk.Secretary, issue, "补贴标准按区里规定执行,并延长至入住。");
        await desk.Hearings.DraftReportAsync(desk.Secretary, id);
        await desk.PublishReportAsync(id);
        return id;
    }

    private async Task<(int Notices, int Outbox)> CountsAsync()
    {
        await using var db = await _desk.Council.DbAsync();
        return (await db.Notices.CountAsync(), await db.OutboxMessages.CountAsync());
    }
}

/// <summary>With e-mail off (the default) publishing feedback writes in-app notices only: no outbox row at all.</summary>
public sealed class HearingFeedbackEmailOffTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    [Fact]
    public async Task WithEmailOffNoOutboxRowIsWritten()
    {
        var desk = new HearingDesk(fixture);
        var resident = desk.Council.ActorFor("resident", Roles.Resident);
        var id = await HearingFeedbackNoticeTests.ReportPublishedAsync(desk,
            HearingDesk.Person("王阿姨", contact: "wang.off@example.org") with { NotifyOnDecision = true, AccountUserId = resident.UserId });

        await desk.Hearings.PublishFeedbackAsync(desk.Secretary, id, "决定如下。");

        await using var db = await desk.Council.DbAsync();
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
        Assert.Equal(1, await db.Notices.CountAsync(n => n.Link == $"/hearings/{id}#hearing-feedback" && n.UserId == resident.UserId));
        var status = await desk.Public.TrackAsync((await db.HearingRegistrations.SingleAsync(r => r.HearingId == id)).TrackingCode);
        Assert.Equal(HearingStage.FeedbackPublished, status!.Stage);
    }
}
