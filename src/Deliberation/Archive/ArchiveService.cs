using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>What the archive list is narrowed to. <see cref="Year"/> is a calendar year in the display time zone.</summary>
public sealed record ArchiveFilter(int? BodyId = null, SessionKind? Kind = null, int? Year = null, DateTime? FromUtc = null, DateTime? ToUtc = null, int Page = 1);

public sealed record ArchiveBody(int Id, string Name, string NameEn);

/// <summary>One published minutes in the list: its latest published version.</summary>
public sealed record ArchiveItem(
    int MinutesId, string Title, string BodyName, string BodyNameEn, SessionKind Kind, DateTime ScheduledAtUtc, DateTime PublishedAtUtc, int Version);

public sealed record ArchivePage(
    IReadOnlyList<ArchiveItem> Items, int Page, int PageSize, int Total, IReadOnlyList<ArchiveBody> Bodies, int? FirstYear, int? LastYear)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A published version: when, why (corrections), and the two hashes it can be checked against.</summary>
public sealed record ArchiveVersion(int Number, string? Reason, DateTime PublishedAtUtc, string ContentHash, string LogHash, int LogEntries);

/// <summary>A published minutes page: the chosen version's text, every published version, and the session's facts.</summary>
public sealed record ArchiveMinutes(
    int MinutesId, int SessionId, string Title, string BodyName, string BodyNameEn, string TermName, string TermNameEn, int SessionNumber,
    SessionKind Kind, DateTime ScheduledAtUtc, string Place, ArchiveVersion Version, string Markdown, IReadOnlyList<ArchiveVersion> Versions)
{
    public int LatestNumber => Versions[^1].Number;

    public bool IsLatest => Version.Number == LatestNumber;
}

public sealed record ArchiveDiff(int MinutesId, string Title, ArchiveVersion From, ArchiveVersion To, TextDiffResult Diff);

/// <summary>A search result. <see cref="SnippetHtml"/> is HTML-encoded text with &lt;mark&gt; around the hits: safe to render.</summary>
public sealed record ArchiveSearchHit(
    int MinutesId, string Title, string BodyName, string BodyNameEn, SessionKind Kind, DateTime ScheduledAtUtc, int Version, string SnippetHtml, double Rank);

/// <summary>
/// Search results. <see cref="Total"/> is known for full-text searches; the substring fallback (terms of one or two
/// characters, or PostgreSQL) only knows whether there is a next page (<see cref="HasMore"/>).
/// </summary>
public sealed record ArchiveSearchResult(
    string Query, IReadOnlyList<string> Terms, IReadOnlyList<ArchiveSearchHit> Hits, int Page, int PageSize, int? Total, bool HasMore, bool UsedFullText)
{
    public static ArchiveSearchResult Empty { get; } = new(string.Empty, [], [], 1, ArchiveService.PageSize, 0, false, false);
}

/// <summary>
/// The log behind a published version, checked now: the whole chain recomputed, whether the version's log hash is the
/// stored entry it claims to be, and whether the chain is intact up to that entry (<see cref="BasisIntact"/>).
/// </summary>
public sealed record ArchiveVerification(int MinutesId, int Version, string LogHash, int LogEntries, string ContentHash, ChainVerification Chain, bool VersionHashInChain)
{
    public bool BasisIntact => VersionHashInChain && (Chain.IsValid || Chain.BrokenAtSequence > LogEntries);
}

/// <summary>
/// The result of checking a resident's copy of the Markdown. Line breaks are normalized (CRLF → LF) and a leading byte
/// order mark dropped before hashing; when the copy lacks the final line break the file ends with, that is added and said.
/// </summary>
public sealed record MarkdownCheck(bool Matches, string ComputedHash, string PublishedHash, bool AddedFinalLineBreak, int Characters);

public sealed record ArchiveFeedEntry(
    string Id, string Url, int MinutesId, int Version, string Title, string BodyName, SessionKind Kind, string? Reason, DateTime ScheduledAtUtc, DateTime PublishedAtUtc);

/// <summary>
/// The public archive of published minutes (ADR 0006): read-only and anonymous, so no actor and no authorization.
/// Only published versions are ever visible here. Each call uses its own short-lived context.
/// </summary>
public sealed class ArchiveService(IDbContextFactory<DeliberationDbContext> dbFactory, Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
{
    public const int PageSize = 20;
    public const int MaxQueryLength = 200;
    public const int MaxTerms = 10;
    public const int MaxPage = 10_000;
    public const int FeedSize = 50;

    /// <summary>Private-use characters that <c>snippet()</c> puts around hits; turned into &lt;mark&gt; only after encoding.</summary>
    public const char MarkStart = '\uE000';
    public const char MarkEnd = '\uE001';

    private const int SnippetTokens = 32;
    private const int LikeSnippetRadius = 30;

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(configuration?["Display:TimeZone"] ?? "Asia/Shanghai");

    public TimeZoneInfo Zone => _zone;

    // ---------------------------------------------------------------- list

    public async Task<ArchivePage> ListAsync(ArchiveFilter filter, CancellationToken ct = default)
    {
        var page = Math.Clamp(filter.Page, 1, MaxPage);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var rows = Published(db);
        if (filter.BodyId is { } bodyId)
        {
            rows = rows.Where(r => r.Session.BodyId == bodyId);
        }

        if (filter.Kind is { } kind)
        {
            rows = rows.Where(r => r.Session.Kind == kind);
        }

        var (from, to) = Range(filter);
        if (from is { } f)
        {
            rows = rows.Where(r => r.Session.ScheduledAtUtc >= f);
        }

        if (to is { } t)
        {
            rows = rows.Where(r => r.Session.ScheduledAtUtc < t);
        }

        var facets = await FacetsAsync(db, ct);
        var unfiltered = filter.BodyId is null && filter.Kind is null && from is null && to is null;
        var total = unfiltered ? facets.Total : await rows.CountAsync(ct);
        var pageRows = await rows
            .OrderByDescending(r => r.Session.ScheduledAtUtc).ThenByDescending(r => r.Session.Id)
            .Select(r => new { MinutesId = r.Minutes.Id, r.Session.Title, BodyName = r.Session.Body.Name, BodyNameEn = r.Session.Body.NameEn, r.Session.Kind, r.Session.ScheduledAtUtc })
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);

        var latest = await LatestPublishedAsync(db, pageRows.Select(r => r.MinutesId).ToList(), ct);
        var items = pageRows.Where(r => latest.ContainsKey(r.MinutesId))
            .Select(r => new ArchiveItem(r.MinutesId, r.Title, r.BodyName, r.BodyNameEn, r.Kind, Utc(r.ScheduledAtUtc), Utc(latest[r.MinutesId].PublishedAtUtc), latest[r.MinutesId].Number))
            .ToList();
        return new ArchivePage(items, page, PageSize, total, facets.Bodies, facets.FirstYear, facets.LastYear);
    }

    /// <summary>What the filter form offers and the unfiltered total, for one state of the published versions.</summary>
    private sealed record Facets(int PublishedVersions, DateTime? LastPublishedAtUtc, int Total, IReadOnlyList<ArchiveBody> Bodies, int? FirstYear, int? LastYear);

    private Facets? _facets;

    /// <summary>
    /// The bodies and years that have published minutes, and how many minutes are published, remembered until something
    /// is published: the key (number of published versions, latest publication time) is read from the PublishedAtUtc
    /// index in well under a millisecond, so every instance sees a publication at once and nothing is ever stale.
    /// </summary>
    private async Task<Facets> FacetsAsync(DeliberationDbContext db, CancellationToken ct)
    {
        var count = await db.MinutesVersions.CountAsync(v => v.PublishedAtUtc != null, ct);
        var lastPublished = await db.MinutesVersions.MaxAsync(v => v.PublishedAtUtc, ct);
        var cached = Volatile.Read(ref _facets);
        if (cached is not null && cached.PublishedVersions == count && cached.LastPublishedAtUtc == lastPublished)
        {
            return cached;
        }

        var published = Published(db);
        var total = await published.CountAsync(ct);
        var bodies = await db.Bodies.AsNoTracking().Where(b => published.Any(r => r.Session.BodyId == b.Id)).OrderBy(b => b.Kind).ThenBy(b => b.Id)
            .Select(b => new ArchiveBody(b.Id, b.Name, b.NameEn)).ToListAsync(ct);
        var first = await published.MinAsync(r => (DateTime?)r.Session.ScheduledAtUtc, ct);
        var last = await published.MaxAsync(r => (DateTime?)r.Session.ScheduledAtUtc, ct);
        var facets = new Facets(count, lastPublished, total, bodies, first is { } a ? LocalYear(a) : null, last is { } b ? LocalYear(b) : null);
        Volatile.Write(ref _facets, facets);
        return facets;
    }

    // ---------------------------------------------------------------- one minutes

    /// <summary>The latest published version (or version <paramref name="version"/> if it is published); null when there is none.</summary>
    public async Task<ArchiveMinutes?> GetAsync(int minutesId, int? version = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await PublishedVersionsAsync(db, minutesId, ct);
        if (versions.Count == 0)
        {
            return null;
        }

        var chosen = version is { } n ? versions.FirstOrDefault(v => v.View.Number == n) : versions[^1];
        if (chosen is null)
        {
            return null;
        }

        var markdown = await db.MinutesVersions.AsNoTracking().Where(v => v.Id == chosen.Id).Select(v => v.Markdown).SingleAsync(ct);
        var facts = await (from m in db.Minutes.AsNoTracking()
                           join s in db.Sessions on m.SessionId equals s.Id
                           where m.Id == minutesId
                           select new
                           {
                               SessionId = s.Id, s.Title, BodyName = s.Body.Name, BodyNameEn = s.Body.NameEn, TermName = s.Term.Name, TermNameEn = s.Term.NameEn,
                               s.Number, s.Kind, s.ScheduledAtUtc, s.Place,
                           }).SingleAsync(ct);
        return new ArchiveMinutes(
            minutesId, facts.SessionId, facts.Title, facts.BodyName, facts.BodyNameEn, facts.TermName, facts.TermNameEn, facts.Number, facts.Kind,
            Utc(facts.ScheduledAtUtc), facts.Place, chosen.View, markdown, versions.Select(v => v.View).ToList());
    }

    /// <summary>A line diff (refined to characters in changed lines) between two published versions; null when either is not published.</summary>
    public async Task<ArchiveDiff?> DiffAsync(int minutesId, int fromVersion, int toVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await PublishedVersionsAsync(db, minutesId, ct);
        var from = versions.FirstOrDefault(v => v.View.Number == fromVersion);
        var to = versions.FirstOrDefault(v => v.View.Number == toVersion);
        if (from is null || to is null)
        {
            return null;
        }

        var texts = await db.MinutesVersions.AsNoTracking().Where(v => v.Id == from.Id || v.Id == to.Id).Select(v => new { v.Id, v.Markdown }).ToDictionaryAsync(v => v.Id, v => v.Markdown, ct);
        var title = await (from m in db.Minutes join s in db.Sessions on m.SessionId equals s.Id where m.Id == minutesId select s.Title).SingleAsync(ct);
        return new ArchiveDiff(minutesId, title, from.View, to.View, TextDiff.Lines(texts[from.Id], texts[to.Id]));
    }

    // ---------------------------------------------------------------- verification

    /// <summary>Recomputes the session's log chain now and checks that the version's log hash is the entry it names.</summary>
    public async Task<ArchiveVerification?> VerifyAsync(int minutesId, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = await (from ver in db.MinutesVersions.AsNoTracking()
                       join m in db.Minutes on ver.MinutesId equals m.Id
                       where ver.MinutesId == minutesId && ver.Number == version && ver.PublishedAtUtc != null
                       select new { m.SessionId, ver.LogHash, ver.LogEntries, ver.ContentHash }).SingleOrDefaultAsync(ct);
        if (v is null)
        {
            return null;
        }

        var entries = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == v.SessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        var chain = SessionLogChain.Verify(entries);
        var inChain = v.LogEntries == 0
            ? v.LogHash == SessionLogEntry.Genesis
            : entries.Any(e => e.Sequence == v.LogEntries && e.Hash == v.LogHash);
        return new ArchiveVerification(minutesId, version, v.LogHash, v.LogEntries, v.ContentHash, chain, inChain);
    }

    /// <summary>
    /// Does SHA-256 of <paramref name="uploadedText"/> (UTF-8, CRLF normalized to LF, leading BOM dropped) equal the published
    /// content hash of the version? Null when the version is not published.
    /// </summary>
    public async Task<MarkdownCheck?> CheckMarkdownAsync(int minutesId, int version, string? uploadedText, CancellationToken ct = default)
    {
        var text = NormalizeUpload(uploadedText ?? string.Empty);
        if (text.Length > SessionMinutes.MarkdownMax)
        {
            throw new DomainException("Archive.Check.TooLong", SessionMinutes.MarkdownMax, text.Length);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainException("Archive.Check.Required");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var published = await db.MinutesVersions.AsNoTracking()
            .Where(v => v.MinutesId == minutesId && v.Number == version && v.PublishedAtUtc != null)
            .Select(v => v.ContentHash).SingleOrDefaultAsync(ct);
        return published is null ? null : CheckMarkdown(published, text);
    }

    /// <summary>The comparison itself, for a known published hash.</summary>
    public static MarkdownCheck CheckMarkdown(string publishedHash, string uploadedText)
    {
        var text = NormalizeUpload(uploadedText);
        var hash = MinutesVersion.HashOf(text);
        if (hash == publishedHash || text.EndsWith('\n'))
        {
            return new MarkdownCheck(hash == publishedHash, hash, publishedHash, false, text.Length);
        }

        // Copying a file's text usually drops its final line break; the published file ends with one.
        var withBreak = MinutesVersion.HashOf(text + "\n");
        return withBreak == publishedHash
            ? new MarkdownCheck(true, withBreak, publishedHash, true, text.Length + 1)
            : new MarkdownCheck(false, hash, publishedHash, false, text.Length);
    }

    public static string NormalizeUpload(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return normalized.Length > 0 && normalized[0] == '\uFEFF' ? normalized[1..] : normalized;
    }

    // ---------------------------------------------------------------- search

    /// <summary>
    /// Searches the latest published version of every minutes. Terms are separated by spaces and all must occur. The
    /// query is never passed to the database as syntax: each term becomes a quoted FTS5 string (or an escaped LIKE pattern).
    /// On SQLite, terms of three or more characters use the trigram index; one- and two-character terms are matched as
    /// substrings. On other providers every term is matched as a substring.
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
        var facts = await FactsAsync(db, rows, ct);
        var texts = await db.MinutesVersions.AsNoTracking().Where(v => rows.Contains(v.Id)).Select(v => new { v.Id, v.Markdown }).ToDictionaryAsync(v => v.Id, v => v.Markdown, ct);
        var hits = rows.Where(facts.ContainsKey)
            .Select(id =>
            {
                var x = facts[id];
                return new ArchiveSearchHit(x.MinutesId, x.Title, x.BodyName, x.BodyNameEn, x.Kind, Utc(x.ScheduledAtUtc), x.Number, CutSnippet(texts[id], terms), 0);
            })
            .ToList();
        return new ArchiveSearchResult(text, terms, hits, page, PageSize, null, hasMore, false);
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

    // ---------------------------------------------------------------- export and feed

    /// <summary>
    /// Writes a zip of the latest published version of every minutes (<c>{date}-{id}-v{n}.md</c>), an <c>index.md</c> table
    /// and a <c>SHA256SUMS</c> file (for <c>sha256sum -c</c>), streaming one minutes at a time from one query.
    /// </summary>
    public async Task ExportZipAsync(Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = LatestPublishedVersions(db);
        var query = from v in latest
                    join m in db.Minutes on v.MinutesId equals m.Id
                    join s in db.Sessions on m.SessionId equals s.Id
                    select new { v.MinutesId, v.Number, v.Markdown, v.ContentHash, s.Title, BodyName = s.Body.Name, s.ScheduledAtUtc, v.PublishedAtUtc };

        var index = new List<(string Date, string Body, string Title, string File, string Hash, int MinutesId, int Number)>();

        // ZipArchive still writes synchronously when an entry is closed; HTTP response bodies refuse synchronous writes.
        // So the archive writes into a small buffer that is drained to the output asynchronously after every entry: the
        // zip is streamed one minutes at a time, never held whole in memory.
        var chunk = new ChunkStream(output);
        var zip = await ZipArchive.CreateAsync(chunk, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await foreach (var row in query.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var date = LocalDate(row.ScheduledAtUtc);
            var file = FileName(date, row.MinutesId, row.Number);
            var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(Utc(row.PublishedAtUtc ?? row.ScheduledAtUtc));
            await using (var stream = await entry.OpenAsync(ct))
            {
                await stream.WriteAsync(utf8.GetBytes(row.Markdown), ct);
            }

            await chunk.DrainAsync(ct);
            index.Add((date, row.BodyName, row.Title, file, row.ContentHash, row.MinutesId, row.Number));
        }

        var md = new StringBuilder();
        md.Append("# 公开纪要 · Published minutes\n\n");
        md.Append(CultureInfo.InvariantCulture, $"导出时间 Exported: {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} · 共 {index.Count} 份纪要 · {index.Count} minutes\n\n");
        md.Append("每个文件的 SHA-256 与网站上公布的内容哈希一致;可用 `sha256sum -c SHA256SUMS` 核对。\n");
        md.Append("Each file's SHA-256 equals the content hash published on the site; check them all with `sha256sum -c SHA256SUMS`.\n\n");
        md.Append("| 日期 Date | 议事机构 Body | 标题 Title | 文件 File | SHA-256 |\n|---|---|---|---|---|\n");
        var sums = new StringBuilder();
        // Rows arrive in storage order (no ORDER BY, so SQLite never sorts the texts); the index is sorted by date here.
        foreach (var x in index.OrderBy(x => x.Date, StringComparer.Ordinal).ThenBy(x => x.MinutesId))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {x.Date} | {MinutesGenerator.Escape(x.Body)} | {MinutesGenerator.Escape(x.Title)} | [{x.File}]({x.File}) | `{x.Hash}` |\n");
            sums.Append(CultureInfo.InvariantCulture, $"{x.Hash}  {x.File}\n");
        }

        await WriteEntryAsync(zip, "index.md", md.ToString(), utf8, ct);
        await chunk.DrainAsync(ct);
        await WriteEntryAsync(zip, "SHA256SUMS", sums.ToString(), utf8, ct);
        await zip.DisposeAsync();
        await chunk.DrainAsync(ct);
        await output.FlushAsync(ct);
    }

    /// <summary>A write-only, unseekable buffer in front of the real output, emptied asynchronously by <see cref="DrainAsync"/>.</summary>
    private sealed class ChunkStream(Stream output) : Stream
    {
        private readonly MemoryStream _buffer = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public async Task DrainAsync(CancellationToken ct)
        {
            if (_buffer.Length > 0)
            {
                await output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
                _buffer.SetLength(0);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _buffer.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _buffer.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

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
                          select new { v.MinutesId, v.Number, v.Reason, v.PublishedAtUtc, s.Title, BodyName = s.Body.Name, s.Kind, s.ScheduledAtUtc })
            .ToListAsync(ct);
        return rows.OrderByDescending(r => r.PublishedAtUtc).ThenByDescending(r => r.MinutesId).ThenByDescending(r => r.Number)
            .Select(r => new ArchiveFeedEntry(
                $"tag:{host},2026:minutes/{r.MinutesId}/v{r.Number}",
                $"{root}/archive/{r.MinutesId}?v={r.Number}",
                r.MinutesId, r.Number, r.Title, r.BodyName, r.Kind, r.Reason, Utc(r.ScheduledAtUtc), Utc(r.PublishedAtUtc!.Value)))
            .ToList();
    }

    /// <summary><c>{date}-{minutesId}-v{n}.md</c>, the date being the session's day in the display time zone.</summary>
    public string FileName(int minutesId, int version, DateTime scheduledAtUtc) => FileName(LocalDate(scheduledAtUtc), minutesId, version);

    // ---------------------------------------------------------------- helpers

    private static string FileName(string date, int minutesId, int version) => FormattableString.Invariant($"{date}-{minutesId}-v{version}.md");

    private static async Task WriteEntryAsync(ZipArchive zip, string name, string text, Encoding encoding, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(ct);
        await stream.WriteAsync(encoding.GetBytes(text), ct);
    }

    private sealed class PublishedRow
    {
        public required SessionMinutes Minutes { get; init; }

        public required Session Session { get; init; }
    }

    /// <summary>
    /// Minutes with at least one published version, with their session. Decided without reading the versions' rows (whose
    /// Markdown makes them long) but from the minutes' status and the (MinutesId, Number) index, by the workflow's rule
    /// (<see cref="Minutes"/>): a new version is only started after the previous one was published, so every version but
    /// the working one is published, and the working one is published exactly when the status is Published. Hence
    /// "has a published version" ⇔ status Published or more than one version. (Which version is the latest published one
    /// is read from the versions themselves, for the rows shown.)
    /// </summary>
    private static IQueryable<PublishedRow> Published(DeliberationDbContext db) =>
        from m in db.Minutes.AsNoTracking()
        join s in db.Sessions.AsNoTracking() on m.SessionId equals s.Id
        where m.Status == MinutesStatus.Published || db.MinutesVersions.Any(v => v.MinutesId == m.Id && v.Number > 1)
        select new PublishedRow { Minutes = m, Session = s };

    /// <summary>For each minutes, its latest published version.</summary>
    private static IQueryable<MinutesVersion> LatestPublishedVersions(DeliberationDbContext db) =>
        db.MinutesVersions.AsNoTracking().Where(v => v.PublishedAtUtc != null
            && !db.MinutesVersions.Any(w => w.MinutesId == v.MinutesId && w.Number > v.Number && w.PublishedAtUtc != null));

    private static async Task<Dictionary<int, (int Number, DateTime PublishedAtUtc)>> LatestPublishedAsync(DeliberationDbContext db, List<int> minutesIds, CancellationToken ct)
    {
        var rows = await db.MinutesVersions.AsNoTracking().Where(v => minutesIds.Contains(v.MinutesId) && v.PublishedAtUtc != null)
            .Select(v => new { v.MinutesId, v.Number, v.PublishedAtUtc }).ToListAsync(ct);
        return rows.GroupBy(r => r.MinutesId).ToDictionary(g => g.Key, g =>
        {
            var latest = g.MaxBy(r => r.Number)!;
            return (latest.Number, latest.PublishedAtUtc!.Value);
        });
    }

    private sealed record VersionRow(int Id, ArchiveVersion View);

    private static async Task<List<VersionRow>> PublishedVersionsAsync(DeliberationDbContext db, int minutesId, CancellationToken ct)
    {
        var rows = await db.MinutesVersions.AsNoTracking().Where(v => v.MinutesId == minutesId && v.PublishedAtUtc != null).OrderBy(v => v.Number)
            .Select(v => new { v.Id, v.Number, v.Reason, v.PublishedAtUtc, v.ContentHash, v.LogHash, v.LogEntries })
            .ToListAsync(ct);
        return rows.Select(r => new VersionRow(r.Id, new ArchiveVersion(r.Number, r.Reason, Utc(r.PublishedAtUtc!.Value), r.ContentHash, r.LogHash, r.LogEntries))).ToList();
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

    private (DateTime? From, DateTime? To) Range(ArchiveFilter filter)
    {
        var from = filter.FromUtc;
        var to = filter.ToUtc;
        if (filter.Year is { } year and >= 1900 and <= 2999)
        {
            var start = TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), _zone);
            var end = TimeZoneInfo.ConvertTimeToUtc(new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), _zone);
            from = from is { } f && f > start ? f : start;
            to = to is { } t && t < end ? t : end;
        }

        return (from, to);
    }

    private int LocalYear(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(Utc(utc), _zone).Year;

    private string LocalDate(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(Utc(utc), _zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static int RuneLength(string text) => text.EnumerateRunes().Count();
}
