using CommunityDeliberation.Deliberation.Shared.Identity;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>The kinds of caller every row of the matrix is tried with. "This body" is the Jiangchuan council.</summary>
public enum ActorKind
{
    /// <summary>Nobody signed in: null where a service takes <c>Actor?</c>, else an actor whose user id is no account and who has no roles.</summary>
    Anonymous,

    /// <summary><c>resident</c>: an account with the Resident role and no seat anywhere.</summary>
    Resident,

    /// <summary>A representative of this body (<c>rep007</c>…, a different one per row).</summary>
    Member,

    /// <summary><c>stakeholder</c>: a member of another body (Chengli).</summary>
    OtherMember,

    /// <summary><c>chair</c>: the chair of this body.</summary>
    Chair,

    /// <summary><c>convener</c>: the chair of another body (Chengli).</summary>
    OtherChair,

    /// <summary><c>secretary</c>: the secretary of this body.</summary>
    Secretary,

    /// <summary><c>admin</c>: the platform administrator, with no seat.</summary>
    Admin,
}

/// <summary>A set of <see cref="ActorKind"/>s, as a row states who is allowed.</summary>
[Flags]
public enum Actors
{
    None = 0,
    Anonymous = 1 << ActorKind.Anonymous,
    Resident = 1 << ActorKind.Resident,
    Member = 1 << ActorKind.Member,
    OtherMember = 1 << ActorKind.OtherMember,
    Chair = 1 << ActorKind.Chair,
    OtherChair = 1 << ActorKind.OtherChair,
    Secretary = 1 << ActorKind.Secretary,
    Admin = 1 << ActorKind.Admin,

    /// <summary>Those of this body who preside or record: its chair and its secretary.</summary>
    Secretariat = Chair | Secretary,

    /// <summary>Seats of this body with a vote: its representatives and its chair.</summary>
    Voters = Member | Chair,

    /// <summary>Every account, signed in.</summary>
    Accounts = Resident | Member | OtherMember | Chair | OtherChair | Secretary | Admin,

    Everyone = Anonymous | Accounts,
}

public static class ActorKinds
{
    public static readonly IReadOnlyList<ActorKind> All = Enum.GetValues<ActorKind>();

    public static bool Contains(this Actors set, ActorKind kind) => (set & (Actors)(1 << (int)kind)) != 0;
}

/// <summary>
/// The caller of one cell. <see cref="Actor"/> is never null (for <see cref="ActorKind.Anonymous"/> an actor without an
/// account); rows for a service method that takes <c>Actor?</c> pass <see cref="OrNull"/>, which is null for the
/// anonymous visitor.
/// </summary>
public sealed record Caller(ActorKind Kind, Actor Actor)
{
    public Actor? OrNull => Kind == ActorKind.Anonymous ? null : Actor;

    public override string ToString() => Kind.ToString();
}
