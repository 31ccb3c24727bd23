using System.Security.Claims;
using CommunityDeliberation.App.Hubs;
using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// Sessions follow the account (issue 11, docs/security.md): a circuit, a cookie and a hub connection are checked against
/// the account — it still exists, is not disabled and has the security stamp the principal carries — every
/// <see cref="AccountOptions.RevalidationInterval"/> (circuits and cookies) and on every hub connect (bearer tokens).
/// </summary>
public static class AccountSetup
{
    private const string DisplayNameClaim = "display_name";

    public static WebApplicationBuilder AddAccountChecks(this WebApplicationBuilder builder)
    {
        var interval = builder.Configuration.GetSection(AccountOptions.Section).Get<AccountOptions>()?.RevalidationInterval ?? new AccountOptions().RevalidationInterval;
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAccountStateProvider>();
        // Identity re-reads the cookie's account at the same interval (its default is 30 minutes).
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = interval;
            // The refreshed cookie is built from the account; keep the display name the sign-in added.
            options.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(DisplayNameClaim) is { } name && context.NewPrincipal?.Identity is ClaimsIdentity identity
                    && !identity.HasClaim(c => c.Type == DisplayNameClaim))
                {
                    identity.AddClaim(new Claim(DisplayNameClaim, name.Value));
                }

                return Task.CompletedTask;
            };
        });
        builder.Services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IOptions<AccountOptions>>((bearer, accounts) =>
        {
            bearer.BearerTokenExpiration = accounts.Value.HubTokenLifetime;
            bearer.RefreshTokenExpiration = accounts.Value.HubRefreshLifetime;
        });
        return builder;
    }

    /// <summary>
    /// After authorization: a hub request (negotiate or connect) whose principal's account was disabled, removed or has
    /// another security stamp (its password changed) is refused with 401 <c>Auth.AccountChanged</c>.
    /// </summary>
    public static WebApplication UseLiveHubAccountCheck(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HubSetup.HubPath) && context.User.Identity?.IsAuthenticated == true
                && !await IsCurrentAsync(context.RequestServices, context.User))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new LoginEndpoint.ErrorResponse("Auth.AccountChanged",
                    "This account was disabled or its password changed: sign in again."), context.RequestAborted);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The account of <paramref name="principal"/> when it still exists, is not disabled and has the same security stamp; else null.</summary>
    public static async Task<AppUser?> CurrentAccountAsync(IServiceProvider services, ClaimsPrincipal principal)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return null;
        }

        var stamp = principal.FindFirstValue(users.Options.ClaimsIdentity.SecurityStampClaimType);
        return !users.SupportsUserSecurityStamp || string.Equals(stamp, await users.GetSecurityStampAsync(user), StringComparison.Ordinal) ? user : null;
    }

    public static async Task<bool> IsCurrentAsync(IServiceProvider services, ClaimsPrincipal principal) =>
        await CurrentAccountAsync(services, principal) is not null;
}

/// <summary>
/// The circuit's authentication state, re-checked every <see cref="AccountOptions.RevalidationInterval"/>: when the
/// account was disabled or its password changed (a new security stamp), the circuit becomes signed out
/// (<c>SignedOutWatcher</c> then takes the page to the sign-in page).
/// </summary>
internal sealed class RevalidatingAccountStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<AccountOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await AccountSetup.IsCurrentAsync(scope.ServiceProvider, authenticationState.User);
    }
}
