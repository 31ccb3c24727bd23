using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// "Follow the chair": the item details on every participant's screen move with the chair's current item, unless the
/// participant opts out — then they stay where they are and see where the meeting is, with a way back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgendaFollowTests(BrowserFixture fixture)
{
    private const float LiveTimeout = 3_000;

    private static readonly string[] Items = ["审议沪闵路沿线旧住房改造方案", "增补议事会委员", "通报居民区党组织换届工作"];

    [Fact]
    public async Task ParticipantViewFollowsTheChairUnlessTheParticipantOptsOut()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await CreateAndOpenAsync(chair, "跟随议程测试 " + Guid.NewGuid().ToString("N")[..6]);
        var follower = await fixture.SignedInPageAsync("rep030", DemoAccounts.MemberPassword, width: 360, height: 780);
        var browser = await fixture.SignedInPageAsync("rep031", DemoAccounts.MemberPassword);
        foreach (var page in new[] { follower, browser })
        {
            await page.GotoAsync(sessionUrl);
            await Expect(page.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 1 项 {Items[0]}");
            await Expect(page.GetByTestId("follow-toggle")).ToBeCheckedAsync();
        }

        // One participant opts out of following.
        await browser.GetByTestId("follow-toggle").UncheckAsync();
        await Expect(browser.GetByTestId("follow-notice")).ToHaveCountAsync(0);

        // The chair moves to item 2: the follower's details follow; the other stays on item 1 and is told where the meeting is.
        await chair.GetByTestId("agenda-move").Nth(0).ClickAsync();
        await Expect(follower.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 2 项 {Items[1]}", new() { Timeout = LiveTimeout });
        await Expect(follower.GetByTestId("agenda-detail-current")).ToBeVisibleAsync();
        await Expect(follower.GetByTestId("live-announcer")).ToContainTextAsync($"当前议程:第 2 项 {Items[1]}");
        await Expect(browser.GetByTestId("follow-notice")).ToContainTextAsync($"会议现在进行到第 2 项:{Items[1]}", new() { Timeout = LiveTimeout });
        await Expect(browser.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 1 项 {Items[0]}");
        await Expect(browser.GetByTestId("agenda-detail-current")).ToHaveCountAsync(0);
        await Expect(browser.GetByTestId("request-only-current")).ToBeVisibleAsync(); // no requests to speak on a past item
        await BrowserFixture.ScreenshotAsync(browser, "agenda-follow-off-1280");
        await BrowserFixture.ScreenshotAsync(follower, "agenda-follow-on-360");

        // Browsing freely, by keyboard: item 3's details, and focus lands on its heading.
        await browser.GetByTestId("agenda-select").Nth(2).FocusAsync();
        await browser.Keyboard.PressAsync("Enter");
        await Expect(browser.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 3 项 {Items[2]}");
        await Expect(browser.GetByTestId("agenda-detail-title")).ToBeFocusedAsync();
        await Expect(browser.GetByTestId("agenda-select").Nth(2)).ToHaveAttributeAsync("aria-pressed", "true");

        // Back to where the meeting is.
        await browser.GetByTestId("follow-jump").ClickAsync();
        await Expect(browser.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 2 项 {Items[1]}");
        await Expect(browser.GetByTestId("follow-notice")).ToHaveCountAsync(0);

        // A follower who picks another item stops following (the switch says so); switching it on again jumps back.
        await follower.GetByTestId("agenda-select").Nth(0).ClickAsync();
        await Expect(follower.GetByTestId("follow-toggle")).Not.ToBeCheckedAsync();
        await Expect(follower.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 1 项 {Items[0]}");
        await chair.GetByTestId("agenda-move").Nth(1).ClickAsync(); // to item 3
        await Expect(follower.GetByTestId("follow-notice")).ToContainTextAsync("第 3 项", new() { Timeout = LiveTimeout });
        await follower.GetByTestId("follow-toggle").CheckAsync();
        await Expect(follower.GetByTestId("agenda-detail-title")).ToHaveTextAsync($"第 3 项 {Items[2]}");
        await Expect(follower.GetByTestId("follow-notice")).ToHaveCountAsync(0);
    }

    private static async Task<string> CreateAndOpenAsync(IPage chair, string title)
    {
        await chair.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("title").FillAsync(title);
        await chair.GetByTestId("place").FillAsync("江川社区党群服务中心");
        for (var i = 0; i < Items.Length; i++)
        {
            if (i > 0)
            {
                await chair.GetByTestId("add-item").ClickAsync();
                await Expect(chair.GetByTestId("agenda-row")).ToHaveCountAsync(i + 1);
            }

            await chair.GetByTestId("item-title").Nth(i).FillAsync(Items[i]);
        }

        await chair.GetByTestId("create-submit").ClickAsync();
        await chair.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/sessions/\d+$"));
        await chair.GetByTestId("open-session").ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("进行中");
        return new Uri(chair.Url).AbsolutePath;
    }
}
