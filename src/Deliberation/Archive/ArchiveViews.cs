using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;

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

/// <summary>
/// A published version: when, why (corrections), the two hashes it can be checked against, and the chain head's
/// signature and key id (null when the log was written before signing; ADR 0015).
/// </summary>
public sealed record ArchiveVersion(int Number, string? Reason, DateTime PublishedAtUtc, string ContentHash, string LogHash, int LogEntries, string? LogKeyId, string? LogSignature);

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
    public static ArchiveSearchResult Empty { get; } = new(string.Empty, [], [], 1, ArchiveReader.PageSize, 0, false, false);
}

/// <summary>
/// The log behind a published version, checked now: the whole chain recomputed, whether the version's log hash is the
/// stored entry it claims to be, and whether the chain is intact up to that entry (<see cref="BasisIntact"/>). The chain
/// is checked with the signatures (ADR 0015); <see cref="HeadProblem"/> says what is wrong with the published head, if anything.
/// </summary>
public sealed record ArchiveVerification(
    int MinutesId, int Version, string LogHash, int LogEntries, string ContentHash, ChainVerification Chain, bool VersionHashInChain,
    string? LogKeyId, string? LogSignature, string? HeadProblem)
{
    public bool BasisIntact => VersionHashInChain && HeadProblem is null && (Chain.IsValid || Chain.BrokenAtSequence > LogEntries);

    /// <summary>The published head carries a signature and it checks under a listed key.</summary>
    public bool HeadSigned => LogSignature is not null && HeadProblem is null;
}

/// <summary>
/// The result of checking a resident's copy of the Markdown. Line breaks are normalized (CRLF → LF) and a leading byte
/// order mark dropped before hashing; when the copy lacks the final line break the file ends with, that is added and said.
/// </summary>
public sealed record MarkdownCheck(bool Matches, string ComputedHash, string PublishedHash, bool AddedFinalLineBreak, int Characters);

/// <summary>One feed entry, with the chain head the version was published with (<see cref="Head"/>, ADR 0015).</summary>
public sealed record ArchiveFeedEntry(
    string Id, string Url, int MinutesId, int Version, string Title, string BodyName, SessionKind Kind, string? Reason, DateTime ScheduledAtUtc, DateTime PublishedAtUtc,
    LogHead Head);
