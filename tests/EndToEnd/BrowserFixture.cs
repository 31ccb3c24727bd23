using Microsoft.Playwright;

namespace CommunityDeliberation.EndToEnd;

/// <summary>One app server and one Debian Chromium for the whole end-to-end collection.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    private IPlaywright? _playwright;

    public AppServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppServer.RepositoryRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        Server = await AppServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);

        // Warm the app up once (first requests compile its pages and queries), so the first test's timeouts measure the
        // test, not the server's start.
        var warmUp = await NewPageAsync();
        warmUp.Context.SetDefaultTimeout(90_000);
        await SignInAsync(warmUp, "chair", DemoAccounts.PasswordOf("chair"));
        await warmUp.GotoAsync("/sessions");
        await warmUp.Context.CloseAsync();
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task<IPage> SignedInPageAsync(string userName, string password, int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await SignInAsync(page, userName, password);
        return page;
    }

    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeAttachedAsync();
    }

    /// <summary>Waits until the page's interactive form is connected to its circuit.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-interactive]").First).ToBeAttachedAsync();

    /// <summary>
    /// Follows a link to another interactive page and waits until that page is interactive. Waiting for
    /// <c>[data-interactive]</c> alone right after the click can pass on the page being left (it is still interactive
    /// until the enhanced navigation swaps the content), and input typed into the new page's prerendered form is lost
    /// (CI caught it); so first wait for an element of the new page (<paramref name="arrivedTestId"/>).
    /// </summary>
    public static async Task FollowLinkAsync(IPage page, ILocator link, string arrivedTestId)
    {
        await link.ClickAsync();
        await Assertions.Expect(page.GetByTestId(arrivedTestId)).ToBeAttachedAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Saves a screenshot to artifacts/screenshots/; the whole page, or only what the viewport shows (a dialog).</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            // Kept for reading after a failed run (warnings and errors only).
            await File.WriteAllTextAsync(Path.Combine(AppServer.RepositoryRoot, "artifacts", "e2e-server.log"), Server.Log);
            await Server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
