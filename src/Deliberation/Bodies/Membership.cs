using CommunityDeliberation.Deliberation.Common;

namespace CommunityDeliberation.Deliberation.Bodies;

public enum MemberRole
{
    Representative,
    Chair,
    ViceChair,
    Director,
    DeputyDirector,
    Member,
    Secretary,
    ThirdPartyAssessor,
}

/// <summary>A person's seat in one term of a body. Linked to a user account when the person signs in.</summary>
public sealed class Membership
{
    private Membership()
    {
        Name = string.Empty;
        Term = null!;
    }

    internal Membership(Term term, string name, MemberRole role, Organisation? organisation, string? userId)
    {
        Term = term;
        Name = Guard.RequiredText(name, Limits.Name, "Membership.Name");
        Role = role;
        Organisation = organisation;
        OrganisationId = organisation?.Id;
        UserId = userId;
    }

    public int Id { get; private set; }

    public int TermId { get; private set; }

    public Term Term { get; private set; }

    public string Name { get; private set; }

    public MemberRole Role { get; private set; }

    public int? OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    /// <summary>The Identity user id of the person, when they have an account.</summary>
    public string? UserId { get; private set; }

    /// <summary>Secretaries and third-party assessors take part without a vote.</summary>
    public bool HasVote => HasVoteIn(Role);

    public static bool HasVoteIn(MemberRole role) => role is not (MemberRole.Secretary or MemberRole.ThirdPartyAssessor);

    /// <summary>Roles that carry a vote, for queries that count eligible members in the database.</summary>
    public static readonly MemberRole[] VotingRoles = Enum.GetValues<MemberRole>().Where(HasVoteIn).ToArray();
}
