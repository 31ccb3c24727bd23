using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Projects;

/// <summary>
/// Project claiming (项目认领, ADR 0020): a joint conference's secretariat publishes service projects, member units claim
/// them through the people who hold a seat for them, the secretariat confirms or declines each claim, units report
/// progress, and the secretariat finishes a project, which records a ledger item closed out with the finish report as
/// its evidence. Every command authorizes through <see cref="ProjectPermissions"/>; reading needs no account.
/// </summary>
public sealed class ProjectService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, IOptions<DisplayOptions> display)
{
    /// <summary>Projects per page of the public board.</summary>
    public const int PageSize = 20;

    /// <summary>How often a command is tried again after another writer changed the same project in between.</summary>
    private const int Attempts = 4;

    /// <summary>The secretariat publishes a project in its conference.</summary>
    public async Task<int> PublishAsync(Actor actor, int bodyId, ProjectInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Bodies.AnyAsync(b => b.Id == bodyId, ct))
        {
            throw new NotFoundException("Body", bodyId);
        }

        Permit.Require(ProjectPermissions.MayManage(await OfficeReader.InBodyAsync(db, actor, bodyId, ct)), "Office.Secretariat");
        var project = ServiceProject.Publish(bodyId, input, actor.UserId, Now);
        db.ServiceProjects.Add(project);
        await db.SaveChangesAsync(ct);
        return project.Id;
    }

    /// <summary>
    /// A unit claims a place on a project. When two units ask for the last place at once, the database takes the first
    /// write and refuses the second (the project's version changed); the second is then tried again, sees no free place
    /// and is refused with <c>Project.FullyClaimed</c> or <c>Project.PlacesHeld</c>, nothing stored.
    /// </summary>
    public Task<int> ClaimAsync(Actor actor, int projectId, int organisationId, string? note, CancellationToken ct = default) =>
        ChangeAsync(projectId, async (db, project) =>
        {
            Permit.Require(ProjectPermissions.MayActFor(await UnitSeatsAsync(db, actor, project.BodyId, ct), organisationId), "Project.NotForUnit");
            return project.Claim(organisationId, note, actor.UserId, Now);
        }, claim => claim.Id, ct);

    /// <summary>The secretariat confirms a requested claim.</summary>
    public Task ConfirmAsync(Actor actor, int claimId, CancellationToken ct = default) =>
        DecideAsync(actor, claimId, (p, c) => p.Confirm(c, actor.UserId, Now), ct);

    /// <summary>The secretariat declines a requested claim, with a reason.</summary>
    public Task DeclineAsync(Actor actor, int claimId, string? reason, CancellationToken ct = default) =>
        DecideAsync(actor, claimId, (p, c) => p.Decline(c, reason, actor.UserId, Now), ct);

    /// <summary>The unit withdraws its claim (someone holding a seat for it).</summary>
    public async Task WithdrawAsync(Actor actor, int claimId, string? reason, CancellationToken ct = default)
    {
        var projectId = await ProjectOfClaimAsync(claimId, ct);
        await ChangeAsync(projectId, async (db, project) =>
        {
            var claim = project.Claims.Single(c => c.Id == claimId);
            Permit.Require(ProjectPermissions.MayActFor(await UnitSeatsAsync(db, actor, project.BodyId, ct), claim.OrganisationId), "Project.NotForUnit");
            project.Withdraw(claim, reason, actor.UserId, Now);
            return claim;
        }, _ => 0, ct);
    }

    /// <summary>A unit with a confirmed claim reports progress.</summary>
    public Task ReportProgressAsync(Actor actor, int projectId, int organisationId, string? text, CancellationToken ct = default) =>
        ChangeAsync(projectId, async (db, project) =>
        {
            Permit.Require(ProjectPermissions.MayActFor(await UnitSeatsAsync(db, actor, project.BodyId, ct), organisationId), "Project.NotForUnit");
            return project.Report(organisationId, text, actor.UserId, Now);
        }, _ => 0, ct);

    /// <summary>
    /// The secretariat finishes a project with its finish report. In the same transaction a follow-up item is recorded in
    /// the conference's ledger, owned by the confirmed units, and closed out (销号) with the finish report as evidence.
    /// </summary>
    /// <returns>The ledger item's id.</returns>
    public async Task<int> FinishAsync(Actor actor, int projectId, string? report, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var project = await LoadAsync(db, projectId, ct);
        Permit.Require(ProjectPermissions.MayManage(await OfficeReader.InBodyAsync(db, actor, project.BodyId, ct)), "Office.Secretariat");
        var now = Now;
        project.Finish(report, now);
        var unitIds = project.Claims.Where(c => c.Status == ClaimStatus.Confirmed).Select(c => c.OrganisationId).ToList();
        var units = await db.Organisations.Where(o => unitIds.Contains(o.Id)).OrderBy(o => o.Id).Select(o => o.Name).ToListAsync(ct);
        var owner = string.Join("、", units);
        if (owner.Length > LedgerItem.OwnerMax)
        {
            owner = owner[..(LedgerItem.OwnerMax - 1)] + "…";
        }

        var item = LedgerItem.Record(project.BodyId, new LedgerItemInput(
            project.Title, project.Description, LedgerOwnerKind.MemberUnit, owner, null, null, Today, LedgerSource.ServiceProject, project.Id), actor.UserId, now);
        item.MarkDone(null, actor.UserId, now);
        item.CloseOut(project.FinishReport, null, actor.UserId, now);
        db.LedgerItems.Add(item);
        try
        {
            await db.SaveChangesAsync(ct);
            project.LinkLedgerItem(item.Id);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Project.ChangedMeanwhile");
        }

        return item.Id;
    }

    /// <summary>What the management page shows this person: claims to decide in the conferences they keep, and their units' projects.</summary>
    public async Task<ProjectDesk> DeskAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kept = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(ProjectPermissions.MayManage).Select(o => o.BodyId).Distinct().ToList();
        var conferences = await db.Bodies.AsNoTracking().Where(b => kept.Contains(b.Id)).OrderBy(b => b.Id)
            .Select(b => new ConferenceOption(b.Id, b.Name, b.NameEn)).ToListAsync(ct);
        var awaiting = await db.ServiceProjects.AsNoTracking().Include(p => p.Claims)
            .Where(p => kept.Contains(p.BodyId) && p.Status == ProjectStatus.Published && p.Claims.Any(c => c.Status == ClaimStatus.Requested))
            .OrderBy(p => p.Id).Take(100).ToListAsync(ct);
        var inWork = await db.ServiceProjects.AsNoTracking().Include(p => p.Claims)
            .Where(p => kept.Contains(p.BodyId) && p.Status == ProjectStatus.Published && p.ConfirmedUnits > 0)
            // Newest first: a conference with more than 100 projects under way (Wujiaochang has 118) must still see the one it
            // has just confirmed; the public board lists them all.
            .OrderByDescending(p => p.Id).Take(100).ToListAsync(ct);

        var units = await UnitOptionsAsync(db, actor, ct);
        var unitIds = units.Select(u => u.OrganisationId).Distinct().ToList();
        var unitProjects = await db.ServiceProjects.AsNoTracking().Include(p => p.Claims)
            .Where(p => p.Claims.Any(c => unitIds.Contains(c.OrganisationId) && (c.Status == ClaimStatus.Requested || c.Status == ClaimStatus.Confirmed)))
            .OrderBy(p => p.Id).Take(100).ToListAsync(ct);
        return new ProjectDesk(conferences, await ViewsAsync(db, awaiting, ct), await ViewsAsync(db, inWork, ct), units, await ViewsAsync(db, unitProjects, ct));
    }

    /// <summary>The projects a unit may claim (with a free place) in the conferences it has seats in, for the management page.</summary>
    public async Task<IReadOnlyList<ProjectView>> OpenForAsync(int conferenceId, ProjectCategory? category, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ServiceProjects.AsNoTracking().Include(p => p.Claims)
            .Where(p => p.BodyId == conferenceId && p.Status == ProjectStatus.Published && p.PlacesHeld < p.UnitsNeeded);
        if (category is { } c)
        {
            query = query.Where(p => p.Category == c);
        }

        return await ViewsAsync(db, await query.OrderBy(p => p.Category).ThenBy(p => p.Id).Take(200).ToListAsync(ct), ct);
    }

    /// <summary>The public board: one page of projects by category, claimed or open, with their units.</summary>
    public async Task<ProjectBoard> BoardAsync(BoardFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ServiceProjects.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.BodyKey))
        {
            var key = filter.BodyKey.Trim();
            var bodyId = await db.Bodies.Where(b => b.Key == key).Select(b => (int?)b.Id).SingleOrDefaultAsync(ct);
            query = bodyId is null ? query.Where(_ => false) : query.Where(p => p.BodyId == bodyId);
        }

        query = filter.State switch
        {
            BoardState.Open => query.Where(p => p.Status == ProjectStatus.Published && p.PlacesHeld < p.UnitsNeeded),
            BoardState.Claimed => query.Where(p => p.Status == ProjectStatus.Published && p.ConfirmedUnits >= p.UnitsNeeded),
            BoardState.Finished => query.Where(p => p.Status == ProjectStatus.Finished),
            _ => query,
        };

        var perCategory = (await query.GroupBy(p => p.Category).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => g.Key, g => g.Count);
        var units = await query.SelectMany(p => p.Claims).Where(c => c.Status == ClaimStatus.Confirmed).Select(c => c.OrganisationId).Distinct().CountAsync(ct);
        if (filter.Category is { } category)
        {
            query = query.Where(p => p.Category == category);
        }

        var total = await query.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pages);
        var projects = await query.Include(p => p.Claims).OrderBy(p => p.Category).ThenBy(p => p.Id)
            .Skip((page - 1) * PageSize).Take(PageSize).AsSplitQuery().ToListAsync(ct);
        return new ProjectBoard(await ViewsAsync(db, projects, ct), total, page, PageSize, perCategory, units);
    }

    /// <summary>One project with its claims and reports, for anyone.</summary>
    public async Task<ProjectView?> FindAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.ServiceProjects.AsNoTracking().Include(p => p.Claims).Include(p => p.Reports).AsSplitQuery()
            .SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null)
        {
            return null;
        }

        var view = (await ViewsAsync(db, [project], ct)).Single();
        var names = await NamesAsync(db, project.Reports.Select(r => r.OrganisationId), ct);
        return view with
        {
            Reports = project.Reports.OrderBy(r => r.AtUtc).ThenBy(r => r.Id)
                .Select(r => new ReportView(r.OrganisationId, names[r.OrganisationId].Name, names[r.OrganisationId].NameEn, r.Text, r.AtUtc)).ToList(),
        };
    }

    /// <summary>The conferences that have projects (for the board's filter).</summary>
    public async Task<IReadOnlyList<(string Key, string Name, string NameEn)>> BodiesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.ServiceProjects.Select(p => p.BodyId).Distinct().ToListAsync(ct);
        var bodies = await db.Bodies.AsNoTracking().Where(b => ids.Contains(b.Id)).OrderBy(b => b.Id).Select(b => new { b.Key, b.Name, b.NameEn }).ToListAsync(ct);
        return bodies.Select(b => (b.Key, b.Name, b.NameEn)).ToList();
    }

    /// <summary>The units a person holds a seat for in a conference (its current term) and its sub-conferences.</summary>
    internal static async Task<UnitSeats> UnitSeatsAsync(DeliberationDbContext db, Actor? actor, int conferenceId, CancellationToken ct)
    {
        if (actor is null)
        {
            return new UnitSeats(null, conferenceId, new HashSet<int>());
        }

        var bodies = await db.Bodies.Where(b => b.Id == conferenceId || b.ParentId == conferenceId).Select(b => b.Id).ToListAsync(ct);
        var ids = await CurrentSeats(db, actor.UserId).Where(m => bodies.Contains(m.Term.BodyId)).Select(m => m.OrganisationId!.Value).Distinct().ToListAsync(ct);
        return new UnitSeats(actor.UserId, conferenceId, ids.ToHashSet());
    }

    private static async Task<IReadOnlyList<UnitOption>> UnitOptionsAsync(DeliberationDbContext db, Actor actor, CancellationToken ct)
    {
        var seats = await CurrentSeats(db, actor.UserId)
            .Select(m => new { BodyId = m.Term.BodyId, ParentId = db.Bodies.Where(b => b.Id == m.Term.BodyId).Select(b => b.ParentId).Single(), OrganisationId = m.OrganisationId!.Value })
            .ToListAsync(ct);
        var names = await NamesAsync(db, seats.Select(s => s.OrganisationId), ct);

        // A seat in a sub-conference acts for its unit in the parent conference, where the projects are published; a seat
        // in a top conference acts there.
        return seats.Select(s => (Conference: s.ParentId ?? s.BodyId, s.OrganisationId))
            .Distinct().OrderBy(u => u.Conference).ThenBy(u => u.OrganisationId)
            .Select(u => new UnitOption(u.Conference, u.OrganisationId, names[u.OrganisationId].Name, names[u.OrganisationId].NameEn)).ToList();
    }

    private static IQueryable<Bodies.Membership> CurrentSeats(DeliberationDbContext db, string userId) =>
        db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.EndedAtUtc == null && m.OrganisationId != null)
            .Where(m => m.Term.Number == db.Terms.Where(t => t.BodyId == m.Term.BodyId).Max(t => t.Number));

    private async Task DecideAsync(Actor actor, int claimId, Action<ServiceProject, ProjectClaim> decide, CancellationToken ct)
    {
        var projectId = await ProjectOfClaimAsync(claimId, ct);
        await ChangeAsync(projectId, async (db, project) =>
        {
            Permit.Require(ProjectPermissions.MayManage(await OfficeReader.InBodyAsync(db, actor, project.BodyId, ct)), "Office.Secretariat");
            var claim = project.Claims.Single(c => c.Id == claimId);
            decide(project, claim);
            return claim;
        }, _ => 0, ct);
    }

    private async Task<int> ProjectOfClaimAsync(int claimId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProjectClaims.Where(c => c.Id == claimId).Select(c => (int?)c.ProjectId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("ProjectClaim", claimId);
    }

    /// <summary>
    /// One command on a project: load it with its claims, authorize and change it, save. A project changed by someone
    /// else in between (the version the write expects is gone) is read again and the command tried again.
    /// </summary>
    private async Task<TResult> ChangeAsync<TChanged, TResult>(int projectId, Func<DeliberationDbContext, ServiceProject, Task<TChanged>> change, Func<TChanged, TResult> result, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var project = await LoadAsync(db, projectId, ct);
            var changed = await change(db, project);
            try
            {
                await db.SaveChangesAsync(ct);
                return result(changed);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException("Project.ChangedMeanwhile");
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                throw new DomainException("Project.AlreadyClaimed");
            }
        }
    }

    private static async Task<ServiceProject> LoadAsync(DeliberationDbContext db, int projectId, CancellationToken ct) =>
        await db.ServiceProjects.Include(p => p.Claims).SingleOrDefaultAsync(p => p.Id == projectId, ct) ?? throw new NotFoundException("ServiceProject", projectId);

    private static async Task<Dictionary<int, (string Name, string NameEn)>> NamesAsync(DeliberationDbContext db, IEnumerable<int> organisationIds, CancellationToken ct)
    {
        var ids = organisationIds.Distinct().ToList();
        var rows = await db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name, o.NameEn }).ToListAsync(ct);
        return rows.ToDictionary(o => o.Id, o => (o.Name, o.NameEn));
    }

    private static async Task<IReadOnlyList<ProjectView>> ViewsAsync(DeliberationDbContext db, IReadOnlyList<ServiceProject> projects, CancellationToken ct)
    {
        var bodyIds = projects.Select(p => p.BodyId).Distinct().ToList();
        var bodies = await db.Bodies.AsNoTracking().Where(b => bodyIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => new { b.Key, b.Name, b.NameEn }, ct);
        var names = await NamesAsync(db, projects.SelectMany(p => p.Claims).Select(c => c.OrganisationId), ct);
        var projectIds = projects.Select(p => p.Id).ToList();
        var reports = await db.ProjectReports.Where(r => projectIds.Contains(r.ProjectId)).GroupBy(r => r.ProjectId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return projects.Select(p =>
        {
            var body = bodies[p.BodyId];
            var claims = p.Claims.Where(c => c.HoldsPlace || c.Status == ClaimStatus.Declined).OrderBy(c => c.Status).ThenBy(c => c.Id)
                .Select(c => new ClaimView(c.Id, c.OrganisationId, names[c.OrganisationId].Name, names[c.OrganisationId].NameEn, c.Status, c.Note, c.DecisionNote, c.RequestedAtUtc)).ToList();
            return new ProjectView(p.Id, p.BodyId, body.Key, body.Name, body.NameEn, p.Title, p.Description, p.Category, p.UnitsNeeded, p.PlacesHeld, p.ConfirmedUnits,
                p.Status, p.FinishReport, p.FinishedAtUtc, p.LedgerItemId, claims, reports.GetValueOrDefault(p.Id), p.CreatedAtUtc);
        }).ToList();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(display.Value.ToLocal(Now));
}
