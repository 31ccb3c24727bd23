using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Persistence;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using Calendar = Ical.Net.Calendar;

namespace CommunityDeliberation.Deliberation.Sessions;

/// <summary>A body as its calendar feed names it.</summary>
public sealed record CalendarBody(int Id, string Key, string Name, string NameEn);

/// <summary>One upcoming session in a calendar feed; it ends when its agenda's planned minutes are used up.</summary>
public sealed record CalendarSession(int Id, int Number, string Title, string Place, DateTime StartsAtUtc, IReadOnlyList<CalendarAgendaItem> Agenda)
{
    /// <summary>The public hearing held in this session, once its notice is published: the event links to the notice.</summary>
    public CalendarHearing? Hearing { get; init; }

    public DateTime EndsAtUtc => StartsAtUtc.AddMinutes(Agenda.Sum(a => a.PlannedMinutes));
}

public sealed record CalendarAgendaItem(int Position, string Title, int PlannedMinutes);

/// <summary>A session's public hearing as the calendar shows it: its notice's topic, time, place and registration deadline.</summary>
public sealed record CalendarHearing(int Id, string Topic, DateTime StartsAtUtc, string Place, DateTime RegistrationDeadlineUtc, bool RegistrationOpen);

/// <summary>
/// The iCalendar (RFC 5545) feed of a body's upcoming sessions, public like the sessions list: one VEVENT per session
/// that has not closed and has not ended, with its title, place, start and end in UTC, a UID that stays the same for
/// the session's whole life (so calendar apps update rather than duplicate it) and the address of its page.
/// </summary>
public sealed class SessionCalendar(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Sessions in one feed at most: a council meets a few times a month.</summary>
    public const int MaxSessions = 200;

    /// <summary>The body by its key (<c>jiangchuan-council</c>) or its number, with its upcoming sessions; null if there is none.</summary>
    public async Task<(CalendarBody Body, IReadOnlyList<CalendarSession> Sessions)?> FindAsync(string keyOrId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bodies = db.Bodies.AsNoTracking();
        bodies = int.TryParse(keyOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? bodies.Where(b => b.Id == id)
            : bodies.Where(b => b.Key == keyOrId);
        var body = await bodies.Select(b => new CalendarBody(b.Id, b.Key, b.Name, b.NameEn)).SingleOrDefaultAsync(ct);
        if (body is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // A session can run past its planned end; a day's margin keeps one that is still going in the feed.
        var earliestStart = now.AddDays(-1);
        // A public hearing is held at its notice's time, which need not be its session's scheduled time.
        var hearingSessions = await db.Hearings.AsNoTracking()
            .Where(h => h.BodyId == body.Id && h.Stage != Hearings.HearingStage.Draft && h.StartsAtUtc >= earliestStart)
            .Select(h => h.SessionId).ToListAsync(ct);
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.BodyId == body.Id && s.Status != SessionStatus.Closed && (s.ScheduledAtUtc >= earliestStart || hearingSessions.Contains(s.Id)))
            .OrderBy(s => s.ScheduledAtUtc).ThenBy(s => s.Id)
            .Take(MaxSessions)
            .Select(s => new
            {
                s.Id,
                s.Number,
                s.Title,
                s.Place,
                s.ScheduledAtUtc,
                Agenda = s.Agenda.OrderBy(a => a.Position).Select(a => new CalendarAgendaItem(a.Position, a.Title, a.PlannedMinutes)).ToList(),
            })
            .ToListAsync(ct);
        // A session that holds a public hearing with a published notice is shown as the hearing: its time and place, and
        // a link to the notice where residents register (issue 12).
        var sessionIds = rows.Select(r => r.Id).ToList();
        var hearings = (await db.Hearings.AsNoTracking()
            .Where(h => sessionIds.Contains(h.SessionId) && h.Stage != Hearings.HearingStage.Draft)
            .Select(h => new { h.SessionId, h.Id, h.Topic, h.StartsAtUtc, h.Place, h.RegistrationDeadlineUtc, h.Stage })
            .ToListAsync(ct))
            .ToDictionary(h => h.SessionId, h => new CalendarHearing(h.Id, h.Topic, DateTime.SpecifyKind(h.StartsAtUtc, DateTimeKind.Utc), h.Place,
                DateTime.SpecifyKind(h.RegistrationDeadlineUtc, DateTimeKind.Utc), h.Stage == Hearings.HearingStage.RegistrationOpen && h.RegistrationDeadlineUtc >= now));
        var sessions = rows
            .Select(s => hearings.TryGetValue(s.Id, out var h)
                ? new CalendarSession(s.Id, s.Number, s.Title, h.Place, h.StartsAtUtc, s.Agenda) { Hearing = h }
                : new CalendarSession(s.Id, s.Number, s.Title, s.Place, DateTime.SpecifyKind(s.ScheduledAtUtc, DateTimeKind.Utc), s.Agenda))
            .Where(s => s.EndsAtUtc >= now)
            .OrderBy(s => s.StartsAtUtc).ThenBy(s => s.Id)
            .ToList();
        return (body, sessions);
    }

    /// <summary>The UID of a session's event: the same in every feed and on every server, for the session's whole life.</summary>
    public static string Uid(int sessionId) => $"session-{sessionId.ToString(CultureInfo.InvariantCulture)}@community-deliberation";

    /// <summary>
    /// Writes the feed. <paramref name="siteRoot"/> is the app's public address (the session pages hang below it);
    /// <paramref name="stampUtc"/> is the moment the feed is written (DTSTAMP).
    /// </summary>
    public static string Write(CalendarBody body, IReadOnlyList<CalendarSession> sessions, Uri siteRoot, DateTime stampUtc, bool english = false)
    {
        ArgumentNullException.ThrowIfNull(siteRoot);
        var calendar = new Calendar { ProductId = "-//CommunityDeliberation//Sessions//ZH", Method = "PUBLISH" };
        var name = english ? body.NameEn : body.Name;
        calendar.AddProperty("X-WR-CALNAME", name);
        var stamp = new CalDateTime(DateTime.SpecifyKind(stampUtc, DateTimeKind.Utc));
        foreach (var session in sessions)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = Uid(session.Id),
                DtStamp = stamp,
                DtStart = new CalDateTime(session.StartsAtUtc),
                DtEnd = new CalDateTime(session.EndsAtUtc),
                Summary = session.Title,
                Location = session.Place,
                Description = Description(session, english),
                Url = new Uri(siteRoot, session.Hearing is { } hearing
                    ? $"hearings/{hearing.Id.ToString(CultureInfo.InvariantCulture)}"
                    : $"sessions/{session.Id.ToString(CultureInfo.InvariantCulture)}"),
                Status = "CONFIRMED",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }

    /// <summary>The agenda, one numbered line per item with its planned minutes.</summary>
    private static string Description(CalendarSession session, bool english)
    {
        var text = new StringBuilder();
        if (session.Hearing is { } hearing)
        {
            var deadline = hearing.RegistrationDeadlineUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            text.Append(english ? $"Public hearing: {hearing.Topic}\n" : $"听证会:{hearing.Topic}\n");
            if (hearing.RegistrationOpen)
            {
                text.Append(english ? $"Registration open until {deadline}\n" : $"报名进行中,截止 {deadline}\n");
            }
        }

        foreach (var item in session.Agenda)
        {
            text.Append(english
                ? string.Create(CultureInfo.InvariantCulture, $"{item.Position}. {item.Title} ({item.PlannedMinutes} min)\n")
                : string.Create(CultureInfo.InvariantCulture, $"{item.Position}. {item.Title}({item.PlannedMinutes} 分钟)\n"));
        }

        return text.ToString().TrimEnd('\n');
    }
}
