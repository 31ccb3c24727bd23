using System.Net;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>The client script, the circuit, the web root, language, text size and the narrow layout.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ServesTheBlazorClientScriptAndTheTopLevelWebRoot()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var script = await http.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("Blazor", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A file from the top-level wwwroot/ is served byte for byte.
        var css = await http.GetByteArrayAsync("/css/app.css");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(AppServer.RepositoryRoot, "wwwroot", "css", "app.css")), css);
    }

    [Fact]
    public async Task ThePageLoadsTheFrameworksOwnNet10ScriptByItsFingerprintedName()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var html = await http.GetStringAsync("/");
        var src = System.Text.RegularExpressions.Regex.Match(html, "<script src=\"(_framework/blazor\\.web\\.[a-z0-9]+\\.js)\"></script>");
        Assert.True(src.Success, "the page does not load a fingerprinted _framework/blazor.web.*.js");

        using var script = await http.GetAsync("/" + src.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var body = await script.Content.ReadAsStringAsync();
        // Only the .NET 10 script raises the reconnect event and can pause and resume circuits (ADR 0009).
        Assert.Contains("components-reconnect-state-changed", body, StringComparison.Ordinal);
        Assert.Contains("resumeCircuit", body, StringComparison.Ordinal);

        // The reconnect dialog's module and the components' scoped styles are served by their fingerprinted names too.
        foreach (var asset in new[] { "Components/Layout/ReconnectModal\\.[a-z0-9]+\\.razor\\.js", "CommunityDeliberation\\.App\\.[a-z0-9]+\\.styles\\.css" })
        {
            var reference = System.Text.RegularExpressions.Regex.Match(html, "\"(" + asset + ")\"");
            Assert.True(reference.Success, $"the page does not reference {asset}");
            using var response = await http.GetAsync("/" + reference.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task InteractiveComponentsRunOverTheCircuit()
    {
        var page = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var scriptRequests = new List<string>();
        page.Request += (_, request) => scriptRequests.Add(request.Url);
        await page.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);

        // The create form is rendered by the server over the circuit: adding an agenda row only works when it is connected.
        await Expect(page.GetByTestId("agenda-row")).ToHaveCountAsync(1);
        await page.GetByTestId("add-item").ClickAsync();
        await Expect(page.GetByTestId("agenda-row")).ToHaveCountAsync(2);
        Assert.Contains(scriptRequests, url => url.Contains("/_framework/blazor.web", StringComparison.Ordinal));
        Assert.Contains(scriptRequests, url => url.Contains("/_blazor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SwitchesToEnglishAndBackFromAnyPage()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/sessions");
        await Expect(page.Locator("h1")).ToHaveTextAsync("会议");
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sessions");
        Assert.EndsWith("/sessions", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sessions");
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("会议");
    }

    [Fact]
    public async Task LargeTextModePersistsAcrossPages()
    {
        var page = await fixture.NewPageAsync(360, 740);
        await page.GotoAsync("/");
        var normal = await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.body).fontSize)");
        await page.GetByTestId("text-size-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("large-text"));
        await page.GotoAsync("/sessions");
        await Expect(page.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("large-text"));
        var large = await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.body).fontSize)");
        Assert.True(large > normal * 1.2, $"large text {large}px should be well above normal {normal}px");
        // 16 px and 21 px, as app.css says: body text once grew to 27.6 px, past every rem-sized heading and button.
        Assert.Equal(16, normal, 0.5);
        Assert.Equal(21, large, 0.5);
        await BrowserFixture.ScreenshotAsync(page, "sessions-360-large-text");
        await page.GetByTestId("text-size-toggle").ClickAsync();
        await Expect(page.Locator("html")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("large-text"));
    }

    /// <summary>MudBlazor's reset (<c>a:focus-visible</c>, <c>button:focus</c>: outline none) hid the ring on every link and button.</summary>
    [Fact]
    public async Task KeyboardFocusIsVisibleOnLinksAndButtons()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync("/archive");
        await page.GetByTestId("archive-q").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByTestId("archive-search-submit")).ToBeFocusedAsync();
        Assert.Equal("solid 3px", await FocusRingAsync(page));

        await page.Keyboard.PressAsync("Shift+Tab");
        for (var i = 0; i < 40 && await page.EvaluateAsync<string>("document.activeElement.tagName") != "A"; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }

        Assert.Equal("A", await page.EvaluateAsync<string>("document.activeElement.tagName"));
        Assert.Equal("solid 3px", await FocusRingAsync(page));
    }

    private static Task<string> FocusRingAsync(Microsoft.Playwright.IPage page) =>
        page.EvaluateAsync<string>("(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; })()");

    [Fact]
    public async Task NavigationCollapsesBehindTheMenuButtonAt360Pixels()
    {
        var page = await fixture.NewPageAsync(360, 740);
        await page.GotoAsync("/");
        var nav = page.Locator("#app-nav");
        await Expect(nav).ToBeHiddenAsync();
        // Keyboard: tab to the menu toggle and press space.
        await page.Locator("#nav-toggle").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(nav).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "home-360-menu-open");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways at 360 px");
    }

    [Fact]
    public async Task LiveSessionRequiresSignIn()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/sessions/1");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        Assert.Contains("returnUrl=%2Fsessions%2F1", page.Url, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WrongPasswordGetsAClearMessage()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "chair");
        await page.FillAsync("#password", "wrong-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("用户名或密码不正确。");
    }
}
