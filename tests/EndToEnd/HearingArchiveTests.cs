using System.Net;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 12, demo data: on a fresh start a resident without an account, on a phone, finds the seeded 2010 Humin Road
/// hearing report in the archive search and reads it, issues and responses included.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HearingArchiveTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AResidentWithoutAnAccountFindsTheSeededHearingReportInTheArchive()
    {
        var resident = await fixture.NewPageAsync(360, 740);
        var search = await resident.GotoAsync($"/archive/search?q={Uri.EscapeDataString("旧住房改造")}");
        Assert.Equal((int)HttpStatusCode.OK, search!.Status);
        await Expect(resident.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        var hit = resident.GetByTestId("search-hit").Filter(new() { HasText = "2010" });
        await Expect(hit.First).ToBeVisibleAsync();

        await hit.First.Locator("a.archive-title").ClickAsync();
        var text = resident.GetByTestId("archive-minutes-text");
        await Expect(text).ToContainTextAsync("听证报告:沪闵路沿线旧住房改造项目听证会");
        await Expect(text).ToContainTextAsync("意见归纳与回应");
        await Expect(text).ToContainTextAsync("施工时间定为 7:00–18:00");
        await Expect(resident.GetByTestId("archive-version")).ToContainTextAsync("第 1 版");
        Assert.Matches(@"/archive/\d+$", resident.Url);
    }
}
