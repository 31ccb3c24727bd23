using System.Text.Json;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Seeding;

public sealed class SeedLoaderTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const string Jiangchuan = "jiangchuan-council";

    private Task<DeliberationDbContext> OpenAsync() => fixture.Database.Factory.CreateDbContextAsync();

    [Fact]
    public async Task FirstLoadReportsWhatItStored()
    {
        await using var db = await OpenAsync();

        Assert.True(fixture.FirstLoad.Loaded);
        Assert.Equal(await db.Organisations.CountAsync(), fixture.FirstLoad.Organisations);
        Assert.Equal(await db.Bodies.CountAsync(), fixture.FirstLoad.Bodies);
        Assert.Equal(await db.Memberships.CountAsync(), fixture.FirstLoad.Members);
        Assert.Equal(await db.Users.CountAsync(), fixture.FirstLoad.Users);
        Assert.Equal(await db.Sessions.CountAsync(), fixture.FirstLoad.Sessions);
        Assert.True(fixture.FirstLoad.Sessions > 0);
    }

    [Fact]
    public async Task JiangchuanCouncilSecondTermHas152Members()
    {
        await using var db = await OpenAsync();

        var members = await db.Memberships.AsNoTracking()
            .Where(m => m.Term.Body.Key == Jiangchuan && m.Term.Number == 2)
            .Select(m => new { m.Role, m.UserId })
            .ToListAsync();

        Assert.Equal(152, members.Count);
        Assert.Single(members, m => m.Role == MemberRole.Chair);
        Assert.Single(members, m => m.Role == MemberRole.Secretary);
        Assert.Equal(150, members.Count(m => m.Role == MemberRole.Representative));
        Assert.All(members, m => Assert.NotNull(m.UserId));
    }

    [Fact]
    public async Task JiangchuanCouncilIsAMoreThanHalfCouncil()
    {
        await using var db = await OpenAsync();

        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Key == Jiangchuan);

        Assert.Equal(BodyKind.Council, body.Kind);
        Assert.Null(body.ParentId);
        Assert.Equal(QuorumRule.MoreThanHalf, body.Quorum);
    }

    [Fact]
    public async Task WeifangCommitteeHasFiveProfessionalCommitteesAndASecretariat()
    {
        await using var db = await OpenAsync();

        var parent = await db.Bodies.AsNoTracking().SingleAsync(b => b.Key == "weifang-committee");
        var children = await db.Bodies.AsNoTracking().Where(b => b.ParentId == parent.Id).Select(b => b.Key).ToListAsync();

        Assert.Equal(BodyKind.CommunityCommittee, parent.Kind);
        Assert.Equal(6, children.Count);
        Assert.Single(children, k => k == "weifang-secretariat");
        Assert.Equal(5, children.Count(k => k != "weifang-secretariat"));
    }

    [Fact]
    public async Task ChengliConsultationCouncilExists()
    {
        await using var db = await OpenAsync();

        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Key == "chengli-consultation-council");
        var terms = await db.Terms.AsNoTracking().Where(t => t.BodyId == body.Id).CountAsync();

        Assert.Equal(BodyKind.ConsultationCouncil, body.Kind);
        Assert.Equal(new QuorumRule(2, 3), body.Quorum);
        Assert.Equal(1, terms);
    }

    [Fact]
    public async Task UsersExistForChairSecretaryAndEveryRepresentative()
    {
        var expected = new[] { "chair", "secretary" }.Concat(Enumerable.Range(1, 150).Select(i => $"rep{i:000}")).ToList();

        await using var db = await OpenAsync();
        var userNames = await db.Users.AsNoTracking().Select(u => u.UserName!).ToListAsync();

        Assert.Empty(expected.Except(userNames, StringComparer.Ordinal));
    }

    [Fact]
    public async Task RepresentativesSitOnTheJiangchuanCouncilAndHoldTheRepresentativeRole()
    {
        await using var db = await OpenAsync();

        var representatives = await (
            from u in db.Users
            join m in db.Memberships on u.Id equals m.UserId
            where u.UserName!.StartsWith("rep") && m.Term.Body.Key == Jiangchuan
            select new { u.UserName, m.Role }).ToListAsync();
        var withRole = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            join u in db.Users on ur.UserId equals u.Id
            where r.Name == Roles.Representative && u.UserName!.StartsWith("rep")
            select u.UserName).CountAsync();

        Assert.Equal(150, representatives.Count);
        Assert.All(representatives, r => Assert.Equal(MemberRole.Representative, r.Role));
        Assert.Equal(150, withRole);
    }

    [Fact]
    public async Task LoadingTwiceChangesNothing()
    {
        var before = await CountRowsAsync();

        var second = await SeedLoader.LoadAsync(fixture.Database.Factory, RepositoryPaths.Seeds, TimeProvider.System);

        Assert.False(second.Loaded);
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task DemoUsersPasswordsVerifyAgainstTheSeedFile()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Seeds, "accounts.json")));
        var passwords = json.RootElement.GetProperty("accounts").EnumerateArray()
            .Select(a => (UserName: a.GetProperty("userName").GetString()!, Password: a.GetProperty("password").GetString()!))
            .ToList();
        var memberPassword = json.RootElement.GetProperty("memberPassword").GetString()!;
        passwords.Add(("rep001", memberPassword));
        passwords.Add(("rep150", memberPassword));

        await using var db = await OpenAsync();
        var hasher = new PasswordHasher<AppUser>();
        Assert.NotEmpty(passwords);
        foreach (var (userName, password) in passwords)
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
            Assert.NotNull(user.PasswordHash);
            Assert.DoesNotContain(password, user.PasswordHash, StringComparison.Ordinal);
            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, user.PasswordHash, password));
            Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash, password + "x"));
        }
    }

    private async Task<Dictionary<string, int>> CountRowsAsync()
    {
        await using var db = await OpenAsync();
        return new Dictionary<string, int>
        {
            ["Organisations"] = await db.Organisations.CountAsync(),
            ["Bodies"] = await db.Bodies.CountAsync(),
            ["Terms"] = await db.Terms.CountAsync(),
            ["Memberships"] = await db.Memberships.CountAsync(),
            ["Sessions"] = await db.Sessions.CountAsync(),
            ["AgendaItems"] = await db.AgendaItems.CountAsync(),
            ["Users"] = await db.Users.CountAsync(),
            ["Roles"] = await db.Roles.CountAsync(),
            ["UserRoles"] = await db.UserRoles.CountAsync(),
        };
    }
}
