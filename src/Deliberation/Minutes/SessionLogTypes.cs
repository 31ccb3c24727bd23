using System.Text.Json;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// Every typed session-log entry, by feature: maps a record to the kind it is stored under and a stored kind (and
/// payload, for a kind with several shapes) back to its record. A new feature's entries are added here.
/// </summary>
public static class SessionLogTypes
{
    /// <summary>The options every payload has been written with: web defaults (camelCase), Chinese text unescaped.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Shape[] Shapes =
    [
        // Sessions
        Shape.Of<SessionOpenedEntry>(),
        Shape.Of<SessionClosedEntry>(),
        Shape.Of<AgendaMovedEntry>(),
        Shape.Of<CheckedInEntry>(),

        // Voting
        Shape.Of<ProxyGivenEntry>(),
        Shape.Of<ProxyRevokedEntry>(),
        Shape.Of<PollOpenedEntry>(),
        Shape.Of<PaperCountedEntry>(),
        Shape.Of<PollClosedEntry>(),
        Shape.Of<PollPublishedEntry>(),
        Shape.Of<AnnulmentRequestedEntry>(),
        Shape.Of<PollAnnulledEntry>(),

        // Proposals (a decision by vote, or a withdrawal or referral)
        Shape.Of<ProposalOnAgendaEntry>(),
        Shape.Of<ProposalDecidedEntry>(),
        Shape.Of<ProposalLeftAgendaEntry>(),

        // Amendments (one kind, one shape per decision; the vote's result takes the rest)
        Shape.Of<AmendmentAcceptedEntry>(),
        Shape.Of<AmendmentRejectedEntry>(),
        Shape.Of<AmendmentPutToVoteEntry>(),
        Shape.Of<AmendmentVotedEntry>(),

        // Speakers
        Shape.Of<SpeakerRequestedEntry>(),
        Shape.Of<SpeakerWithdrawnEntry>(),
        Shape.Of<SpeakerMovedEntry>(),
        Shape.Of<SpeakerRemovedEntry>(),
        Shape.Of<SpeakerGrantedEntry>(),
        Shape.Of<SpeakerExtendedEntry>(),
        Shape.Of<SpeakerEndedEntry>(),

        // Consultations
        Shape.Of<ConsultationOpenedEntry>(),
        Shape.Of<ConsultationRoundEntry>(),
        Shape.Of<ConsultationPositionEntry>(),
        Shape.Of<ConsultationAssessedEntry>(),
        Shape.Of<ConsultationDecidingEntry>(),
        Shape.Of<ConsultationVotedEntry>(),
        Shape.Of<ConsultationDecidedEntry>(),

        // Hearings
        Shape.Of<HearingStepEntry>(),
        Shape.Of<HearingRegisteredEntry>(),
        Shape.Of<HearingDecidedEntry>(),
        Shape.Of<HearingDrawnEntry>(),
        Shape.Of<HearingFloorEntry>(),
        Shape.Of<HearingExtendedEntry>(),
        Shape.Of<HearingSpokeEntry>(),
        Shape.Of<HearingSummarizedEntry>(),
        Shape.Of<HearingCommentedEntry>(),
        Shape.Of<HearingCommentHiddenEntry>(),
        Shape.Of<HearingIssueEntry>(),
        Shape.Of<HearingResponseEntry>(),
        Shape.Of<HearingCheckedInEntry>(),
        Shape.Of<HearingAbsentEntry>(),
        Shape.Of<HearingQuestionEntry>(),
    ];

    private static readonly Dictionary<Type, Shape> ByType = Shapes.ToDictionary(s => s.Type);

    private static readonly Dictionary<string, Shape[]> ByKind = Shapes.GroupBy(s => s.Kind, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The registered records, in the order above.</summary>
    public static IReadOnlyList<Type> Types { get; } = Shapes.Select(s => s.Type).ToList();

    /// <summary>The kinds, each once.</summary>
    public static IReadOnlyCollection<string> Kinds => ByKind.Keys;

    /// <summary>The kind <paramref name="entry"/> is stored under.</summary>
    public static string KindOf(SessionLogEvent entry) => ShapeOf(entry).Kind;

    /// <summary>The payload JSON of <paramref name="entry"/>, as it is stored and hashed.</summary>
    public static string Serialize(SessionLogEvent entry) => JsonSerializer.Serialize(entry, ShapeOf(entry).Type, Json);

    /// <summary>The typed entry of a stored kind and payload; null for a kind no feature registers.</summary>
    public static SessionLogEvent? Deserialize(string kind, string payloadJson)
    {
        if (!ByKind.TryGetValue(kind, out var shapes))
        {
            return null;
        }

        if (shapes.Length == 1)
        {
            return Read(shapes[0].Type, JsonSerializer.Deserialize(payloadJson, shapes[0].Type, Json), kind);
        }

        using var document = JsonDocument.Parse(payloadJson);
        var shape = shapes.FirstOrDefault(s => s.Matches(document.RootElement))
            ?? throw new InvalidDataException($"A \"{kind}\" payload matches none of its shapes: {payloadJson}");
        return Read(shape.Type, document.RootElement.Deserialize(shape.Type, Json), kind);
    }

    private static SessionLogEvent Read(Type type, object? value, string kind) =>
        value as SessionLogEvent ?? throw new InvalidDataException($"A \"{kind}\" payload did not read as {type.Name}");

    private static Shape ShapeOf(SessionLogEvent entry) =>
        ByType.GetValueOrDefault(entry.GetType())
        ?? throw new InvalidOperationException($"{entry.GetType().Name} is not a registered session-log entry (SessionLogTypes)");

    private sealed record Shape(string Kind, Type Type, Func<JsonElement, bool> Matches)
    {
        public static Shape Of<T>()
            where T : SessionLogEvent, ISessionLogEvent => new(T.Kind, typeof(T), T.Matches);
    }
}
