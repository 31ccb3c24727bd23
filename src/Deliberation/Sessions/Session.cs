using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Sessions;

public enum SessionKind
{
    CouncilSession,
    PublicHearing,
    Consultation,
}

public enum SessionStatus
{
    Draft,
    Open,
    Closed,
}

/// <summary>A meeting of a body in one of its terms: a council session, a public hearing or a 1+X+1 consultation.</summary>
public sealed class Session
{
    private readonly List<AgendaItem> _agenda = [];

    private Session()
    {
        Title = Place = ChairUserId = string.Empty;
        Body = null!;
        Term = null!;
    }

    private Session(Body body, Term term, int number, SessionKind kind, string title, DateTime scheduledAtUtc, string place, string chairUserId, DateTime createdAtUtc)
    {
        Body = body;
        BodyId = body.Id;
        Term = term;
        TermId = term.Id;
        Number = number;
        Kind = kind;
        Title = Guard.RequiredText(title, Limits.Title, "Session.Title");
        Place = Guard.RequiredText(place, Limits.Place, "Session.Place");
        ScheduledAtUtc = DateTime.SpecifyKind(scheduledAtUtc, DateTimeKind.Utc);
        ChairUserId = chairUserId;
        CreatedAtUtc = createdAtUtc;
        Status = SessionStatus.Draft;
    }

    public int Id { get; private set; }

    public int BodyId { get; private set; }

    public Body Body { get; private set; }

    public int TermId { get; private set; }

    public Term Term { get; private set; }

    /// <summary>Running number of the session within its body and term.</summary>
    public int Number { get; private set; }

    public SessionKind Kind { get; private set; }

    public string Title { get; private set; }

    public DateTime ScheduledAtUtc { get; private set; }

    public string Place { get; private set; }

    public string ChairUserId { get; private set; }

    public SessionStatus Status { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? OpenedAtUtc { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    public int? CurrentAgendaItemId { get; private set; }

    public IReadOnlyList<AgendaItem> Agenda => _agenda;

    public static Session Schedule(Body body, Term term, int number, SessionKind kind, string title, DateTime scheduledAtUtc, string place, string chairUserId, DateTime nowUtc)
    {
        if (!ReferenceEquals(term.Body, body) && (body.Id == 0 || term.BodyId != body.Id))
        {
            throw new DomainException("Session.TermNotOfBody");
        }

        return new Session(body, term, number, kind, title, scheduledAtUtc, place, chairUserId, nowUtc);
    }

    public AgendaItem AddAgendaItem(string title, int plannedMinutes, string? description = null)
    {
        if (Status == SessionStatus.Closed)
        {
            throw new DomainException("Session.AlreadyClosed");
        }

        if (_agenda.Count >= Limits.AgendaItemsPerSession)
        {
            throw new DomainException("Agenda.TooManyItems", Limits.AgendaItemsPerSession);
        }

        var item = new AgendaItem(this, _agenda.Count + 1, title, plannedMinutes, description);
        _agenda.Add(item);
        return item;
    }

    public void Open(DateTime nowUtc)
    {
        if (Status != SessionStatus.Draft)
        {
            throw new DomainException(Status == SessionStatus.Open ? "Session.AlreadyOpen" : "Session.AlreadyClosed");
        }

        if (_agenda.Count == 0)
        {
            throw new DomainException("Session.NoAgenda");
        }

        Status = SessionStatus.Open;
        OpenedAtUtc = nowUtc;
        CurrentAgendaItemId = _agenda.OrderBy(a => a.Position).First().Id;
    }

    public void Close(DateTime nowUtc)
    {
        EnsureOpen();
        Status = SessionStatus.Closed;
        ClosedAtUtc = nowUtc;
    }

    public void MoveTo(int agendaItemId)
    {
        EnsureOpen();
        if (_agenda.All(a => a.Id != agendaItemId))
        {
            throw new DomainException("Agenda.UnknownItem");
        }

        CurrentAgendaItemId = agendaItemId;
    }

    public void EnsureOpen()
    {
        if (Status != SessionStatus.Open)
        {
            throw new DomainException(Status == SessionStatus.Draft ? "Session.NotOpenYet" : "Session.AlreadyClosed");
        }
    }

    public bool IsChairedBy(string userId) => ChairUserId == userId;
}
