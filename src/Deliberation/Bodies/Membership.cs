using CommunityDeliberation.Deliberation.Shared;

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

/// <summary>
/// A person's seat in one term of a body. Linked to a user account when the person signs in.
/// A seat that has been used (attendance, ballots, proxies) is never deleted: it is ended (<see cref="EndSeat"/>), so the
/// record of who took part stays true, while quorum and eligibility count only seats that are still held.
/// </summary>
public sealed class Membership
{
    private Membership()
    {
        Name = string.Empty;
        Term = null!;
    }

    internal Membership(Term term, string name, MemberRole role, Organisation? organisation, string? userId)
    {
        if (!Enum.IsDefined(role))
        {
            throw new DomainException("Membership.UnknownRole");
        }

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

    /// <summary>When the seat was ended (resignation, death, recall…); null while the seat is held.</summary>
    public DateTime? EndedAtUtc { get; private set; }

    /// <summary>Why the seat was ended, as the administrator wrote it.</summary>
    public string? EndReason { get; private set; }

    /// <summary>The seat is held: it counts for quorum and may check in, vote, give and hold proxies.</summary>
    public bool IsActive => EndedAtUtc is null;

    /// <summary>Secretaries and third-party assessors take part without a vote; an ended seat has no vote.</summary>
    public bool HasVote => IsActive && HasVoteIn(Role);

    public void Rename(string name) => Name = Guard.RequiredText(name, Limits.Name, "Membership.Name");

    public void AssignRole(MemberRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw new DomainException("Membership.UnknownRole");
        }

        Role = role;
    }

    public void Represent(Organisation? organisation)
    {
        Organisation = organisation;
        OrganisationId = organisation?.Id;
    }

    /// <summary>Links the seat to an account (or unlinks it with null). The term checks that an account holds one seat.</summary>
    internal void LinkUser(string? userId) => UserId = userId;

    /// <summary>Ends the seat from now on. Its history (attendance, ballots, proxies) stays as it was.</summary>
    public void EndSeat(string? reason, DateTime nowUtc)
    {
        if (!IsActive)
        {
            throw new DomainException("Membership.AlreadyEnded");
        }

        EndReason = string.IsNullOrWhiteSpace(reason) ? null : Guard.RequiredText(reason, Limits.EndReason, "Membership.EndReason");
        EndedAtUtc = nowUtc;
    }

    /// <summary>Takes back an ended seat (ended by mistake).</summary>
    public void Reinstate()
    {
        if (IsActive)
        {
            throw new DomainException("Membership.NotEnded");
        }

        EndedAtUtc = null;
        EndReason = null;
    }

    public static bool HasVoteIn(MemberRole role) => role is not (MemberRole.Secretary or MemberRole.ThirdPartyAssessor);

    /// <summary>Roles that carry a vote, for queries that count eligible members in the database.</summary>
    public static readonly MemberRole[] VotingRoles = Enum.GetValues<MemberRole>().Where(HasVoteIn).ToArray();
}
