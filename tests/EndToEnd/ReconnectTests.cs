using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>When the circuit drops, the reconnect UI appears (driven by the ASP.NET Core 9 client script, ADR 0002).</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task ReconnectUiAppearsWhenTheServerGoesAway()
    {
        await using var server = await AppServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "chair", DemoAccounts.PasswordOf("chair"));
        await page.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("add-item").ClickAsync();
        await Expect(page.GetByTestId("agenda-row")).ToHaveCountAsync(2);

        var modal = page.Locator("#components-reconnect-modal");
        await Expect(modal).ToBeHiddenAsync();
        server.Kill();

        await Expect(modal).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-(show|failed)"), new() { Timeout = 20_000 });
        await Expect(modal).ToBeVisibleAsync();
        await Expect(modal.Locator("#reconnect-title")).ToHaveTextAsync("连接中断,正在重新连接…");
        await BrowserFixture.ScreenshotAsync(page, "reconnect-ui");
    }
}
