using System.Data.Common;
using System.Net;
using System.Text;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// While the database cannot be reached (PostgreSQL restarting, a failover), a page request would fail deep inside
/// the layout, and the error page itself, which reads the same database, would fail too: the browser showed its own
/// error page for an empty HTTP 500. This middleware answers such a request with a small self-contained page instead:
/// 503 with Retry-After, "the service is reconnecting", and a refresh that brings the person back by itself once the
/// database answers again. It touches nothing that needs the database. Any other failure goes on to the usual handler.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds after which the page reloads itself (and the Retry-After value).</summary>
    public const int RetrySeconds = 10;

    public static IApplicationBuilder UseDatabaseOutagePage(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception error) when (IsOutage(error) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseOutage));
            logger.LogWarning(error, "Database unreachable while serving {Path}: answered 503 with the reconnecting page", context.Request.Path);
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            await WriteAsync(context, text);
        }
    });

    /// <summary>Whether the failure (or one it wraps) says the database could not be reached, rather than a fault of the request.</summary>
    public static bool IsOutage(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsOutage))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the 503 page: no layout, no scripts, the site's stylesheet only (a static file).</summary>
    public static async Task WriteAsync(HttpContext context, IStringLocalizer text)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        var title = WebUtility.HtmlEncode(text["Outage.Title"]);
        var body = WebUtility.HtmlEncode(text["Outage.Body", RetrySeconds]);
        var again = WebUtility.HtmlEncode(text["Outage.TryNow"]);
        var lang = Cultures.IsEnglish ? Cultures.English : Cultures.Chinese;
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(lang).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"refresh\" content=\"").Append(RetrySeconds).Append("\">")
            .Append("<title>").Append(title).Append("</title><link rel=\"stylesheet\" href=\"/css/app.css\"></head>")
            .Append("<body><main id=\"main\" class=\"outage\"><h1>").Append(title).Append("</h1>")
            .Append("<p role=\"status\" data-testid=\"outage-page\">").Append(body).Append("</p>")
            .Append("<p><a class=\"button primary\" href=\"").Append(WebUtility.HtmlEncode(context.Request.Path + context.Request.QueryString)).Append("\">")
            .Append(again).Append("</a></p></main></body></html>");
        await context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
