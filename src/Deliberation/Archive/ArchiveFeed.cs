using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;
using static CommunityDeliberation.Deliberation.Archive.ArchiveQueries;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>The newest publications of the archive, for its Atom feed.</summary>
public sealed class ArchiveFeed(IDbContextFactory<DeliberationDbContext> dbFactory)
{
    public const int FeedSize = 50;

    /// <summary>The newest published versions (corrections included), newest first, with absolute URLs under <paramref name="baseUrl"/>.</summary>
    public async Task<IReadOnlyList<ArchiveFeedEntry>> FeedAsync(string baseUrl, CancellationToken ct = default)
    {
        var root = baseUrl.TrimEnd('/');
        var host = Uri.TryCreate(root, UriKind.Absolute, out var uri) ? uri.Host : "localhost";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = db.MinutesVersions.AsNoTracking().Where(v => v.PublishedAtUtc != null)
            .OrderByDescending(v => v.PublishedAtUtc).ThenByDescending(v => v.Id).Take(FeedSize);
        var rows = await (from v in newest
                          join m in db.Minutes on v.MinutesId equals m.Id
                          join s in db.Sessions on m.SessionId equals s.Id
                          select new { v.MinutesId, v.Number, v.Reason, v.PublishedAtUtc, s.Title, BodyName = s.Body.Name, s.Kind, s.ScheduledAtUtc, v.LogEntries, v.LogHash, v.LogKeyId, v.LogSignature })
            .ToListAsync(ct);
        return rows.OrderByDescending(r => r.PublishedAtUtc).ThenByDescending(r => r.MinutesId).ThenByDescending(r => r.Number)
            .Select(r => new ArchiveFeedEntry(
                $"tag:{host},2026:minutes/{r.MinutesId}/v{r.Number}",
                $"{root}/archive/{r.MinutesId}?v={r.Number}",
                r.MinutesId, r.Number, r.Title, r.BodyName, r.Kind, r.Reason, Utc(r.ScheduledAtUtc), Utc(r.PublishedAtUtc!.Value),
                new LogHead(r.LogEntries, r.LogHash, r.LogKeyId, r.LogSignature)))
            .ToList();
    }
}
