using System.Text;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Sessions;
// In the app's root namespace so Program.cs finds MapCalendarEndpoints without another using.

namespace CommunityDeliberation.App;

/// <summary>The iCalendar feed of a body's upcoming sessions, anonymous like the sessions list, for calendar apps to subscribe to.</summary>
public static class CalendarEndpoints
{
    public static void MapCalendarEndpoints(this IEndpointRouteBuilder e) =>
        e.MapGet("/bodies/{keyOrId}/calendar.ics", CalendarAsync);

    /// <summary><c>/bodies/jiangchuan-council/calendar.ics</c> or <c>/bodies/1/calendar.ics</c>; the calendar's name follows the language.</summary>
    private static async Task<IResult> CalendarAsync(string keyOrId, SessionCalendar calendars, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var found = await calendars.FindAsync(keyOrId, ct);
        if (found is not { } feed)
        {
            return Results.NotFound();
        }

        // Never the Host header as sent: calendar apps and caches keep the links (SecuritySetup.PublicRoot).
        var siteRoot = new Uri(SecuritySetup.PublicRoot(http) + "/");
        var text = SessionCalendar.Write(feed.Body, feed.Sessions, siteRoot, clock.GetUtcNow().UtcDateTime, Cultures.IsEnglish);
        // Calendar apps poll the address; five minutes old is fresh enough for a meeting schedule.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Text(text, "text/calendar; charset=utf-8", Encoding.UTF8);
    }
}
