using System.Security.Claims;
using System.Text.Json;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.App.Hubs;

/// <summary>
/// <c>POST /api/auth/login</c>: the same accounts, passwords and lockout as the sign-in page, answered with an Identity
/// bearer token for the hub instead of a cookie.
/// </summary>
public static class LoginEndpoint
{
    private const int MaxBodyBytes = 4 * 1024;

    public sealed record LoginRequest(string? UserName, string? Password);

    public sealed record LoginResponse(string AccessToken, long ExpiresIn);

    public sealed record ErrorResponse(string Error, string Message);

    public static async Task<IResult> HandleAsync(HttpContext context, PasswordSignIn passwords, SignInManager<AppUser> signIn, TimeProvider clock, ILoggerFactory loggers)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        LoginRequest? input;
        try
        {
            input = await context.Request.ReadFromJsonAsync<LoginRequest>(context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            // Not JSON, the wrong content type, or a body over the limit.
            return Error(StatusCodes.Status400BadRequest, "Auth.BadRequest", "Send JSON: { \"userName\": \"…\", \"password\": \"…\" } (at most 4 KB).");
        }

        // The same checks as the sign-in page: failed attempts per account name, bounds, lockout on failure, equal work
        // for unknown names. (Attempts per client address are limited before the body is read: RateLimits.SignIn.)
        var limiter = context.RequestServices.GetRequiredService<SignInLimiter>();
        if (!limiter.MayTry(input?.UserName))
        {
            return Error(StatusCodes.Status429TooManyRequests, "Auth.TooManyAttempts", "Too many sign-in attempts for this user name. Try again in a few minutes.");
        }

        var check = await passwords.CheckAsync(input?.UserName, input?.Password);
        if (check.Outcome != SignInOutcome.Succeeded)
        {
            limiter.Failed(input?.UserName);
        }

        if (check.Outcome == SignInOutcome.LockedOut)
        {
            return Error(StatusCodes.Status401Unauthorized, "Auth.LockedOut", "Too many failed attempts: this account is locked for a while. Try again later.");
        }

        if (check is not { Outcome: SignInOutcome.Succeeded, User: { } user })
        {
            return InvalidCredentials();
        }

        // The principal the cookie sign-in builds (user id, name, roles, security stamp), plus the display name.
        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("display_name", user.NameFor(english: false)));
        var options = HubSetup.BearerOptions(context.RequestServices);
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var token = options.BearerTokenProtector.Protect(new AuthenticationTicket(principal, properties, $"{IdentityConstants.BearerScheme}:AccessToken"));
        loggers.CreateLogger(typeof(LoginEndpoint)).LogInformation("Bearer token issued to {UserName}", user.UserName);
        return Results.Json(new LoginResponse(token, (long)options.BearerTokenExpiration.TotalSeconds));
    }

    private static IResult InvalidCredentials() =>
        Error(StatusCodes.Status401Unauthorized, "Auth.InvalidCredentials", "The user name or password is incorrect.");

    private static IResult Error(int status, string code, string message) => Results.Json(new ErrorResponse(code, message), statusCode: status);
}
