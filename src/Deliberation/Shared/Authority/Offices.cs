using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared.Identity;

namespace CommunityDeliberation.Deliberation.Shared.Authority;

/// <summary>
/// What one person holds in one term of one body: the office of their seat, if they hold a seat that has not ended.
/// Every "may this person do X here?" question of a feature's permissions type is answered from this, never from the
/// platform-wide Identity roles (ADR 0012). The platform Admin role manages bodies and accounts; it is carried here only
/// so that the bodies feature can ask for it — it grants no office in any body.
/// </summary>
public sealed record Offices(string? UserId, bool IsPlatformAdmin, int BodyId, int TermId, int? MembershipId, MemberRole? Role)
{
    /// <summary>Nobody: an anonymous visitor, or a person with no seat in the term.</summary>
    public static Offices None(Actor? actor, int bodyId, int termId) => new(actor?.UserId, actor?.IsAdmin == true, bodyId, termId, null, null);

    public bool IsSignedIn => UserId is not null;

    /// <summary>Holds a seat in the term that has not ended (any office).</summary>
    public bool HoldsSeat => Role is not null;

    /// <summary>Chair (主席 / 主持人 / 召集人) or director (主任) of the body.</summary>
    public bool IsChair => Role is MemberRole.Chair or MemberRole.Director;

    /// <summary>Vice-chair (副主席) or deputy director (副主任).</summary>
    public bool IsViceChair => Role is MemberRole.ViceChair or MemberRole.DeputyDirector;

    /// <summary>May preside over the body's meetings: chair or vice-chair.</summary>
    public bool Presides => IsChair || IsViceChair;

    /// <summary>The body's secretary (记录员 / 秘书): records, checks in, drafts minutes; no vote.</summary>
    public bool IsSecretary => Role is MemberRole.Secretary;

    /// <summary>The body's secretariat: those who preside and the secretary. They schedule, triage and moderate.</summary>
    public bool IsSecretariat => Presides || IsSecretary;

    /// <summary>A seat with a vote (not secretary, not third-party assessor).</summary>
    public bool IsVotingMember => Role is { } role && Membership.HasVoteIn(role);

    /// <summary>The third-party assessor (第三方评估员) of a 1+X+1 consultation council.</summary>
    public bool IsAssessor => Role is MemberRole.ThirdPartyAssessor;
}
