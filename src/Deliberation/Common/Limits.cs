namespace CommunityDeliberation.Deliberation.Common;

/// <summary>Text limits, stated in the UI next to each field and enforced by the entities.</summary>
public static class Limits
{
    public const int Title = 200;
    public const int Place = 200;
    public const int AgendaItemTitle = 200;
    public const int AgendaItemDescription = 4000;
    public const int AgendaItemsPerSession = 50;
    public const int PlannedMinutesMax = 600;
    public const int Question = 500;
    public const int Name = 100;
    public const int SpeakerRemovalReason = 500;
}
