using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Projects;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Projects;

/// <summary>
/// Project claiming on the seeded Wujiaochang joint conference: its secretary (<c>wjc-secretary</c>) publishes and
/// confirms; <c>changhai</c> holds a seat for Changhai Hospital and <c>dongfang</c> for the Eastern Hepatobiliary
/// Surgery Hospital in the member-units sub-conference.
/// </summary>
public sealed class ProjectServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const string Conference = "wujiaochang-joint-conference";

    private readonly JiangchuanCouncil _council = new(fixture);

    private ProjectService Projects => fixture.Database.Services.GetRequiredService<ProjectService>();

    private LedgerService Ledger => fixture.Database.Services.GetRequiredService<LedgerService>();

    private Actor Keeper => _council.ActorFor("wjc-secretary", Roles.Secretary);

    private Actor Changhai => _council.ActorFor("changhai", Roles.Representative);

    private Actor Dongfang => _council.ActorFor("dongfang", Roles.Representative);

    [Fact]
    public async Task SeedHasTheArticlesFortyEightUnitsAndHundredEighteenProjectsInFourCategories()
    {
        var board = await Projects.BoardAsync(new BoardFilter(Conference));

        Assert.True(board.Total >= 118);
        Assert.Equal(4, board.PerCategory.Count);
        Assert.True(board.Units >= 48);
        Assert.Equal(ProjectService.PageSize, board.Projects.Count);
        var health = (await Projects.BoardAsync(new BoardFilter(Conference, ProjectCategory.ServiceGuidance))).Projects.Single(p => p.Title == "健康直通车");
        Assert.Equal(["长海医院", "东方肝胆医院", "五角场镇社区卫生中心"], health.Claims.OrderBy(c => c.OrganisationId).Select(c => c.UnitName));
        Assert.True(health.IsFullyClaimed);
    }

    [Fact]
    public async Task UnitClaimsSecretariatConfirmsUnitReportsAndFinishingClosesOutALedgerItem()
    {
        var id = await PublishAsync(units: 2);
        var changhai = await UnitAsync("wjc-org-003");

        var claim = await Projects.ClaimAsync(Changhai, id, changhai, "派出医护志愿者");
        Assert.Equal(ClaimStatus.Requested, (await Projects.FindAsync(id))!.Claims.Single().Status);
        await Projects.ConfirmAsync(Keeper, claim);
        await Projects.ReportProgressAsync(Changhai, id, changhai, "已在翔殷路491弄开展两次义诊。");
        var ledgerId = await Projects.FinishAsync(Keeper, id, "全年义诊12次,服务居民600余人次。");

        var project = await Projects.FindAsync(id);
        Assert.Equal(ProjectStatus.Finished, project!.Status);
        Assert.Equal(ledgerId, project.LedgerItemId);
        Assert.Equal("已在翔殷路491弄开展两次义诊。", project.Reports.Single().Text);
        var item = await Ledger.FindAsync(ledgerId);
        Assert.Equal(LedgerStatus.ClosedOut, item!.Status);
        Assert.Equal("全年义诊12次,服务居民600余人次。", item.Evidence);
        Assert.Equal(LedgerSource.ServiceProject, item.Source);
        Assert.Equal(id, item.SourceId);
        Assert.Equal("长海医院", item.OwnerName);
    }

    [Fact]
    public async Task ClaimingAFullyClaimedProjectIsRefusedAndNothingIsStored()
    {
        var id = await PublishAsync(units: 1);
        await Projects.ConfirmAsync(Keeper, await Projects.ClaimAsync(Changhai, id, await UnitAsync("wjc-org-003"), null));
        var dongfang = await UnitAsync("wjc-org-004");
        var before = await ClaimCountAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => Projects.ClaimAsync(Dongfang, id, dongfang, null));

        Assert.Equal("Project.FullyClaimed", refused.Code);
        Assert.Equal(before, await ClaimCountAsync());
    }

    [Fact]
    public async Task AClaimAwaitingConfirmationHoldsTheLastPlaceUntilDeclined()
    {
        var id = await PublishAsync(units: 1);
        var changhaiClaim = await Projects.ClaimAsync(Changhai, id, await UnitAsync("wjc-org-003"), null);
        var dongfang = await UnitAsync("wjc-org-004");

        Assert.Equal("Project.PlacesHeld", (await Assert.ThrowsAsync<DomainException>(() => Projects.ClaimAsync(Dongfang, id, dongfang, null))).Code);
        Assert.Equal("Project.Reason.Required", (await Assert.ThrowsAsync<DomainException>(() => Projects.DeclineAsync(Keeper, changhaiClaim, " "))).Code);
        await Projects.DeclineAsync(Keeper, changhaiClaim, "本项目需要社区卫生服务资质");
        var claim = await Projects.ClaimAsync(Dongfang, id, dongfang, null);
        await Projects.ConfirmAsync(Keeper, claim);

        var project = await Projects.FindAsync(id);
        Assert.True(project!.IsFullyClaimed);
        Assert.Equal([ClaimStatus.Confirmed, ClaimStatus.Declined], project.Claims.Select(c => c.Status));
    }

    [Fact]
    public async Task WithdrawingAConfirmedClaimFreesItsPlace()
    {
        var id = await PublishAsync(units: 1);
        var claim = await Projects.ClaimAsync(Changhai, id, await UnitAsync("wjc-org-003"), null);
        await Projects.ConfirmAsync(Keeper, claim);

        Assert.Equal("Project.NotForUnit", (await Assert.ThrowsAsync<ForbiddenException>(() => Projects.WithdrawAsync(Dongfang, claim, null))).Code);
        await Projects.WithdrawAsync(Changhai, claim, "人手不足");

        var project = await Projects.FindAsync(id);
        Assert.True(project!.IsOpenForClaims);
        Assert.Equal(0, project.ConfirmedUnits);
        Assert.Equal("Project.ClaimNotActive", (await Assert.ThrowsAsync<DomainException>(() => Projects.WithdrawAsync(Changhai, claim, null))).Code);
    }

    [Fact]
    public async Task OnlySomeoneHoldingASeatForTheUnitClaimsForIt()
    {
        var id = await PublishAsync(units: 3);
        var changhai = await UnitAsync("wjc-org-003");
        var before = await ClaimCountAsync();

        foreach (var outsider in new[] { Dongfang, Keeper, _council.Chair, _council.Admin, _council.ActorFor("resident", Roles.Resident) })
        {
            Assert.Equal("Project.NotForUnit", (await Assert.ThrowsAsync<ForbiddenException>(() => Projects.ClaimAsync(outsider, id, changhai, null))).Code);
        }

        Assert.Equal(before, await ClaimCountAsync());
    }

    [Fact]
    public async Task AUnitClaimsAProjectOnceAndReportsOnlyWhenConfirmed()
    {
        var id = await PublishAsync(units: 3);
        var changhai = await UnitAsync("wjc-org-003");
        var claim = await Projects.ClaimAsync(Changhai, id, changhai, null);

        Assert.Equal("Project.AlreadyClaimed", (await Assert.ThrowsAsync<DomainException>(() => Projects.ClaimAsync(Changhai, id, changhai, null))).Code);
        Assert.Equal("Project.NotConfirmedUnit", (await Assert.ThrowsAsync<DomainException>(() => Projects.ReportProgressAsync(Changhai, id, changhai, "进展"))).Code);
        Assert.Equal("Project.NoConfirmedUnit", (await Assert.ThrowsAsync<DomainException>(() => Projects.FinishAsync(Keeper, id, "完成"))).Code);
        Assert.Equal("Office.Secretariat", (await Assert.ThrowsAsync<ForbiddenException>(() => Projects.ConfirmAsync(Changhai, claim))).Code);
    }

    [Fact]
    public async Task BadProjectInputIsRefusedWithItsRule()
    {
        var body = await BodyIdAsync();

        Assert.Equal("Project.Title.Required", (await Assert.ThrowsAsync<DomainException>(() => Projects.PublishAsync(Keeper, body, new ProjectInput("  ", null, ProjectCategory.Care, 1)))).Code);
        Assert.Equal("Project.UnitsNeeded", (await Assert.ThrowsAsync<DomainException>(() => Projects.PublishAsync(Keeper, body, new ProjectInput("项目", null, ProjectCategory.Care, 0)))).Code);
        Assert.Equal("Project.Category", (await Assert.ThrowsAsync<DomainException>(() => Projects.PublishAsync(Keeper, body, new ProjectInput("项目", null, (ProjectCategory)42, 1)))).Code);
        Assert.Equal("Office.Secretariat", (await Assert.ThrowsAsync<ForbiddenException>(() => Projects.PublishAsync(Changhai, body, new ProjectInput("项目", null, ProjectCategory.Care, 1)))).Code);
    }

    [Fact]
    public async Task TwoUnitsRacingForTheLastPlaceAreDecidedByTheDatabase()
    {
        // Rounds until the two claims meet in the database (a busy machine may let one finish before the other starts).
        var changhai = await UnitAsync("wjc-org-003");
        var dongfang = await UnitAsync("wjc-org-004");
        for (var round = 0; round < 10; round++)
        {
            var id = await PublishAsync(units: 1);
            using var start = new ManualResetEventSlim();
            var a = Task.Run(async () => { start.Wait(); return await Outcome(() => Projects.ClaimAsync(Changhai, id, changhai, null)); });
            var b = Task.Run(async () => { start.Wait(); return await Outcome(() => Projects.ClaimAsync(Dongfang, id, dongfang, null)); });
            start.Set();
            var outcomes = await Task.WhenAll(a, b);

            Assert.Single(outcomes, o => o is null);
            Assert.Single(outcomes, o => o is "Project.PlacesHeld" or "Project.ChangedMeanwhile");
            await using var db = await _council.DbAsync();
            Assert.Equal(1, await db.ProjectClaims.CountAsync(c => c.ProjectId == id));
            Assert.Equal(1, await db.ServiceProjects.Where(p => p.Id == id).Select(p => p.PlacesHeld).SingleAsync());
        }
    }

    private static async Task<string?> Outcome(Func<Task> claim)
    {
        try
        {
            await claim();
            return null;
        }
        catch (DomainException ex)
        {
            return ex.Code;
        }
    }

    private async Task<int> PublishAsync(int units) =>
        await Projects.PublishAsync(Keeper, await BodyIdAsync(), new ProjectInput("社区义诊 " + Guid.NewGuid().ToString("N")[..6], "为居民提供义诊。", ProjectCategory.ServiceGuidance, units));

    private async Task<int> BodyIdAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.Bodies.Where(b => b.Key == Conference).Select(b => b.Id).SingleAsync();
    }

    private async Task<int> UnitAsync(string key)
    {
        await using var db = await _council.DbAsync();
        return await db.Organisations.Where(o => o.Key == key).Select(o => o.Id).SingleAsync();
    }

    private async Task<int> ClaimCountAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.ProjectClaims.CountAsync();
    }
}
