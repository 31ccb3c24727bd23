using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Sessions;

// The session's own entries in its log. Each record's JSON is a stored format (see SessionLogEvent).

/// <summary>session.opened: <c>{}</c>.</summary>
public sealed record SessionOpenedEntry : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "session.opened";
}

/// <summary>session.closed: <c>{}</c>.</summary>
public sealed record SessionClosedEntry : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "session.closed";
}

/// <summary>agenda.moved: the chair took up an item. <c>{ agendaItemId, position, title }</c>.</summary>
public sealed record AgendaMovedEntry(int AgendaItemId, int Position, string Title) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "agenda.moved";
}

/// <summary>
/// attendance.checkedIn: <c>{ members: [{ id, name }], by: "self" | "secretary" }</c> — a member checking in, or the
/// secretary (or chair) checking several in at once.
/// </summary>
public sealed record CheckedInEntry(IReadOnlyList<LoggedMember> Members, string By) : SessionLogEvent, ISessionLogEvent
{
    public const string BySelf = "self";

    public const string BySecretary = "secretary";

    public static string Kind => "attendance.checkedIn";
}
