using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>What a person fills in on a hearing's public registration form.</summary>
public sealed record RegistrationInput(
    string? Name, ParticipantCategory Category, string? Affiliation, string? Contact, HearingPosition Position, string? Testimony)
{
    /// <summary>"Tell me when the decision is published" (in-app when signed in, e-mail when the contact is one and e-mail is on).</summary>
    public bool NotifyOnDecision { get; init; }

    /// <summary>The account of a registrant who is signed in (set by the page from the sign-in, never from the form).</summary>
    public string? AccountUserId { get; init; }
}

/// <summary>
/// One person's registration for a hearing, made without an account: name, category, building/unit or organisation,
/// contact (the secretariat's only), stated position, optional written testimony (Markdown), and the tracking code the
/// registrant follows the status with. One per person per hearing: <see cref="IdentityKey"/> (a keyed hash of the
/// normalised contact, <see cref="HearingIdentityKey"/>) is unique within the hearing.
/// </summary>
public sealed class HearingRegistration
{
    private HearingRegistration()
    {
        Name = Affiliation = Contact = IdentityKey = TrackingCode = string.Empty;
    }

    internal HearingRegistration(int hearingId, RegistrationInput input, int testimonyLimit, string identityKey, DateTime nowUtc)
    {
        HearingId = hearingId;
        Name = Guard.RequiredText(input.Name, Limits.Name, "Hearing.Name");
        Category = input.Category;
        Affiliation = Guard.RequiredText(input.Affiliation, HearingLimits.Affiliation, "Hearing.Affiliation");
        Contact = Guard.RequiredText(input.Contact, Limits.Contact, "Hearing.Contact");
        if (!Enum.IsDefined(input.Position))
        {
            throw new DomainException("Hearing.UnknownPosition");
        }

        Position = input.Position;
        Testimony = Guard.OptionalText(input.Testimony?.Replace("\r\n", "\n", StringComparison.Ordinal), testimonyLimit, "Hearing.Testimony");
        IdentityKey = identityKey;
        TrackingCode = NewTrackingCode();
        Status = RegistrationStatus.Registered;
        CreatedAtUtc = nowUtc;
        NotifyOnDecision = input.NotifyOnDecision;
        NotifyUserId = input.NotifyOnDecision ? input.AccountUserId : null;
    }

    public int Id { get; private set; }

    public int HearingId { get; private set; }

    public string Name { get; private set; }

    public ParticipantCategory Category { get; private set; }

    /// <summary>Building and unit (楼号/单元), or the organisation the person speaks for.</summary>
    public string Affiliation { get; private set; }

    /// <summary>Phone or e-mail: the secretariat's only, never shown publicly.</summary>
    public string Contact { get; private set; }

    /// <summary>The keyed hash of the normalised contact that makes one registration per person and hearing.</summary>
    public string IdentityKey { get; private set; }

    public HearingPosition Position { get; private set; }

    /// <summary>Written testimony submitted in advance (Markdown, rendered through <see cref="SafeMarkdown"/>).</summary>
    public string? Testimony { get; private set; }

    public string TrackingCode { get; private set; }

    public RegistrationStatus Status { get; private set; }

    /// <summary>Why the registrant was not selected (shown to them with the tracking code).</summary>
    public string? Reason { get; private set; }

    /// <summary>The place on the waiting list (1 = first), when the draw put them there.</summary>
    public int? WaitingPlace { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When the secretary checked the person in at the door (no account needed); null while not arrived.</summary>
    public DateTime? CheckedInAtUtc { get; private set; }

    public bool IsPresent => CheckedInAtUtc is not null;
    /// <summary>The registrant asked to be told when the decision feedback is published.</summary>
    public bool NotifyOnDecision { get; private set; }

    /// <summary>The account to give the in-app notice to (kept only when the registrant asked and was signed in).</summary>
    public string? NotifyUserId { get; private set; }

    /// <summary>A keyed hash of where the registration came from, for the rate limit; never shown.</summary>
    public string? SourceKey { get; private set; }

    internal void From(string sourceKey) => SourceKey = sourceKey;

    internal void CheckIn(DateTime nowUtc) => CheckedInAtUtc = nowUtc;

    internal void Decide(RegistrationStatus status, string? reason, int? waitingPlace = null)
    {
        Status = status;
        Reason = reason;
        WaitingPlace = status == RegistrationStatus.WaitingList ? waitingPlace : null;
    }

    private static string NewTrackingCode()
    {
        // 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), as for topics: easy to read out.
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return "H" + string.Create(10, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
