using System.Net;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// /health/live answers while the process runs; /health/ready answers only while the database is reachable. On a server
/// of its own, because the test takes its database file away for a moment.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task ReadinessFollowsTheDatabaseAndLivenessDoesNot()
    {
        await using var server = await AppServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        await ExpectAsync(http, "/health/live", HttpStatusCode.OK, "Healthy");
        await ExpectAsync(http, "/health/ready", HttpStatusCode.OK, "Healthy");

        // The database file goes away (a volume not mounted): not ready, but alive; it comes back: ready again.
        var moved = server.DatabasePath + ".away";
        File.Move(server.DatabasePath, moved);
        try
        {
            await ExpectAsync(http, "/health/ready", HttpStatusCode.ServiceUnavailable, "Unhealthy");
            await ExpectAsync(http, "/health/live", HttpStatusCode.OK, "Healthy");
        }
        finally
        {
            File.Move(moved, server.DatabasePath, overwrite: true);
        }

        await ExpectAsync(http, "/health/ready", HttpStatusCode.OK, "Healthy");
    }

    private static async Task ExpectAsync(HttpClient http, string path, HttpStatusCode status, string body)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }
}
