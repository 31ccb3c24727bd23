namespace CommunityDeliberation.Deliberation.Projects;

/// <summary>A project as anyone may read it: its units, their claims and its progress (no account ids).</summary>
public sealed record ProjectView(
    int Id, int BodyId, string BodyKey, string BodyName, string BodyNameEn, string Title, string Description, ProjectCategory Category,
    int UnitsNeeded, int PlacesHeld, int ConfirmedUnits, ProjectStatus Status, string? FinishReport, DateTime? FinishedAtUtc, int? LedgerItemId,
    IReadOnlyList<ClaimView> Claims, int ReportCount, DateTime CreatedAtUtc)
{
    public bool IsFullyClaimed => ConfirmedUnits >= UnitsNeeded;

    public bool IsOpenForClaims => Status == ProjectStatus.Published && PlacesHeld < UnitsNeeded;

    /// <summary>The progress reports, oldest first (filled for one project, empty in lists).</summary>
    public IReadOnlyList<ReportView> Reports { get; init; } = [];
}

/// <summary>A unit's claim, as the board shows it.</summary>
public sealed record ClaimView(int Id, int OrganisationId, string UnitName, string UnitNameEn, ClaimStatus Status, string? Note, string? DecisionNote, DateTime RequestedAtUtc);

/// <summary>A unit's progress report.</summary>
public sealed record ReportView(int OrganisationId, string UnitName, string UnitNameEn, string Text, DateTime AtUtc);

/// <summary>Whether the board shows every project, those with a free place, those fully claimed, or the finished ones.</summary>
public enum BoardState
{
    All,
    Open,
    Claimed,
    Finished,
}

/// <summary>What the public board filters by, and which page of it.</summary>
public sealed record BoardFilter(string? BodyKey = null, ProjectCategory? Category = null, BoardState State = BoardState.All, int Page = 1);

/// <summary>One page of the board, with the figures per category (of the whole filter, not only the page).</summary>
public sealed record ProjectBoard(IReadOnlyList<ProjectView> Projects, int Total, int Page, int PageSize, IReadOnlyDictionary<ProjectCategory, int> PerCategory, int Units)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A member unit the person may act for, in one conference.</summary>
public sealed record UnitOption(int ConferenceId, int OrganisationId, string Name, string NameEn);

/// <summary>A conference whose secretariat the person is in.</summary>
public sealed record ConferenceOption(int Id, string Name, string NameEn);

/// <summary>What the management page shows a person: the conferences they keep, with the claims to decide, and the units they act for, with their projects.</summary>
public sealed record ProjectDesk(
    IReadOnlyList<ConferenceOption> Conferences, IReadOnlyList<ProjectView> AwaitingDecision, IReadOnlyList<ProjectView> InWork,
    IReadOnlyList<UnitOption> Units, IReadOnlyList<ProjectView> UnitProjects);
