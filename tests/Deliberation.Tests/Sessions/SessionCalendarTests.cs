using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Tests.Support;
using Calendar = Ical.Net.Calendar;

namespace CommunityDeliberation.Tests.Sessions;

/// <summary>The iCalendar feed of a body's upcoming sessions: what it contains (read back with Ical.Net) and which sessions.</summary>
public sealed class SessionCalendarTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private static readonly CalendarBody Council = new(7, JiangchuanCouncil.BodyKey, "江川社区党员代表议事会", "Jiangchuan Community Member-Representative Council");

    private static readonly Uri Site = new("https://yishi.example.cn/");

    private static readonly CalendarSession Hearing = new(
        42, 3, "沪闵路沿线旧住房改造项目听证会", "江川社区党群服务中心三楼会议室",
        new DateTime(2026, 12, 4, 6, 0, 0, DateTimeKind.Utc),
        [new CalendarAgendaItem(1, "听取改造方案说明", 30), new CalendarAgendaItem(2, "居民代表发言", 45)]);

    [Fact]
    public void EachSessionIsAnEventWithItsTitlePlaceTimesInUtcAndPage()
    {
        var text = SessionCalendar.Write(Council, [Hearing], Site, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));

        // Times are written in UTC ("Z"), the end after the agenda's 75 planned minutes.
        Assert.Contains("DTSTART:20261204T060000Z", text, StringComparison.Ordinal);
        Assert.Contains("DTEND:20261204T071500Z", text, StringComparison.Ordinal);
        Assert.Contains("DTSTAMP:20261201T000000Z", text, StringComparison.Ordinal);
        Assert.All(text.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, $"unfolded line: {line}"));

        var calendar = Calendar.Load(text)!;
        Assert.Equal("2.0", calendar.Version);
        Assert.Equal("PUBLISH", calendar.Method);
        var e = Assert.Single(calendar.Events);
        Assert.Equal("session-42@community-deliberation", e.Uid);
        Assert.Equal("沪闵路沿线旧住房改造项目听证会", e.Summary);
        Assert.Equal("江川社区党群服务中心三楼会议室", e.Location);
        Assert.Equal(new Uri("https://yishi.example.cn/sessions/42"), e.Url);
        Assert.Equal(new DateTime(2026, 12, 4, 6, 0, 0, DateTimeKind.Utc), e.DtStart!.AsUtc);
        Assert.Equal(new DateTime(2026, 12, 4, 7, 15, 0, DateTimeKind.Utc), e.DtEnd!.AsUtc);
        Assert.True(e.DtStart.IsUtc);
        Assert.Equal("1. 听取改造方案说明(30 分钟)\n2. 居民代表发言(45 分钟)", e.Description);
        Assert.Equal("江川社区党员代表议事会", calendar.Properties.Get<string>("X-WR-CALNAME"));
    }

    [Fact]
    public void TheUidStaysTheSameWhateverTheFeedAndItsMomentAndLanguage()
    {
        var first = Calendar.Load(SessionCalendar.Write(Council, [Hearing], Site, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)))!;
        var moved = Hearing with { StartsAtUtc = Hearing.StartsAtUtc.AddDays(1), Title = "听证会(改期)" };
        var later = Calendar.Load(SessionCalendar.Write(Council, [moved], new Uri("http://127.0.0.1:5080/"), new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc), english: true))!;

        Assert.Equal(first.Events.Single().Uid, later.Events.Single().Uid);
        Assert.Equal("1. 听取改造方案说明 (30 min)\n2. 居民代表发言 (45 min)", later.Events.Single().Description);
        Assert.Equal("Jiangchuan Community Member-Representative Council", later.Properties.Get<string>("X-WR-CALNAME"));
    }

    [Fact]
    public void AnEmptyFeedIsAValidCalendar()
    {
        var calendar = Calendar.Load(SessionCalendar.Write(Council, [], Site, DateTime.UtcNow))!;
        Assert.Empty(calendar.Events);
    }

    [Fact]
    public async Task TheFeedListsSessionsNotClosedAndNotOverFoundByKeyOrNumber()
    {
        var council = new JiangchuanCouncil(fixture);
        // The sessions are scheduled for 2026-03-08 06:00 UTC with 40 planned minutes.
        var upcoming = await council.ScheduleAsync("日历:即将召开");
        var closed = await council.ScheduleAsync("日历:已闭会");
        await council.Sessions.OpenAsync(council.Chair, closed);
        await council.Sessions.CloseAsync(council.Chair, closed);

        var beforeTheStart = new SessionCalendar(fixture.Database.Factory, new ManualClock(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero)));
        var byKey = await beforeTheStart.FindAsync(JiangchuanCouncil.BodyKey);
        Assert.NotNull(byKey);
        Assert.Equal(JiangchuanCouncil.BodyKey, byKey.Value.Body.Key);
        var listed = byKey.Value.Sessions.Select(s => s.Id).ToList();
        Assert.Contains(upcoming, listed);
        Assert.DoesNotContain(closed, listed);
        var session = byKey.Value.Sessions.Single(s => s.Id == upcoming);
        Assert.Equal("江川社区党工委会议室", session.Place);
        Assert.Equal(new DateTime(2026, 3, 8, 6, 40, 0, DateTimeKind.Utc), session.EndsAtUtc);
        Assert.Equal(["审议旧住房改造方案", "其他事项"], session.Agenda.Select(a => a.Title));

        var byNumber = await beforeTheStart.FindAsync((await council.BodyIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(listed, byNumber!.Value.Sessions.Select(s => s.Id));

        // While it runs it stays; once its planned time is over it leaves the feed.
        var during = new SessionCalendar(fixture.Database.Factory, new ManualClock(new DateTimeOffset(2026, 3, 8, 6, 30, 0, TimeSpan.Zero)));
        Assert.Contains(upcoming, (await during.FindAsync(JiangchuanCouncil.BodyKey))!.Value.Sessions.Select(s => s.Id));
        var after = new SessionCalendar(fixture.Database.Factory, new ManualClock(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero)));
        Assert.DoesNotContain(upcoming, (await after.FindAsync(JiangchuanCouncil.BodyKey))!.Value.Sessions.Select(s => s.Id));

        Assert.Null(await beforeTheStart.FindAsync("no-such-body"));
        Assert.Null(await beforeTheStart.FindAsync("999999"));
    }
}
