using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Application;

public sealed record BodyOption(int Id, string Name, string NameEn, BodyKind Kind, int TermId, string TermName, string TermNameEn);

public sealed record SessionSummary(
    int Id, string Title, SessionKind Kind, SessionStatus Status, DateTime ScheduledAtUtc, string Place,
    string BodyName, string BodyNameEn, string TermName, string TermNameEn, int Number);

public sealed record AgendaItemView(int Id, int Position, string Title, string? Description, int PlannedMinutes);

public sealed record PresentMember(int MembershipId, string Name, string? Organisation, string? OrganisationEn, DateTime CheckedInAtUtc);

public sealed record PollView(
    int Id, int AgendaItemId, string Question, PollStatus Status, Tally Tally, int EligibleAtOpen,
    PollOutcome? Outcome, DateTime OpenedAtUtc, DateTime? ClosedAtUtc, MajorityRule Rule);

/// <summary>The viewer's own standing in the session.</summary>
public sealed record ViewerView(int? MembershipId, bool HasVote, bool CheckedIn, bool CanChair, BallotChoice? MyChoiceInOpenPoll);

public sealed record QuorumView(int Present, int Eligible, int Required, bool IsMet, int Missing);

/// <summary>Everything a live session page shows, loaded in one unit of work.</summary>
public sealed record LiveSessionView(
    SessionSummary Session,
    int? CurrentAgendaItemId,
    IReadOnlyList<AgendaItemView> Agenda,
    IReadOnlyList<PresentMember> Present,
    QuorumView Quorum,
    PollView? OpenPoll,
    IReadOnlyList<PollView> ClosedPolls,
    ViewerView Viewer);

public enum CastOutcome
{
    Accepted,
    AlreadyVoted,
}

public sealed record CastResult(CastOutcome Outcome, BallotChoice StoredChoice, Tally Tally);

public enum CheckInOutcome
{
    CheckedIn,
    AlreadyCheckedIn,
}

public sealed record AgendaItemInput(string? Title, int PlannedMinutes, string? Description);

public sealed record ScheduleSessionInput(int BodyId, SessionKind Kind, string? Title, DateTime ScheduledAtUtc, string? Place, IReadOnlyList<AgendaItemInput> Agenda);

public sealed record PollPermalink(int SessionId, string SessionTitle, string Question, PollView Poll);
