using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using static CommunityDeliberation.Deliberation.Archive.ArchiveQueries;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>
/// Full-text search of the latest published version of every minutes: FTS5 trigram on SQLite for terms of three or
/// more characters, a per-character index for one- and two-character Chinese terms, substring matching otherwise
/// (ADR 0006); on PostgreSQL an index of character 1–3-grams with the same hits (ADR 0021). Results carry HTML-safe
/// snippets with the hits marked.
/// </summary>
public sealed partial class ArchiveSearch(IDbContextFactory<DeliberationDbContext> dbFactory)
{
    public const int PageSize = ArchiveReader.PageSize;
    public const int MaxQueryLength = 200;
    public const int MaxTerms = 10;
    public const int MaxPage = ArchiveReader.MaxPage;

    // Private-use characters that the snippet functions put around hits; HighlightedSnippet turns them into <mark>.
    public const char MarkStart = '\uE000';
    public const char MarkEnd = '\uE001';

    private const int SnippetTokens = 32;
    private const int LikeSnippetRadius = 30;


    /// <summary>
    /// Searches the latest published version of every minutes. Terms are separated by spaces and all must occur. The
    /// query is never passed to the database as syntax: each term becomes a quoted FTS5 string (or an escaped LIKE pattern).
    /// On SQLite, terms of three or more characters use the trigram index; one- and two-character terms are matched as
    /// substrings. On PostgreSQL every term is a case-insensitive substring of title or text, found through the index of
    /// character grams (ADR 0021): the same hits as on SQLite, for Chinese terms of any length.
    /// </summary>
    public async Task<ArchiveSearchResult> SearchAsync(string? query, int page = 1, CancellationToken ct = default)
    {
        var text = (query ?? string.Empty).Trim();
        if (text.Length > MaxQueryLength)
        {
            throw new DomainException("Search.TooLong", MaxQueryLength, text.Length);
        }

        var terms = Terms(text);
        if (terms.Count == 0)
        {
            return ArchiveSearchResult.Empty;
        }

        if (terms.Count > MaxTerms)
        {
            throw new DomainException("Search.TooManyTerms", MaxTerms, terms.Count);
        }

        page = Math.Clamp(page, 1, MaxPage);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var longTerms = terms.Where(t => RuneLength(t) >= 3).ToList();
        var shortTerms = terms.Where(t => RuneLength(t) < 3).ToList();
        if (db.Database.IsNpgsql())
        {
            return await GramSearchAsync(db, text, terms, page, ct);
        }

        if (!db.Database.IsSqlite())
        {
            return await SubstringSearchAsync(db, text, terms, page, ct);
        }

        if (longTerms.Count > 0)
        {
            return await FullTextSearchAsync(db, text, terms, longTerms, shortTerms, page, ct);
        }

        // Short Chinese terms go through the per-character index; short Latin fragments ("QR") stay substring matches.
        return shortTerms.All(MinutesSearchIndex.IsAllCjk)
            ? await CharacterSearchAsync(db, text, terms, page, ct)
            : await SubstringSearchAsync(db, text, terms, page, ct);
    }

    /// <summary>The query split into distinct terms (whitespace-separated, control characters removed).</summary>
    public static IReadOnlyList<string> Terms(string? query)
    {
        var cleaned = new string((query ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return cleaned.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>An FTS5 query that matches every term as a literal substring: each term is a string with its quotes doubled.</summary>
    public static string FullTextQuery(IEnumerable<string> terms) =>
        string.Join(" AND ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    public static string LikePattern(string term) =>
        "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private async Task<ArchiveSearchResult> FullTextSearchAsync(
        DeliberationDbContext db, string text, IReadOnlyList<string> terms, List<string> longTerms, List<string> shortTerms, int page, CancellationToken ct)
    {
        var match = FullTextQuery(longTerms);
        var like = new StringBuilder();
        for (var i = 0; i < shortTerms.Count; i++)
        {
            like.Append(CultureInfo.InvariantCulture, $" AND body LIKE $like{i} ESCAPE '\\'");
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        int? total = null;
        if (shortTerms.Count == 0)
        {
            await using var count = Command(connection, "SELECT count(*) FROM MinutesSearch WHERE MinutesSearch MATCH $match", match, shortTerms);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        var sql = $"""
            SELECT rowid, minutes_id, snippet(MinutesSearch, 2, char({(int)MarkStart}), char({(int)MarkEnd}), '…', {SnippetTokens}), rank
            FROM MinutesSearch WHERE MinutesSearch MATCH $match{like}
            ORDER BY rank LIMIT $take OFFSET $skip
            """;
        var found = new List<(int VersionId, int MinutesId, string Snippet, double Rank)>();
        await using (var command = Command(connection, sql, match, shortTerms))
        {
            AddParameter(command, "$take", PageSize + 1);
            AddParameter(command, "$skip", (page - 1) * PageSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2), reader.GetDouble(3)));
            }
        }

        var hasMore = found.Count > PageSize;
        found = found.Take(PageSize).ToList();
        var facts = await FactsAsync(db, found.Select(f => f.VersionId).ToList(), ct);
        var hits = found.Where(f => facts.ContainsKey(f.VersionId))
            .Select(f =>
            {
                var x = facts[f.VersionId];
                return new ArchiveSearchHit(f.MinutesId, x.Title, x.BodyName, x.BodyNameEn, x.Kind, Utc(x.ScheduledAtUtc), x.Number, HighlightedSnippet(f.Snippet), f.Rank);
            })
            .ToList();
        return new ArchiveSearchResult(text, terms, hits, page, PageSize, total, hasMore, true);
    }

    /// <summary>
    /// Only one- or two-character terms: the per-character index (MinutesSearchChars) finds the minutes holding each term
    /// as a phrase of characters; snippets are cut from the few texts on the page.
    /// </summary>
    private async Task<ArchiveSearchResult> CharacterSearchAsync(DeliberationDbContext db, string text, IReadOnlyList<string> terms, int page, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var match = MinutesSearchIndex.CharPhraseQuery(terms);
        int total;
        await using (var count = Command(connection, "SELECT count(*) FROM MinutesSearchChars WHERE MinutesSearchChars MATCH $match", match, []))
        {
            total = Convert.ToInt32(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        var rows = new List<(int VersionId, double Rank)>();
        await using (var command = Command(connection, "SELECT rowid, rank FROM MinutesSearchChars WHERE MinutesSearchChars MATCH $match ORDER BY rank LIMIT $take OFFSET $skip", match, []))
        {
            AddParameter(command, "$take", PageSize + 1);
            AddParameter(command, "$skip", (page - 1) * PageSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt32(0), reader.GetDouble(1)));
            }
        }

        var hasMore = rows.Count > PageSize;
        rows = rows.Take(PageSize).ToList();
        var ids = rows.Select(r => r.VersionId).ToList();
        var facts = await FactsAsync(db, ids, ct);
        var texts = await db.MinutesVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.Markdown }).ToDictionaryAsync(v => v.Id, v => v.Markdown, ct);
        var hits = rows.Where(r => facts.ContainsKey(r.VersionId))
            .Select(r =>
            {
                var x = facts[r.VersionId];
                return new ArchiveSearchHit(x.MinutesId, x.Title, x.BodyName, x.BodyNameEn, x.Kind, Utc(x.ScheduledAtUtc), x.Number, CutSnippet(texts[r.VersionId], terms), r.Rank);
            })
            .ToList();
        return new ArchiveSearchResult(text, terms, hits, page, PageSize, total, hasMore, true);
    }

    private async Task<ArchiveSearchResult> SubstringSearchAsync(DeliberationDbContext db, string text, IReadOnlyList<string> terms, int page, CancellationToken ct)
    {
        var versions = LatestPublishedVersions(db);
        foreach (var term in terms)
        {
            var pattern = LikePattern(term);
            versions = versions.Where(v => EF.Functions.Like(v.Markdown, pattern, "\\"));
        }

        var rows = await (from v in versions
                          join m in db.Minutes on v.MinutesId equals m.Id
                          join s in db.Sessions on m.SessionId equals s.Id
                          orderby s.ScheduledAtUtc descending, s.Id descending
                          select v.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        var hasMore = rows.Count > PageSize;
        rows = rows.Take(PageSize).ToList();
        return await ResultAsync(db, text, terms, rows, page, knownTotal: null, hasMore, usedFullText: false, ct);
    }

    /// <summary>A page of hits from version ids in their order: each with its minutes' facts and a snippet cut around the terms.</summary>
    private async Task<ArchiveSearchResult> ResultAsync(
        DeliberationDbContext db, string text, IReadOnlyList<string> terms, List<int> rows, int page, int? knownTotal, bool hasMore, bool usedFullText, CancellationToken ct)
    {
        var facts = await FactsAsync(db, rows, ct);
        var texts = await db.MinutesVersions.AsNoTracking().Where(v => rows.Contains(v.Id)).Select(v => new { v.Id, v.Markdown }).ToDictionaryAsync(v => v.Id, v => v.Markdown, ct);
        var hits = rows.Where(facts.ContainsKey)
            .Select(id =>
            {
                var x = facts[id];
                return new ArchiveSearchHit(x.MinutesId, x.Title, x.BodyName, x.BodyNameEn, x.Kind, Utc(x.ScheduledAtUtc), x.Number, CutSnippet(texts[id], terms), 0);
            })
            .ToList();
        return new ArchiveSearchResult(text, terms, hits, page, PageSize, knownTotal, hasMore, usedFullText);
    }

    /// <summary>
    /// Turns an FTS5 snippet (raw minutes text with <see cref="MarkStart"/> / <see cref="MarkEnd"/> around hits) into safe
    /// HTML: the text is split at the markers and each piece HTML-encoded; only then are the pieces joined with
    /// &lt;mark&gt; tags. Markers that do not pair up (the text itself could contain them) are dropped, so the tags balance.
    /// </summary>
    public static string HighlightedSnippet(string snippet)
    {
        var parts = new List<(string Text, bool Mark)>();
        var current = new StringBuilder();
        var inMark = false;
        foreach (var ch in snippet)
        {
            if (ch == MarkStart || ch == MarkEnd)
            {
                var opens = ch == MarkStart;
                if (opens != inMark)
                {
                    parts.Add((current.ToString(), inMark));
                    current.Clear();
                    inMark = opens;
                }

                continue;
            }

            current.Append(ch);
        }

        parts.Add((current.ToString(), inMark));
        return SnippetHtml(parts);
    }

    /// <summary>A snippet cut around the first hit of any term (case-insensitive), with every hit in it marked.</summary>
    public static string CutSnippet(string markdown, IReadOnlyList<string> terms)
    {
        var first = terms.Select(t => markdown.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Max(0, first - LikeSnippetRadius);
        var end = Math.Min(markdown.Length, first + (LikeSnippetRadius * 2));
        if (start > 0 && char.IsLowSurrogate(markdown[start]))
        {
            start--;
        }

        if (end < markdown.Length && char.IsLowSurrogate(markdown[end]))
        {
            end++;
        }

        var window = markdown[start..end];
        var marks = new bool[window.Length];
        foreach (var term in terms)
        {
            for (var i = window.IndexOf(term, StringComparison.OrdinalIgnoreCase); i >= 0; i = window.IndexOf(term, i + term.Length, StringComparison.OrdinalIgnoreCase))
            {
                Array.Fill(marks, true, i, term.Length);
            }
        }

        var parts = new List<(string Text, bool Mark)>();
        if (start > 0)
        {
            parts.Add(("…", false));
        }

        for (var i = 0; i < window.Length;)
        {
            var j = i;
            while (j < window.Length && marks[j] == marks[i])
            {
                j++;
            }

            parts.Add((window[i..j], marks[i]));
            i = j;
        }

        if (end < markdown.Length)
        {
            parts.Add(("…", false));
        }

        return SnippetHtml(parts);
    }

    /// <summary>Encodes each piece (after folding Markdown punctuation into plain text) and wraps the marked ones.</summary>
    private static string SnippetHtml(IEnumerable<(string Text, bool Mark)> parts)
    {
        var html = new StringBuilder();
        var lastWasSpace = false;
        foreach (var (raw, mark) in parts)
        {
            var plain = new StringBuilder(raw.Length);
            foreach (var ch in raw)
            {
                if (ch is '\n' or '\r' or '\t' or '|' || char.IsWhiteSpace(ch))
                {
                    if (!lastWasSpace)
                    {
                        plain.Append(' ');
                        lastWasSpace = true;
                    }

                    continue;
                }

                if (!mark && ch is '#' or '*' or '`' or '\\')
                {
                    continue;
                }

                plain.Append(ch);
                lastWasSpace = false;
            }

            var encoded = WebUtility.HtmlEncode(plain.ToString().Replace("---", string.Empty, StringComparison.Ordinal));
            if (encoded.Length == 0)
            {
                continue;
            }

            html.Append(mark ? "<mark>" : string.Empty).Append(encoded).Append(mark ? "</mark>" : string.Empty);
        }

        return html.ToString().Trim();
    }

    private sealed record HitFacts(int MinutesId, int Number, string Title, string BodyName, string BodyNameEn, SessionKind Kind, DateTime ScheduledAtUtc);

    private static async Task<Dictionary<int, HitFacts>> FactsAsync(DeliberationDbContext db, List<int> versionIds, CancellationToken ct)
    {
        if (versionIds.Count == 0)
        {
            return [];
        }

        var rows = await (from v in db.MinutesVersions.AsNoTracking()
                          join m in db.Minutes on v.MinutesId equals m.Id
                          join s in db.Sessions on m.SessionId equals s.Id
                          where versionIds.Contains(v.Id)
                          select new { v.Id, v.MinutesId, v.Number, s.Title, BodyName = s.Body.Name, BodyNameEn = s.Body.NameEn, s.Kind, s.ScheduledAtUtc })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => new HitFacts(r.MinutesId, r.Number, r.Title, r.BodyName, r.BodyNameEn, r.Kind, r.ScheduledAtUtc));
    }

    private static DbCommand Command(DbConnection connection, string sql, string match, List<string> likeTerms)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "$match", match);
        for (var i = 0; i < likeTerms.Count; i++)
        {
            AddParameter(command, $"$like{i}", LikePattern(likeTerms[i]));
        }

        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static int RuneLength(string text) => text.EnumerateRunes().Count();
}
