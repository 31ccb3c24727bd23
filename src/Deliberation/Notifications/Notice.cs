namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>What a notice is about; the page renders it from the resource <c>Notice.{Kind}</c> in the reader's culture.</summary>
public enum NoticeKind
{
    /// <summary>A followed ledger item changed; <see cref="Notice.Detail"/> is the <c>LedgerEntryKind</c>.</summary>
    LedgerItemChanged,

    /// <summary>The decision feedback of a hearing the person registered for (and asked to be told) was published.</summary>
    HearingFeedbackPublished,
}

/// <summary>
/// An in-app notice to one account. Stored as a kind with its arguments (the subject as written, a detail code), not
/// as a sentence, so it reads in the language of whoever opens it. Only <see cref="ReadAtUtc"/> ever changes.
/// </summary>
public sealed class Notice
{
    /// <summary>The longest subject kept (an item title or a hearing topic is cut to it).</summary>
    public const int SubjectMax = 200;

    public const int DetailMax = 64;

    public const int LinkMax = 300;

    private Notice()
    {
        UserId = Subject = Link = string.Empty;
    }

    internal Notice(string userId, NoticeKind kind, string subject, string? detail, string link, DateTime nowUtc)
    {
        if (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal) || link.Length > LinkMax)
        {
            // Links are made by the platform, never typed in: a site-relative path only, so a notice cannot send anyone elsewhere.
            throw new ArgumentException("A notice links to a path of this site.", nameof(link));
        }

        UserId = userId;
        Kind = kind;
        Subject = subject.Length > SubjectMax ? subject[..(SubjectMax - 1)] + "…" : subject;
        Detail = detail;
        Link = link;
        CreatedAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    /// <summary>The account the notice is for.</summary>
    public string UserId { get; private set; }

    public NoticeKind Kind { get; private set; }

    /// <summary>What it is about, as its author wrote it (the item's title, the hearing's topic).</summary>
    public string Subject { get; private set; }

    /// <summary>A code the page translates (for a ledger change: the kind of change), or null.</summary>
    public string? Detail { get; private set; }

    /// <summary>Where the notice leads: a path on this site.</summary>
    public string Link { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When its reader marked it read; null while unread.</summary>
    public DateTime? ReadAtUtc { get; private set; }

    public bool IsFor(string userId) => string.Equals(UserId, userId, StringComparison.Ordinal);

    /// <summary>Marks it read (once: a second time keeps the first instant).</summary>
    internal void MarkRead(DateTime nowUtc) => ReadAtUtc ??= nowUtc;
}
