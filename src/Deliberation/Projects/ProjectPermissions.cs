using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Projects;

/// <summary>
/// Who may do what with a joint conference's service projects (ADR 0012, ADR 0020). The conference's secretariat (those
/// who preside and its secretary, in its current term) publishes projects, confirms or declines claims and finishes
/// projects. A member unit acts through the people who hold a seat for it: a seat whose organisation is the unit, in the
/// current term of the conference or of one of its sub-conferences (<see cref="UnitSeats"/>). Reading the board needs
/// no account.
/// </summary>
public static class ProjectPermissions
{
    /// <summary>Publish projects, confirm or decline claims, finish projects: the conference's secretariat.</summary>
    public static bool MayManage(Offices conference) => conference.IsSecretariat;

    /// <summary>Claim, withdraw a claim, report progress for a unit: a person holding a seat for that unit.</summary>
    public static bool MayActFor(UnitSeats seats, int organisationId) => seats.Represents(organisationId);
}

/// <summary>The member units a person holds a seat for, in a conference and its sub-conferences (current terms, seats not ended).</summary>
public sealed record UnitSeats(string? UserId, int ConferenceId, IReadOnlySet<int> OrganisationIds)
{
    public bool Represents(int organisationId) => OrganisationIds.Contains(organisationId);
}
