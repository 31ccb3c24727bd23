using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The live SignalR API (docs/realtime-api.md) against the real app: bearer sign-in, the hub refusing strangers, and
/// representatives voting through the hub while a watcher connection sees the tally — with every kind of bad input
/// answered by a clear error and nothing stored. Clients use the official .NET SignalR client (HubClient); the
/// oversized message goes over a raw WebSocket (RawHubSocket). The chair's part (session, check-in, opening and closing votes) goes
/// through the Blazor UI, because the hub has no chair methods.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HubTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(5);

    private string BaseUrl => fixture.Server.BaseUrl;

    [Fact]
    public async Task LoginGivesABearerTokenAndABadPasswordGets401WithAJsonError()
    {
        using var http = new HttpClient();
        using var ok = await http.PostAsJsonAsync(BaseUrl + "/api/auth/login", new { userName = "rep020", password = DemoAccounts.MemberPassword });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var token = await ok.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(token!["accessToken"]!.GetValue<string>()));
        Assert.Equal(15 * 60, token["expiresIn"]!.GetValue<long>()); // Accounts:HubTokenLifetime; refreshed at /api/auth/refresh
        Assert.False(string.IsNullOrEmpty(token["refreshToken"]!.GetValue<string>()));

        using var bad = await http.PostAsJsonAsync(BaseUrl + "/api/auth/login", new { userName = "stakeholder", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var error = await bad.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("Auth.InvalidCredentials", error!["error"]!.GetValue<string>());

        using var unknown = await http.PostAsJsonAsync(BaseUrl + "/api/auth/login", new { userName = "nobody-" + Guid.NewGuid().ToString("N")[..6], password = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);

        using var garbage = await http.PostAsync(BaseUrl + "/api/auth/login", new StringContent("not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("Auth.BadRequest", (await garbage.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheHubSocketIsNotCompressedEvenWhenTheClientOffersDeflate()
    {
        // Node's ws (and browsers) offer permessage-deflate; a compressor per connection made every tally cost a deflate
        // per screen on the server and an inflate in every client (issue 14's load profile). A Blazor circuit connects
        // first: its accept turned compression on in the framework's shared default accept context, which the hub used.
        // The upgrade is then sent by hand, with the offer exactly as Node's ws words it, and the answer read as it comes.
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(chair);
        var token = await HubClient.LoginAsync(BaseUrl, "rep021", DemoAccounts.MemberPassword);
        var uri = new Uri(BaseUrl);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var request = $"GET /hubs/live?access_token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the server closed before answering the upgrade: " + head);
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        output.WriteLine(head.ToString());
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("permessage-deflate", head.ToString(), StringComparison.OrdinalIgnoreCase);
        await chair.Context.CloseAsync();
    }

    [Fact]
    public async Task HubRefusesAConnectionWithoutAValidToken()
    {
        // The official client negotiates first: 401.
        var anonymous = await Assert.ThrowsAsync<HttpRequestException>(() => HubClient.ConnectAsync(BaseUrl, accessToken: null));
        output.WriteLine("anonymous: " + anonymous.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var forged = await Assert.ThrowsAsync<HttpRequestException>(() => HubClient.ConnectAsync(BaseUrl, accessToken: "forged-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        // A WebSocket straight to the hub, without negotiate, is refused at the upgrade.
        await Assert.ThrowsAsync<WebSocketException>(() => RawHubSocket.ConnectAsync(BaseUrl, accessToken: null));
        await Assert.ThrowsAsync<WebSocketException>(() => RawHubSocket.ConnectAsync(BaseUrl, accessToken: "forged-token"));

        // Negotiate answers a bare 401 (not the login page, not the HTML "not found" page).
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var negotiate = await http.PostAsync(BaseUrl + "/hubs/live/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    [Fact]
    public async Task RepresentativesVoteThroughTheHubAndBadInputIsRefusedWithNothingStored()
    {
        var watch = Stopwatch.StartNew();
        // The chair (UI): a session, everyone checked in through the roster (a vote needs a quorum of 76 of 151).
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "实时接口测试 " + Guid.NewGuid().ToString("N")[..6]);
        var sessionId = int.Parse(sessionUrl.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        await chair.GetByTestId("roster").Locator("summary").ClickAsync();
        await chair.GetByTestId("roster-select-shown").ClickAsync();
        await chair.GetByTestId("roster-check-in").ClickAsync();

        await using var voter = await ConnectAsync("rep010", DemoAccounts.MemberPassword);
        await using var watcher = await ConnectAsync("resident", DemoAccounts.PasswordOf("resident"));
        var snapshot = await WaitForQuorumAsync(watcher, sessionId);
        Assert.Equal(sessionId, snapshot["session"]!["id"]!.GetValue<int>());
        Assert.Equal("Open", snapshot["session"]!["status"]!.GetValue<string>());
        Assert.Null(snapshot["viewer"]!["membershipId"]); // the resident observes
        output.WriteLine($"session {sessionId} open with quorum after {watch.ElapsedMilliseconds} ms");

        // The chair opens a named yes / no / abstain vote; the watcher hears of it.
        var pollId = await OpenPollAsync(chair, "是否同意增设电梯加装议题?", secret: false);
        var opened = await watcher.WaitForEventAsync("pollOpened", e => e["pollId"]!.GetValue<int>() == pollId, EventTimeout);
        Assert.Equal(sessionId, opened["sessionId"]!.GetValue<int>());

        var joined = (await voter.InvokeAsync("JoinSession", sessionId))!;
        Assert.Equal(pollId, joined["openPoll"]!["id"]!.GetValue<int>());
        Assert.True(joined["viewer"]!["hasVote"]!.GetValue<bool>());
        Assert.True(joined["viewer"]!["checkedIn"]!.GetValue<bool>());
        Assert.Equal([0, 0, 0], Ints(joined["openPoll"]!["counts"]));

        // A ballot with an idempotency key: accepted, and the watcher sees the tally.
        var key = "hub-test-" + Guid.NewGuid().ToString("N");
        var cast = (await voter.InvokeAsync("CastBallot", pollId, new[] { 0 }, key, null))!;
        Assert.Equal("Accepted", cast["outcome"]!.GetValue<string>());
        Assert.Equal(1, cast["ballots"]!.GetValue<int>());
        Assert.Equal([1, 0, 0], Ints(cast["counts"]));
        var tally = await watcher.WaitForEventAsync("tally", e => e["pollId"]!.GetValue<int>() == pollId && e["ballots"]!.GetValue<int>() == 1, EventTimeout);
        Assert.Equal([1, 0, 0], Ints(tally["counts"]));

        // The same key again confirms the first cast; another key for the same member stores nothing either.
        var replay = (await voter.InvokeAsync("CastBallot", pollId, new[] { 1 }, key, null))!;
        Assert.Equal("Replayed", replay["outcome"]!.GetValue<string>());
        Assert.Equal([0], Ints(replay["selections"]));
        var again = (await voter.InvokeAsync("CastBallot", pollId, new[] { 1 }, "hub-test-other-" + Guid.NewGuid().ToString("N"), null))!;
        Assert.Equal("AlreadyVoted", again["outcome"]!.GetValue<string>());
        Assert.Equal(1, again["ballots"]!.GetValue<int>());

        // Bad input: a clear code each time.
        await using var second = await ConnectAsync("rep011", DemoAccounts.MemberPassword);
        await ExpectErrorAsync("Poll.NotFound", () => second.InvokeAsync("CastBallot", 987_654, new[] { 0 }, "k-unknown", null));
        await ExpectErrorAsync("Ballot.NotEligible", () => watcher.InvokeAsync("CastBallot", pollId, new[] { 0 }, "k-resident", null));
        await ExpectErrorAsync("Ballot.WrongNumberOfChoices", () => second.InvokeAsync("CastBallot", pollId, new[] { 0, 1 }, "k-two", null));
        await ExpectErrorAsync("Ballot.WrongNumberOfChoices", () => second.InvokeAsync("CastBallot", pollId, Array.Empty<int>(), "k-none", null));
        await ExpectErrorAsync("Ballot.UnknownOption", () => second.InvokeAsync("CastBallot", pollId, new[] { 7 }, "k-seven", null));
        await ExpectErrorAsync("Ballot.IdempotencyKeyRequired", () => second.InvokeAsync("CastBallot", pollId, new[] { 0 }, "", null));
        await ExpectErrorAsync("Ballot.IdempotencyKeyInvalid", () => second.InvokeAsync("CastBallot", pollId, new[] { 0 }, new string('k', 101), null));
        await ExpectErrorAsync("Session.NotFound", () => second.InvokeAsync("JoinSession", 987_654));
        var binding = await Assert.ThrowsAsync<HubError>(() => second.InvokeAsync("CastBallot", "not-a-number", new[] { 0 }, "k", null));
        Assert.Contains("Error binding arguments", binding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", binding.Message, StringComparison.Ordinal); // no stack trace

        // A 1 MB message — a valid ballot of rep011 padded with an extra field, which only a raw WebSocket can send — is
        // refused by SignalR before it is read.
        await using (var raw = await RawHubSocket.ConnectAsync(BaseUrl, await HubClient.LoginAsync(BaseUrl, "rep011", DemoAccounts.MemberPassword)))
        {
            var padding = new string('x', 1024 * 1024);
            await raw.SendAsync($"{{\"type\":1,\"invocationId\":\"big\",\"target\":\"CastBallot\",\"arguments\":[{pollId},[2],\"k-big\",null],\"padding\":\"{padding}\"}}{RawHubSocket.Separator}");
            var closeError = await raw.WaitForCloseAsync(EventTimeout);
            output.WriteLine("1 MB message: " + closeError);
            Assert.Contains("maximum message size of 65536B was exceeded", closeError, StringComparison.Ordinal);
        }

        // Nothing was stored by any of it: still one ballot, and rep011 can still vote (once).
        var after = (await watcher.InvokeAsync("JoinSession", sessionId))!;
        Assert.Equal(1, after["openPoll"]!["ballots"]!.GetValue<int>());
        await using var secondAgain = await ConnectAsync("rep011", DemoAccounts.MemberPassword);
        var secondCast = (await secondAgain.InvokeAsync("CastBallot", pollId, new[] { 1 }, "k-after-big", null))!;
        Assert.Equal("Accepted", secondCast["outcome"]!.GetValue<string>());
        Assert.Equal([1, 1, 0], Ints(secondCast["counts"]));
        await watcher.WaitForEventAsync("tally", e => e["pollId"]!.GetValue<int>() == pollId && e["ballots"]!.GetValue<int>() == 2, EventTimeout);

        // The chair closes the vote (UI); the watcher hears the outcome; a late ballot is refused.
        await chair.GetByTestId("open-poll").GetByTestId("close-poll").ClickAsync();
        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        var closed = await watcher.WaitForEventAsync("pollClosed", e => e["pollId"]!.GetValue<int>() == pollId, EventTimeout);
        Assert.Equal("Rejected", closed["outcome"]!.GetValue<string>()); // 1 yes, 1 no: a tie is not a majority
        await using var late = await ConnectAsync("rep012", DemoAccounts.MemberPassword);
        await ExpectErrorAsync("Poll.Closed", () => late.InvokeAsync("CastBallot", pollId, new[] { 0 }, "k-late", null));

        // A secret vote: the voter gets a receipt; nobody sees counts until it closes, only how many have voted.
        var secretId = await OpenPollAsync(chair, "是否同意选举监督小组成员?(无记名)", secret: true);
        await watcher.WaitForEventAsync("pollOpened", e => e["pollId"]!.GetValue<int>() == secretId, EventTimeout);
        var secret = (await late.InvokeAsync("CastBallot", secretId, new[] { 0 }, "k-secret", null))!;
        Assert.Equal("Accepted", secret["outcome"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(secret["receipt"]?.GetValue<string>()));
        Assert.Null(secret["counts"]);
        var secretTally = await watcher.WaitForEventAsync("tally", e => e["pollId"]!.GetValue<int>() == secretId && e["ballots"]!.GetValue<int>() == 1, EventTimeout);
        Assert.Null(secretTally["counts"]);
        var secretSnapshot = (await watcher.InvokeAsync("JoinSession", sessionId))!;
        Assert.Null(secretSnapshot["openPoll"]!["counts"]);
        await chair.GetByTestId("open-poll").GetByTestId("close-poll").ClickAsync();
        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await watcher.WaitForEventAsync("pollClosed", e => e["pollId"]!.GetValue<int>() == secretId, EventTimeout);
        var final = (await watcher.InvokeAsync("JoinSession", sessionId))!;
        var closedSecret = final["closedPolls"]!.AsArray().Single(p => p!["id"]!.GetValue<int>() == secretId)!;
        Assert.Equal([1, 0, 0], Ints(closedSecret["counts"]));

        // Leaving a session stops its events on this connection.
        await watcher.InvokeAsync("LeaveSession", sessionId);
        Assert.Equal("ping", (await watcher.InvokeAsync("Echo", "ping"))!.GetValue<string>());
        output.WriteLine($"whole flow: {watch.ElapsedMilliseconds} ms");
    }

    private async Task<HubClient> ConnectAsync(string userName, string password) =>
        await HubClient.ConnectAsync(BaseUrl, await HubClient.LoginAsync(BaseUrl, userName, password));

    private static async Task<JsonNode> WaitForQuorumAsync(HubClient client, int sessionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var snapshot = (await client.InvokeAsync("JoinSession", sessionId))!;
            if (snapshot["quorum"]!["isMet"]!.GetValue<bool>() || DateTime.UtcNow > deadline)
            {
                Assert.True(snapshot["quorum"]!["isMet"]!.GetValue<bool>(), "the roster check-in did not reach the quorum: " + snapshot["quorum"]);
                return snapshot;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<int> OpenPollAsync(IPage chair, string question, bool secret)
    {
        if (secret)
        {
            await chair.GetByTestId("poll-more").Locator("summary").ClickAsync();
            await chair.GetByTestId("poll-secrecy").SelectOptionAsync("Secret");
        }

        await chair.GetByTestId("poll-question-input").FillAsync(question);
        await chair.GetByTestId("open-poll-button").ClickAsync();
        var open = chair.GetByTestId("open-poll");
        await Expect(open.GetByTestId("poll-question")).ToHaveTextAsync(question);
        return int.Parse((await open.GetAttributeAsync("data-poll-id"))!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExpectErrorAsync(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubError>(call);
        output.WriteLine(error.Message);
        Assert.Equal(code, error.Code);
    }

    private static int[] Ints(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
}
