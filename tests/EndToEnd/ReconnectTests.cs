using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The .NET 10 reconnect UI (ReconnectModal, ADR 0009): when a representative's connection drops (the server stays up),
/// the localized dialog shows; when the network is back the page carries on where it was, and the ballot is stored once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReconnectTests(BrowserFixture fixture)
{
    private const float LiveTimeout = 5_000;

    [Fact]
    public async Task BallotCastBeforeTheConnectionDropsIsKeptOnceAndThePageResumes()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "断线重连测试 " + Guid.NewGuid().ToString("N")[..6]);
        var rep = await fixture.SignedInPageAsync("rep004", DemoAccounts.MemberPassword, width: 360, height: 740);
        var network = await NetworkSwitch.AttachAsync(rep.Context);
        await rep.GotoAsync(sessionUrl);
        // An elderly representative reads in large text; the dialog scales with it.
        await rep.GetByTestId("text-size-toggle").ClickAsync();
        await Expect(rep.Locator("html")).ToHaveClassAsync(new Regex("large-text"));
        await rep.GetByTestId("check-in").ClickAsync();
        await Expect(rep.GetByTestId("checked-in")).ToBeVisibleAsync();
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("poll-question-input").FillAsync("是否同意增设电动自行车充电棚?");
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await rep.GetByTestId("vote-yes").ClickAsync();
        await Expect(rep.GetByTestId("notice")).ToContainTextAsync("赞成");
        await Expect(rep.GetByTestId("open-poll").GetByTestId("tally-yes")).ToHaveTextAsync("1");

        // Something that only this page instance has: a reload or a new page would lose it. And a record of what the
        // dialog's live region says, in order, as a screen reader would hear it.
        await rep.EvaluateAsync("""
            window.beforeTheDrop = 'same page';
            window.spoken = [];
            const region = document.getElementById('components-reconnect-message');
            new MutationObserver(() => window.spoken.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
            """);
        var modal = rep.GetByTestId("reconnect-modal");
        await Expect(modal).ToBeHiddenAsync();

        var connectionsBefore = network.Connections;
        await network.GoOfflineAsync();
        await Expect(modal).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var message = rep.GetByTestId("reconnect-message");
        await Expect(message).ToHaveTextAsync(new Regex("^(连接中断,正在重新连接…|暂时连不上服务器,稍后自动再试。)$"));
        await Expect(message).ToHaveAttributeAsync("role", "alert");
        await Expect(message).ToHaveAttributeAsync("aria-live", "assertive");
        // The framework's own UI is not used: ours is the element the client script found.
        await Expect(rep.Locator(".components-reconnect-overlay")).ToHaveCountAsync(0);

        // A few seconds later the network is back: the same circuit carries on.
        await Task.Delay(3_000);
        await Expect(modal).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(rep, "reconnect-modal-360-large-text", fullPage: false);
        // First "reconnecting", then, between attempts, "retrying shortly" once, not at every tick of the countdown.
        Assert.Equal(["连接中断,正在重新连接…", "暂时连不上服务器,稍后自动再试。"], await rep.EvaluateAsync<string[]>("window.spoken"));
        await network.GoOnlineAsync();
        await Expect(modal).ToBeHiddenAsync(new() { Timeout = 20_000 });
        Assert.Equal("same page", await rep.EvaluateAsync<string>("window.beforeTheDrop"));
        Assert.True(network.Connections > connectionsBefore, "the circuit should have reconnected over a new WebSocket");
        await Expect(rep.GetByTestId("notice")).ToContainTextAsync("赞成");
        await Expect(rep.GetByTestId("my-ballot")).ToContainTextAsync("赞成");
        await Expect(rep.GetByTestId("vote-yes")).ToHaveCountAsync(0);

        // The page is live again: a change made elsewhere reaches it without a reload.
        var rep2 = await fixture.SignedInPageAsync("rep005", DemoAccounts.MemberPassword);
        await rep2.GotoAsync(sessionUrl);
        await rep2.GetByTestId("vote-no").ClickAsync();
        await Expect(rep.GetByTestId("open-poll").GetByTestId("tally-no")).ToHaveTextAsync("1", new() { Timeout = LiveTimeout });

        // Stored exactly once: a freshly loaded page reads the counts from the database.
        var fresh = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await fresh.GotoAsync(sessionUrl);
        var poll = fresh.GetByTestId("open-poll");
        await Expect(poll.GetByTestId("tally-yes")).ToHaveTextAsync("1");
        await Expect(poll.GetByTestId("tally-no")).ToHaveTextAsync("1");
        await Expect(poll.GetByTestId("tally-cast")).ToContainTextAsync("已投 2 票");
    }

    [Theory]
    [InlineData("", "连接中断,正在重新连接…", "暂时连不上服务器,稍后自动再试。", "重试")]
    [InlineData("?culture=en", "Connection lost. Reconnecting…", "The server cannot be reached yet. Trying again shortly.", "Retry")]
    public async Task ReconnectTextsAreRenderedInTheReadersLanguage(string query, string trying, string retrying, string retry)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var html = WebUtility.HtmlDecode(await http.GetStringAsync("/" + query));
        var dialog = DialogPattern().Match(html);
        Assert.True(dialog.Success, "the page has no reconnect dialog");
        Assert.Contains($"data-text-show=\"{trying}\"", dialog.Value, StringComparison.Ordinal);
        Assert.Contains($"data-text-retrying=\"{retrying}\"", dialog.Value, StringComparison.Ordinal);
        Assert.Contains($">{retry}</button>", dialog.Value, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", dialog.Value, StringComparison.Ordinal);
        Assert.Contains("id=\"components-seconds-to-next-attempt\"", dialog.Value, StringComparison.Ordinal);
    }

    [GeneratedRegex("<dialog id=\"components-reconnect-modal\".*?</dialog>", RegexOptions.Singleline)]
    private static partial Regex DialogPattern();
}
