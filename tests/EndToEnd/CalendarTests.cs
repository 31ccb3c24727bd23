using System.Net;
using static Microsoft.Playwright.Assertions;
using Calendar = Ical.Net.Calendar;

namespace CommunityDeliberation.EndToEnd;

/// <summary>The public iCalendar feed of a body's upcoming sessions, linked from the sessions list.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CalendarTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ANewSessionAppearsInItsBodysFeedLinkedFromTheSessionsList()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var title = "日历订阅测试 " + Guid.NewGuid().ToString("N")[..6];
        var sessionPath = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, title);
        var sessionId = int.Parse(sessionPath.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);

        // Anyone finds the feed on the sessions list, without signing in.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync("/sessions");
        var link = visitor.GetByTestId("calendar-link").Filter(new() { HasText = "江川社区党员代表议事会" });
        await Expect(link).ToHaveAttributeAsync("href", "bodies/jiangchuan-council/calendar.ics");
        await BrowserFixture.ScreenshotAsync(visitor, "sessions-calendar-feeds");

        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        using var response = await http.GetAsync("/bodies/jiangchuan-council/calendar.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var calendar = Calendar.Load(text)!;
        var e = Assert.Single(calendar.Events, ev => ev.Summary == title);

        // Created with the form's defaults: tomorrow 14:00 in Shanghai, one 15-minute item; written in UTC.
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, shanghai)).AddDays(1);
        var start = TimeZoneInfo.ConvertTimeToUtc(tomorrow.ToDateTime(new TimeOnly(14, 0)), shanghai);
        Assert.True(e.DtStart!.IsUtc);
        Assert.Equal(start, e.DtStart.AsUtc);
        Assert.Equal(start.AddMinutes(15), e.DtEnd!.AsUtc);
        Assert.Contains($"DTSTART:{start:yyyyMMdd'T'HHmmss'Z'}", text, StringComparison.Ordinal);
        Assert.Equal("江川社区党群服务中心", e.Location);
        Assert.Equal($"session-{sessionId}@community-deliberation", e.Uid);
        Assert.Equal(new Uri(new Uri(fixture.Server.BaseUrl), sessionPath), e.Url);
        Assert.Equal("1. 议题一(15 分钟)", e.Description);

        // The same feed by the body's number, with the same UID; an unknown body is not found.
        var bodyId = await BodyIdAsync();
        var byNumber = Calendar.Load(await http.GetStringAsync($"/bodies/{bodyId}/calendar.ics"))!;
        Assert.Equal(e.Uid, Assert.Single(byNumber.Events, ev => ev.Summary == title).Uid);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/bodies/no-such-body/calendar.ics")).StatusCode);

        // Closed, it leaves the feed.
        await chair.GetByTestId("close-session").ClickAsync();
        await chair.GetByTestId("close-session-confirm").ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("已结束");
        var after = Calendar.Load(await http.GetStringAsync("/bodies/jiangchuan-council/calendar.ics"))!;
        Assert.DoesNotContain(after.Events, ev => ev.Uid == e.Uid);
    }

    /// <summary>The Jiangchuan council's number, read from the feed link of an admin's body page.</summary>
    private async Task<int> BodyIdAsync()
    {
        var admin = await fixture.SignedInPageAsync("admin", DemoAccounts.PasswordOf("admin"));
        await admin.GotoAsync("/bodies");
        await admin.GetByText("江川社区党员代表议事会").First.ClickAsync();
        await Expect(admin.GetByTestId("body-calendar-link")).ToHaveAttributeAsync("href", "bodies/jiangchuan-council/calendar.ics");
        return int.Parse(new Uri(admin.Url).Segments.Last(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
