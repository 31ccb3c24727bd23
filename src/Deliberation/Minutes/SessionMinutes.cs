using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Minutes;

public enum MinutesStatus
{
    /// <summary>Generated or being edited by the secretary.</summary>
    Draft,

    /// <summary>Sent to the attendees, who may file correction requests.</summary>
    Circulated,

    /// <summary>Approved by the chair; ready to publish.</summary>
    Approved,

    /// <summary>The working version is published and frozen.</summary>
    Published,
}

/// <summary>
/// The minutes of one session: draft → edited → circulated (attendees file corrections) → approved by the chair →
/// published. A published version never changes; a correction starts a new version with a reason, which goes through
/// approval and publication again while the earlier published version stays public.
/// </summary>
public sealed class SessionMinutes
{
    public const int MarkdownMax = 200_000;
    public const int ReasonMax = 1000;

    private readonly List<MinutesVersion> _versions = [];
    private readonly List<CorrectionRequest> _corrections = [];

    private SessionMinutes()
    {
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public MinutesStatus Status { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public string? ApprovedByUserId { get; private set; }

    public IReadOnlyList<MinutesVersion> Versions => _versions;

    public IReadOnlyList<CorrectionRequest> Corrections => _corrections;

    /// <summary>The version being worked on (the latest one).</summary>
    public MinutesVersion Working => _versions.OrderByDescending(v => v.Number).First();

    public MinutesVersion? LatestPublished => _versions.Where(v => v.PublishedAtUtc is not null).OrderByDescending(v => v.Number).FirstOrDefault();

    public static SessionMinutes Generate(int sessionId, string markdown, LogHead head, string userId, DateTime nowUtc)
    {
        var minutes = new SessionMinutes { SessionId = sessionId, Status = MinutesStatus.Draft, CreatedAtUtc = nowUtc };
        minutes._versions.Add(new MinutesVersion(1, markdown, null, head, userId, nowUtc));
        return minutes;
    }

    /// <summary>The secretary edits the working version (before it is published).</summary>
    public void Edit(string? markdown, string userId, DateTime nowUtc)
    {
        if (Status is MinutesStatus.Approved or MinutesStatus.Published)
        {
            throw new DomainException(Status == MinutesStatus.Published ? "Minutes.PublishedIsFrozen" : "Minutes.AlreadyApproved");
        }

        Working.Replace(CheckText(markdown), userId, nowUtc);
    }

    public void Circulate()
    {
        if (Status != MinutesStatus.Draft)
        {
            throw new DomainException("Minutes.NotDraft");
        }

        Status = MinutesStatus.Circulated;
    }

    public CorrectionRequest RequestCorrection(int membershipId, string memberName, string? text, DateTime nowUtc)
    {
        if (Status != MinutesStatus.Circulated)
        {
            throw new DomainException("Minutes.NotCirculated");
        }

        var request = new CorrectionRequest(Working.Number, membershipId, memberName, Guard.RequiredText(text?.Replace('\n', ' ').Replace('\r', ' '), 2000, "Correction.Text"), nowUtc);
        _corrections.Add(request);
        return request;
    }

    public void Approve(string chairUserId)
    {
        if (Status is not (MinutesStatus.Draft or MinutesStatus.Circulated))
        {
            throw new DomainException(Status == MinutesStatus.Published ? "Minutes.PublishedIsFrozen" : "Minutes.AlreadyApproved");
        }

        if (_corrections.Any(c => c.VersionNumber == Working.Number && c.Resolution is null))
        {
            throw new DomainException("Minutes.OpenCorrections", _corrections.Count(c => c.VersionNumber == Working.Number && c.Resolution is null));
        }

        Status = MinutesStatus.Approved;
        ApprovedByUserId = chairUserId;
    }

    public MinutesVersion Publish(DateTime nowUtc)
    {
        if (Status != MinutesStatus.Approved)
        {
            throw new DomainException(Status == MinutesStatus.Published ? "Minutes.AlreadyPublished" : "Minutes.NotApproved");
        }

        Working.MarkPublished(nowUtc);
        Status = MinutesStatus.Published;
        return Working;
    }

    /// <summary>After publication: a new working version, copied from the published text, with the reason for it.</summary>
    public MinutesVersion StartCorrection(string? reason, string userId, DateTime nowUtc)
    {
        if (Status != MinutesStatus.Published)
        {
            throw new DomainException("Minutes.NotPublished");
        }

        var published = Working;
        var version = new MinutesVersion(published.Number + 1, published.Markdown, Guard.RequiredText(reason, ReasonMax, "Minutes.Reason"), published.Head, userId, nowUtc);
        _versions.Add(version);
        Status = MinutesStatus.Draft;
        ApprovedByUserId = null;
        return version;
    }

    private static string CheckText(string? markdown)
    {
        var text = (markdown ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainException("Minutes.Text.Required");
        }

        if (text.Length > MarkdownMax)
        {
            throw new DomainException("Minutes.Text.TooLong", MarkdownMax, text.Length);
        }

        return text;
    }
}

/// <summary>One version of the minutes text, with the hash of the log it was generated from and of its own text.</summary>
public sealed class MinutesVersion
{
    private MinutesVersion()
    {
        Markdown = LogHash = ContentHash = CreatedByUserId = string.Empty;
    }

    internal MinutesVersion(int number, string markdown, string? reason, LogHead head, string userId, DateTime nowUtc)
    {
        Number = number;
        Reason = reason;
        LogHash = head.Hash;
        LogEntries = head.Entries;
        LogKeyId = head.KeyId;
        LogSignature = head.Signature;
        Markdown = markdown;
        ContentHash = HashOf(markdown);
        CreatedByUserId = userId;
        CreatedAtUtc = UpdatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int MinutesId { get; private set; }

    public int Number { get; private set; }

    public string Markdown { get; private set; }

    /// <summary>Why this version exists (corrections after publication).</summary>
    public string? Reason { get; private set; }

    /// <summary>The hash of the last log entry when the minutes were generated: the log they stand on.</summary>
    public string LogHash { get; private set; }

    public int LogEntries { get; private set; }

    /// <summary>The key id of the head entry's signature (null for a log written before signing).</summary>
    public string? LogKeyId { get; private set; }

    /// <summary>The head entry's signature, published with the minutes and in the feed (ADR 0015).</summary>
    public string? LogSignature { get; private set; }

    /// <summary>The chain head these minutes stand on.</summary>
    public LogHead Head => new(LogEntries, LogHash, LogKeyId, LogSignature);

    /// <summary>SHA-256 of the UTF-8 Markdown: a downloaded .md can be checked against it.</summary>
    public string ContentHash { get; private set; }

    public string CreatedByUserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    public DateTime? PublishedAtUtc { get; private set; }

    public static string HashOf(string markdown) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(markdown)));

    internal void Replace(string markdown, string userId, DateTime nowUtc)
    {
        if (PublishedAtUtc is not null)
        {
            throw new DomainException("Minutes.PublishedIsFrozen");
        }

        Markdown = markdown;
        ContentHash = HashOf(markdown);
        CreatedByUserId = userId;
        UpdatedAtUtc = nowUtc;
    }

    internal void MarkPublished(DateTime nowUtc) => PublishedAtUtc = nowUtc;
}

/// <summary>An attendee's request to correct circulated minutes, and how the secretary resolved it.</summary>
public sealed class CorrectionRequest
{
    private CorrectionRequest()
    {
        MemberName = Text = string.Empty;
    }

    internal CorrectionRequest(int versionNumber, int membershipId, string memberName, string text, DateTime nowUtc)
    {
        VersionNumber = versionNumber;
        MembershipId = membershipId;
        MemberName = memberName;
        Text = text;
        CreatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int MinutesId { get; private set; }

    public int VersionNumber { get; private set; }

    public int MembershipId { get; private set; }

    public string MemberName { get; private set; }

    public string Text { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>Accepted (worked into the text) or declined, with a note the member can read.</summary>
    public string? Resolution { get; private set; }

    public bool? Accepted { get; private set; }

    public void Resolve(bool accepted, string? note)
    {
        if (Resolution is not null)
        {
            throw new DomainException("Correction.AlreadyResolved");
        }

        Accepted = accepted;
        Resolution = Guard.OptionalText(note, 1000, "Correction.Note") ?? (accepted ? "accepted" : "declined");
    }
}
