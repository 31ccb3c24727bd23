using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Components.Pages.Hearings;

/// <summary>
/// What a person types into a hearing's registration form. <see cref="Check"/> applies the entity's rules (Guard,
/// limits) to every field at once, so the form says everything that needs fixing in one go, each message at its field.
/// </summary>
public sealed class RegistrationForm
{
    public string? Name { get; set; }

    public ParticipantCategory Category { get; set; } = ParticipantCategory.Resident;

    public string? Affiliation { get; set; }

    public string? Contact { get; set; }

    public HearingPosition Position { get; set; } = HearingPosition.Support;

    public string? Testimony { get; set; }

    /// <summary>"Tell me when the decision is published".</summary>
    public bool NotifyOnDecision { get; set; }

    /// <summary>The input for the service; <paramref name="accountUserId"/> comes from the sign-in, never from the form.</summary>
    public RegistrationInput ToInput(string? accountUserId = null) =>
        new(Name, Category, Affiliation, Contact, Position, Testimony) { NotifyOnDecision = NotifyOnDecision, AccountUserId = accountUserId };

    /// <summary>Every problem as (property name, sentence); empty when the form can be sent.</summary>
    public IReadOnlyList<(string Field, string Message)> Check(IStringLocalizer localizer, int testimonyLimit, IReadOnlyCollection<ParticipantCategory> categories)
    {
        var problems = new List<(string, string)>();
        Field(nameof(Name), () => Guard.RequiredText(Name, Limits.Name, "Hearing.Name"));
        Field(nameof(Category), () => categories.Contains(Category) ? string.Empty : throw new DomainException("Hearing.UnknownCategory"));
        Field(nameof(Affiliation), () => Guard.RequiredText(Affiliation, HearingLimits.Affiliation, "Hearing.Affiliation"));
        Field(nameof(Contact), () => Guard.RequiredText(Contact, Limits.Contact, "Hearing.Contact"));
        Field(nameof(Position), () => Enum.IsDefined(Position) ? string.Empty : throw new DomainException("Hearing.UnknownPosition"));
        Field(nameof(Testimony), () => Guard.OptionalText(Testimony?.Replace("\r\n", "\n", StringComparison.Ordinal), testimonyLimit, "Hearing.Testimony") ?? string.Empty);
        return problems;

        void Field(string name, Func<string> check)
        {
            try
            {
                check();
            }
            catch (DomainException ex)
            {
                problems.Add((name, ErrorMessages.Describe(ex, localizer)));
            }
        }
    }
}

/// <summary>The status page's forms: the tracking code, and a written comment sent with it.</summary>
public sealed class TrackForm
{
    public string? Code { get; set; }

    public string? Comment { get; set; }
}
