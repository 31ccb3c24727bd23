using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Sessions;

public sealed record BodyOption(int Id, string Name, string NameEn, BodyKind Kind, int TermId, string TermName, string TermNameEn);

public sealed record SessionSummary(
    int Id, string Title, SessionKind Kind, SessionStatus Status, DateTime ScheduledAtUtc, string Place,
    string BodyName, string BodyNameEn, string TermName, string TermNameEn, int Number, string BodyKey);

public sealed record AgendaItemView(int Id, int Position, string Title, string? Description, int PlannedMinutes, LinkedProposal? Proposal = null);

/// <summary>The proposal an agenda item deliberates: enough to follow it from the live session.</summary>
public sealed record LinkedProposal(int Id, string Title, Proposals.ProposalStatus Status, int Version, int OpenAmendments);

public sealed record PresentMember(int MembershipId, string Name, string? Organisation, string? OrganisationEn, DateTime CheckedInAtUtc);

public sealed record PollView(
    int Id, int AgendaItemId, string Question, VoteMethod Method, Secrecy Secrecy, MajorityRule Rule,
    int MinChoices, int MaxChoices, int Seats, PollStatus Status, IReadOnlyList<string> Options,
    int Ballots, int PaperBallots, int EligibleAtOpen, VoteCount? Count, PollOutcome? Outcome, PollDecision? Decision,
    DateTime? OpenedAtUtc, DateTime? ClosesAtUtc, DateTime? ClosedAtUtc, int PresentAtClose, int MembersAtClose,
    string? AnnulmentReason, bool AnnulmentPending)
{
    public bool IsOpen => Status == PollStatus.Open;

    public bool IsFinished => Status is PollStatus.Closed or PollStatus.Published or PollStatus.Annulled;
}

/// <summary>A member whose proxy the viewer holds, and whether their ballot is in for the open vote.</summary>
public sealed record HeldProxy(int MembershipId, string Name, bool VotedInOpenPoll);

/// <summary>The viewer's own standing in the session.</summary>
public sealed record ViewerView(
    int? MembershipId, bool HasVote, bool CheckedIn, bool CanChair, bool CanRecordAttendance,
    bool VotedInOpenPoll, IReadOnlyList<int>? MySelectionsInOpenPoll,
    IReadOnlyList<HeldProxy> ProxiesHeld, string? DelegatedTo);

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
    ViewerView Viewer,
    SpeakersView Speakers);

public enum CastOutcome
{
    Accepted,

    /// <summary>This member had already voted (another tab, device or key): nothing new was stored.</summary>
    AlreadyVoted,

    /// <summary>The same idempotency key again: the earlier cast is confirmed, nothing new was stored.</summary>
    Replayed,
}

/// <summary>
/// The answer to a cast. <c>Selections</c> is what is stored (null for a secret vote cast earlier: nobody can know);
/// <c>ReceiptCode</c> is given once, to the voter of a secret ballot; <c>Count</c> only for named votes.
/// </summary>
public sealed record CastResult(CastOutcome Outcome, int MembershipId, IReadOnlyList<int>? Selections, string? ReceiptCode, int Ballots, VoteCount? Count);

public sealed record PollInput(
    int AgendaItemId, string? Question, VoteMethod Method, IReadOnlyList<string> Options, int MinChoices, int MaxChoices, int Seats,
    Secrecy Secrecy, MajorityKind Majority, MajorityBase Base, bool AbstentionsCount, int Numerator = 0, int Denominator = 0);

public sealed record RosterEntry(int MembershipId, string Name, string? Organisation, string? OrganisationEn, bool HasVote, bool Present);

/// <summary>
/// A secret vote's ballots as published after close (ADR 0016): the choices of every ballot, grouped by what they say (so
/// their order tells nothing), and, apart, the receipts of the counted ballots. A receipt proves that a ballot was
/// counted, not what it said.
/// </summary>
public sealed record PublishedSecretBallots(IReadOnlyList<PublishedChoice> Choices, IReadOnlyList<string> Receipts)
{
    public static readonly PublishedSecretBallots None = new([], []);

    /// <summary>The number of ballots.</summary>
    public int Ballots => Choices.Sum(c => c.Ballots);

    /// <summary>Whether <paramref name="receipt"/> (as a voter typed it) is among the counted ballots' receipts.</summary>
    public bool Counted(string? receipt) =>
        !string.IsNullOrWhiteSpace(receipt) && Receipts.Contains(receipt.Trim().ToUpperInvariant(), StringComparer.Ordinal);
}

/// <summary>One choice of a secret vote (option indexes; none for a blank ballot) and how many ballots made it.</summary>
public sealed record PublishedChoice(IReadOnlyList<int> Selections, int Ballots);

public enum CheckInOutcome
{
    CheckedIn,
    AlreadyCheckedIn,
}

public sealed record AgendaItemInput(string? Title, int PlannedMinutes, string? Description);

public sealed record ScheduleSessionInput(int BodyId, SessionKind Kind, string? Title, DateTime ScheduledAtUtc, string? Place, IReadOnlyList<AgendaItemInput> Agenda);

public sealed record PollPermalink(int SessionId, string SessionTitle, PollView Poll, PublishedSecretBallots SecretBallots, IReadOnlyList<NamedVote> NamedVotes);

/// <summary>Who voted what in a named vote, for the result page and the minutes.</summary>
public sealed record NamedVote(string Name, IReadOnlyList<int> Selections, bool IsProxy);
