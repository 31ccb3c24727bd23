using System.Globalization;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Calendar = Ical.Net.Calendar;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>A hearing's published notice in the body's calendar feed and in the archive's Atom feed; a draft in neither.</summary>
public sealed class HearingFeedTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly HearingDesk _desk = new(fixture);

    [Fact]
    public async Task AHearingOpenForRegistrationIsInItsBodysCalendarAtItsOwnTimeLinkedToTheNotice()
    {
        var open = await _desk.OpenAsync();
        var draft = await _desk.DraftAsync();
        var calendars = fixture.Database.Services.GetRequiredService<SessionCalendar>();

        var (body, sessions) = (await calendars.FindAsync((await _desk.Council.BodyIdAsync()).ToString(CultureInfo.InvariantCulture)))!.Value;

        var notice = (await _desk.Public.GetNoticeAsync(open))!;
        var listed = Assert.Single(sessions, s => s.Id == notice.SessionId);
        Assert.Equal(open, listed.Hearing!.Id);
        Assert.True(listed.Hearing.RegistrationOpen);
        Assert.Equal(notice.StartsAtUtc, listed.StartsAtUtc, TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(sessions, s => s.Hearing?.Id == draft);

        var calendar = Calendar.Load(SessionCalendar.Write(body, sessions, new Uri("https://example.org/"), DateTime.UtcNow))!;
        var e = Assert.Single(calendar.Events, ev => ev.Uid == SessionCalendar.Uid(notice.SessionId));
        Assert.Equal(new Uri($"https://example.org/hearings/{open}"), e.Url);
        Assert.Contains("听证会:沪闵路沿线旧住房改造项目听证会", e.Description, StringComparison.Ordinal);
        Assert.Contains("报名进行中", e.Description, StringComparison.Ordinal);
        Assert.Equal("江川社区党工委会议室", e.Location);
    }

    [Fact]
    public async Task PublishedNoticesAreListedForTheFeedNewestFirstAndDraftsAreNot()
    {
        var draft = await _desk.DraftAsync();
        var first = await _desk.OpenAsync();
        var second = await _desk.OpenAsync();

        var notices = await _desk.Public.ListNoticesAsync(max: 500);

        Assert.DoesNotContain(notices, n => n.Id == draft);
        var ids = notices.Select(n => n.Id).ToList();
        Assert.True(ids.IndexOf(second) < ids.IndexOf(first) && ids.IndexOf(first) >= 0);
        Assert.Equal(HearingStage.RegistrationOpen, notices.Single(n => n.Id == second).Stage);
    }
}
