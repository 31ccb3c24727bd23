using System.Text.Json.Serialization;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>Names of the channels events travel on: one per session, one per proposal's discussion.</summary>
public static class LiveChannels
{
    public static string Session(int sessionId) => $"session:{sessionId}";

    public static string Proposal(int proposalId) => $"proposal:{proposalId}";
}

/// <summary>
/// Anything that screens follow live. <see cref="Channel"/> says who receives it; the transport carries it unchanged.
/// </summary>
public abstract record LiveEvent
{
    [JsonIgnore]
    public abstract string Channel { get; }
}

/// <summary>
/// Something that happened in a live session. Events are small, self-contained and JSON-serializable
/// (type discriminator "type"), so a cross-instance transport (PostgreSQL NOTIFY) can carry them unchanged.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SessionStatusChanged), "session")]
[JsonDerivedType(typeof(AgendaMoved), "agenda")]
[JsonDerivedType(typeof(AgendaChanged), "agendaChanged")]
[JsonDerivedType(typeof(AttendanceChanged), "attendance")]
[JsonDerivedType(typeof(PollOpened), "pollOpened")]
[JsonDerivedType(typeof(TallyChanged), "tally")]
[JsonDerivedType(typeof(PollClosed), "pollClosed")]
[JsonDerivedType(typeof(PollChanged), "poll")]
[JsonDerivedType(typeof(ProxiesChanged), "proxies")]
[JsonDerivedType(typeof(SpeakerQueueChanged), "speakerQueue")]
[JsonDerivedType(typeof(SpeakerStarted), "speakerStarted")]
[JsonDerivedType(typeof(SpeakerExtended), "speakerExtended")]
[JsonDerivedType(typeof(SpeakerEnded), "speakerEnded")]
public abstract record SessionEvent(int SessionId) : LiveEvent
{
    public override string Channel => LiveChannels.Session(SessionId);
}

public sealed record SessionStatusChanged(int SessionId, SessionStatus Status) : SessionEvent(SessionId);

public sealed record AgendaMoved(int SessionId, int? CurrentAgendaItemId) : SessionEvent(SessionId);

/// <summary>Items were added to the agenda, or a proposal on it changed state.</summary>
public sealed record AgendaChanged(int SessionId) : SessionEvent(SessionId);

public sealed record AttendanceChanged(int SessionId, int Present, int Eligible) : SessionEvent(SessionId);

public sealed record PollOpened(int SessionId, int PollId) : SessionEvent(SessionId);

/// <summary>
/// Participation in an open vote (ballots, electronic and paper) and, for named votes only, the running count.
/// <c>Ballots</c> only grows while a vote is open, so a screen can drop a snapshot older than the one it shows.
/// </summary>
public sealed record TallyChanged(int SessionId, int PollId, int Ballots, VoteCount? Count) : SessionEvent(SessionId);

public sealed record PollClosed(int SessionId, int PollId, PollOutcome Outcome) : SessionEvent(SessionId);

/// <summary>A vote was published or annulled, or an annulment was requested.</summary>
public sealed record PollChanged(int SessionId, int PollId, PollStatus Status) : SessionEvent(SessionId);

/// <summary>A proxy was given or revoked.</summary>
public sealed record ProxiesChanged(int SessionId) : SessionEvent(SessionId);

/// <summary>
/// Something that happened to a proposal or its discussion, for everyone viewing it (channel "proposal:{id}").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ProposalChanged), "proposal")]
[JsonDerivedType(typeof(CommentPosted), "commentPosted")]
[JsonDerivedType(typeof(CommentChanged), "commentChanged")]
public abstract record ProposalEvent(int ProposalId) : LiveEvent
{
    public override string Channel => LiveChannels.Proposal(ProposalId);
}

/// <summary>The proposal's text, state, co-sponsors or amendments changed; <c>Version</c> is its current version.</summary>
public sealed record ProposalChanged(int ProposalId, int Version) : ProposalEvent(ProposalId);

/// <summary>The speakers' queue of an agenda item changed: a request was made, withdrawn, moved or removed.</summary>
public sealed record SpeakerQueueChanged(int SessionId, int AgendaItemId) : SessionEvent(SessionId);

/// <summary>
/// The chair gave the floor. Screens count down locally from <c>StartedAtUtc</c> (server time) and <c>AllowedSeconds</c>;
/// nothing is sent while the turn runs.
/// </summary>
public sealed record SpeakerStarted(
    int SessionId, int AgendaItemId, int RequestId, int MembershipId, string Name, SpeakerMark Mark, DateTime StartedAtUtc, int AllowedSeconds)
    : SessionEvent(SessionId);

/// <summary>The chair gave the running speaker more time: <c>AllowedSeconds</c> is the new total from <c>StartedAtUtc</c>.</summary>
public sealed record SpeakerExtended(int SessionId, int AgendaItemId, int RequestId, DateTime StartedAtUtc, int AllowedSeconds) : SessionEvent(SessionId);

/// <summary>A turn ended (by the chair, or because the chair moved to another item or closed the session).</summary>
public sealed record SpeakerEnded(
    int SessionId, int AgendaItemId, int RequestId, int MembershipId, string Name, DateTime StartedAtUtc, DateTime EndedAtUtc, int SpokeSeconds, int AllowedSeconds)
    : SessionEvent(SessionId);

/// <summary>
/// A comment was posted in the proposal's discussion (<c>AmendmentId</c>: on that amendment; <c>ParentId</c>: as a reply).
/// Screens fetch the comment as their viewer may see it; <c>AuthorName</c> is for the "new comment from …" announcement.
/// </summary>
public sealed record CommentPosted(int ProposalId, int CommentId, int? AmendmentId, int? ParentId, string AuthorName) : ProposalEvent(ProposalId);

/// <summary>What happened to an existing comment.</summary>
public enum CommentChange
{
    Edited,
    Hidden,
    Unhidden,
    Reported,
}

/// <summary>A comment was edited, hidden, shown again or reported; screens showing it fetch it again.</summary>
public sealed record CommentChanged(int ProposalId, int CommentId, int? AmendmentId, CommentChange Change) : ProposalEvent(ProposalId);
