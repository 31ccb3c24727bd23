namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>Application roles (ASP.NET Core Identity roles).</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Chair = "Chair";
    public const string Secretary = "Secretary";
    public const string Representative = "Representative";
    public const string Stakeholder = "Stakeholder";
    public const string Expert = "Expert";
    public const string Resident = "Resident";

    public static readonly string[] All = [Admin, Chair, Secretary, Representative, Stakeholder, Expert, Resident];
}
