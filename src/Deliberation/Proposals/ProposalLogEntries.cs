using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Proposals;

// Proposals in the session log. Each record's JSON is a stored format (see SessionLogEvent).

/// <summary>
/// proposal.onAgenda: <c>{ proposalId, title, agendaItemId, position, version, coSponsors }</c> — the chair put a
/// proposal on the agenda as a new item; coSponsors are names.
/// </summary>
public sealed record ProposalOnAgendaEntry(int ProposalId, string Title, int AgendaItemId, int Position, int Version, IReadOnlyList<string> CoSponsors)
    : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "proposal.onAgenda";
}

/// <summary>What the minutes read of either shape of proposal.decided.</summary>
public interface IProposalDecision
{
    int ProposalId { get; }

    string Outcome { get; }

    int Version { get; }
}

/// <summary>
/// proposal.decided by a vote: <c>{ proposalId, title, pollId, outcome, version }</c>, outcome "Adopted" or "Rejected".
/// </summary>
public sealed record ProposalDecidedEntry(int ProposalId, string Title, int PollId, string Outcome, int Version)
    : SessionLogEvent, ISessionLogEvent, IProposalDecision
{
    public static string Kind => "proposal.decided";

    public static bool Matches(JsonElement payload) => payload.TryGetProperty("pollId", out var poll) && poll.ValueKind == JsonValueKind.Number;
}

/// <summary>
/// proposal.decided without a vote: a proposal on the agenda withdrawn or referred.
/// <c>{ proposalId, title, pollId: null, outcome, version, reason, referredTo }</c>, outcome "Withdrawn" or "Referred";
/// reason and referredTo are written as null when there is none.
/// </summary>
public sealed record ProposalLeftAgendaEntry(
    int ProposalId,
    string Title,
    [property: JsonPropertyOrder(1)] string Outcome,
    [property: JsonPropertyOrder(1)] int Version,
    [property: JsonPropertyOrder(1)] string? Reason,
    [property: JsonPropertyOrder(1)] string? ReferredTo) : SessionLogEvent, ISessionLogEvent, IProposalDecision
{
    public static string Kind => "proposal.decided";

    /// <summary>Always null (no vote decided it); written after the title, as the entry always had it.</summary>
    [JsonPropertyOrder(0)]
    public int? PollId => null;
}
