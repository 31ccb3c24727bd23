using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// One turn at a hearing: who spoke (a selected participant, with or without an account), when, for how long, and the
/// secretary's summary. A panel question is a turn too: <see cref="AskedBy"/> (a panel member or expert) asks the
/// participant of <see cref="RegistrationId"/>, who answers; it does not count as that participant's speech.
/// </summary>
public sealed class HearingSpeech
{
    private HearingSpeech()
    {
        SpeakerName = string.Empty;
    }

    internal HearingSpeech(int hearingId, HearingRegistration registration, DateTime nowUtc, int allowedSeconds)
    {
        HearingId = hearingId;
        RegistrationId = registration.Id;
        SpeakerName = registration.Name;
        Category = registration.Category;
        Position = registration.Position;
        StartedAtUtc = nowUtc;
        AllowedSeconds = allowedSeconds;
    }

    public int Id { get; private set; }

    public int HearingId { get; private set; }

    public int RegistrationId { get; private set; }

    public string SpeakerName { get; private set; }

    public ParticipantCategory Category { get; private set; }

    public HearingPosition Position { get; private set; }

    public DateTime StartedAtUtc { get; private set; }

    public DateTime? EndedAtUtc { get; private set; }

    public int AllowedSeconds { get; private set; }

    /// <summary>Who asked, when the turn is a panel question; null for a speech.</summary>
    public string? AskedBy { get; private set; }

    public bool IsPanelQuestion => AskedBy is not null;

    /// <summary>Called, but passed or was absent: no floor was given.</summary>
    public bool WasSkipped { get; private set; }

    public string? Summary { get; private set; }

    public int? SpokeSeconds => EndedAtUtc is { } end ? (int)Math.Round((end - StartedAtUtc).TotalSeconds) : null;

    internal static HearingSpeech PanelQuestion(int hearingId, HearingRegistration registration, string askedBy, DateTime nowUtc, int allowedSeconds) =>
        new(hearingId, registration, nowUtc, allowedSeconds) { AskedBy = askedBy };

    internal static HearingSpeech Skipped(int hearingId, HearingRegistration registration, DateTime nowUtc)
    {
        var speech = new HearingSpeech(hearingId, registration, nowUtc, 0) { WasSkipped = true };
        speech.EndedAtUtc = nowUtc;
        return speech;
    }

    internal void Extend(int seconds)
    {
        if (seconds is < 10 or > 600)
        {
            throw new DomainException("Hearing.ExtendOutOfRange", 10, 600);
        }

        AllowedSeconds += seconds;
    }

    internal void End(DateTime nowUtc) => EndedAtUtc = nowUtc < StartedAtUtc ? StartedAtUtc : nowUtc;

    internal void Summarize(string? summary) =>
        Summary = Guard.OptionalText(summary?.Replace("\r\n", "\n", StringComparison.Ordinal), HearingLimits.Summary, "Hearing.Summary");
}
