using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>
/// The password check of both sign-ins (<see cref="PasswordSignIn"/>) on the seeded accounts: lockout after
/// <see cref="AccountPolicy.MaxFailedAttempts"/> wrong passwords, and a hash verified for unknown names too.
/// </summary>
public sealed class PasswordSignInTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private readonly CountingHasher _hasher = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        await SeedLoader.LoadAsync(_database.Factory, RepositoryPaths.Seeds, TimeProvider.System);
        _services = AccountServices.Create(_database, services => services.AddSingleton<IPasswordHasher<AppUser>>(_hasher));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TwelveWrongPasswordsLockTheAccountAndThenTheRightOneIsRefused()
    {
        for (var i = 0; i < 12; i++)
        {
            var wrong = await CheckAsync("rep137", "Wrong#2026-" + i);
            Assert.Equal(i < AccountPolicy.MaxFailedAttempts - 1 ? SignInOutcome.Failed : SignInOutcome.LockedOut, wrong.Outcome);
        }

        var right = await CheckAsync("rep137", "Member#2026");

        Assert.Equal(SignInOutcome.LockedOut, right.Outcome);
        Assert.Null(right.User);
        await using var db = await _database.Factory.CreateDbContextAsync();
        var end = await db.Users.Where(u => u.UserName == "rep137").Select(u => u.LockoutEnd).SingleAsync();
        Assert.InRange(end!.Value - DateTimeOffset.UtcNow, AccountPolicy.LockoutDuration - TimeSpan.FromMinutes(1), AccountPolicy.LockoutDuration);
    }

    [Fact]
    public async Task FewerWrongPasswordsThanTheLimitDoNotLock()
    {
        for (var i = 0; i < AccountPolicy.MaxFailedAttempts - 1; i++)
        {
            Assert.Equal(SignInOutcome.Failed, (await CheckAsync("rep138", "Wrong#2026")).Outcome);
        }

        var right = await CheckAsync("rep138", "Member#2026");

        Assert.Equal(SignInOutcome.Succeeded, right.Outcome);
        Assert.Equal("rep138", right.User!.UserName);
    }

    [Fact]
    public async Task EveryDemoAccountHasLockoutOn()
    {
        await using var db = await _database.Factory.CreateDbContextAsync();

        Assert.Empty(await db.Users.Where(u => !u.LockoutEnabled).Select(u => u.UserName).ToListAsync());
    }

    [Fact]
    public async Task StartUpTurnsLockoutOnForAccountsThatHadItOff()
    {
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.UserName == "rep139" || u.UserName == "rep140").ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnabled, false));
        }

        Assert.Equal(2, await AccountPolicy.EnableLockoutForEveryoneAsync(_database.Factory));

        for (var i = 0; i < AccountPolicy.MaxFailedAttempts; i++)
        {
            await CheckAsync("rep139", "Wrong#2026");
        }

        Assert.Equal(SignInOutcome.LockedOut, (await CheckAsync("rep139", "Member#2026")).Outcome);
    }

    [Fact]
    public async Task AnUnknownNameCostsOnePasswordHashVerificationLikeAKnownOne()
    {
        var before = _hasher.Verifications;
        var unknown = await CheckAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "Whatever#2026");
        var afterUnknown = _hasher.Verifications;
        var known = await CheckAsync("rep141", "Wrong#2026");

        Assert.Equal((SignInOutcome.Failed, SignInOutcome.Failed), (unknown.Outcome, known.Outcome));
        Assert.Equal(1, afterUnknown - before);
        Assert.Equal(1, _hasher.Verifications - afterUnknown);
    }

    private async Task<SignInCheck> CheckAsync(string userName, string password)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(userName, password);
    }

    /// <summary>Identity's own hasher, counting verifications.</summary>
    private sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
