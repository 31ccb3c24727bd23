namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>One notice as its reader sees it.</summary>
public sealed record NoticeView(long Id, NoticeKind Kind, string Subject, string? Detail, string Link, DateTime CreatedAtUtc, DateTime? ReadAtUtc)
{
    public bool IsUnread => ReadAtUtc is null;
}

/// <summary>A page of someone's notices, newest first, with the totals.</summary>
public sealed record NoticePage(IReadOnlyList<NoticeView> Notices, int Page, int PageCount, int Total, int Unread);
