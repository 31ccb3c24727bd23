using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Speakers;

// The speakers' queue in the session log. Each record's JSON is a stored format (see SessionLogEvent). member is
// { id, name }; mark is "Pro" | "Contra" | "Question"; times are UTC.

/// <summary>speaker.requested: <c>{ requestId, agendaItemId, member, mark }</c>.</summary>
public sealed record SpeakerRequestedEntry(int RequestId, int AgendaItemId, LoggedMember Member, string Mark) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "speaker.requested";
}

/// <summary>speaker.withdrawn: <c>{ requestId, agendaItemId, member }</c> — the participant took their request back.</summary>
public sealed record SpeakerWithdrawnEntry(int RequestId, int AgendaItemId, LoggedMember Member) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "speaker.withdrawn";
}

/// <summary>speaker.moved: <c>{ requestId, agendaItemId, member, direction: "up" | "down", place }</c>.</summary>
public sealed record SpeakerMovedEntry(int RequestId, int AgendaItemId, LoggedMember Member, string Direction, int Place) : SessionLogEvent, ISessionLogEvent
{
    public const string Up = "up";

    public const string Down = "down";

    public static string Kind => "speaker.moved";
}

/// <summary>speaker.removed: <c>{ requestId, agendaItemId, member, reason }</c> — the chair took the request off (reason null when none).</summary>
public sealed record SpeakerRemovedEntry(int RequestId, int AgendaItemId, LoggedMember Member, string? Reason) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "speaker.removed";
}

/// <summary>speaker.granted: <c>{ requestId, agendaItemId, member, mark, startedAtUtc, allowedSeconds }</c>.</summary>
public sealed record SpeakerGrantedEntry(int RequestId, int AgendaItemId, LoggedMember Member, string Mark, DateTime StartedAtUtc, int AllowedSeconds)
    : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "speaker.granted";
}

/// <summary>speaker.extended: <c>{ requestId, agendaItemId, member, seconds, allowedSeconds }</c> — seconds added, and the new total.</summary>
public sealed record SpeakerExtendedEntry(int RequestId, int AgendaItemId, LoggedMember Member, int Seconds, int AllowedSeconds) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "speaker.extended";
}

/// <summary>
/// speaker.ended: <c>{ requestId, agendaItemId, member, mark, startedAtUtc, endedAtUtc, seconds, allowedSeconds, by }</c>
/// — the turn as spoken, ended by the chair, by a move to another item, or by the close of the session.
/// </summary>
public sealed record SpeakerEndedEntry(
    int RequestId, int AgendaItemId, LoggedMember Member, string Mark, DateTime StartedAtUtc, DateTime EndedAtUtc, int Seconds, int AllowedSeconds, string By)
    : SessionLogEvent, ISessionLogEvent
{
    public const string ByChair = "chair";

    public const string ByAgendaMove = "agendaMoved";

    public const string BySessionClose = "sessionClosed";

    public static string Kind => "speaker.ended";
}
