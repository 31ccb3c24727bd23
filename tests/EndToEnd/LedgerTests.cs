using System.Net;
using System.Xml.Linq;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 13, the work ledger's public progress page: a resident on a phone, never signed in, finds the Chengli heating-pipe
/// item closed out (销号) with its evidence, reads its history and follows it by Atom, and the pages open no circuit.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LedgerTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ResidentReadsAClosedOutItemWithItsEvidenceWithoutSigningInOrACircuit()
    {
        var resident = await fixture.NewPageAsync(360, 740);
        var sockets = 0;
        var blazor = new List<string>();
        resident.WebSocket += (_, _) => sockets++;
        resident.Request += (_, r) =>
        {
            if (r.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                blazor.Add(r.Url);
            }
        };

        var list = await resident.GotoAsync("/ledger?status=ClosedOut");
        Assert.Equal((int)HttpStatusCode.OK, list!.Status);
        var heating = resident.GetByTestId("ledger-item").Filter(new() { HasText = "清华园小区暖气管道修缮" });
        await Expect(heating).ToHaveCountAsync(1);
        await Expect(heating.GetByTestId("ledger-status")).ToHaveTextAsync("已销号");
        await Expect(heating).ToContainTextAsync("试水打压合格");
        await Expect(resident.GetByTestId("ledger-item").Filter(new() { HasText = "清华园小区车辆停放" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(resident, "ledger-360");

        await heating.Locator("a").ClickAsync();
        await Expect(resident.GetByTestId("ledger-item-title")).ToHaveTextAsync("清华园小区暖气管道修缮");
        await Expect(resident.GetByTestId("ledger-evidence")).ToContainTextAsync("业主委员会、居民代表与物业公司共同验收");
        await Expect(resident.GetByTestId("ledger-history").Locator("li")).ToHaveCountAsync(5);
        await Expect(resident.GetByTestId("ledger-history")).ToContainTextAsync("销号");
        await BrowserFixture.ScreenshotAsync(resident, "ledger-item-360");

        // The item's feed: one entry per step, newest first, addresses on the configured host.
        var feedUrl = await resident.GetByTestId("ledger-item-feed").GetAttributeAsync("href");
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var feed = XDocument.Parse(await http.GetStringAsync(feedUrl));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = feed.Root!.Elements(atom + "entry").ToList();
        Assert.Equal(5, entries.Count);
        Assert.Contains("销号", entries[0].Element(atom + "title")!.Value, StringComparison.Ordinal);

        Assert.Equal(0, sockets);
        Assert.Empty(blazor);
    }

    [Fact]
    public async Task ChairRecordsAnItemAndClosesItOutWithEvidenceThenResidentsSeeIt()
    {
        var title = "楼道堆物清理 " + Guid.NewGuid().ToString("N")[..6];
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"), 360, 740);
        await chair.GotoAsync("/ledger/manage");
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await Expect(chair.GetByTestId("ledger-dashboard")).ToBeVisibleAsync();

        // Nothing stored without a due date: the sentence says why.
        await chair.GetByTestId("ledger-new-title").FillAsync(title);
        await chair.GetByTestId("ledger-new-owner").FillAsync("物业公司");
        await chair.GetByTestId("ledger-record").ClickAsync();
        await Expect(chair.GetByTestId("ledger-error")).ToContainTextAsync("完成时限");

        await chair.GetByTestId("ledger-new-due").FillAsync("2027-01-15");
        await chair.GetByTestId("ledger-new-area").FillAsync("江川路第三小区");
        await chair.GetByTestId("ledger-record").ClickAsync();
        var card = chair.GetByTestId("ledger-work-item").Filter(new() { HasText = title });
        await Expect(card).ToHaveCountAsync(1);

        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("已清理完毕");
        await card.GetByTestId("ledger-done").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("已办结待核实");
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-close-out").ClickAsync();
        await Expect(chair.GetByTestId("ledger-error")).ToContainTextAsync("销号凭证");
        await card.GetByTestId("ledger-work-note").FillAsync("现场检查:楼道畅通");
        await card.GetByTestId("ledger-close-out").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("已销号");
        await BrowserFixture.ScreenshotAsync(chair, "ledger-manage-360");

        var resident = await fixture.NewPageAsync(360, 740);
        await resident.GotoAsync("/ledger?area=" + Uri.EscapeDataString("江川路第三小区"));
        var item = resident.GetByTestId("ledger-item").Filter(new() { HasText = title });
        await Expect(item.GetByTestId("ledger-status")).ToHaveTextAsync("已销号");
        await Expect(item).ToContainTextAsync("现场检查:楼道畅通");
    }

    [Fact]
    public async Task UnknownItemAndMalformedFiltersGetClearPages()
    {
        var page = await fixture.NewPageAsync();

        var missing = await page.GotoAsync("/ledger/987654");
        Assert.Equal((int)HttpStatusCode.NotFound, missing!.Status);
        var odd = await page.GotoAsync("/ledger?status=%3Cscript%3E&area=" + new string('x', 300) + "&overdue=maybe");
        Assert.Equal((int)HttpStatusCode.OK, odd!.Status);
        await Expect(page.GetByTestId("ledger-list")).ToBeVisibleAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ledger/987654/feed.atom")).StatusCode);
    }
}
