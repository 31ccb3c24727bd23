namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>Configuration section <c>Consultations</c>.</summary>
public sealed class ConsultationOptions
{
    public const string Section = "Consultations";

    /// <summary>The bloc kinds of the "X" (the pages name them from the resources, <c>Consultation.BlocKind.*</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultBlocKinds =
        ["OwnersCommittee", "ResidentRepresentatives", "PropertyCompany", "ResidentUnits", "SocialOrganisations"];

    /// <summary>
    /// The bloc kinds a convener may choose from (<c>Consultations:BlocKinds:0</c>, …); when not configured,
    /// <see cref="DefaultBlocKinds"/>. A kind without a resource is shown as configured.
    /// </summary>
    public string[]? BlocKinds { get; set; }

    public IReadOnlyList<string> Kinds => BlocKinds is { Length: > 0 } kinds ? kinds : DefaultBlocKinds;
}
