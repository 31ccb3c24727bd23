
namespace CommunityDeliberation.Deliberation.Speakers;

/// <summary>
/// One request to speak as screens show it. <c>Place</c> is its place in its item's queue (1 = next) while waiting.
/// Times are UTC; <c>AllowedSeconds</c> is the limit plus extensions once the floor was given.
/// </summary>
public sealed record SpeakerTurnView(
    int RequestId, int AgendaItemId, int MembershipId, string Name, SpeakerMark Mark, SpeakerRequestStatus Status, int Place,
    DateTime RequestedAtUtc, DateTime? StartedAtUtc, DateTime? EndedAtUtc, int AllowedSeconds)
{
    public int? SpokeSeconds => StartedAtUtc is { } start && EndedAtUtc is { } end ? SpeakerRequest.SecondsBetween(start, end) : null;

    /// <summary>The instant the allowed time runs out (while speaking).</summary>
    public DateTime? EndsAtUtc => StartedAtUtc?.AddSeconds(AllowedSeconds);
}

/// <summary>
/// The speakers of a session: who has the floor, the waiting requests of every item in speaking order, and the turns
/// already taken. <c>DefaultSeconds</c> is the body's speaking time, given to each new turn.
/// </summary>
public sealed record SpeakersView(SpeakerTurnView? Floor, IReadOnlyList<SpeakerTurnView> Waiting, IReadOnlyList<SpeakerTurnView> Spoken, int DefaultSeconds)
{
    public static readonly SpeakersView Empty = new(null, [], [], 0);

    public IReadOnlyList<SpeakerTurnView> WaitingFor(int agendaItemId) => Waiting.Where(w => w.AgendaItemId == agendaItemId).ToList();

    public IReadOnlyList<SpeakerTurnView> SpokenOn(int agendaItemId) => Spoken.Where(s => s.AgendaItemId == agendaItemId).ToList();

    /// <summary>The viewer's own waiting request on an item, if any.</summary>
    public SpeakerTurnView? WaitingOf(int? membershipId, int agendaItemId) =>
        membershipId is null ? null : Waiting.FirstOrDefault(w => w.AgendaItemId == agendaItemId && w.MembershipId == membershipId);
}
