using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Archive;

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
        var tokens = CharTokens(title + "\n" + markdown);
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM MinutesSearchChars WHERE minutes_id = {minutesId}", ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO MinutesSearchChars(rowid, minutes_id, body) VALUES ({versionId}, {minutesId}, {tokens})", ct);
    }

    /// <summary>
    /// The text with every CJK character set apart by spaces, so the unicode61 tokenizer makes each one a token
    /// (it would otherwise take a whole run of Chinese as one word). Other text is unchanged.
    /// </summary>
    public static string CharTokens(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length * 2);
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                sb.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        return sb.ToString();
    }

    /// <summary>An FTS5 query matching each term as a phrase of character tokens (quotes doubled: never user syntax).</summary>
    public static string CharPhraseQuery(IEnumerable<string> terms) =>
        string.Join(" AND ", terms.Select(t => "\"" + CharTokens(t).Trim().Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    public static bool IsAllCjk(string term) => term.EnumerateRunes().All(IsCjk);

    private static bool IsCjk(System.Text.Rune rune) =>
        rune.Value is (>= 0x2E80 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F);
}
