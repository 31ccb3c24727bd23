using System.Globalization;
using System.Text.Json;
using CommunityDeliberation.App.Hubs;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>
/// The hub sign-in (<c>POST /api/auth/login</c>, and the refresh) while the database is out of reach answers 503 with
/// Retry-After and a JSON problem body a hub client can retry on. The outage is real: a PostgreSQL connection to a port
/// nobody listens on.
/// </summary>
public sealed class LoginOutageTests : AppTestContext
{
    [Fact]
    public async Task SignInWhileTheDatabaseIsUnreachableAnswers503WithRetryAfterAndAJsonProblem()
    {
        Services.AddLogging();
        var result = await LoginEndpoint.WhileDatabaseAnswersAsync(Services.GetRequiredService<ILoggerFactory>(), async () =>
        {
            await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2;Pooling=false");
            await connection.OpenAsync();
            return Results.Ok();
        });

        var (context, body) = NewContext();
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(DatabaseOutage.RetrySeconds.ToString(CultureInfo.InvariantCulture), context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        body.Position = 0;
        using var json = await JsonDocument.ParseAsync(body);
        Assert.Equal(503, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Service.Unavailable", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(DatabaseOutage.RetrySeconds, json.RootElement.GetProperty("retryAfter").GetInt32());
    }

    [Fact]
    public async Task AnotherFailureOfTheSignInIsNotTurnedIntoA503()
    {
        Services.AddLogging();

        await Assert.ThrowsAsync<InvalidOperationException>(() => LoginEndpoint.WhileDatabaseAnswersAsync(
            Services.GetRequiredService<ILoggerFactory>(), () => throw new InvalidOperationException("a bug")));
    }

    private (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Path = HubSetup.LoginPath;
        context.Request.Method = "POST";
        context.Response.Body = body;
        return (context, body);
    }
}
