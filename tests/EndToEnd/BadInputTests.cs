using System.Net;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Hostile or mistaken input gets a clear message and stores nothing; never a stack trace.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BadInputTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/sessions/999999")]
    [InlineData("/sessions/abc")]
    [InlineData("/sessions/99999999999999999999")]
    [InlineData("/polls/999999")]
    [InlineData("/polls/-1")]
    [InlineData("/no-such-page")]
    public async Task UnknownIdsInUrlsGetANotFoundPage(string path)
    {
        var page = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var response = await page.GotoAsync(path);
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        var body = await page.ContentAsync();
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyTitleIsRefusedWithAMessage()
    {
        var page = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await page.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("place").FillAsync("会议室");
        await page.GetByTestId("item-title").Nth(0).FillAsync("议题");
        await page.GetByTestId("create-submit").ClickAsync();
        await Expect(page.GetByTestId("create-error")).ToHaveTextAsync("请填写会议名称。");
        Assert.EndsWith("/sessions/new", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandCharacterTitleIsRefusedWithTheLimit()
    {
        var page = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await page.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);
        // The field's maxlength stops typing; a hostile client sends the value anyway.
        await page.GetByTestId("title").EvaluateAsync("el => el.removeAttribute('maxlength')");
        await page.GetByTestId("title").FillAsync(new string('议', 10_000));
        await page.GetByTestId("place").FillAsync("会议室");
        await page.GetByTestId("item-title").Nth(0).FillAsync("议题");
        await page.GetByTestId("create-submit").ClickAsync();
        await Expect(page.GetByTestId("create-error")).ToHaveTextAsync("会议名称最多 200 字,当前 10000 字。");

        await page.GotoAsync("/sessions");
        await Expect(page.GetByTestId("session-list")).Not.ToContainTextAsync(new string('议', 300));
    }

    [Fact]
    public async Task ScriptInATitleStaysInert()
    {
        var page = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var dialogs = 0;
        page.Dialog += async (_, dialog) => { dialogs++; await dialog.DismissAsync(); };
        var title = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        await LiveVoteFlowTests.CreateAndOpenSessionAsync(page, title);
        await Expect(page.GetByTestId("session-title")).ToHaveTextAsync(title);
        await page.GotoAsync("/sessions");
        await Expect(page.GetByTestId("session-list")).ToContainTextAsync(title);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task RepresentativeGetsNoSchedulingFormAndIsToldWhy()
    {
        // Scheduling needs an office (chair, vice-chair, secretary) in a body's term: a representative holds none.
        var page = await fixture.SignedInPageAsync("rep010", DemoAccounts.MemberPassword);
        await page.GotoAsync("/sessions/new");
        await Expect(page.GetByTestId("no-schedulable-body")).ToContainTextAsync("不能安排会议");
        await Expect(page.GetByTestId("create-session-form")).ToHaveCountAsync(0);
    }
}
