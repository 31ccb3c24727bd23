using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Issue 4 in the browser: secret ballots with receipts, the projector, proxies, elections with ties.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VotingEngineTests(BrowserFixture fixture)
{
    private const float LiveTimeout = 3_000;

    [Fact]
    public async Task SecretVoteShowsOnlyParticipationUntilCloseThenPublishesReceipts()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "无记名表决 " + Guid.NewGuid().ToString("N")[..6]);
        var rep = await fixture.SignedInPageAsync("rep020", DemoAccounts.MemberPassword, width: 360, height: 740);
        await rep.GotoAsync(sessionUrl);
        await rep.GetByTestId("check-in").ClickAsync();
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);

        // The projector follows the session in large type, with no controls.
        var projector = await fixture.SignedInPageAsync("resident", DemoAccounts.PasswordOf("resident"));
        await projector.GotoAsync(sessionUrl + "/projector");
        await Expect(projector.GetByTestId("projector")).ToBeVisibleAsync();
        // (The reconnect dialog's buttons are on every page, hidden until the connection drops.)
        await Expect(projector.GetByTestId("projector").Locator("button")).ToHaveCountAsync(0);
        await Expect(projector.Locator("button:visible")).ToHaveCountAsync(0);

        await chair.GetByTestId("poll-question-input").FillAsync("是否同意增补居民区党组织委员人选?");
        await chair.GetByTestId("poll-more").Locator("summary").ClickAsync();
        await chair.GetByTestId("poll-secrecy").SelectOptionAsync("Secret");
        await chair.GetByTestId("open-poll-button").ClickAsync();

        // Every voter is told it is secret before voting; nobody sees counts, only participation.
        await Expect(rep.GetByTestId("poll-secrecy")).ToContainTextAsync("无记名表决", new() { Timeout = LiveTimeout });
        await Expect(projector.GetByTestId("counts-hidden")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await rep.GetByTestId("vote-no").ClickAsync();
        var receipt = (await rep.Locator(".receipt-code").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-HJKMNP-Z]{10}$", receipt);
        await Expect(projector.GetByTestId("projector-participation")).ToContainTextAsync("已投 1 /", new() { Timeout = LiveTimeout });
        await Expect(chair.GetByTestId("counts-hidden")).ToBeVisibleAsync();
        await Expect(rep.GetByTestId("my-ballot")).ToHaveTextAsync("您已投票(无记名)。");
        await BrowserFixture.ScreenshotAsync(rep, "secret-vote-receipt-360");
        await BrowserFixture.ScreenshotAsync(projector, "projector-secret-vote");

        await chair.GetByTestId("close-poll").ClickAsync();

        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await Expect(projector.GetByTestId("projector-result").GetByTestId("outcome")).ToHaveTextAsync("未通过", new() { Timeout = LiveTimeout });
        await Expect(projector.GetByTestId("projector-result").GetByTestId("tally-no")).ToHaveTextAsync("1");

        // The ballots are published grouped by choice, the receipts apart; the voter's receipt proves it was counted,
        // not what it said, and is sent by POST, never in the address.
        await rep.GetByTestId("closed-poll").First.Locator("a").ClickAsync();
        await Expect(rep.GetByTestId("secret-choices")).ToContainTextAsync("反对");
        await Expect(rep.GetByTestId("receipt-list")).ToContainTextAsync(receipt);
        await rep.GetByTestId("receipt-input").FillAsync(receipt.ToLowerInvariant());
        await rep.GetByTestId("receipt-find").ClickAsync();
        await Expect(rep.GetByTestId("receipt-result")).ToHaveTextAsync($"回执码 {receipt} 对应的选票已经计入。");
        Assert.DoesNotContain(receipt, rep.Url, StringComparison.OrdinalIgnoreCase);
        await Expect(rep.GetByTestId("named-list")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(rep, "secret-vote-receipts-360");
    }

    [Fact]
    public async Task ProxyHolderCastsTheirOwnAndTheDelegatorsBallot()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "委托投票 " + Guid.NewGuid().ToString("N")[..6]);

        // rep031 cannot come and gives the proxy to rep032 before the vote opens.
        var delegator = await fixture.SignedInPageAsync("rep031", DemoAccounts.MemberPassword);
        await delegator.GotoAsync(sessionUrl);
        var panel = delegator.GetByTestId("proxy-panel");
        await panel.Locator("summary").ClickAsync();
        var holderName = await MemberNameAsync("rep032");
        var option = panel.GetByTestId("proxy-to").Locator("option", new() { HasTextString = holderName });
        await panel.GetByTestId("proxy-to").SelectOptionAsync(await option.GetAttributeAsync("value") ?? "");
        await panel.GetByTestId("proxy-give").ClickAsync();
        await Expect(delegator.GetByTestId("delegated-to")).ToContainTextAsync(holderName);

        var holder = await fixture.SignedInPageAsync("rep032", DemoAccounts.MemberPassword);
        await holder.GotoAsync(sessionUrl);
        await holder.GetByTestId("check-in").ClickAsync();
        await Expect(holder.GetByTestId("proxies-held")).ToContainTextAsync(await MemberNameAsync("rep031"));
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("poll-question-input").FillAsync("是否同意?");
        await chair.GetByTestId("open-poll-button").ClickAsync();

        // The holder votes for themself, then for the delegator; the delegator cannot vote.
        await Expect(holder.GetByTestId("vote-yes")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await holder.GetByTestId("vote-yes").ClickAsync();
        await Expect(holder.GetByTestId("my-ballot")).ToContainTextAsync("赞成");
        await holder.GetByTestId("vote-abstain").ClickAsync();
        await Expect(holder.GetByTestId("tally-cast")).ToContainTextAsync("已投 2 票");
        await Expect(holder.GetByTestId("ballot")).ToHaveCountAsync(0);
        await Expect(delegator.GetByTestId("delegated-note")).ToBeVisibleAsync();
        await Expect(delegator.GetByTestId("vote-yes")).ToHaveCountAsync(0);

        await chair.GetByTestId("close-poll").ClickAsync();

        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await holder.GetByTestId("closed-poll").First.Locator("a").ClickAsync();
        await Expect(holder.GetByTestId("named-list")).ToContainTextAsync("弃权(委托)");
    }

    private static async Task<string> MemberNameAsync(string userName)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppServer.RepositoryRoot, "seeds", "bodies.json")));
        return doc.RootElement.EnumerateArray()
            .SelectMany(b => b.GetProperty("terms").EnumerateArray())
            .SelectMany(t => t.GetProperty("members").EnumerateArray())
            .First(m => m.TryGetProperty("userName", out var u) && u.GetString() == userName)
            .GetProperty("name").GetString()!;
    }
}
