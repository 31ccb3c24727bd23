using System.Text.RegularExpressions;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Seeding;

/// <summary>
/// Demo data (issue 12): the seeded council sessions and consultations that took place before today are held as the
/// seeds say — opened at their scheduled time, their agenda taken in order (each item for its planned minutes), closed —
/// and their minutes go through the real workflow: generated from that log, approved by the chair, published into the
/// archive (search and feed). Nothing else is invented: no attendance, speeches or votes the seeds do not record, so the
/// minutes say only that the session was held with that agenda. Public hearings have their own seed (HearingSeeder).
/// </summary>
internal static class PastSessionSeeder
{
    public static async Task<int> LoadAsync(DeliberationDbContext db, TimeZoneInfo zone, DateTime nowUtc, CancellationToken ct)
    {
        var past = await db.Sessions.Include(s => s.Body).Include(s => s.Agenda)
            .Where(s => s.Kind != SessionKind.PublicHearing && s.Status == SessionStatus.Draft && s.ScheduledAtUtc < nowUtc)
            .OrderBy(s => s.ScheduledAtUtc).ToListAsync(ct);
        foreach (var session in past)
        {
            var at = DateTime.SpecifyKind(session.ScheduledAtUtc, DateTimeKind.Utc);
            session.Open(at);
            await LogAsync(db, session, new SessionOpenedEntry(), at, ct);
            var items = session.Agenda.OrderBy(a => a.Position).ToList();
            at = at.AddMinutes(items[0].PlannedMinutes);
            foreach (var item in items.Skip(1))
            {
                session.MoveTo(item.Id);
                await LogAsync(db, session, new AgendaMovedEntry(item.Id, item.Position, item.Title), at, ct);
                at = at.AddMinutes(item.PlannedMinutes);
            }

            session.Close(at);
            await LogAsync(db, session, new SessionClosedEntry(), at, ct);

            var (markdown, log) = await MinutesService.RenderAsync(db, session, zone, ct);
            var minutes = SessionMinutes.Generate(session.Id, markdown, LogHead.Of(log), session.ChairUserId, at.AddDays(1));
            db.Minutes.Add(minutes);
            await db.SaveChangesAsync(ct);

            // The seeds do not record who attended: the secretary's edit says so instead of "0 present" from an empty log.
            var attendance = Regex.Replace(markdown, @"^应到.*$", "本次会议的签到未在本平台记录(依据原始资料,只记载会议时间和议程)。", RegexOptions.Multiline);
            minutes.Edit(attendance, session.ChairUserId, at.AddDays(2));
            await db.SaveChangesAsync(ct);
            minutes.Approve(session.ChairUserId);
            await MinutesService.PublishInAsync(db, minutes, session, null, at.AddDays(3), ct);
        }

        return past.Count;
    }

    private static async Task LogAsync(DeliberationDbContext db, Session session, SessionLogEvent entry, DateTime when, CancellationToken ct)
    {
        await SessionLog.AppendAsync(db, session.Id, entry, null, when, ct);
        await db.SaveChangesAsync(ct);
    }
}
