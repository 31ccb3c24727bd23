using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Sign-in on the shared server: lockout through the sign-in page (and the hub's login, which shares its check).</summary>
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

    private static async Task SubmitAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }
}
