using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 13's follow: a signed-in resident follows a ledger item on its public page (a POST form, no circuit), the
/// secretariat closes the item out, and the resident finds the notice under "通知" with its unread count in the menu,
/// then marks it read.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NoticeTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ResidentFollowsAnItemAndSeesTheNoticeOfItsCloseOutWithTheUnreadBadge()
    {
        var title = "单元门禁维修 " + Guid.NewGuid().ToString("N")[..6];
        var area = "江川路第五小区 " + Guid.NewGuid().ToString("N")[..4];

        // The chair (secretariat of the Jiangchuan council) records the item and marks it done.
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync("/ledger/manage");
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("ledger-new-title").FillAsync(title);
        await chair.GetByTestId("ledger-new-owner").FillAsync("物业公司");
        await chair.GetByTestId("ledger-new-due").FillAsync("2027-01-15");
        await chair.GetByTestId("ledger-new-area").FillAsync(area);
        await chair.GetByTestId("ledger-record").ClickAsync();
        var card = chair.GetByTestId("ledger-work-item").Filter(new() { HasText = title });
        await Expect(card).ToHaveCountAsync(1);
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("门禁已更换");
        await card.GetByTestId("ledger-done").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("已办结待核实");

        // An anonymous visitor sees the feed link and no follow form.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync("/ledger?area=" + Uri.EscapeDataString(area));
        await visitor.GetByTestId("ledger-item").Filter(new() { HasText = title }).Locator("a").ClickAsync();
        await Expect(visitor.GetByTestId("ledger-item-feed")).ToBeVisibleAsync();
        await Expect(visitor.GetByTestId("ledger-follow")).ToHaveCountAsync(0);
        var itemPath = new Uri(visitor.Url).AbsolutePath;

        // The resident follows it.
        var resident = await fixture.SignedInPageAsync("resident", DemoAccounts.PasswordOf("resident"));
        await resident.GotoAsync(itemPath);
        await Expect(resident.GetByTestId("ledger-follow")).ToHaveTextAsync("关注此事项");
        await resident.GetByTestId("ledger-follow").ClickAsync();
        await Expect(resident.GetByTestId("ledger-following")).ToBeVisibleAsync();
        await Expect(resident.GetByTestId("ledger-follow")).ToHaveTextAsync("取消关注");
        await Expect(resident.GetByTestId("notices-badge")).ToHaveCountAsync(0);

        // The chair closes it out with evidence.
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("现场检查:门禁正常");
        await card.GetByTestId("ledger-close-out").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("已销号");

        // On the resident's next page the menu counts the notice, by name for a screen reader too.
        await resident.GotoAsync("/ledger");
        await Expect(resident.GetByTestId("notices-badge")).ToHaveTextAsync("1");
        await Expect(resident.GetByTestId("nav-notices")).ToHaveAccessibleNameAsync(UnreadOne());
        await resident.GetByTestId("nav-notices").ClickAsync();
        var notice = resident.GetByTestId("notice").Filter(new() { HasText = title });
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice).ToContainTextAsync("销号");
        await Expect(notice).ToHaveAttributeAsync("data-unread", "true");
        await BrowserFixture.ScreenshotAsync(resident, "notices");

        await notice.GetByTestId("notice-mark-read").ClickAsync();
        await Expect(resident.GetByTestId("notice").Filter(new() { HasText = title })).ToHaveAttributeAsync("data-unread", "false");
        await Expect(resident.GetByTestId("notices-badge")).ToHaveCountAsync(0);

        await resident.GetByTestId("notice").Filter(new() { HasText = title }).GetByTestId("notice-link").ClickAsync();
        await Expect(resident.GetByTestId("ledger-item-title")).ToHaveTextAsync(title);
    }

    [GeneratedRegex("1 条未读")]
    private static partial Regex UnreadOne();
}
