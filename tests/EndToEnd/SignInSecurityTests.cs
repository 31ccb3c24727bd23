using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Sign-in on the shared server: lockout through the sign-in page (and the hub's login, which shares its check), and
/// the limit of attempts per user name, which both share too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInSecurityTests(BrowserFixture fixture)
{
    /// <summary>AccountPolicy.MaxFailedAttempts.</summary>
    private const int MaxFailedAttempts = 5;

    [Fact]
    public async Task FiveWrongPasswordsOnTheSignInPageLockTheAccountAndTheRightOneIsThenRefused()
    {
        var page = await fixture.NewPageAsync();
        for (var i = 1; i <= MaxFailedAttempts; i++)
        {
            await SubmitAsync(page, "rep137", "Wrong#2026");
            await Expect(page.GetByTestId("login-error")).ToHaveTextAsync(i < MaxFailedAttempts ? "用户名或密码不正确。" : "登录失败次数过多,账号已暂时锁定,请稍后再试。");
        }

        await SubmitAsync(page, "rep137", DemoAccounts.MemberPassword);

        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("登录失败次数过多,账号已暂时锁定,请稍后再试。");
        await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheEleventhAttemptForOneUserNameGets429OnTheApiAndOnTheSignInPage()
    {
        // RateLimits:SignInPerAccount (10 failed attempts per 15 minutes), counted for names without an account too.
        var name = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient();
        for (var i = 0; i < 10; i++)
        {
            using var attempt = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/login", new { userName = name, password = "Wrong#2026" });
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var eleventh = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/login", new { userName = name.ToUpperInvariant(), password = "Wrong#2026" });
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Equal("Auth.TooManyAttempts", (await eleventh.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", name);
        await page.FillAsync("#password", "Wrong#2026");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("login-submit").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(429, response.Status);
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("该用户名的登录尝试过多,请几分钟后再试。");
    }

    [Fact]
    public async Task SuccessfulSignInsDoNotCountTowardsTheLimitPerUserName()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 12; i++)
        {
            using var response = await http.PostAsJsonAsync(fixture.Server.BaseUrl + "/api/auth/login", new { userName = "rep135", password = DemoAccounts.MemberPassword });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task SubmitAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }
}
