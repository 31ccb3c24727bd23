using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies;

public enum OrganisationKind
{
    GrassrootsOrganisation,
    TeamBranch,
    ResidentUnit,
    NeighbourhoodCommittee,
    OwnersCommittee,
    PropertyCompany,
    NewOrganisation,
    GovernmentOffice,
    ThirdParty,
    School,
    Hospital,
    Enterprise,
    ArmyUnit,
    Other,
}

/// <summary>An organisation a member represents: a grassroots party organisation, a resident unit, a property company…</summary>
public sealed class Organisation
{
    private Organisation()
    {
        Key = Name = NameEn = string.Empty;
    }

    public Organisation(string key, string name, string nameEn, OrganisationKind kind)
    {
        Key = Guard.RequiredText(key, Limits.Name, "Organisation.Key");
        Name = Guard.RequiredText(name, Limits.Title, "Organisation.Name");
        NameEn = Guard.RequiredText(nameEn, Limits.Title, "Organisation.Name");
        Kind = kind;
    }

    public int Id { get; private set; }

    public string Key { get; private set; }

    public string Name { get; private set; }

    public string NameEn { get; private set; }

    public OrganisationKind Kind { get; private set; }

    public string DisplayName(bool english) => english ? NameEn : Name;
}
