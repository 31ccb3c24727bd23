using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>
/// The rules every account follows (password strength, lockout), in one place for the app, the <c>create-admin</c>
/// command and the tests, and the Identity services wired with them.
/// </summary>
public static class AccountPolicy
{
    public const int MinimumPasswordLength = 8;

    public const int MaxFailedAttempts = 10;

    public static void Apply(IdentityOptions options)
    {
        options.Password.RequiredLength = MinimumPasswordLength;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.User.RequireUniqueEmail = false;
    }

    /// <summary>
    /// Identity on the deliberation database: users, roles, sign-in manager, and a scoped <see cref="DeliberationDbContext"/>
    /// for Identity's stores. The host adds authentication (the schemes) and token providers.
    /// </summary>
    public static IdentityBuilder AddDeliberationAccounts(this IServiceCollection services)
    {
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<DeliberationDbContext>>().CreateDbContext());
        return services.AddIdentityCore<AppUser>(Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeliberationDbContext>()
            .AddSignInManager();
    }
}
