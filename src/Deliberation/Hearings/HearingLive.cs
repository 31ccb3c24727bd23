using CommunityDeliberation.Deliberation.Shared.Realtime;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>Something changed at a hearing (a step, the floor): observers reload its live view once per change.</summary>
public sealed record HearingChanged(int HearingId) : LiveEvent
{
    public static string ChannelOf(int hearingId) => $"hearing:{hearingId}";

    public override string Channel => ChannelOf(HearingId);
}

/// <summary>A participant as observers see them: name, category, position.</summary>
public sealed record LiveSpeaker(string Name, ParticipantCategory Category, HearingPosition Position);

/// <summary>
/// What the public live page shows: the step, who has the floor since when and for how long (the browser counts down
/// from these), the suggested order of those present still to speak, and how many have spoken. While a panel question has
/// the floor, <see cref="Speaker"/> is the participant asked and <see cref="AskedBy"/> the panel member who asks.
/// </summary>
public sealed record HearingLiveView(
    int HearingId, string Topic, HearingStage Stage, LiveSpeaker? Speaker, DateTime? StartedAtUtc, int AllowedSeconds, IReadOnlyList<LiveSpeaker> Upcoming, int Spoken,
    string? AskedBy = null);
