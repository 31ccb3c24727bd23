using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Consultations;

// A consultation's entries in its session's log. Each record's JSON is a stored format (see SessionLogEvent): enums as
// strings, times UTC. The minutes of the consultation (ConsultationMinutesSection) are written from these alone.

/// <summary>Implemented by every consultation entry.</summary>
public interface IConsultationEntry
{
    int ConsultationId { get; }
}

/// <summary>A bloc as the log keeps it: kind, name, spokesperson and members (names only).</summary>
public sealed record LoggedBloc(int BlocId, string Kind, string Name, string? Spokesperson, IReadOnlyList<string> Members);

/// <summary>consultation.opened: <c>{ consultationId, title, topic, important, source, sourceId }</c>.</summary>
public sealed record ConsultationOpenedEntry(int ConsultationId, string Title, string Topic, bool Important, string Source, int? SourceId)
    : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.opened";
}

/// <summary>consultation.round: <c>{ consultationId, round, opened, blocs }</c> — a round opened (with the blocs as they stand) or closed (blocs empty).</summary>
public sealed record ConsultationRoundEntry(int ConsultationId, int Round, bool Opened, IReadOnlyList<LoggedBloc> Blocs)
    : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.round";
}

/// <summary>consultation.position: <c>{ consultationId, blocId, bloc, version, afterRound, stance, text, by }</c>.</summary>
public sealed record ConsultationPositionEntry(int ConsultationId, int BlocId, string Bloc, int Version, int AfterRound, string Stance, string Text, string By)
    : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.position";
}

/// <summary>consultation.assessed: <c>{ consultationId, assessor, feasibility, legality, cost, risks, recommendation }</c>.</summary>
public sealed record ConsultationAssessedEntry(int ConsultationId, string Assessor, string Feasibility, string Legality, string Cost, string Risks, string Recommendation)
    : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.assessed";
}

/// <summary>consultation.deciding: <c>{ consultationId, method }</c> — the decision step opened (BlocVote or Consensus).</summary>
public sealed record ConsultationDecidingEntry(int ConsultationId, string Method) : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.deciding";
}

/// <summary>consultation.voted: <c>{ consultationId, blocId, bloc, spokesperson, choice, note }</c> — one bloc's vote.</summary>
public sealed record ConsultationVotedEntry(int ConsultationId, int BlocId, string Bloc, string Spokesperson, string Choice, string? Note)
    : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.voted";
}

/// <summary>A participant of the decision: the bloc and who spoke for it.</summary>
public sealed record LoggedParticipant(string Bloc, string Name, string? Choice);

/// <summary>A bloc's dissent.</summary>
public sealed record LoggedDissent(string Bloc, string Note);

/// <summary>A follow-up item entered with the decision.</summary>
public sealed record LoggedFollowUp(int LedgerItemId, string Title, string Owner, DateOnly DueOn, string? Area);

/// <summary>consultation.decided: <c>{ consultationId, method, adopted, decision, participants, dissent, followUps }</c>.</summary>
public sealed record ConsultationDecidedEntry(
    int ConsultationId, string Method, bool Adopted, string Decision, IReadOnlyList<LoggedParticipant> Participants, IReadOnlyList<LoggedDissent> Dissent,
    IReadOnlyList<LoggedFollowUp> FollowUps) : SessionLogEvent, ISessionLogEvent, IConsultationEntry
{
    public static string Kind => "consultation.decided";
}
