using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// A written comment during the hearing and until the report is drafted: by a registrant (with their tracking code,
/// no account needed) or recorded by the secretariat from a letter. The secretariat may hide an off-topic one with a
/// reason, as for council comments; a hidden comment stays out of the report.
/// </summary>
public sealed class HearingComment
{
    private HearingComment()
    {
        AuthorName = Text = string.Empty;
    }

    internal HearingComment(int hearingId, int? registrationId, string? authorName, ParticipantCategory category, HearingPosition position, string? text, DateTime nowUtc)
    {
        if (!Enum.IsDefined(category))
        {
            throw new DomainException("Hearing.UnknownCategory");
        }

        if (!Enum.IsDefined(position))
        {
            throw new DomainException("Hearing.UnknownPosition");
        }

        HearingId = hearingId;
        RegistrationId = registrationId;
        AuthorName = Guard.RequiredText(authorName, Limits.Name, "Hearing.Name");
        Category = category;
        Position = position;
        Text = Guard.RequiredMultilineText(text?.Replace("\r\n", "\n", StringComparison.Ordinal), HearingLimits.CommentText, "Hearing.CommentText");
        CreatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int HearingId { get; private set; }

    public int? RegistrationId { get; private set; }

    public string AuthorName { get; private set; }

    public ParticipantCategory Category { get; private set; }

    public HearingPosition Position { get; private set; }

    /// <summary>Markdown, rendered through <see cref="SafeMarkdown"/>.</summary>
    public string Text { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public string? HiddenReason { get; private set; }

    internal void Hide(string? reason) => HiddenReason = Guard.RequiredMultilineText(reason, Limits.Reason, "Hearing.Reason");
}

/// <summary>An issue raised at the hearing: speeches and comments grouped under one title, and the response to it.</summary>
public sealed class HearingIssue
{
    private HearingIssue()
    {
        Title = string.Empty;
        SpeechIds = CommentIds = [];
    }

    internal HearingIssue(int number, string title, int[] speechIds, int[] commentIds)
    {
        Number = number;
        Title = title;
        SpeechIds = speechIds;
        CommentIds = commentIds;
    }

    public int Id { get; private set; }

    public int HearingId { get; private set; }

    /// <summary>1, 2, 3… in the order they were raised.</summary>
    public int Number { get; private set; }

    public string Title { get; private set; }

    public int[] SpeechIds { get; private set; }

    public int[] CommentIds { get; private set; }

    public string? Response { get; private set; }

    internal void Answer(string response) => Response = response;
}
