using CommunityDeliberation.Deliberation.Bodies.Import;

namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>A body in the administrator's tree: <see cref="Depth"/> 0 for top-level bodies, listed parent before children.</summary>
public sealed record BodyNode(
    int Id, string Key, string Name, string NameEn, BodyKind Kind, int? ParentId, int Depth,
    int Terms, string? LatestTermName, string? LatestTermNameEn, int ActiveMembersInLatestTerm);

public sealed record TermSummaryView(int Id, int Number, string Name, string NameEn, DateOnly StartsOn, DateOnly? EndsOn, int ActiveMembers, int EndedMembers);

public sealed record BodyAdminView(
    int Id, string Key, string Name, string NameEn, BodyKind Kind, int? ParentId, string? ParentName, string? ParentNameEn,
    int QuorumNumerator, int QuorumDenominator, int SpeakingTimeSeconds, int ProxyCap,
    IReadOnlyList<TermSummaryView> Terms, IReadOnlyList<BodyNode> SubBodies, int CoSponsorThreshold = 2);

/// <summary>
/// A seat as the administrator sees it. <see cref="HasHistory"/>: the seat has attended, voted or held a proxy, so it can
/// be ended but not removed.
/// </summary>
public sealed record MemberAdminView(
    int Id, string Name, MemberRole Role, int? OrganisationId, string? Organisation, string? OrganisationEn,
    string? UserName, DateTime? EndedAtUtc, string? EndReason, bool HasHistory)
{
    public bool IsActive => EndedAtUtc is null;
}

/// <summary>A term with its seats. <see cref="SessionOpen"/>: a session of the term is running, so seats are locked.</summary>
public sealed record TermAdminView(
    int Id, int BodyId, string BodyName, string BodyNameEn, int Number, string Name, string NameEn, DateOnly StartsOn, DateOnly? EndsOn,
    bool SessionOpen, IReadOnlyList<MemberAdminView> Members);

public sealed record OrganisationOption(int Id, string Key, string Name, string NameEn, OrganisationKind Kind);

public sealed record BodyInput(string? Key, string? Name, string? NameEn, BodyKind Kind);

/// <summary>A body's rules; <c>CoSponsorThreshold</c> null keeps the current threshold.</summary>
public sealed record BodyRulesInput(int QuorumNumerator, int QuorumDenominator, int SpeakingTimeSeconds, int ProxyCap, int? CoSponsorThreshold = null);

public sealed record TermInput(int Number, string? Name, string? NameEn, DateOnly StartsOn, DateOnly? EndsOn);

/// <summary>A seat's details. <see cref="UserName"/> links the seat to that account; empty leaves it without one.</summary>
public sealed record MemberInput(string? Name, MemberRole Role, int? OrganisationId, string? UserName);

/// <summary>
/// The answer to a member list import. <see cref="Rows"/>: data rows read; <see cref="Imported"/>: seats created
/// (0 whenever there is a problem, or when only checking). Every problem carries the file's line number.
/// </summary>
public sealed record MemberImportResult(int Rows, int Imported, IReadOnlyList<ImportProblem> Problems)
{
    public bool IsClean => Problems.Count == 0;
}
