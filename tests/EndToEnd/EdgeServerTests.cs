using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>A server of its own, configured as one behind a reverse proxy would be.</summary>
public sealed class EdgeServer : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://deliberation.example.org";

    public AppServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AppServer.StartAsync(new Dictionary<string, string>
    {
        // Any Host header reaches the app (as behind a proxy that does not check it); the feeds use the configured address.
        ["AllowedHosts"] = "*",
        ["App__PublicBaseUrl"] = PublicBaseUrl,
        // The proxy is 127.0.0.1: its X-Forwarded-For is believed. A client connecting from 127.0.0.2 is not a proxy.
        ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        // Low limits, so a test reaches them quickly.
        ["RateLimits__SignInPerAddress"] = "5",
        ["RateLimits__ArchiveExportPerAddress"] = "2",
        ["RateLimits__SearchPerAddress"] = "3",
        ["RateLimits__HubConnectionsPerUser"] = "2",
    });

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>
/// A server behind a proxy (127.0.0.1, configured in ForwardedHeaders:KnownProxies) with low limits: feeds link to
/// App:PublicBaseUrl whatever the Host header says; limits count per forwarded client address when the proxy is known
/// and per connection address otherwise (a client from 127.0.0.2 forges X-Forwarded-For in vain); hub connections
/// count per account. Every test uses addresses of its own.
/// </summary>
public sealed partial class EdgeServerTests(EdgeServer edge) : IClassFixture<EdgeServer>
{
    private static readonly IPAddress Untrusted = IPAddress.Parse("127.0.0.2");

    private string BaseUrl => edge.Server.BaseUrl;

    [Theory]
    [InlineData("/archive/feed.atom", "https://deliberation.example.org/archive/feed.atom")]
    [InlineData("/bodies/jiangchuan-council/calendar.ics", "https://deliberation.example.org/sessions/")]
    public async Task FeedsLinkToThePublicBaseUrlWhateverTheHostHeaderSays(string path, string expected)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, edge.Server.BaseUrl + path);
        request.Headers.Host = "evil.example";

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSixthSignInFromOneAddressGets429AndAnotherAddressIsNotAffected()
    {
        using var proxy = Client();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(proxy, "203.0.113.10"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(proxy, "203.0.113.10"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(proxy, "203.0.113.11"));

        // From a connection that is not a known proxy, X-Forwarded-For is ignored: a new one each time does not help.
        using var stranger = Client(Untrusted);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(stranger, $"198.51.100.{i + 1}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(stranger, "198.51.100.99"));
    }

    [Fact]
    public async Task ForwardedClientsOfAKnownProxyHaveTheirOwnTopicLimitWhileAStrangersForwardedAddressIsIgnored()
    {
        // Three topics an hour per source (TopicService): 203.0.113.20 has its three, 203.0.113.21 still has its own.
        using var proxy = Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SubmitTopicAsync(proxy, "203.0.113.20"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SubmitTopicAsync(proxy, "203.0.113.20"));
        Assert.Equal(HttpStatusCode.OK, await SubmitTopicAsync(proxy, "203.0.113.21"));

        // 127.0.0.2 is not a proxy: its forwarded addresses are ignored and all four topics count against 127.0.0.2.
        using var stranger = Client(Untrusted);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SubmitTopicAsync(stranger, $"192.0.2.{i + 1}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SubmitTopicAsync(stranger, "192.0.2.99"));
    }

    [Fact]
    public async Task ArchiveExportAndSearchAreLimitedPerAddress()
    {
        using var proxy = Client();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync(proxy, "/archive/export.zip", "203.0.113.30"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(proxy, "/archive/export.zip", "203.0.113.30"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(proxy, "/archive/export.zip", "203.0.113.31"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync(proxy, "/archive/search?q=%E5%81%9C%E8%BD%A6", "203.0.113.40"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(proxy, "/archive/search?q=%E5%81%9C%E8%BD%A6", "203.0.113.40"));
    }

    [Fact]
    public async Task AnAccountHoldsAtMostTwoHubConnectionsHere()
    {
        var token = await HubClient.LoginAsync(BaseUrl, "rep020", DemoAccounts.MemberPassword);
        await using var first = await HubClient.ConnectAsync(BaseUrl, token);
        var second = await HubClient.ConnectAsync(BaseUrl, token);

        var third = await Assert.ThrowsAsync<HttpRequestException>(() => HubClient.ConnectAsync(BaseUrl, token));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);

        // Another account is not affected; a closed connection frees its place.
        await using var other = await HubClient.ConnectAsync(BaseUrl, await HubClient.LoginAsync(BaseUrl, "rep021", DemoAccounts.MemberPassword));
        await second.DisposeAsync();
        await using var again = await ConnectEventuallyAsync(token);
    }

    private async Task<HubClient> ConnectEventuallyAsync(string token)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await HubClient.ConnectAsync(BaseUrl, token);
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests && attempt < 20)
            {
                // the closed WebSocket's request ends a moment after the client returns
                await Task.Delay(250);
            }
        }
    }

    private async Task<HttpStatusCode> SignInAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/api/auth/login")
        {
            Content = JsonContent.Create(new { userName = "nobody-" + Guid.NewGuid().ToString("N")[..8], password = "Wrong#2026" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal("RateLimit.TooMany", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        }

        return response.StatusCode;
    }

    private async Task<HttpStatusCode> GetAsync(HttpClient http, string path, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BaseUrl + path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    /// <summary>The public topic form as a phone sends it: the page (antiforgery token and cookie), then the post.</summary>
    private async Task<HttpStatusCode> SubmitTopicAsync(HttpClient http, string forwardedFor)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, BaseUrl + "/topics/new");
        get.Headers.Add("X-Forwarded-For", forwardedFor);
        using var page = await http.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "topic",
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(html).Groups[1].Value,
            ["Input.BodyId"] = BodyId().Match(html).Groups[1].Value,
            ["Input.Category"] = "Other",
            ["Input.Title"] = "楼道灯坏了 " + Guid.NewGuid().ToString("N")[..6],
            ["Input.Text"] = "三号楼二单元楼道灯坏了一个月。",
            ["Input.Name"] = "李先生",
            ["Input.Contact"] = "139-0000-0000",
        };
        using var post = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/topics/new") { Content = new FormUrlEncodedContent(form) };
        post.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(post);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("data-testid=\"topic-receipt\"", body, StringComparison.Ordinal);
        }

        return response.StatusCode;
    }

    /// <summary>A client with cookies, connecting from 127.0.0.1 (the known proxy) or from <paramref name="from"/>.</summary>
    private static HttpClient Client(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("name=\"Input.BodyId\"[^>]*value=\"(\\d+)\"")]
    private static partial Regex BodyId();
}
