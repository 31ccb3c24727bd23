using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Hearings;

// A hearing's entries in its session's log. Each record's JSON is a stored format (see SessionLogEvent): enums as
// strings, times UTC. No contact ever goes into the log; a registration is logged without the name until selected.

/// <summary>hearing.step: <c>{ hearingId, step, text }</c> — a lifecycle step (a <see cref="HearingStage"/> name); text is the feedback or null.</summary>
public sealed record HearingStepEntry(int HearingId, string Step, string? Text) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.step";
}

/// <summary>hearing.registered: <c>{ hearingId, registrationId, category, position, testimony }</c> — testimony: whether written testimony came with it.</summary>
public sealed record HearingRegisteredEntry(int HearingId, int RegistrationId, string Category, string Position, bool Testimony) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.registered";
}

/// <summary>hearing.decided: <c>{ hearingId, registrationId, name, category, position, status, reason }</c> — selection by the secretariat.</summary>
public sealed record HearingDecidedEntry(int HearingId, int RegistrationId, string Name, string Category, string Position, string Status, string? Reason)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.decided";
}

/// <summary>hearing.drawn: <c>{ hearingId, category, seed, candidates, seats, order }</c> — a fair draw, reproducible from seed and candidates (<see cref="FairDraw"/>).</summary>
public sealed record HearingDrawnEntry(int HearingId, string Category, string Seed, IReadOnlyList<int> Candidates, int Seats, IReadOnlyList<int> Order)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.drawn";
}

/// <summary>hearing.floor: <c>{ hearingId, speechId, registrationId, name, category, position, startedAtUtc, allowedSeconds }</c>.</summary>
public sealed record HearingFloorEntry(int HearingId, int SpeechId, int RegistrationId, string Name, string Category, string Position, DateTime StartedAtUtc, int AllowedSeconds)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.floor";
}

/// <summary>hearing.extended: <c>{ hearingId, speechId, seconds, allowedSeconds }</c>.</summary>
public sealed record HearingExtendedEntry(int HearingId, int SpeechId, int Seconds, int AllowedSeconds) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.extended";
}

/// <summary>
/// hearing.spoke: <c>{ hearingId, speechId, registrationId, name, category, position, startedAtUtc, endedAtUtc, seconds, allowedSeconds, skipped }</c>
/// — a turn as spoken, or skipped (called, no floor).
/// </summary>
public sealed record HearingSpokeEntry(
    int HearingId, int SpeechId, int RegistrationId, string Name, string Category, string Position, DateTime StartedAtUtc, DateTime EndedAtUtc, int Seconds,
    int AllowedSeconds, bool Skipped) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.spoke";
}

/// <summary>hearing.summarized: <c>{ hearingId, speechId, summary }</c> — the secretary's summary of a speech (the latest counts).</summary>
public sealed record HearingSummarizedEntry(int HearingId, int SpeechId, string? Summary) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.summarized";
}

/// <summary>hearing.commented: <c>{ hearingId, commentId, name, category, position, text }</c> — a written comment.</summary>
public sealed record HearingCommentedEntry(int HearingId, int CommentId, string Name, string Category, string Position, string Text) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.commented";
}

/// <summary>hearing.commentHidden: <c>{ hearingId, commentId, reason }</c>.</summary>
public sealed record HearingCommentHiddenEntry(int HearingId, int CommentId, string Reason) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.commentHidden";
}

/// <summary>hearing.issue: <c>{ hearingId, issueId, number, title, speechIds, commentIds }</c> — an issue raised.</summary>
public sealed record HearingIssueEntry(int HearingId, int IssueId, int Number, string Title, IReadOnlyList<int> SpeechIds, IReadOnlyList<int> CommentIds)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.issue";
}

/// <summary>hearing.response: <c>{ hearingId, issueId, response }</c> — the response to an issue (the latest counts).</summary>
public sealed record HearingResponseEntry(int HearingId, int IssueId, string Response) : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.response";
}

/// <summary>hearing.checkedIn: <c>{ hearingId, registrationId, name, category, position, atUtc }</c> — a registrant checked in at the door by the secretary.</summary>
public sealed record HearingCheckedInEntry(int HearingId, int RegistrationId, string Name, string Category, string Position, DateTime AtUtc)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.checkedIn";
}

/// <summary>hearing.absent: <c>{ hearingId, speechId, registrationId, name, category, position, atUtc }</c> — a selected participant not present when called.</summary>
public sealed record HearingAbsentEntry(int HearingId, int SpeechId, int RegistrationId, string Name, string Category, string Position, DateTime AtUtc)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.absent";
}

/// <summary>
/// hearing.question: <c>{ hearingId, speechId, askedBy, registrationId, name, startedAtUtc, allowedSeconds }</c> — the floor
/// given to a panel question (askedBy asks the participant named); its end is the turn's <see cref="HearingSpokeEntry"/>.
/// </summary>
public sealed record HearingQuestionEntry(int HearingId, int SpeechId, string AskedBy, int RegistrationId, string Name, DateTime StartedAtUtc, int AllowedSeconds)
    : SessionLogEvent, ISessionLogEvent, IHearingEntry
{
    public static string Kind => "hearing.question";
}

/// <summary>Every hearing entry names its hearing (a session holds at most one, but the report reads only its own).</summary>
public interface IHearingEntry
{
    int HearingId { get; }
}
