using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>
/// The full-text index of published minutes. On SQLite it is the FTS5 table <c>MinutesSearch</c> with the trigram
/// tokenizer (finds Chinese phrases of 3+ characters) and <c>MinutesSearchChars</c> (one token per CJK character, for 1–2
/// character terms); on PostgreSQL the table <c>MinutesSearch</c> of character grams (<see cref="Grams"/>, ADR 0021).
/// Written in the same unit of work as the publication.
/// </summary>
public static class MinutesSearchIndex
{
    public const string Table = "MinutesSearch";

    /// <summary>Indexes a published version (rowid = the version id), replacing an earlier version of the same minutes.</summary>
    public static async Task IndexAsync(DeliberationDbContext db, int minutesId, int versionId, string title, string markdown, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL's MinutesSearch (migration ArchiveSearchGrams): the title, the session's sort keys and the grams.
            var grams = Grams(title + "\n" + markdown);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"MinutesSearch\" WHERE minutes_id = {minutesId}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "MinutesSearch" (version_id, minutes_id, session_id, scheduled_at_utc, title, grams)
                SELECT {versionId}, m."Id", s."Id", s."ScheduledAtUtc", {title}, {grams}
                FROM "Minutes" AS m JOIN "Sessions" AS s ON s."Id" = m."SessionId" WHERE m."Id" = {minutesId}
                """, ct);
            return;
        }

        if (!db.Database.IsSqlite())
        {
            return;
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

    /// <summary>Grams longer than this are not indexed: a longer term is found through its trigrams, then checked in the text.</summary>
    public const int MaxGram = 3;

    /// <summary>
    /// The distinct lower-case (invariant culture) 1-, 2- and 3-character grams of the text, characters being Unicode code
    /// points (as PostgreSQL counts them), leaving out every gram that contains white space (search terms never do).
    /// PostgreSQL's search index holds them for title + text; a term's own grams are <see cref="TermGrams"/>.
    /// </summary>
    public static string[] Grams(string text)
    {
        var runes = text.ToLowerInvariant().EnumerateRunes().ToArray();
        var grams = new HashSet<string>(StringComparer.Ordinal);
        var gram = new System.Text.StringBuilder(8);
        for (var i = 0; i < runes.Length; i++)
        {
            gram.Clear();
            for (var n = 0; n < MaxGram && i + n < runes.Length && !System.Text.Rune.IsWhiteSpace(runes[i + n]); n++)
            {
                gram.Append(runes[i + n].ToString());
                grams.Add(gram.ToString());
            }
        }

        return grams.ToArray();
    }

    /// <summary>
    /// What the index must hold for a text to contain <paramref name="term"/>: the term itself (lower case) when it has at
    /// most <see cref="MaxGram"/> characters, which is then exact, else its trigrams (a superset, checked in the text).
    /// </summary>
    public static string[] TermGrams(string term)
    {
        var runes = term.ToLowerInvariant().EnumerateRunes().ToArray();
        if (runes.Length <= MaxGram)
        {
            return [string.Concat(runes.Select(r => r.ToString()))];
        }

        return Enumerable.Range(0, runes.Length - MaxGram + 1)
            .Select(i => string.Concat(runes.Skip(i).Take(MaxGram).Select(r => r.ToString())))
            .Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>An FTS5 query matching each term as a phrase of character tokens (quotes doubled: never user syntax).</summary>
    public static string CharPhraseQuery(IEnumerable<string> terms) =>
        string.Join(" AND ", terms.Select(t => "\"" + CharTokens(t).Trim().Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    public static bool IsAllCjk(string term) => term.EnumerateRunes().All(IsCjk);

    private static bool IsCjk(System.Text.Rune rune) =>
        rune.Value is (>= 0x2E80 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F);
}
