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

    /// <summary>A short-lived access token for the hub and a refresh token that gets the next one (<c>/api/auth/refresh</c>).</summary>
    public sealed record LoginResponse(string AccessToken, long ExpiresIn, string RefreshToken);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record ErrorResponse(string Error, string Message);

    public static Task<IResult> HandleAsync(HttpContext context, PasswordSignIn passwords, SignInManager<AppUser> signIn, TimeProvider clock, ILoggerFactory loggers) =>
        WhileDatabaseAnswersAsync(loggers, () => SignInAsync(context, passwords, signIn, clock, loggers));

    private static async Task<IResult> SignInAsync(HttpContext context, PasswordSignIn passwords, SignInManager<AppUser> signIn, TimeProvider clock, ILoggerFactory loggers)
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

        loggers.CreateLogger(typeof(LoginEndpoint)).LogInformation("Bearer token issued to {UserName}", user.UserName);
        return await IssueAsync(context, signIn, clock, user);
    }

    /// <summary>
    /// <c>POST /api/auth/refresh</c> with <c>{ "refreshToken": "…" }</c>: a new access and refresh token, when the refresh
    /// token is valid and unexpired and its account still exists, is not disabled and has the same security stamp (its
    /// password has not changed since). Otherwise 401 <c>Auth.RefreshRefused</c>: sign in again.
    /// </summary>
    public static Task<IResult> RefreshAsync(HttpContext context, SignInManager<AppUser> signIn, TimeProvider clock, ILoggerFactory loggers) =>
        WhileDatabaseAnswersAsync(loggers, () => RenewAsync(context, signIn, clock));

    private static async Task<IResult> RenewAsync(HttpContext context, SignInManager<AppUser> signIn, TimeProvider clock)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        RefreshRequest? input;
        try
        {
            input = await context.Request.ReadFromJsonAsync<RefreshRequest>(context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Error(StatusCodes.Status400BadRequest, "Auth.BadRequest", "Send JSON: { \"refreshToken\": \"…\" } (at most 4 KB).");
        }

        var options = HubSetup.BearerOptions(context.RequestServices);
        var ticket = input?.RefreshToken is { Length: > 0 and < MaxBodyBytes } token ? options.RefreshTokenProtector.Unprotect(token) : null;
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires < clock.GetUtcNow()
            || await AccountSetup.CurrentAccountAsync(context.RequestServices, ticket.Principal) is not { } user)
        {
            return Error(StatusCodes.Status401Unauthorized, "Auth.RefreshRefused", "This sign-in has ended (expired, account disabled or password changed): sign in again.");
        }

        return await IssueAsync(context, signIn, clock, user);
    }

    /// <summary>The principal the cookie sign-in builds (user id, name, roles, security stamp), plus the display name, as an access and a refresh token.</summary>
    private static async Task<IResult> IssueAsync(HttpContext context, SignInManager<AppUser> signIn, TimeProvider clock, AppUser user)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("display_name", user.NameFor(english: false)));
        var options = HubSetup.BearerOptions(context.RequestServices);
        var now = clock.GetUtcNow();
        var access = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var refresh = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.RefreshTokenExpiration };
        var token = options.BearerTokenProtector.Protect(new AuthenticationTicket(principal, access, $"{IdentityConstants.BearerScheme}:AccessToken"));
        var refreshToken = options.RefreshTokenProtector.Protect(new AuthenticationTicket(principal, refresh, $"{IdentityConstants.BearerScheme}:RefreshToken"));
        return Results.Json(new LoginResponse(token, (long)options.BearerTokenExpiration.TotalSeconds, refreshToken));
    }

    /// <summary>
    /// Runs a sign-in or refresh; when the database cannot be reached (PostgreSQL restarting, a failover) the client gets
    /// 503 with Retry-After and a JSON problem body (<c>error</c>: <c>Service.Unavailable</c>) to retry on, not an empty
    /// 500 — nor the HTML "reconnecting" page that a browser gets from <see cref="DatabaseOutage"/>. Other failures go
    /// on to the usual handler.
    /// </summary>
    public static async Task<IResult> WhileDatabaseAnswersAsync(ILoggerFactory loggers, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception error) when (DatabaseOutage.IsOutage(error))
        {
            loggers.CreateLogger(typeof(LoginEndpoint)).LogWarning(error, "Database unreachable during a hub sign-in: answered 503");
            return new DatabaseUnavailableResult();
        }
    }

    /// <summary>503, <c>Retry-After</c> and an RFC 9457 problem body that also carries the usual <c>error</c> code.</summary>
    private sealed class DatabaseUnavailableResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The service is reconnecting to its database.",
                detail: $"Try again in {DatabaseOutage.RetrySeconds} seconds.",
                extensions: new Dictionary<string, object?> { ["error"] = "Service.Unavailable", ["retryAfter"] = DatabaseOutage.RetrySeconds })
                .ExecuteAsync(httpContext);
        }
    }

    private static IResult InvalidCredentials() =>
        Error(StatusCodes.Status401Unauthorized, "Auth.InvalidCredentials", "The user name or password is incorrect.");

    private static IResult Error(int status, string code, string message) => Results.Json(new ErrorResponse(code, message), statusCode: status);
}
