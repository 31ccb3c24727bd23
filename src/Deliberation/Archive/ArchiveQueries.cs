using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>The queries every part of the public archive shares: only published versions are ever read.</summary>
internal static class ArchiveQueries
{
    internal sealed class PublishedRow
    {
        public required SessionMinutes Minutes { get; init; }

        public required Session Session { get; init; }
    }

    /// <summary>
    /// Minutes with at least one published version, with their session. Decided without reading the versions' rows (whose
    /// Markdown makes them long) but from the minutes' status and the (MinutesId, Number) index, by the workflow's rule
    /// (<see cref="SessionMinutes"/>): a new version is only started after the previous one was published, so every version but
    /// the working one is published, and the working one is published exactly when the status is Published. Hence
    /// "has a published version" ⇔ status Published or more than one version. (Which version is the latest published one
    /// is read from the versions themselves, for the rows shown.)
    /// </summary>
    internal static IQueryable<PublishedRow> Published(DeliberationDbContext db) =>
        from m in db.Minutes.AsNoTracking()
        join s in db.Sessions.AsNoTracking() on m.SessionId equals s.Id
        where m.Status == MinutesStatus.Published || db.MinutesVersions.Any(v => v.MinutesId == m.Id && v.Number > 1)
        select new PublishedRow { Minutes = m, Session = s };

    /// <summary>For each minutes, its latest published version.</summary>
    internal static IQueryable<MinutesVersion> LatestPublishedVersions(DeliberationDbContext db) =>
        db.MinutesVersions.AsNoTracking().Where(v => v.PublishedAtUtc != null
            && !db.MinutesVersions.Any(w => w.MinutesId == v.MinutesId && w.Number > v.Number && w.PublishedAtUtc != null));

    internal static async Task<Dictionary<int, (int Number, DateTime PublishedAtUtc)>> LatestPublishedAsync(DeliberationDbContext db, List<int> minutesIds, CancellationToken ct)
    {
        var rows = await db.MinutesVersions.AsNoTracking().Where(v => minutesIds.Contains(v.MinutesId) && v.PublishedAtUtc != null)
            .Select(v => new { v.MinutesId, v.Number, v.PublishedAtUtc }).ToListAsync(ct);
        return rows.GroupBy(r => r.MinutesId).ToDictionary(g => g.Key, g =>
        {
            var latest = g.MaxBy(r => r.Number)!;
            return (latest.Number, latest.PublishedAtUtc!.Value);
        });
    }

    internal sealed record VersionRow(int Id, ArchiveVersion View);

    internal static async Task<List<VersionRow>> PublishedVersionsAsync(DeliberationDbContext db, int minutesId, CancellationToken ct)
    {
        var rows = await db.MinutesVersions.AsNoTracking().Where(v => v.MinutesId == minutesId && v.PublishedAtUtc != null).OrderBy(v => v.Number)
            .Select(v => new { v.Id, v.Number, v.Reason, v.PublishedAtUtc, v.ContentHash, v.LogHash, v.LogEntries, v.LogKeyId, v.LogSignature })
            .ToListAsync(ct);
        return rows.Select(r => new VersionRow(r.Id, new ArchiveVersion(r.Number, r.Reason, Utc(r.PublishedAtUtc!.Value), r.ContentHash, r.LogHash, r.LogEntries, r.LogKeyId, r.LogSignature))).ToList();
    }

    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary><c>{date}-{minutesId}-v{n}.md</c>, the date being the session's day in the display time zone.</summary>
    internal static string FileName(DisplayOptions display, DateTime scheduledAtUtc, int minutesId, int version) =>
        FormattableString.Invariant($"{display.ToLocal(scheduledAtUtc):yyyy-MM-dd}-{minutesId}-v{version}.md");
}
