using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Accounts in production (issue 11) on the shared server, whose circuits and cookies re-check their account every
/// 3 seconds (AppServer): an administrator creates accounts and issues one-time reset links; a changed password ends
/// the account's other circuits; a disabled account's hub token is refused on refresh and on connect.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string FirstPassword = "Erstes#Passwort2026";
    private const string SecondPassword = "Zweites#Passwort2026";

    [Fact]
    public async Task AnAdministratorsResetLinkWorksOnceInAFreshBrowserAndItsSecondUseIsRefused()
    {
        var admin = await AdminPageAsync();
        var userName = await CreateAccountAsync(admin, FirstPassword);

        await SearchAsync(admin, userName);
        await admin.GetByTestId("account-row").Filter(new() { HasText = userName }).GetByTestId("account-reset").ClickAsync();
        var link = await admin.GetByTestId("account-link").InputValueAsync();
        Assert.Contains("/account/reset?user=", link, StringComparison.Ordinal);

        var stranger = await fixture.NewPageAsync();
        await SetPasswordAsync(stranger, link, SecondPassword);
        await Expect(stranger.GetByTestId("reset-done")).ToBeVisibleAsync();

        await SetPasswordAsync(stranger, link, "Drittes#Passwort2026");
        await Expect(stranger.GetByTestId("reset-error")).ToContainTextAsync("此链接无效、已使用或已过期");
        await BrowserFixture.SignInAsync(await fixture.NewPageAsync(), userName, SecondPassword);

        await admin.GotoAsync("/admin/audit?action=ResetLinkIssued");
        await Expect(admin.GetByTestId("audit-row").Filter(new() { HasText = userName })).ToHaveCountAsync(1);
        await Expect(admin.Locator("body")).Not.ToContainTextAsync(new Uri(link).Query.Split("token=")[1]);
    }

    [Fact]
    public async Task ChangingThePasswordInOneBrowserEndsTheOtherBrowsersCircuitWithinTheInterval()
    {
        var userName = await CreateAccountAsync(await AdminPageAsync(), FirstPassword);
        var other = await fixture.SignedInPageAsync(userName, FirstPassword);
        // Any interactive page: the accounts page answers a member without an office with a refusal, over a live circuit.
        await other.GotoAsync("/admin/accounts");
        await BrowserFixture.WaitForInteractiveAsync(other);
        await Expect(other.GetByTestId("accounts-error")).ToBeVisibleAsync();

        var mine = await fixture.SignedInPageAsync(userName, FirstPassword);
        await mine.GotoAsync("/account/password");
        await Expect(mine.GetByTestId("password-rules")).ToContainTextAsync("8");
        await mine.FillAsync("#current-password", FirstPassword);
        await mine.FillAsync("#new-password", SecondPassword);
        await mine.FillAsync("#confirm-password", SecondPassword);
        await mine.GetByTestId("password-submit").ClickAsync();
        await Expect(mine.GetByTestId("password-changed")).ToBeVisibleAsync();
        var changed = System.Diagnostics.Stopwatch.StartNew();

        // The other browser's circuit re-checks the account every 3 seconds and then goes to the sign-in page.
        await other.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 15_000 });
        output.WriteLine($"the other circuit ended {changed.ElapsedMilliseconds} ms after the password change (interval 3 s)");
        await Expect(other.GetByTestId("login-signed-out")).ToBeVisibleAsync();
        await Expect(other.GetByTestId("signed-in-as")).ToHaveCountAsync(0);

        // This browser stays signed in.
        await mine.GotoAsync("/proposals/new");
        await Expect(mine.GetByTestId("signed-in-as")).ToBeAttachedAsync();
    }

    [Fact]
    public async Task ADisabledAccountsHubTokenIsRefusedOnRefreshAndOnConnect()
    {
        var admin = await AdminPageAsync();
        var userName = await CreateAccountAsync(admin, FirstPassword);
        using var http = new HttpClient();
        using var login = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/login", new { userName, password = FirstPassword });
        var tokens = (await login.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(15 * 60, tokens["expiresIn"]!.GetValue<long>());
        var access = tokens["accessToken"]!.GetValue<string>();

        // Before: the refresh token gets a new pair, and the access token connects.
        using var refreshed = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var refresh = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!["refreshToken"]!.GetValue<string>();
        await (await HubClient.ConnectAsync(fixture.Server.BaseUrl, access)).DisposeAsync();

        await SearchAsync(admin, userName);
        await admin.GetByTestId("account-row").Filter(new() { HasText = userName }).GetByTestId("account-disable").ClickAsync();
        await Expect(admin.GetByTestId("account-row").Filter(new() { HasText = userName }).GetByTestId("account-status")).ToContainTextAsync("已停用");

        using var refused = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/refresh", new { refreshToken = refresh });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Auth.RefreshRefused", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        var connect = await Assert.ThrowsAsync<HttpRequestException>(() => HubClient.ConnectAsync(fixture.Server.BaseUrl, access));
        Assert.Equal(HttpStatusCode.Unauthorized, connect.StatusCode);
        using var again = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/login", new { userName, password = FirstPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        await admin.GotoAsync("/admin/audit?action=AccountDisabled");
        await Expect(admin.GetByTestId("audit-row").Filter(new() { HasText = userName })).ToHaveCountAsync(1);
    }

    private Task<IPage> AdminPageAsync() => fixture.SignedInPageAsync("admin", DemoAccounts.PasswordOf("admin"));

    /// <summary>Creates an account on the accounts page and sets its password with the one-time link it shows.</summary>
    private async Task<string> CreateAccountAsync(IPage admin, string password)
    {
        var userName = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        await admin.GotoAsync("/admin/accounts");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await admin.GetByTestId("new-account").Locator("summary").ClickAsync();
        await admin.FillAsync("#new-user", userName);
        await admin.FillAsync("#new-display", "端到端 " + userName[4..8]);
        await admin.GetByTestId("new-account-submit").ClickAsync();
        var link = await admin.GetByTestId("account-link").InputValueAsync();
        await Expect(admin.GetByTestId("account-link-panel")).ToContainTextAsync(userName);

        var page = await fixture.NewPageAsync();
        await SetPasswordAsync(page, link, password);
        await Expect(page.GetByTestId("reset-done")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        return userName;
    }

    private static async Task SearchAsync(IPage admin, string userName)
    {
        await admin.GotoAsync("/admin/accounts");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await admin.FillAsync("#account-search", userName);
        await admin.GetByTestId("account-search-submit").ClickAsync();
        await Expect(admin.GetByTestId("account-row")).ToHaveCountAsync(1);
    }

    private static async Task SetPasswordAsync(IPage page, string link, string password)
    {
        await page.GotoAsync(link);
        await page.FillAsync("#new-password", password);
        await page.FillAsync("#confirm-password", password);
        await page.GetByTestId("reset-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }
}
