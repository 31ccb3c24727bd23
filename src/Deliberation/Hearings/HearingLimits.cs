namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>Limits of a hearing's texts and numbers, stated next to each field and enforced by the entities.</summary>
public static class HearingLimits
{
    public const int Background = 20_000;
    public const int Affiliation = 100;

    /// <summary>The default length limit of written testimony; a hearing may set its own up to <see cref="TestimonyMax"/>.</summary>
    public const int TestimonyDefault = 3_000;
    public const int TestimonyMax = 10_000;
    public const int SeatsPerCategory = 200;
    public const int SpeakingSecondsMin = 30;
    public const int SpeakingSecondsMax = 1_800;
    public const int Summary = 2_000;
    public const int CommentText = 5_000;
    public const int IssueTitle = 200;
    public const int Response = 5_000;
    public const int Feedback = 10_000;
    public const int IssuesPerHearing = 100;

    /// <summary>The time of a panel question with its answer (the moderator may extend it like a speech).</summary>
    public const int PanelQuestionSeconds = 180;
}
