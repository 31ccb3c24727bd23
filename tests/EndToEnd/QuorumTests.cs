using System.Globalization;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Quorum in the browser: a vote cannot open without it and the refusal says how many more members are needed; the
/// secretary checks members in from the roster until the quorum is met, and then the vote opens.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class QuorumTests(BrowserFixture fixture)
{
    private const float LiveTimeout = 3_000;

    private const string Question = "是否同意加装电梯试点方案?";

    [Fact]
    public async Task VoteOpensOnlyOnceTheSecretaryHasCheckedInAQuorum()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "法定人数测试 " + Guid.NewGuid().ToString("N")[..6]);

        // Nobody is present: 76 of the 151 voting members are needed.
        await Expect(chair.GetByTestId("quorum-warning")).ToContainTextAsync("还差 76 人");
        await chair.GetByTestId("poll-question-input").FillAsync(Question);
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await Expect(chair.GetByTestId("message")).ToHaveTextAsync("未达法定人数,还差 76 人(现出席 0 人,需 76 人),不能发起表决。");
        await Expect(chair.GetByTestId("open-poll")).ToHaveCountAsync(0);

        // The secretary checks in the first 40 members of the roster (the secretary's own seat has no vote).
        var secretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"));
        await secretary.GotoAsync(sessionUrl);
        var roster = secretary.GetByTestId("roster");
        await roster.Locator("summary").ClickAsync();
        var boxes = roster.Locator(".roster-table input[type=checkbox]:not([disabled])");
        await Expect(boxes.First).ToBeVisibleAsync();
        for (var i = 0; i < 40; i++)
        {
            await boxes.Nth(i).CheckAsync();
        }

        await roster.GetByTestId("roster-check-in").ClickAsync();
        await Expect(chair.GetByTestId("attendance")).ToContainTextAsync("出席 39 / 应到 151", new() { Timeout = LiveTimeout });

        // Still short: the chair's second attempt is refused with the new number.
        var warning = await chair.GetByTestId("quorum-warning").InnerTextAsync();
        var missing = int.Parse(Missing().Match(warning).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(76 - 39, missing);
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await Expect(chair.GetByTestId("message")).ToContainTextAsync($"还差 {missing} 人(现出席 39 人,需 76 人)");
        await BrowserFixture.ScreenshotAsync(chair, "quorum-refused-chair");

        // The secretary checks in the rest present in the room; the quorum is met on the chair's screen and the vote opens.
        await roster.GetByTestId("roster-select-shown").ClickAsync();
        await roster.GetByTestId("roster-check-in").ClickAsync();
        await Expect(chair.GetByTestId("quorum-warning")).ToHaveCountAsync(0, new() { Timeout = LiveTimeout });
        await Expect(chair.GetByTestId("attendance")).ToContainTextAsync("已达法定人数");
        await chair.GetByTestId("poll-question-input").FillAsync(Question);
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await Expect(chair.GetByTestId("poll-question")).ToHaveTextAsync(Question);
        await Expect(secretary.GetByTestId("poll-question")).ToHaveTextAsync(Question, new() { Timeout = LiveTimeout });
    }

    [GeneratedRegex(@"还差 (\d+) 人")]
    private static partial Regex Missing();
}
