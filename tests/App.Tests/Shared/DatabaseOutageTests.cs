using System.Globalization;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>
/// A page request while the database is out of reach gets the 503 "reconnecting" page that reloads itself; any other
/// failure goes on to the usual error handler. The outage is real: a PostgreSQL connection to a port nobody listens on.
/// </summary>
public sealed class DatabaseOutageTests : AppTestContext
{
    [Fact]
    public async Task UnreachableDatabaseAnswers503WithAReconnectingPageThatReloadsItself()
    {
        Services.AddLogging();
        var (context, body) = NewRequest("/sessions/7?x=<script>");

        await RunAsync(context, async () =>
        {
            await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2;Pooling=false");
            await connection.OpenAsync();
        });

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(DatabaseOutage.RetrySeconds.ToString(CultureInfo.InvariantCulture), context.Response.Headers.RetryAfter.ToString());
        var html = await ReadAsync(body);
        var text = Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(text["Outage.Body", DatabaseOutage.RetrySeconds]), html, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"status\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Outage.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFaultOfTheRequestItselfGoesOnToTheErrorHandler()
    {
        Services.AddLogging();
        var (context, _) = NewRequest("/sessions/7");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(context, () => throw new InvalidOperationException("a bug")));
    }

    [Fact]
    public void ATransientFailureWrappedByEfCoreIsStillAnOutage()
    {
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111)));

        Assert.True(DatabaseOutage.IsOutage(wrapped));
        Assert.False(DatabaseOutage.IsOutage(new ArgumentException("bad input")));
    }

    private (DefaultHttpContext Context, MemoryStream Body) NewRequest(string pathAndQuery)
    {
        var body = new MemoryStream();
        var parts = pathAndQuery.Split('?', 2);
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Path = parts[0];
        context.Request.QueryString = parts.Length > 1 ? new QueryString("?" + parts[1]) : QueryString.Empty;
        context.Response.Body = body;
        return (context, body);
    }

    private Task RunAsync(HttpContext context, Func<Task> endpoint)
    {
        var app = new ApplicationBuilder(Services);
        app.UseDatabaseOutagePage();
        app.Run(_ => endpoint());
        return app.Build()(context);
    }

    private static async Task<string> ReadAsync(MemoryStream body)
    {
        body.Position = 0;
        using var reader = new StreamReader(body);
        return await reader.ReadToEndAsync();
    }
}
