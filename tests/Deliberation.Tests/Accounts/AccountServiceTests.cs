using System.Data.Common;
using System.Text;
using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Accounts;

/// <summary>
/// Accounts in production (issue 11) through the real <see cref="AccountService"/> and Identity on a seeded SQLite file:
/// one-time reset links, the secretariat's limits, CSV imports that store all or nothing, disabling, and the audit log.
/// </summary>
public sealed class AccountServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const string Strong = "Neues#Passwort2026";

    private readonly JiangchuanCouncil _council = new(fixture);

    private AccountService Accounts => fixture.Database.Services.GetRequiredService<AccountService>();

    private BodyAdminService Bodies => fixture.Database.Services.GetRequiredService<BodyAdminService>();

    [Fact]
    public async Task AResetLinkSetsThePasswordOnceAndItsSecondUseIsRefused()
    {
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("once"), "一次", null, null));

        var first = await Accounts.ResetPasswordAsync(link.UserId, link.Token, Strong);
        var second = await Accounts.ResetPasswordAsync(link.UserId, link.Token, "Anderes#Passwort2026");

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal("InvalidToken", Assert.Single(second.Errors).Code);
        Assert.True(await PasswordWorksAsync(link.UserName, Strong));
        Assert.False(await PasswordWorksAsync(link.UserName, "Anderes#Passwort2026"));
    }

    [Fact]
    public async Task AResetLinkStopsWorkingWhenThePasswordChangesOtherwiseOrTheLinkIsForged()
    {
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("stale"), "过期", null, null));
        var newer = await Accounts.IssueResetLinkAsync(_council.Admin, link.UserId);
        Assert.True((await Accounts.ResetPasswordAsync(newer.UserId, newer.Token, Strong)).Succeeded);

        Assert.False((await Accounts.ResetPasswordAsync(link.UserId, link.Token, "Anderes#Passwort2026")).Succeeded);
        Assert.False((await Accounts.ResetPasswordAsync(link.UserId, "forged" + newer.Token, "Anderes#Passwort2026")).Succeeded);
        Assert.False((await Accounts.ResetPasswordAsync(_council.UserId("rep020"), newer.Token, "Anderes#Passwort2026")).Succeeded);
    }

    [Fact]
    public async Task AWeakPasswordIsRefusedWithTheRulesItBreaksAndTheLinkStillWorks()
    {
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("weak"), "弱", null, null));

        var weak = await Accounts.ResetPasswordAsync(link.UserId, link.Token, "short");

        Assert.False(weak.Succeeded);
        Assert.Contains(weak.Errors, e => e.Code == "PasswordTooShort");
        Assert.True((await Accounts.ResetPasswordAsync(link.UserId, link.Token, Strong)).Succeeded);
    }

    [Fact]
    public async Task TheSecretaryIssuesResetLinksOnlyForAccountsSeatedInTheirOwnBody()
    {
        var own = await Accounts.IssueResetLinkAsync(_council.Secretary, _council.UserId("rep021"));
        Assert.Equal("rep021", own.UserName);

        // stakeholder sits in Chengli, not Jiangchuan; resident sits nowhere; admin has no seat.
        foreach (var other in new[] { "stakeholder", "resident", "admin" })
        {
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Accounts.IssueResetLinkAsync(_council.Secretary, _council.UserId(other)));
            Assert.Equal("Office.Secretariat", refused.Code);
        }

        // A representative has no office: refused even for a fellow member.
        var member = await Assert.ThrowsAsync<ForbiddenException>(() => Accounts.IssueResetLinkAsync(_council.Rep(22), _council.UserId("rep023")));
        Assert.Equal("Office.Secretariat", member.Code);
    }

    [Fact]
    public async Task TheSecretaryCannotResetTheAccountOfAnAdministratorSeatedInTheirBody()
    {
        var seat = await Bodies.AddMemberAsync(_council.Admin, await CurrentTermIdAsync(), new MemberInput(Unique("管理员席位"), MemberRole.Member, null, null));
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("seated-admin"), "坐席管理员", null, seat));
        Assert.NotNull(await Accounts.IssueResetLinkAsync(_council.Secretary, link.UserId));

        await Accounts.SetAdminAsync(_council.Admin, link.UserId, admin: true);

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Accounts.IssueResetLinkAsync(_council.Secretary, link.UserId));
        Assert.Equal("Office.Secretariat", refused.Code);
        Assert.NotNull(await Accounts.IssueResetLinkAsync(_council.Admin, link.UserId));
    }

    [Fact]
    public async Task TheSecretarySeesOnlyTheAccountsSeatedInTheirBody()
    {
        var page = await Accounts.ListAccountsAsync(_council.Secretary, "stakeholder", 1);
        Assert.Empty(page.Rows);
        var reps = await Accounts.ListAccountsAsync(_council.Secretary, "rep02", 1);
        Assert.NotEmpty(reps.Rows);
        Assert.All(reps.Rows, r => Assert.True(r.MayIssueResetLink && !r.MayManage));
        Assert.False(reps.ViewerIsAdmin);

        await Assert.ThrowsAsync<ForbiddenException>(() => Accounts.ListAccountsAsync(_council.Rep(24), null, 1));
    }

    [Fact]
    public async Task NonAdministratorsAreRefusedEveryAdministrativeCommandAndNothingIsStored()
    {
        var before = await AuditCountAsync();
        var users = await UserCountAsync();
        foreach (var actor in new[] { _council.Chair, _council.Secretary, _council.Rep(25), _council.ActorFor("resident", Roles.Resident) })
        {
            await Refused(() => Accounts.CreateAccountAsync(actor, new NewAccountInput(Unique("nope"), "不行", null, null)));
            await Refused(() => Accounts.ImportAccountsAsync(actor, Csv("user,display_name", $"{Unique("nope")},不行"), apply: true));
            await Refused(() => Accounts.SetDisabledAsync(actor, _council.UserId("rep026"), disabled: true));
            await Refused(() => Accounts.SetAdminAsync(actor, _council.UserId("rep026"), admin: true));
            await Refused(() => Accounts.ListAuditAsync(actor, null, 1));
            await Refused(() => Accounts.ListOpenSeatsAsync(actor));
        }

        Assert.Equal(before, await AuditCountAsync());
        Assert.Equal(users, await UserCountAsync());

        static async Task Refused(Func<Task> call) => Assert.Equal("AdminOnly", (await Assert.ThrowsAsync<ForbiddenException>(call)).Code);
    }

    [Fact]
    public async Task ACsvImportWithOneBadRowStoresNothingAndReportsEveryBadRow()
    {
        var term = await CurrentTermIdAsync();
        var seatName = Unique("导入席位");
        await Bodies.AddMemberAsync(_council.Admin, term, new MemberInput(seatName, MemberRole.Member, null, null));
        var (a, b) = (Unique("import-a"), Unique("import-b"));
        var users = await UserCountAsync();
        var audit = await AuditCountAsync();

        var bad = await Accounts.ImportAccountsAsync(_council.Admin, Csv(
            "user,display_name,body,seat",
            $"{a},甲,{JiangchuanCouncil.BodyKey},{seatName}",
            $"{b},乙,,",
            "rep001,重名,,",
            "坏 名字,丙,,",
            $"{Unique("c")},,,",
            $"{Unique("d")},丁,no-such-body,某人",
            $"{Unique("e")},戊,{JiangchuanCouncil.BodyKey},{seatName}",
            $"{a},甲二,,"), apply: true);

        Assert.False(bad.IsClean);
        Assert.Equal(0, bad.Created);
        Assert.Empty(bad.Links);
        Assert.Equal(
            [(4, "Account.UserNameTaken"), (5, "Account.UserNameInvalid"), (6, "Account.DisplayName.Required"), (7, "Import.UnknownBody"), (8, "Import.SeatTwice"), (9, "Import.DuplicateAccount")],
            bad.Problems.Select(p => (p.Line, p.Code)));
        Assert.Equal(users, await UserCountAsync());
        Assert.Equal(audit, await AuditCountAsync());

        var good = await Accounts.ImportAccountsAsync(_council.Admin, Csv(
            "user,display_name,body,seat",
            $"{a},甲,{JiangchuanCouncil.BodyKey},{seatName}",
            $"{b},乙,,"), apply: true);

        Assert.True(good.IsClean);
        Assert.Equal(2, good.Created);
        Assert.Equal([a, b], good.Links.Select(l => l.UserName));
        Assert.Equal(users + 2, await UserCountAsync());
        await using var db = await _council.DbAsync();
        var linked = await db.Memberships.Where(m => m.TermId == term && m.Name == seatName).Select(m => m.UserId).SingleAsync();
        Assert.Equal(good.Links[0].UserId, linked);
        Assert.Equal(3, await AuditCountAsync() - audit); // two accounts created and the import
        Assert.True((await Accounts.ResetPasswordAsync(good.Links[1].UserId, good.Links[1].Token, Strong)).Succeeded);
    }

    [Fact]
    public async Task ACheckOnlyImportStoresNothingEvenWhenClean()
    {
        var users = await UserCountAsync();

        var result = await Accounts.ImportAccountsAsync(_council.Admin, Csv("账号,显示名", $"{Unique("check")},检查"), apply: false);

        Assert.True(result.IsClean);
        Assert.Equal((1, 0), (result.Rows, result.Created));
        Assert.Equal(users, await UserCountAsync());
    }

    [Fact]
    public async Task DisablingLocksTheAccountOutAndChangesItsSecurityStampEnablingGivesItBack()
    {
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("disable"), "停用", null, null));
        await Accounts.ResetPasswordAsync(link.UserId, link.Token, Strong);
        var stamp = await StampAsync(link.UserId);

        await Accounts.SetDisabledAsync(_council.Admin, link.UserId, disabled: true);

        Assert.NotEqual(stamp, await StampAsync(link.UserId));
        Assert.False(await PasswordWorksAsync(link.UserName, Strong));
        Assert.Equal("Account.Disabled", (await Assert.ThrowsAsync<DomainException>(() => Accounts.IssueResetLinkAsync(_council.Admin, link.UserId))).Code);

        await Accounts.SetDisabledAsync(_council.Admin, link.UserId, disabled: false);
        Assert.True(await PasswordWorksAsync(link.UserName, Strong));
        Assert.Equal("Account.NotYourself", (await Assert.ThrowsAsync<DomainException>(() => Accounts.SetDisabledAsync(_council.Admin, _council.UserId("admin"), true))).Code);
    }

    [Fact]
    public async Task ChangingOnesPasswordNeedsTheCurrentOneAndChangesTheSecurityStamp()
    {
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("change"), "改密", null, null));
        await Accounts.ResetPasswordAsync(link.UserId, link.Token, Strong);
        var actor = new Actor(link.UserId, new HashSet<string>());
        var stamp = await StampAsync(link.UserId);

        var wrong = await Accounts.ChangePasswordAsync(actor, "not-it", "Zweites#Passwort2026");
        Assert.Equal("PasswordMismatch", Assert.Single(wrong.Errors).Code);
        Assert.Equal(stamp, await StampAsync(link.UserId));

        Assert.True((await Accounts.ChangePasswordAsync(actor, Strong, "Zweites#Passwort2026")).Succeeded);
        Assert.NotEqual(stamp, await StampAsync(link.UserId));
        Assert.True(await PasswordWorksAsync(link.UserName, "Zweites#Passwort2026"));
    }

    [Fact]
    public async Task EveryAdministrativeActionWritesAnAuditEntryWithoutTokensOrPasswords()
    {
        var name = Unique("audited");
        var link = await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(name, "审计", null, null));
        var reset = await Accounts.IssueResetLinkAsync(_council.Admin, link.UserId);
        await Accounts.ResetPasswordAsync(reset.UserId, reset.Token, Strong);
        await Accounts.SetDisabledAsync(_council.Admin, link.UserId, true);
        await Accounts.SetDisabledAsync(_council.Admin, link.UserId, false);
        await Accounts.SetAdminAsync(_council.Admin, link.UserId, true);
        await Accounts.SetAdminAsync(_council.Admin, link.UserId, false);
        var bodyKey = Unique("audit-body");
        var bodyId = await Bodies.CreateBodyAsync(_council.Admin, new BodyInput(bodyKey, "审计议事会", "Audit council", BodyKind.Council));
        var termId = await Bodies.AddTermAsync(_council.Admin, bodyId, new TermInput(1, "第一届", "1st", new DateOnly(2026, 1, 1), null));
        var seat = await Bodies.AddMemberAsync(_council.Admin, termId, new MemberInput("审计成员", MemberRole.Member, null, null));
        await Bodies.EndSeatAsync(_council.Admin, seat, "离任");
        await Bodies.ReinstateAsync(_council.Admin, seat);
        await Bodies.RemoveMemberAsync(_council.Admin, seat);
        await Bodies.ImportMembersAsync(_council.Admin, termId, Csv("name,role", "导入成员,成员"), apply: true);

        var page = await Accounts.ListAuditAsync(_council.Admin, null, 1);
        var mine = page.Rows.Where(r => r.Target == name || r.Target.StartsWith(bodyKey, StringComparison.Ordinal)).Reverse().ToList();
        Assert.Equal(
            [AuditAction.AccountCreated, AuditAction.ResetLinkIssued, AuditAction.PasswordResetByLink, AuditAction.AccountDisabled, AuditAction.AccountEnabled,
             AuditAction.RoleGranted, AuditAction.RoleRevoked, AuditAction.BodyCreated, AuditAction.TermAdded, AuditAction.SeatAdded, AuditAction.SeatEnded,
             AuditAction.SeatReinstated, AuditAction.SeatRemoved, AuditAction.MembersImported],
            mine.Select(r => r.Action));
        Assert.All(mine.Where(r => r.Action != AuditAction.PasswordResetByLink), r => Assert.Equal("admin", r.ActorName));
        Assert.All(mine, r => Assert.DoesNotContain(reset.Token, r.Detail + r.Target, StringComparison.Ordinal));
        Assert.All(mine, r => Assert.DoesNotContain(Strong, r.Detail + r.Target, StringComparison.Ordinal));
        Assert.True(page.Rows.Zip(page.Rows.Skip(1)).All(p => p.First.Id > p.Second.Id), "newest first");

        var filtered = await Accounts.ListAuditAsync(_council.Admin, AuditAction.RoleGranted, 1);
        Assert.All(filtered.Rows, r => Assert.Equal(AuditAction.RoleGranted, r.Action));
        Assert.Contains(filtered.Rows, r => r.Target == name);
    }

    [Fact]
    public async Task TheDatabaseRefusesToChangeOrDeleteAnAuditEntry()
    {
        await Accounts.CreateAccountAsync(_council.Admin, new NewAccountInput(Unique("immutable"), "不可改", null, null));
        using var connection = fixture.Database.OpenAnyRawConnection();
        var count = Scalar(connection, "SELECT COUNT(*) FROM \"AuditEntries\"");

        Assert.ThrowsAny<DbException>(() => Execute(connection, "UPDATE \"AuditEntries\" SET \"Detail\" = 'rewritten'"));
        Assert.ThrowsAny<DbException>(() => Execute(connection, "DELETE FROM \"AuditEntries\""));
        Assert.Equal(count, Scalar(connection, "SELECT COUNT(*) FROM \"AuditEntries\""));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM \"AuditEntries\" WHERE \"Detail\" = 'rewritten'"));

        static void Execute(DbConnection c, string sql)
        {
            using var command = c.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        static long Scalar(DbConnection c, string sql)
        {
            using var command = c.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task CreateAdminAppendsAnAuditEntryFromTheServerConsole()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var services = AccountServices.Create(database);
        await using (var scope = services.CreateAsyncScope())
        {
            var result = await AdminAccounts.CreateOrPromoteAsync(
                scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>(),
                scope.ServiceProvider.GetRequiredService<Deliberation.Persistence.DeliberationDbContext>(), "zhang.wei", Strong);
            Assert.True(result.Succeeded);
        }

        await using var db = await database.Factory.CreateDbContextAsync();
        var entry = Assert.Single(await db.AuditEntries.ToListAsync());
        Assert.Equal((AuditAction.AdminCommandRun, "zhang.wei", AuditLog.Console, (string?)null), (entry.Action, entry.Target, entry.ActorName, entry.ActorUserId));
        Assert.DoesNotContain(Strong, entry.Detail, StringComparison.Ordinal);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static MemoryStream Csv(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    private async Task<int> CurrentTermIdAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.Terms.Where(t => t.Body.Key == JiangchuanCouncil.BodyKey).OrderByDescending(t => t.Number).Select(t => t.Id).FirstAsync();
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.Users.CountAsync();
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.AuditEntries.CountAsync();
    }

    private async Task<string?> StampAsync(string userId)
    {
        await using var db = await _council.DbAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    /// <summary>Whether the password would sign in: right password, and not locked out (a disabled account is).</summary>
    private async Task<bool> PasswordWorksAsync(string userName, string password)
    {
        await using var scope = fixture.Database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        return user is not null && !await users.IsLockedOutAsync(user) && await users.CheckPasswordAsync(user, password);
    }
}
