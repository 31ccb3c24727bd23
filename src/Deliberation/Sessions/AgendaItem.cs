using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Sessions;

/// <summary>An item on a session's agenda, in order, with a planned duration.</summary>
public sealed class AgendaItem
{
    private AgendaItem()
    {
        Title = string.Empty;
        Session = null!;
    }

    internal AgendaItem(Session session, int position, string title, int plannedMinutes, string? description)
    {
        if (plannedMinutes is < 1 or > Limits.PlannedMinutesMax)
        {
            throw new DomainException("Agenda.PlannedMinutesOutOfRange", 1, Limits.PlannedMinutesMax);
        }

        Session = session;
        Position = position;
        Title = Guard.RequiredText(title, Limits.AgendaItemTitle, "Agenda.Title");
        Description = Guard.OptionalText(description, Limits.AgendaItemDescription, "Agenda.Description");
        PlannedMinutes = plannedMinutes;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public Session Session { get; private set; }

    public int Position { get; private set; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public int PlannedMinutes { get; private set; }
}
