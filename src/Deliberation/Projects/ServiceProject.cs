using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Projects;

/// <summary>The four kinds of service project of a joint conference (区域化党建项目).</summary>
public enum ProjectCategory
{
    /// <summary>宣传宣讲: lectures, campaigns.</summary>
    Outreach,

    /// <summary>关心关爱: care for elderly, veterans, youth.</summary>
    Care,

    /// <summary>服务指导: health, fitness, legal and other services and guidance.</summary>
    ServiceGuidance,

    /// <summary>区域发展: the area's development, shared facilities.</summary>
    AreaDevelopment,
}

/// <summary>Published (open to claims and in work) or finished (its ledger item closed out with the finish report).</summary>
public enum ProjectStatus
{
    Published,
    Finished,
}

/// <summary>
/// A service project a joint conference (区域化党建联席会议) publishes for its member units to claim (项目认领). It needs
/// <see cref="UnitsNeeded"/> units; a unit's claim holds a place from its request until it is declined or withdrawn,
/// and the project is fully claimed once that many claims are confirmed by the conference's secretariat. The number of
/// places held is kept on the project and every change bumps <see cref="Version"/> (a concurrency token), so two units
/// asking for the last place at once cannot both get it: the database refuses the second write.
/// </summary>
public sealed class ServiceProject
{
    public const int TitleMax = Limits.Title;
    public const int DescriptionMax = 5_000;
    public const int UnitsMax = 20;
    public const int NoteMax = Limits.Reason;
    public const int ReportMax = 2_000;

    private readonly List<ProjectClaim> _claims = [];
    private readonly List<ProjectReport> _reports = [];

    private ServiceProject()
    {
        Title = Description = CreatedByUserId = string.Empty;
    }

    private ServiceProject(int bodyId, ProjectInput input, string byUserId, DateTime nowUtc)
    {
        BodyId = bodyId;
        Title = Guard.RequiredText(input.Title, TitleMax, "Project.Title");
        Description = Guard.OptionalText(input.Description, DescriptionMax, "Project.Description") ?? string.Empty;
        Category = Enum.IsDefined(input.Category) ? input.Category : throw new DomainException("Project.Category");
        UnitsNeeded = input.UnitsNeeded is >= 1 and <= UnitsMax ? input.UnitsNeeded : throw new DomainException("Project.UnitsNeeded", 1, UnitsMax);
        Status = ProjectStatus.Published;
        CreatedAtUtc = nowUtc;
        CreatedByUserId = byUserId;
    }

    public int Id { get; private set; }

    /// <summary>The joint conference that published it; its secretariat confirms claims and finishes the project.</summary>
    public int BodyId { get; private set; }

    public string Title { get; private set; }

    /// <summary>Markdown (rendered with raw HTML disabled).</summary>
    public string Description { get; private set; }

    public ProjectCategory Category { get; private set; }

    public int UnitsNeeded { get; private set; }

    /// <summary>Claims requested or confirmed: the places taken.</summary>
    public int PlacesHeld { get; private set; }

    /// <summary>Claims confirmed by the secretariat.</summary>
    public int ConfirmedUnits { get; private set; }

    public ProjectStatus Status { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public string CreatedByUserId { get; private set; }

    /// <summary>What was done, as the secretariat wrote it when finishing; the evidence of the ledger item.</summary>
    public string? FinishReport { get; private set; }

    public DateTime? FinishedAtUtc { get; private set; }

    /// <summary>The ledger item closed out when the project was finished.</summary>
    public int? LedgerItemId { get; private set; }

    /// <summary>Bumped by every change of claims or status: concurrent claims on one project cannot both win.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<ProjectClaim> Claims => _claims;

    public IReadOnlyList<ProjectReport> Reports => _reports;

    /// <summary>As many confirmed claims as units needed.</summary>
    public bool IsFullyClaimed => ConfirmedUnits >= UnitsNeeded;

    /// <summary>A place is free: not fully claimed, not every place held by a claim waiting for confirmation, not finished.</summary>
    public bool IsOpenForClaims => Status == ProjectStatus.Published && PlacesHeld < UnitsNeeded;

    public static ServiceProject Publish(int bodyId, ProjectInput input, string byUserId, DateTime nowUtc) => new(bodyId, input, byUserId, nowUtc);

    /// <summary>A member unit asks for a place. Refused when finished, fully claimed, every place held, or the unit already has a claim.</summary>
    public ProjectClaim Claim(int organisationId, string? note, string byUserId, DateTime nowUtc)
    {
        EnsureNotFinished();
        if (IsFullyClaimed)
        {
            throw new DomainException("Project.FullyClaimed", UnitsNeeded);
        }

        if (PlacesHeld >= UnitsNeeded)
        {
            throw new DomainException("Project.PlacesHeld", UnitsNeeded);
        }

        if (_claims.Any(c => c.OrganisationId == organisationId && c.HoldsPlace))
        {
            throw new DomainException("Project.AlreadyClaimed");
        }

        var claim = new ProjectClaim(organisationId, Guard.OptionalText(note, NoteMax, "Project.Note"), byUserId, nowUtc);
        _claims.Add(claim);
        PlacesHeld++;
        Version++;
        return claim;
    }

    /// <summary>The secretariat confirms a requested claim.</summary>
    public void Confirm(ProjectClaim claim, string byUserId, DateTime nowUtc)
    {
        EnsureNotFinished();
        claim.Decide(ClaimStatus.Confirmed, null, byUserId, nowUtc);
        ConfirmedUnits++;
        Version++;
    }

    /// <summary>The secretariat declines a requested claim with a reason; its place is free again.</summary>
    public void Decline(ProjectClaim claim, string? reason, string byUserId, DateTime nowUtc)
    {
        EnsureNotFinished();
        claim.Decide(ClaimStatus.Declined, Guard.RequiredMultilineText(reason, NoteMax, "Project.Reason"), byUserId, nowUtc);
        PlacesHeld--;
        Version++;
    }

    /// <summary>The unit withdraws its claim (requested or confirmed); its place is free again.</summary>
    public void Withdraw(ProjectClaim claim, string? reason, string byUserId, DateTime nowUtc)
    {
        EnsureNotFinished();
        var wasConfirmed = claim.Status == ClaimStatus.Confirmed;
        claim.Withdraw(Guard.OptionalText(reason, NoteMax, "Project.Reason"), byUserId, nowUtc);
        PlacesHeld--;
        if (wasConfirmed)
        {
            ConfirmedUnits--;
        }

        Version++;
    }

    /// <summary>A unit with a confirmed claim reports progress (Markdown).</summary>
    public ProjectReport Report(int organisationId, string? text, string byUserId, DateTime nowUtc)
    {
        EnsureNotFinished();
        if (!_claims.Any(c => c.OrganisationId == organisationId && c.Status == ClaimStatus.Confirmed))
        {
            throw new DomainException("Project.NotConfirmedUnit");
        }

        var report = new ProjectReport(organisationId, Guard.RequiredMultilineText(text, ReportMax, "Project.Report"), byUserId, nowUtc);
        _reports.Add(report);
        Version++;
        return report;
    }

    /// <summary>The secretariat finishes the project with its finish report; needs at least one confirmed unit.</summary>
    public void Finish(string? report, DateTime nowUtc)
    {
        EnsureNotFinished();
        if (ConfirmedUnits == 0)
        {
            throw new DomainException("Project.NoConfirmedUnit");
        }

        FinishReport = Guard.RequiredMultilineText(report, ReportMax, "Project.FinishReport");
        FinishedAtUtc = nowUtc;
        Status = ProjectStatus.Finished;
        Version++;
    }

    /// <summary>Links the ledger item that carries the finish report as its evidence.</summary>
    internal void LinkLedgerItem(int ledgerItemId) => LedgerItemId = ledgerItemId;

    private void EnsureNotFinished()
    {
        if (Status == ProjectStatus.Finished)
        {
            throw new DomainException("Project.Finished");
        }
    }
}

/// <summary>requested → confirmed or declined by the secretariat; requested or confirmed → withdrawn by the unit.</summary>
public enum ClaimStatus
{
    Requested,
    Confirmed,
    Declined,
    Withdrawn,
}

/// <summary>A member unit's claim on a project.</summary>
public sealed class ProjectClaim
{
    private ProjectClaim()
    {
        RequestedByUserId = string.Empty;
    }

    internal ProjectClaim(int organisationId, string? note, string byUserId, DateTime nowUtc)
    {
        OrganisationId = organisationId;
        Note = note;
        Status = ClaimStatus.Requested;
        RequestedByUserId = byUserId;
        RequestedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int ProjectId { get; private set; }

    /// <summary>The member unit (an organisation represented by a seat of the conference or its sub-conferences).</summary>
    public int OrganisationId { get; private set; }

    public ClaimStatus Status { get; private set; }

    /// <summary>What the unit offers (when claiming); why it was declined or withdrawn (afterwards).</summary>
    public string? Note { get; private set; }

    public string? DecisionNote { get; private set; }

    public string RequestedByUserId { get; private set; }

    public DateTime RequestedAtUtc { get; private set; }

    public string? DecidedByUserId { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    /// <summary>Requested or confirmed: the claim takes one of the project's places.</summary>
    public bool HoldsPlace => Status is ClaimStatus.Requested or ClaimStatus.Confirmed;

    internal void Decide(ClaimStatus to, string? note, string byUserId, DateTime nowUtc)
    {
        if (Status != ClaimStatus.Requested)
        {
            throw new DomainException("Project.ClaimNotRequested");
        }

        Status = to;
        DecisionNote = note;
        DecidedByUserId = byUserId;
        DecidedAtUtc = nowUtc;
    }

    internal void Withdraw(string? reason, string byUserId, DateTime nowUtc)
    {
        if (!HoldsPlace)
        {
            throw new DomainException("Project.ClaimNotActive");
        }

        Status = ClaimStatus.Withdrawn;
        DecisionNote = reason;
        DecidedByUserId = byUserId;
        DecidedAtUtc = nowUtc;
    }
}

/// <summary>A progress report of a claiming unit. Never changed.</summary>
public sealed class ProjectReport
{
    private ProjectReport()
    {
        Text = ByUserId = string.Empty;
    }

    internal ProjectReport(int organisationId, string text, string byUserId, DateTime nowUtc)
    {
        OrganisationId = organisationId;
        Text = text;
        ByUserId = byUserId;
        AtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public int ProjectId { get; private set; }

    public int OrganisationId { get; private set; }

    /// <summary>Markdown (rendered with raw HTML disabled).</summary>
    public string Text { get; private set; }

    public string ByUserId { get; private set; }

    public DateTime AtUtc { get; private set; }
}

/// <summary>What the secretariat enters for a new project.</summary>
public sealed record ProjectInput(string? Title, string? Description, ProjectCategory Category, int UnitsNeeded);
