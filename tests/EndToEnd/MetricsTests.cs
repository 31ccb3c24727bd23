using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The Prometheus endpoint (ADR 0024): off by default; switched on, it shows this machine the ballot that was just cast,
/// the batch it was written in, the fan-out of its tally, the live circuits and hub connections, and the framework's own
/// meters (HTTP, SignalR connections, EF Core); a request forwarded by a proxy is refused like a stranger.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MetricsTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task MetricsAreOffUnlessSwitchedOn()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(fixture.Server.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("deliberation_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAfterABallotShowsTheBallotBatchFanOutCircuitsAndHubConnections()
    {
        await using var server = await AppServer.StartAsync(new Dictionary<string, string> { ["Metrics__Enabled"] = "true" });
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
        context.SetDefaultTimeout(30_000);
        try
        {
            var chair = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(chair, "chair", DemoAccounts.PasswordOf("chair"));
            var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "指标测试 " + Guid.NewGuid().ToString("N")[..6]);
            var sessionId = int.Parse(sessionUrl.Split('/').Last(), CultureInfo.InvariantCulture);
            await chair.GetByTestId("roster").Locator("summary").ClickAsync();
            await chair.GetByTestId("roster-select-shown").ClickAsync();
            await chair.GetByTestId("roster-check-in").ClickAsync();
            await Expect(chair.GetByTestId("quorum-warning")).ToHaveCountAsync(0);
            await chair.GetByTestId("poll-question-input").FillAsync("是否同意公开运行指标?");
            await chair.GetByTestId("open-poll-button").ClickAsync();
            var open = chair.GetByTestId("open-poll");
            var pollId = int.Parse((await open.GetAttributeAsync("data-poll-id"))!, CultureInfo.InvariantCulture);

            await using var voter = await HubClient.ConnectAsync(server.BaseUrl, await HubClient.LoginAsync(server.BaseUrl, "rep010", DemoAccounts.MemberPassword));
            await voter.InvokeAsync("JoinSession", sessionId);
            var cast = (await voter.InvokeAsync("CastBallot", pollId, new[] { 0 }, "metrics-" + Guid.NewGuid().ToString("N"), null))!;
            Assert.Equal("Accepted", cast["outcome"]!.GetValue<string>());
            // The chair's circuit applies the tally: then its fan-out is over.
            await Expect(open.GetByTestId("tally-yes")).ToHaveTextAsync("1");

            using var http = new HttpClient();
            var text = string.Empty;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            do
            {
                using var response = await http.GetAsync(server.BaseUrl + "/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                text = await response.Content.ReadAsStringAsync();
                if (Value(text, "deliberation_event_fan_out_duration_seconds_count") > 0)
                {
                    break;
                }

                await Task.Delay(500);
            }
            while (DateTime.UtcNow < deadline);

            output.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.StartsWith("deliberation_", StringComparison.Ordinal))));
            Assert.Equal(1, Value(text, "deliberation_ballots_accepted_total"));
            Assert.Equal(1, Value(text, "deliberation_ballot_batch_size_count"));
            Assert.Equal(1, Value(text, "deliberation_ballot_batch_size_sum"));
            Assert.Equal(1, Value(text, "deliberation_ballot_batch_duration_seconds_count"));
            Assert.True(Value(text, "deliberation_event_fan_out_duration_seconds_count") >= 1, "no fan-out recorded");
            Assert.True(Value(text, "deliberation_circuits_live") >= 1, "the chair's circuit is not counted");
            Assert.Equal(1, Value(text, "deliberation_hub_connections"));
            // The framework's meters: HTTP requests, SignalR connections (circuits and the hub), EF Core.
            Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
            Assert.Contains("signalr_server_active_connections", text, StringComparison.Ordinal);
            Assert.Contains("microsoft_entityframeworkcore_queries", text, StringComparison.Ordinal);

            // The same scrape through a proxy on this machine comes from the Internet: refused.
            using var forwarded = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/metrics");
            forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var refused = await http.SendAsync(forwarded);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("deliberation_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>The value of the first sample of <paramref name="name"/> (any labels), or -1 when there is none.</summary>
    private static double Value(string exposition, string name)
    {
        var match = Regex.Match(exposition, "^" + Regex.Escape(name) + @"(\{[^}]*\})? (\S+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : -1;
    }
}
