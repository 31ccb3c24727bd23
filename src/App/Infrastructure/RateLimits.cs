using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CommunityDeliberation.Deliberation.Topics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Configuration section "RateLimits" (README, configuration table). Every limit counts per client address
/// (IPv6 per /64; behind a proxy only when it is named in ForwardedHeaders:KnownProxies) unless it says otherwise.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts (form posts and <c>/api/auth/login</c>) per address per minute. A hall full of members
    /// behind one router signs in through one address: 150 take under three minutes.</summary>
    public int SignInPerAddress { get; set; } = 60;

    /// <summary>Failed sign-in attempts per account name (known or not) per 15 minutes, from anywhere; then 429 until the
    /// window moves on. Successful sign-ins do not count (a chair signing in on several devices is not throttled).</summary>
    public int SignInPerAccount { get; set; } = 10;

    /// <summary>Posts of the residents' topic form per address per hour (the stored topics are limited again, 3 an
    /// hour and 10 a day per source, by TopicService).</summary>
    public int TopicPostsPerAddress { get; set; } = 20;

    /// <summary>Posts of the hearings' registration and status forms per address per hour (the stored registrations are
    /// limited again, 5 an hour and 20 a day per source, by HearingPublicService).</summary>
    public int HearingPostsPerAddress { get; set; } = 30;

    /// <summary>Downloads of the archive's zip export per address per hour (and at most two at once in all).</summary>
    public int ArchiveExportPerAddress { get; set; } = 5;

    /// <summary>Archive searches per address per minute.</summary>
    public int SearchPerAddress { get; set; } = 60;

    /// <summary>Open connections to the live hub per account at once.</summary>
    public int HubConnectionsPerUser { get; set; } = 20;
}

/// <summary>
/// ASP.NET Core's rate limiter (Microsoft.AspNetCore.RateLimiting): one named policy per abusable endpoint, attached
/// where the endpoint is declared (<c>[EnableRateLimiting]</c> on pages, <c>RequireRateLimiting</c> on endpoints), and
/// the per-account sign-in limit (<see cref="SignInLimiter"/>), which needs the name from the request body.
/// Over a limit: 429 with Retry-After when known.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string TopicIntake = "topic-intake";
    public const string HearingRegistration = "hearing-registration";
    public const string ArchiveExport = "archive-export";
    public const string Search = "archive-search";
    public const string HubConnections = "hub-connections";

    public static IServiceCollection AddAppRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings();
        services.AddSingleton(settings);
        services.AddSingleton<SignInLimiter>();
        services.AddRateLimiter(options =>
        {
            options.OnRejected = RejectAsync;
            options.AddPolicy(SignIn, http => PerAddress(http, postsOnly: true, settings.SignInPerAddress, TimeSpan.FromMinutes(1)));
            options.AddPolicy(TopicIntake, http => PerAddress(http, postsOnly: true, settings.TopicPostsPerAddress, TimeSpan.FromHours(1)));
            options.AddPolicy(HearingRegistration, http => PerAddress(http, postsOnly: true, settings.HearingPostsPerAddress, TimeSpan.FromHours(1)));
            options.AddPolicy(ArchiveExport, http => PerAddress(http, postsOnly: false, settings.ArchiveExportPerAddress, TimeSpan.FromHours(1)));
            options.AddPolicy(Search, http => PerAddress(http, postsOnly: false, settings.SearchPerAddress, TimeSpan.FromMinutes(1)));
            // Runs after authorization, which has signed the connection in by cookie or bearer token.
            options.AddPolicy(HubConnections, http => http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
                ? RateLimitPartition.GetConcurrencyLimiter(userId, _ => new ConcurrencyLimiterOptions { PermitLimit = settings.HubConnectionsPerUser, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(string.Empty));
        });
        return services;
    }

    /// <summary>The client address as the limits count it: IPv4 as is, IPv6 per /64.</summary>
    public static string ClientKey(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address ? TopicSourceKey.Group(address) : IPAddress.None.ToString();

    private static RateLimitPartition<string> PerAddress(HttpContext http, bool postsOnly, int permits, TimeSpan window) =>
        postsOnly && !HttpMethods.IsPost(http.Request.Method)
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetSlidingWindowLimiter(ClientKey(http), _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var message = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>()["RateLimit.TooMany"].Value;
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs"))
        {
            await http.Response.WriteAsJsonAsync(new { error = "RateLimit.TooMany", message }, ct);
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, ct);
    }
}

/// <summary>
/// Failed sign-in attempts per account name, known or not (<see cref="RateLimitSettings.SignInPerAccount"/> per 15
/// minutes): the sign-in page and <c>/api/auth/login</c> ask <see cref="MayTry"/> once they have read the name, before
/// the password is checked, and report a failure with <see cref="Failed"/>. Lockout stops guessing at one account after
/// 5; this also caps the hashing work spent on names without an account, which never lock.
/// </summary>
public sealed class SignInLimiter(RateLimitSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        name => RateLimitPartition.GetSlidingWindowLimiter(name, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.SignInPerAccount,
            Window = TimeSpan.FromMinutes(15),
            SegmentsPerWindow = 15,
            QueueLimit = 0,
        }),
        StringComparer.Ordinal);

    /// <summary>False when this name has used up its failed attempts (names out of bounds are refused later anyway).</summary>
    public bool MayTry(string? userName)
    {
        // Asking for no permit only looks whether one is left.
        using var lease = Key(userName) is { } key ? _limiter.AttemptAcquire(key, 0) : null;
        return lease?.IsAcquired ?? true;
    }

    /// <summary>Counts a failed attempt (a wrong password, an unknown name, a locked account) against the name.</summary>
    public void Failed(string? userName)
    {
        if (Key(userName) is { } key)
        {
            _limiter.AttemptAcquire(key).Dispose();
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static string? Key(string? userName)
    {
        var key = (userName ?? string.Empty).Trim().ToUpperInvariant();
        return key.Length is 0 or > 100 ? null : key;
    }
}
