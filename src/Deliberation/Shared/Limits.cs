namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>Text limits, stated in the UI next to each field and enforced by the entities.</summary>
public static class Limits
{
    public const int EndReason = 200;

    /// <summary>A body's key: lower-case letters, digits and hyphens (used by seeds and imports).</summary>
    public const int BodyKey = 100;

    /// <summary>Member list imports: file size and data rows.</summary>
    public const int ImportMaxBytes = 1024 * 1024;
    public const int ImportMaxRows = 2000;

    public const int Title = 200;
    public const int Place = 200;
    public const int AgendaItemTitle = 200;
    public const int AgendaItemDescription = 4000;
    public const int AgendaItemsPerSession = 50;
    public const int PlannedMinutesMax = 600;
    public const int Question = 500;
    public const int Name = 100;
    public const int ProposalText = 20_000;
    public const int AmendmentText = 5_000;
    public const int TopicText = 5_000;
    public const int Reason = 1_000;
    public const int Contact = 100;
    public const int CommentText = 5_000;
    public const int SpeakerRemovalReason = 500;
}
