using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Proposals.Amendments;

// amendment.decided in the session log: one kind, one record per decision, each written exactly as before
// (see SessionLogEvent). All start { amendmentId, number, proposalId, decision, … }; a fixed decision is a property of
// its record, ordered after the first three.

/// <summary>What the minutes read of every shape of amendment.decided.</summary>
public interface IAmendmentDecision
{
    int AmendmentId { get; }

    int Number { get; }

    int ProposalId { get; }

    string Decision { get; }
}

/// <summary>The presiding chair took the amendment into the text: <c>{ …, decision: "accepted", version, original, proposed }</c>.</summary>
public sealed record AmendmentAcceptedEntry(
    int AmendmentId,
    int Number,
    int ProposalId,
    [property: JsonPropertyOrder(1)] int Version,
    [property: JsonPropertyOrder(1)] string Original,
    [property: JsonPropertyOrder(1)] string Proposed) : SessionLogEvent, ISessionLogEvent, IAmendmentDecision
{
    public static string Kind => AmendmentDecisions.Kind;

    [JsonPropertyOrder(0)]
    public string Decision => AmendmentDecisions.Accepted;

    public static bool Matches(JsonElement payload) => AmendmentDecisions.Is(payload, AmendmentDecisions.Accepted);
}

/// <summary>The presiding chair did not take it: <c>{ …, decision: "rejected", reason }</c> (reason null when none was given).</summary>
public sealed record AmendmentRejectedEntry(
    int AmendmentId,
    int Number,
    int ProposalId,
    [property: JsonPropertyOrder(1)] string? Reason) : SessionLogEvent, ISessionLogEvent, IAmendmentDecision
{
    public static string Kind => AmendmentDecisions.Kind;

    [JsonPropertyOrder(0)]
    public string Decision => AmendmentDecisions.Rejected;

    public static bool Matches(JsonElement payload) => AmendmentDecisions.Is(payload, AmendmentDecisions.Rejected);
}

/// <summary>The presiding chair put it to the vote: <c>{ …, decision: "putToVote", pollId }</c>.</summary>
public sealed record AmendmentPutToVoteEntry(
    int AmendmentId,
    int Number,
    int ProposalId,
    [property: JsonPropertyOrder(1)] int PollId) : SessionLogEvent, ISessionLogEvent, IAmendmentDecision
{
    public static string Kind => AmendmentDecisions.Kind;

    [JsonPropertyOrder(0)]
    public string Decision => AmendmentDecisions.PutToVote;

    public static bool Matches(JsonElement payload) => AmendmentDecisions.Is(payload, AmendmentDecisions.PutToVote);
}

/// <summary>
/// The vote's result recorded: <c>{ …, decision: "adopted" | "defeated", pollId, version }</c>, version null when
/// defeated. Listed last of the kind's shapes, it reads any other decision too.
/// </summary>
public sealed record AmendmentVotedEntry(int AmendmentId, int Number, int ProposalId, string Decision, int PollId, int? Version)
    : SessionLogEvent, ISessionLogEvent, IAmendmentDecision
{
    public static string Kind => AmendmentDecisions.Kind;
}

/// <summary>The kind of the entries above and the decisions they record.</summary>
public static class AmendmentDecisions
{
    public const string Kind = "amendment.decided";

    public const string Accepted = "accepted";

    public const string Rejected = "rejected";

    public const string PutToVote = "putToVote";

    public const string Adopted = "adopted";

    public const string Defeated = "defeated";

    internal static bool Is(JsonElement payload, string decision) =>
        payload.TryGetProperty("decision", out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(decision);
}
