using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 11, ADR 0016: a secret ballot acknowledged to its voter is never lost. The server is killed as kill -9 kills
/// (SIGKILL: no shutdown, no flush) after 40 representatives were told their secret ballots were taken, and started
/// again on the same database and sealing key: the chair closes the vote and every one of them is counted, once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecretBallotCrashTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task AcknowledgedSecretBallotsSurviveKillDashNineAndAreCountedOnce()
    {
        var server = await AppServer.StartAsync();
        try
        {
            var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
            context.SetDefaultTimeout(20_000);
            var chair = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(chair, "chair", DemoAccounts.PasswordOf("chair"));
            var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "断电测试 " + Guid.NewGuid().ToString("N")[..6]);
            await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
            await Expect(chair.GetByTestId("poll-more")).ToBeVisibleAsync();
            await chair.GetByTestId("poll-more").Locator("summary").ClickAsync();
            await chair.GetByTestId("poll-secrecy").SelectOptionAsync("Secret");
            await chair.GetByTestId("poll-question-input").FillAsync("是否同意调整停车收费方案?");
            await chair.GetByTestId("open-poll-button").ClickAsync();
            var pollId = int.Parse((await chair.GetByTestId("open-poll").GetAttributeAsync("data-poll-id"))!, CultureInfo.InvariantCulture);

            // 40 representatives vote through the live hub, all at once: 25 yes, 15 no; each is acknowledged with a receipt.
            var voters = Enumerable.Range(11, 40).ToArray();
            var receipts = await Task.WhenAll(voters.Select(async n =>
            {
                var name = $"rep{n:000}";
                await using var hub = await HubClient.ConnectAsync(server.BaseUrl, await HubClient.LoginAsync(server.BaseUrl, name, DemoAccounts.MemberPassword));
                var result = (await hub.InvokeAsync("CastBallot", pollId, new[] { n < 36 ? 0 : 1 }, "crash-" + name, null))!;
                Assert.Equal("Accepted", result["outcome"]!.GetValue<string>());
                return result["receipt"]!.GetValue<string>();
            }));
            output.WriteLine($"40 ballots acknowledged; killing the server (pid gone: {server.HasExited})");

            // kill -9, then the same database and key again.
            server = await server.RestartAsync();

            var chairAgain = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(chairAgain, "chair", DemoAccounts.PasswordOf("chair"));
            await chairAgain.GotoAsync(sessionUrl);
            await Expect(chairAgain.GetByTestId("tally-cast")).ToContainTextAsync("已投 40 票");
            await chairAgain.GetByTestId("close-poll").ClickAsync();
            await chairAgain.GetByTestId("close-poll-confirm").ClickAsync();
            await Expect(chairAgain.GetByTestId("closed-poll").First).ToBeVisibleAsync();

            await chairAgain.GotoAsync($"/polls/{pollId}");
            await Expect(chairAgain.GetByTestId("tally-yes")).ToHaveTextAsync("25");
            await Expect(chairAgain.GetByTestId("tally-no")).ToHaveTextAsync("15");
            await Expect(chairAgain.GetByTestId("receipt-list").Locator("li")).ToHaveCountAsync(40);
            var codes = await chairAgain.GetByTestId("receipt-list").Locator("code").AllTextContentsAsync();
            Assert.Equal(receipts.Order(StringComparer.Ordinal), codes.Select(c => c.Trim()).Order(StringComparer.Ordinal));
            output.WriteLine("after the restart: 25 yes, 15 no, the 40 receipts listed");
            await context.CloseAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
