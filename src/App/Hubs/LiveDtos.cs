using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.App.Hubs;

// The hub's wire contract (docs/realtime-api.md). Its own records, so the domain can change without changing the API;
// enums are sent as their names. SignalR's JSON protocol writes them in camelCase.

public sealed record LiveSnapshotDto(
    SessionDto Session,
    int? CurrentAgendaItemId,
    IReadOnlyList<AgendaItemDto> Agenda,
    QuorumDto Quorum,
    PollDto? OpenPoll,
    IReadOnlyList<PollDto> ClosedPolls,
    ViewerDto Viewer,
    SpeakersDto Speakers)
{
    public static LiveSnapshotDto From(LiveSessionView view) => new(
        new SessionDto(view.Session.Id, view.Session.Title, view.Session.Kind.ToString(), view.Session.Status.ToString(), view.Session.ScheduledAtUtc,
            view.Session.Place, view.Session.BodyName, view.Session.BodyNameEn, view.Session.TermName, view.Session.TermNameEn, view.Session.Number),
        view.CurrentAgendaItemId,
        view.Agenda.Select(a => new AgendaItemDto(a.Id, a.Position, a.Title, a.Description, a.PlannedMinutes)).ToList(),
        new QuorumDto(view.Quorum.Present, view.Quorum.Eligible, view.Quorum.Required, view.Quorum.IsMet, view.Quorum.Missing),
        view.OpenPoll is { } open ? PollDto.From(open) : null,
        view.ClosedPolls.Select(PollDto.From).ToList(),
        new ViewerDto(view.Viewer.MembershipId, view.Viewer.HasVote, view.Viewer.CheckedIn, view.Viewer.CanChair, view.Viewer.VotedInOpenPoll,
            view.Viewer.MySelectionsInOpenPoll, view.Viewer.ProxiesHeld.Select(p => new HeldProxyDto(p.MembershipId, p.Name, p.VotedInOpenPoll)).ToList(),
            view.Viewer.DelegatedTo),
        SpeakersDto.From(view.Speakers));
}

public sealed record SessionDto(
    int Id, string Title, string Kind, string Status, DateTime ScheduledAtUtc, string Place,
    string BodyName, string BodyNameEn, string TermName, string TermNameEn, int Number);

public sealed record AgendaItemDto(int Id, int Position, string Title, string? Description, int PlannedMinutes);

public sealed record QuorumDto(int Present, int Eligible, int Required, bool IsMet, int Missing);

/// <summary><c>Counts</c> (votes per option, in option order) is null while a secret vote is open.</summary>
public sealed record PollDto(
    int Id, int AgendaItemId, string Question, string Method, string Secrecy, int MinChoices, int MaxChoices, int Seats,
    string Status, IReadOnlyList<string> Options, int Ballots, int PaperBallots, int EligibleAtOpen,
    IReadOnlyList<int>? Counts, int? BlankBallots, string? Outcome, DateTime? OpenedAtUtc, DateTime? ClosesAtUtc, DateTime? ClosedAtUtc)
{
    public static PollDto From(PollView poll) => new(
        poll.Id, poll.AgendaItemId, poll.Question, poll.Method.ToString(), poll.Secrecy.ToString(), poll.MinChoices, poll.MaxChoices, poll.Seats,
        poll.Status.ToString(), poll.Options, poll.Ballots, poll.PaperBallots, poll.EligibleAtOpen,
        poll.Count?.OptionVotes, poll.Count?.BlankBallots, poll.Outcome?.ToString(), poll.OpenedAtUtc, poll.ClosesAtUtc, poll.ClosedAtUtc);
}

public sealed record ViewerDto(
    int? MembershipId, bool HasVote, bool CheckedIn, bool CanChair, bool VotedInOpenPoll, IReadOnlyList<int>? MySelectionsInOpenPoll,
    IReadOnlyList<HeldProxyDto> ProxiesHeld, string? DelegatedTo);

public sealed record HeldProxyDto(int MembershipId, string Name, bool VotedInOpenPoll);

/// <summary>
/// The speakers of the session: who has the floor (null when nobody), the waiting requests of every agenda item in
/// speaking order (<c>place</c> 1 = next on that item), the turns already taken, and the body's speaking time in seconds.
/// </summary>
public sealed record SpeakersDto(SpeakerDto? Floor, IReadOnlyList<SpeakerDto> Waiting, IReadOnlyList<SpeakerDto> Spoken, int DefaultSeconds)
{
    public static SpeakersDto From(SpeakersView view) => new(
        view.Floor is { } floor ? SpeakerDto.From(floor) : null,
        view.Waiting.Select(SpeakerDto.From).ToList(),
        view.Spoken.Select(SpeakerDto.From).ToList(),
        view.DefaultSeconds);
}

/// <summary>
/// One request or turn. <c>Mark</c> is Pro, Contra or Question; <c>Status</c> Waiting, Speaking or Spoken. While speaking,
/// the time left is <c>allowedSeconds − (now − startedAtUtc)</c> on the server's clock (negative: overrun).
/// </summary>
public sealed record SpeakerDto(
    int RequestId, int AgendaItemId, int MembershipId, string Name, string Mark, string Status, int Place,
    DateTime? StartedAtUtc, DateTime? EndedAtUtc, int AllowedSeconds, int? SpokeSeconds)
{
    public static SpeakerDto From(SpeakerTurnView t) => new(
        t.RequestId, t.AgendaItemId, t.MembershipId, t.Name, t.Mark.ToString(), t.Status.ToString(), t.Place, t.StartedAtUtc, t.EndedAtUtc, t.AllowedSeconds, t.SpokeSeconds);
}

/// <summary>
/// The answer to <c>CastBallot</c>: <c>Outcome</c> is Accepted, Replayed (same idempotency key, nothing new stored) or
/// AlreadyVoted (this member voted before with another key, nothing new stored).
/// </summary>
public sealed record CastResultDto(
    string Outcome, int MembershipId, IReadOnlyList<int>? Selections, string? Receipt, int Ballots, IReadOnlyList<int>? Counts, int? BlankBallots)
{
    public static CastResultDto From(CastResult result) => new(
        result.Outcome.ToString(), result.MembershipId, result.Selections, result.ReceiptCode, result.Ballots, result.Count?.OptionVotes, result.Count?.BlankBallots);
}

// Server → client events, one record per SignalR method name.

public sealed record SessionEventDto(int SessionId, string Status);

public sealed record AgendaEventDto(int SessionId, int? CurrentAgendaItemId);

public sealed record AttendanceEventDto(int SessionId, int Present, int Eligible);

public sealed record PollOpenedEventDto(int SessionId, int PollId);

public sealed record TallyEventDto(int SessionId, int PollId, int Ballots, IReadOnlyList<int>? Counts, int? BlankBallots);

public sealed record PollClosedEventDto(int SessionId, int PollId, string Outcome);

public sealed record PollEventDto(int SessionId, int PollId, string Status);

public sealed record ProxiesEventDto(int SessionId);

public sealed record SpeakerQueueEventDto(int SessionId, int AgendaItemId);

public sealed record SpeakerStartedEventDto(int SessionId, int AgendaItemId, int RequestId, int MembershipId, string Name, string Mark, DateTime StartedAtUtc, int AllowedSeconds);

public sealed record SpeakerExtendedEventDto(int SessionId, int AgendaItemId, int RequestId, DateTime StartedAtUtc, int AllowedSeconds);

public sealed record SpeakerEndedEventDto(
    int SessionId, int AgendaItemId, int RequestId, int MembershipId, string Name, DateTime StartedAtUtc, DateTime EndedAtUtc, int SpokeSeconds, int AllowedSeconds);

public static class LiveEvents
{
    /// <summary>The SignalR method name and payload a session event is sent as.</summary>
    public static (string Method, object Payload) ToWire(SessionEvent sessionEvent) => sessionEvent switch
    {
        SessionStatusChanged e => ("session", new SessionEventDto(e.SessionId, e.Status.ToString())),
        AgendaMoved e => ("agenda", new AgendaEventDto(e.SessionId, e.CurrentAgendaItemId)),
        AttendanceChanged e => ("attendance", new AttendanceEventDto(e.SessionId, e.Present, e.Eligible)),
        PollOpened e => ("pollOpened", new PollOpenedEventDto(e.SessionId, e.PollId)),
        TallyChanged e => ("tally", Tally(e)),
        PollClosed e => ("pollClosed", new PollClosedEventDto(e.SessionId, e.PollId, e.Outcome.ToString())),
        PollChanged e => ("poll", new PollEventDto(e.SessionId, e.PollId, e.Status.ToString())),
        ProxiesChanged e => ("proxies", new ProxiesEventDto(e.SessionId)),
        SpeakerQueueChanged e => ("speakerQueue", new SpeakerQueueEventDto(e.SessionId, e.AgendaItemId)),
        SpeakerStarted e => ("speakerStarted", new SpeakerStartedEventDto(e.SessionId, e.AgendaItemId, e.RequestId, e.MembershipId, e.Name, e.Mark.ToString(), Utc(e.StartedAtUtc), e.AllowedSeconds)),
        SpeakerExtended e => ("speakerExtended", new SpeakerExtendedEventDto(e.SessionId, e.AgendaItemId, e.RequestId, Utc(e.StartedAtUtc), e.AllowedSeconds)),
        SpeakerEnded e => ("speakerEnded", new SpeakerEndedEventDto(e.SessionId, e.AgendaItemId, e.RequestId, e.MembershipId, e.Name, Utc(e.StartedAtUtc), Utc(e.EndedAtUtc), e.SpokeSeconds, e.AllowedSeconds)),
        _ => throw new ArgumentOutOfRangeException(nameof(sessionEvent), sessionEvent.GetType().Name, "An event the live API does not know"),
    };

    /// <summary>Times go out as UTC with a "Z", so a client in any time zone reads the same instant.</summary>
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>The service leaves the count out while a secret vote is open (TallyChanged.Count is null); so does the event.</summary>
    private static TallyEventDto Tally(TallyChanged e) => new(e.SessionId, e.PollId, e.Ballots, e.Count?.OptionVotes, e.Count?.BlankBallots);
}
