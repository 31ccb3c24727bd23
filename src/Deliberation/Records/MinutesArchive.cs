using System.Data.Common;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Records;

/// <summary>
/// The full-text index of published minutes. On SQLite it is the FTS5 table <c>MinutesSearch</c> with the trigram
/// tokenizer (finds Chinese phrases of 3+ characters; shorter terms fall back to LIKE). Written in the same unit of
/// work as the publication.
/// </summary>
public static class MinutesSearchIndex
{
    public const string Table = "MinutesSearch";

    /// <summary>Indexes a published version (rowid = the version id), replacing an earlier version of the same minutes.</summary>
    public static async Task IndexAsync(DeliberationDbContext db, int minutesId, int versionId, string title, string markdown, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return; // PostgreSQL searches the versions table directly (see MinutesArchiveService); no separate index yet.
        }

        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM MinutesSearch WHERE minutes_id = {minutesId}", ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO MinutesSearch(rowid, minutes_id, title, body) VALUES ({versionId}, {minutesId}, {title}, {markdown})", ct);
    }
}
