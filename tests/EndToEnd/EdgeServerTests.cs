using System.Net;

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
    });

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>Feeds on a server that lets any Host header through: their links use App:PublicBaseUrl, never the header.</summary>
public sealed class EdgeServerTests(EdgeServer edge) : IClassFixture<EdgeServer>
{
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
}
