using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>The <c>create-admin</c> command's work on a production database, which starts with no accounts at all.</summary>
public sealed class AdminAccountsTests
{
    private const string Strong = "Stadt#Rat2026";

    [Fact]
    public async Task CreateAdminOnAnEmptyDatabaseMakesAnAdministratorWhoCanSignIn()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var services = AccountServices.Create(database);

        var result = await RunAsync(services, "zhang.wei", Strong);

        Assert.Equal((true, true), (result.Succeeded, result.Created));
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync("zhang.wei");
        Assert.NotNull(user);
        Assert.True(await users.IsInRoleAsync(user, Roles.Admin));
        var signIn = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CheckPasswordSignInAsync(user, Strong, lockoutOnFailure: true);
        Assert.True(signIn.Succeeded);
    }

    [Theory]
    [InlineData("short1!")]
    [InlineData("alllowercase#2026")]
    [InlineData("NoDigitsHere!")]
    [InlineData("")]
    public async Task AWeakPasswordIsRefusedWithTheReasonsAndNothingIsStored(string password)
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var services = AccountServices.Create(database);

        var result = await RunAsync(services, "zhang.wei", password);

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Equal((0, 0), (await db.Users.CountAsync(), await db.Roles.CountAsync()));
    }

    [Fact]
    public async Task AnExistingAccountIsPromotedAndGetsTheNewPassword()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await SeedLoader.LoadAsync(database.Factory, RepositoryPaths.Seeds, TimeProvider.System);
        await using var services = AccountServices.Create(database);

        var result = await RunAsync(services, "resident", Strong);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.False(result.Created);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByNameAsync("resident"))!;
        Assert.True(await users.IsInRoleAsync(user, Roles.Admin));
        Assert.True(await users.CheckPasswordAsync(user, Strong));
        Assert.False(await users.CheckPasswordAsync(user, "Resident#2026"));
    }

    [Fact]
    public async Task ADatabaseWithAnAdministratorNeverGetsTheDemoAccounts()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var services = AccountServices.Create(database);
        Assert.True((await RunAsync(services, "zhang.wei", Strong)).Succeeded);

        var report = await SeedLoader.LoadAsync(database.Factory, RepositoryPaths.Seeds, TimeProvider.System);

        Assert.False(report.Loaded);
        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Equal(["zhang.wei"], await db.Users.Select(u => u.UserName!).ToListAsync());
    }

    private static async Task<AdminAccountResult> RunAsync(IServiceProvider services, string userName, string password)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        return await AdminAccounts.CreateOrPromoteAsync(provider.GetRequiredService<UserManager<AppUser>>(), provider.GetRequiredService<RoleManager<IdentityRole>>(),
            provider.GetRequiredService<DeliberationDbContext>(), userName, password);
    }
}
