using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static CommunityDeliberation.Deliberation.Archive.ArchiveQueries;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>
/// The public archive of published minutes (ADR 0006): the list with its filters, one minutes and its versions, the diff
/// between versions, and the checks a resident can make. Read-only and anonymous, so no actor and no authorization; only
/// published versions are ever visible. Search, export and the feed are <see cref="ArchiveSearch"/>,
/// <see cref="ArchiveExport"/> and <see cref="ArchiveFeed"/>.
/// </summary>
public sealed class ArchiveReader(IDbContextFactory<DeliberationDbContext> dbFactory, IOptions<DisplayOptions> display, SessionLogSigner signer)
{
    public const int PageSize = 20;
    public const int MaxPage = 10_000;

    private readonly DisplayOptions _display = display.Value;

    public TimeZoneInfo Zone => _display.Zone;


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
        // A deferred join: the page's ids first, walking only the narrow list indexes (ArchiveListIndexes) past the
        // offset, then the rows of those 20 minutes (title, body names) — deep pages no longer read every skipped session.
        // A page in the older half is taken from the other end (oldest first, then reversed), so no page walks more than
        // half the list: the last page costs what the first does.
        var skip = (page - 1) * PageSize;
        List<int> pageIds;
        if (skip >= total)
        {
            pageIds = [];
        }
        else if (skip + (PageSize / 2) <= total / 2)
        {
            pageIds = await rows
                .OrderByDescending(r => r.Session.ScheduledAtUtc).ThenByDescending(r => r.Session.Id)
                .Select(r => r.Minutes.Id)
                .Skip(skip).Take(PageSize).ToListAsync(ct);
        }
        else
        {
            var end = total - skip;
            var start = Math.Max(0, end - PageSize);
            pageIds = await rows
                .OrderBy(r => r.Session.ScheduledAtUtc).ThenBy(r => r.Session.Id)
                .Select(r => r.Minutes.Id)
                .Skip(start).Take(end - start).ToListAsync(ct);
            pageIds.Reverse();
        }

        var details = await (from m in db.Minutes.AsNoTracking()
                             join s in db.Sessions.AsNoTracking() on m.SessionId equals s.Id
                             where pageIds.Contains(m.Id)
                             select new { MinutesId = m.Id, s.Title, BodyName = s.Body.Name, BodyNameEn = s.Body.NameEn, s.Kind, s.ScheduledAtUtc })
            .ToDictionaryAsync(r => r.MinutesId, ct);
        var pageRows = pageIds.Where(details.ContainsKey).Select(id => details[id]).ToList();

        var latest = await LatestPublishedAsync(db, pageIds, ct);
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


    /// <summary>
    /// Recomputes the session's log chain now with its signatures, checks that the version's log hash is the entry it
    /// names, and that the published head's signature checks (<see cref="LogAudit.CheckHead"/>).
    /// </summary>
    public async Task<ArchiveVerification?> VerifyAsync(int minutesId, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = await (from ver in db.MinutesVersions.AsNoTracking()
                       join m in db.Minutes on ver.MinutesId equals m.Id
                       where ver.MinutesId == minutesId && ver.Number == version && ver.PublishedAtUtc != null
                       select new { m.SessionId, ver.LogHash, ver.LogEntries, ver.ContentHash, ver.LogKeyId, ver.LogSignature }).SingleOrDefaultAsync(ct);
        if (v is null)
        {
            return null;
        }

        var entries = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == v.SessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        var chain = SessionLogChain.Verify(entries, signer);
        var inChain = v.LogEntries == 0
            ? v.LogHash == SessionLogEntry.Genesis
            : entries.Any(e => e.Sequence == v.LogEntries && e.Hash == v.LogHash);
        var headProblem = LogAudit.CheckHead(new LogHead(v.LogEntries, v.LogHash, v.LogKeyId, v.LogSignature), entries, signer);
        return new ArchiveVerification(minutesId, version, v.LogHash, v.LogEntries, v.ContentHash, chain, inChain, v.LogKeyId, v.LogSignature, headProblem);
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

    /// <summary><c>{date}-{minutesId}-v{n}.md</c>, the date being the session's day in the display time zone.</summary>
    public string FileName(int minutesId, int version, DateTime scheduledAtUtc) => ArchiveQueries.FileName(_display, scheduledAtUtc, minutesId, version);

    private (DateTime? From, DateTime? To) Range(ArchiveFilter filter)
    {
        var from = filter.FromUtc;
        var to = filter.ToUtc;
        if (filter.Year is { } year and >= 1900 and <= 2999)
        {
            var start = _display.ToUtc(new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified));
            var end = _display.ToUtc(new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified));
            from = from is { } f && f > start ? f : start;
            to = to is { } t && t < end ? t : end;
        }

        return (from, to);
    }

    private int LocalYear(DateTime utc) => _display.ToLocal(utc).Year;
}
