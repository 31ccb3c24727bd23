using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Discussion;

/// <summary>Where a comment stands on the proposal (or amendment) it discusses.</summary>
public enum CommentStance
{
    /// <summary>支持</summary>
    Support,

    /// <summary>反对</summary>
    Oppose,

    /// <summary>中立</summary>
    Neutral,
}

/// <summary>
/// A comment in a proposal's discussion (评论), on the proposal itself or on one of its amendments, or a reply to another
/// comment of the same discussion, to any depth. The text is Markdown, shown through <see cref="SafeMarkdown"/>.
/// The author may edit it for <see cref="EditWindow"/> after posting; an edited comment says so. Moderators hide a
/// comment with a reason and can show it again; a hidden comment keeps its place in the thread.
/// </summary>
public sealed class Comment
{
    /// <summary>How long after posting the author may still edit.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(10);

    private Comment()
    {
        AuthorUserId = AuthorName = Text = string.Empty;
    }

    private Comment(int proposalId, int? amendmentId, Comment? parent, string authorUserId, string authorName, CommentStance? stance, string? text, DateTime nowUtc)
    {
        ProposalId = proposalId;
        AmendmentId = amendmentId;
        ParentId = parent?.Id;
        ThreadId = parent is null ? null : parent.ThreadId ?? parent.Id;
        Depth = parent is null ? 0 : parent.Depth + 1;
        AuthorUserId = authorUserId;
        AuthorName = Guard.RequiredText(authorName, Limits.Name, "Comment.AuthorName");
        Stance = CheckStance(stance);
        Text = CheckText(text);
        CreatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int ProposalId { get; private set; }

    /// <summary>Set when the comment discusses an amendment of the proposal rather than the proposal itself.</summary>
    public int? AmendmentId { get; private set; }

    /// <summary>The comment this one replies to; null for a comment that opens a thread.</summary>
    public int? ParentId { get; private set; }

    /// <summary>The comment that opened the thread (null for that comment itself), so a page of threads loads in one query.</summary>
    public int? ThreadId { get; private set; }

    /// <summary>0 for a thread's first comment, 1 for a reply to it, and so on.</summary>
    public int Depth { get; private set; }

    public string AuthorUserId { get; private set; }

    /// <summary>The author's display name when the comment was posted.</summary>
    public string AuthorName { get; private set; }

    public CommentStance Stance { get; private set; }

    /// <summary>Markdown, stored exactly as typed (after trimming); rendered through <see cref="SafeMarkdown"/>.</summary>
    public string Text { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When the author last edited it; shown as "edited".</summary>
    public DateTime? EditedAtUtc { get; private set; }

    public DateTime? HiddenAtUtc { get; private set; }

    public string? HiddenByUserId { get; private set; }

    public string? HiddenReason { get; private set; }

    public bool IsHidden => HiddenAtUtc is not null;

    public bool IsEdited => EditedAtUtc is not null;

    public DateTime EditableUntilUtc => CreatedAtUtc + EditWindow;

    /// <summary>Opens a thread in the discussion of <paramref name="proposal"/> (or of its amendment <paramref name="amendment"/>).</summary>
    public static Comment Post(Proposal proposal, Amendment? amendment, string authorUserId, string authorName, CommentStance? stance, string? text, DateTime nowUtc)
    {
        EnsureOpenForComments(proposal);
        if (amendment is not null && amendment.ProposalId != proposal.Id)
        {
            throw new DomainException("Comment.UnknownAmendment");
        }

        return new Comment(proposal.Id, amendment?.Id, null, authorUserId, authorName, stance, text, nowUtc);
    }

    /// <summary>
    /// Replies to <paramref name="parent"/>, which must belong to the same discussion: the same proposal and the same
    /// amendment (or none) as the reply says it is in.
    /// </summary>
    public static Comment Reply(Proposal proposal, int? amendmentId, Comment parent, string authorUserId, string authorName, CommentStance? stance, string? text, DateTime nowUtc)
    {
        EnsureOpenForComments(proposal);
        if (parent.ProposalId != proposal.Id || parent.AmendmentId != amendmentId)
        {
            throw new DomainException("Comment.ParentElsewhere");
        }

        if (parent.IsHidden)
        {
            throw new DomainException("Comment.ParentHidden");
        }

        return new Comment(proposal.Id, amendmentId, parent, authorUserId, authorName, stance, text, nowUtc);
    }

    /// <summary>A proposal is discussed once it is submitted and until it is decided, withdrawn or referred.</summary>
    public static bool IsOpenForComments(Proposal proposal) => proposal.Status != ProposalStatus.Draft && !proposal.IsClosed;

    public static void EnsureOpenForComments(Proposal proposal)
    {
        if (proposal.Status == ProposalStatus.Draft)
        {
            throw new DomainException("Comment.ProposalIsDraft");
        }

        if (proposal.IsClosed)
        {
            throw new DomainException("Comment.ProposalClosed");
        }
    }

    public bool IsAuthoredBy(string userId) => AuthorUserId == userId;

    /// <summary>The author may edit within <see cref="EditWindow"/> of posting, while the comment is shown.</summary>
    public bool CanBeEditedBy(string userId, DateTime nowUtc) => IsAuthoredBy(userId) && !IsHidden && nowUtc <= EditableUntilUtc;

    /// <summary>The author changes text and stance, within <see cref="EditWindow"/> of posting. The comment is marked edited.</summary>
    public void Edit(Proposal proposal, string userId, CommentStance? stance, string? text, DateTime nowUtc)
    {
        if (!IsAuthoredBy(userId))
        {
            throw new DomainException("Comment.NotAuthor");
        }

        if (nowUtc > EditableUntilUtc)
        {
            throw new DomainException("Comment.EditWindowPassed", (int)EditWindow.TotalMinutes);
        }

        if (IsHidden)
        {
            throw new DomainException("Comment.IsHidden");
        }

        EnsureOpenForComments(proposal);
        var newStance = CheckStance(stance);
        var newText = CheckText(text);
        if (newStance == Stance && newText == Text)
        {
            throw new DomainException("Comment.NothingChanged");
        }

        Stance = newStance;
        Text = newText;
        EditedAtUtc = nowUtc;
    }

    /// <summary>A moderator hides the comment; the reason is required and shown to the author and the moderators.</summary>
    public void Hide(string moderatorUserId, string? reason, DateTime nowUtc)
    {
        var checkedReason = Guard.RequiredText(reason, Limits.Reason, "Comment.HideReason");
        if (IsHidden)
        {
            throw new DomainException("Comment.AlreadyHidden");
        }

        HiddenAtUtc = nowUtc;
        HiddenByUserId = moderatorUserId;
        HiddenReason = checkedReason;
    }

    /// <summary>A moderator shows a hidden comment again.</summary>
    public void Unhide()
    {
        if (!IsHidden)
        {
            throw new DomainException("Comment.NotHidden");
        }

        HiddenAtUtc = null;
        HiddenByUserId = null;
        HiddenReason = null;
    }

    /// <summary>Someone other than the author reports the comment to the moderators. One report per person (unique index).</summary>
    public CommentReport Report(string reporterUserId, string? reason, DateTime nowUtc)
    {
        if (IsAuthoredBy(reporterUserId))
        {
            throw new DomainException("Comment.ReportOwn");
        }

        if (IsHidden)
        {
            throw new DomainException("Comment.IsHidden");
        }

        return new CommentReport(Id, reporterUserId, Guard.OptionalText(reason, Limits.Reason, "Comment.ReportReason"), nowUtc);
    }

    private static CommentStance CheckStance(CommentStance? stance) =>
        stance is { } s && Enum.IsDefined(s) ? s : throw new DomainException("Comment.Stance.Required");

    private static string CheckText(string? text) =>
        Guard.OptionalText(text?.Replace("\r\n", "\n", StringComparison.Ordinal), Limits.CommentText, "Comment.Text")
        ?? throw new DomainException("Comment.Text.Required");
}

/// <summary>A report of a comment to the moderators: who, why (optional), when. One per person and comment (unique index).</summary>
public sealed class CommentReport
{
    private CommentReport()
    {
        ReporterUserId = string.Empty;
    }

    internal CommentReport(int commentId, string reporterUserId, string? reason, DateTime createdAtUtc)
    {
        CommentId = commentId;
        ReporterUserId = reporterUserId;
        Reason = reason;
        CreatedAtUtc = createdAtUtc;
    }

    public int Id { get; private set; }

    public int CommentId { get; private set; }

    public string ReporterUserId { get; private set; }

    public string? Reason { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }
}
