using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// .NET 10's persistent component state (ADR 0009), on a server of its own: what a page read while prerendering is handed
/// to the interactive page instead of being read again, and a circuit the server evicted while the browser was offline
/// is resumed from its persisted state.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitStateTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>The query that lists the bodies (BodyAdminService's tree), as EF Core logs it.</summary>
    private const string BodyTreeQuery = "SELECT \"b\".\"Id\", \"b\".\"Key\", \"b\".\"Name\", \"b\".\"NameEn\", \"b\".\"Kind\", \"b\".\"ParentId\"";

    /// <summary>The query that lists the bodies a session can be scheduled for (SessionService), as EF Core logs it.</summary>
    private const string SchedulingQuery = "\"b\".\"Name\" AS \"BodyName\", \"b\".\"NameEn\" AS \"BodyNameEn\", \"b\".\"Kind\"";

    [Fact]
    public async Task ListsReadWhilePrerenderingAreNotReadAgainWhenThePageBecomesInteractive()
    {
        await using var server = await AppServer.StartAsync(new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
        });
        var context = await NewContextAsync(server);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "admin", DemoAccounts.PasswordOf("admin"));

        var before = Count(server.Log, BodyTreeQuery);
        await page.GotoAsync("/bodies");
        await Expect(page.GetByTestId("body-create")).ToBeEnabledAsync(); // enabled once the page is interactive
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Task.Delay(500);
        var reads = Count(server.Log, BodyTreeQuery) - before;
        output.WriteLine($"body tree read {reads} time(s) for one visit of /bodies");
        Assert.Equal(1, reads);
        await Expect(page.GetByText("江川社区党员代表议事会").First).ToBeVisibleAsync();

        // Scheduling needs an office in a body (ADR 0012): the chair, not the platform admin, schedules.
        page = await (await NewContextAsync(server)).NewPageAsync();
        await BrowserFixture.SignInAsync(page, "chair", DemoAccounts.PasswordOf("chair"));
        before = Count(server.Log, SchedulingQuery);
        await page.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("add-item").ClickAsync();
        await Expect(page.GetByTestId("agenda-row")).ToHaveCountAsync(2);
        reads = Count(server.Log, SchedulingQuery) - before;
        output.WriteLine($"bodies for scheduling read {reads} time(s) for one visit of /sessions/new");
        Assert.Equal(1, reads);
        await Expect(page.GetByTestId("create-session-form").Locator("select").First).ToContainTextAsync("江川社区党员代表议事会");
        await context.CloseAsync();
    }

    [Fact]
    public async Task ASecretBallotsReceiptSurvivesTheServerEvictingTheCircuit()
    {
        // Disconnected circuits are kept 2 s instead of 3 minutes, so the test can outlast one.
        await using var server = await AppServer.StartAsync(new Dictionary<string, string>
        {
            ["Circuits__DisconnectedCircuitRetentionPeriod"] = "00:00:02",
        });
        var chairContext = await NewContextAsync(server);
        var chair = await chairContext.NewPageAsync();
        await BrowserFixture.SignInAsync(chair, "chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "线路恢复测试");

        var repContext = await NewContextAsync(server);
        var hubMethods = new List<string>();
        var network = await NetworkSwitch.AttachAsync(repContext, hubMethods);
        var rep = await repContext.NewPageAsync();
        await BrowserFixture.SignInAsync(rep, "rep006", DemoAccounts.MemberPassword);
        await rep.GotoAsync(sessionUrl);
        await rep.GetByTestId("check-in").ClickAsync();
        await Expect(rep.GetByTestId("checked-in")).ToBeVisibleAsync();
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("poll-question-input").FillAsync("是否同意增补居民区党组织委员人选?");
        await chair.GetByTestId("poll-more").Locator("summary").ClickAsync();
        await chair.GetByTestId("poll-secrecy").SelectOptionAsync("Secret");
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await rep.GetByTestId("vote-no").ClickAsync();
        var receipt = (await rep.Locator(".receipt-code").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-HJKMNP-Z]{10}$", receipt);
        await rep.EvaluateAsync("window.beforeTheDrop = 'same page'");

        // Offline well past the retention: the server evicts the circuit and keeps its persisted state.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await network.GoOfflineAsync();
        await Expect(rep.GetByTestId("reconnect-modal")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Task.Delay(6_000);
        await network.GoOnlineAsync();

        // The reconnect is refused (the circuit is gone), so the client asks to resume: a new circuit from the saved state.
        await Expect(rep.GetByTestId("reconnect-modal")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        output.WriteLine($"offline at 0 s, online at 6 s, resumed at {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("same page", await rep.EvaluateAsync<string>("window.beforeTheDrop"));
        lock (hubMethods)
        {
            output.WriteLine("hub calls from the page: " + string.Join(", ", hubMethods));
            Assert.Contains("ConnectCircuit", hubMethods);
            Assert.Contains("ResumeCircuit", hubMethods);
        }

        await Expect(rep.Locator(".receipt-code")).ToHaveTextAsync(receipt);
        await Expect(rep.GetByTestId("my-ballot")).ToHaveTextAsync("您已投票(无记名)。");
        await Expect(rep.GetByTestId("tally-cast")).ToContainTextAsync("已投 1 票");

        // The resumed page is live: the chair's close reaches it.
        await chair.GetByTestId("close-poll").ClickAsync();
        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await Expect(rep.GetByTestId("outcome")).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await repContext.CloseAsync();
        await chairContext.CloseAsync();
    }

    private async Task<IBrowserContext> NewContextAsync(AppServer server)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    private static int Count(string text, string fragment) => Regex.Matches(text, Regex.Escape(fragment)).Count;
}
