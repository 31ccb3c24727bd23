using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>
/// The rules every account follows (password strength, lockout), in one place for the app, the <c>create-admin</c>
/// command and the tests, and the Identity services wired with them.
/// </summary>
public static class AccountPolicy
{
    public const int MinimumPasswordLength = 8;

    /// <summary>After this many wrong passwords in a row an account is locked for <see cref="LockoutDuration"/>.</summary>
    public const int MaxFailedAttempts = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Apply(IdentityOptions options)
    {
        options.Password.RequiredLength = MinimumPasswordLength;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        options.User.RequireUniqueEmail = false;
    }

    /// <summary>
    /// Turns lockout on for every account that has it off (the demo accounts of databases seeded before it was set), so
    /// no account escapes <see cref="MaxFailedAttempts"/>. Run at start-up; returns how many accounts changed.
    /// </summary>
    public static async Task<int> EnableLockoutForEveryoneAsync(IDbContextFactory<DeliberationDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => !u.LockoutEnabled).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnabled, true), ct);
    }

    /// <summary>
    /// Identity on the deliberation database: users, roles, sign-in manager, and a scoped <see cref="DeliberationDbContext"/>
    /// for Identity's stores. The host adds authentication (the schemes) and token providers.
    /// </summary>
    public static IdentityBuilder AddDeliberationAccounts(this IServiceCollection services)
    {
        services.AddScoped<PasswordSignIn>();
        return services.AddDeliberationUsers().AddSignInManager();
    }

    /// <summary>
    /// Users, roles and token providers on the deliberation database, without sign-in (which needs the host's
    /// authentication): what <c>AccountService</c> needs, in the app and in tests alike. Reset tokens live
    /// <c>Accounts:ResetLinkLifetime</c>.
    /// </summary>
    public static IdentityBuilder AddDeliberationUsers(this IServiceCollection services)
    {
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<DeliberationDbContext>>().CreateDbContext());
        services.AddDataProtection();
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountOptions>>((tokens, accounts) =>
            tokens.TokenLifespan = accounts.Value.ResetLinkLifetime);
        return services.AddIdentityCore<AppUser>(Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeliberationDbContext>()
            .AddDefaultTokenProviders();
    }
}
