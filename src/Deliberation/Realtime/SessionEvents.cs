using System.Text.Json.Serialization;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Realtime;

/// <summary>
/// Something that happened in a live session. Events are small, self-contained and JSON-serializable
/// (type discriminator "type"), so a cross-instance transport (PostgreSQL NOTIFY) can carry them unchanged.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SessionStatusChanged), "session")]
[JsonDerivedType(typeof(AgendaMoved), "agenda")]
[JsonDerivedType(typeof(AttendanceChanged), "attendance")]
[JsonDerivedType(typeof(PollOpened), "pollOpened")]
[JsonDerivedType(typeof(TallyChanged), "tally")]
[JsonDerivedType(typeof(PollClosed), "pollClosed")]
public abstract record SessionEvent(int SessionId);

public sealed record SessionStatusChanged(int SessionId, SessionStatus Status) : SessionEvent(SessionId);

public sealed record AgendaMoved(int SessionId, int? CurrentAgendaItemId) : SessionEvent(SessionId);

public sealed record AttendanceChanged(int SessionId, int Present, int Eligible) : SessionEvent(SessionId);

public sealed record PollOpened(int SessionId, int PollId) : SessionEvent(SessionId);

/// <summary>The running count of an open named vote. <c>Tally.Cast</c> only grows, so older snapshots can be dropped.</summary>
public sealed record TallyChanged(int SessionId, int PollId, Tally Tally) : SessionEvent(SessionId);

public sealed record PollClosed(int SessionId, int PollId, Tally Tally, PollOutcome Outcome) : SessionEvent(SessionId);
