using System.Net;
using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// Accounts, start-up data, headers, proxies and abuse limits (docs/security.md, ADR 0014), kept out of Program.cs.
/// </summary>
public static class SecuritySetup
{
    private const string NonceItem = "cd.csp-nonce";

    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddDeliberationAccounts().AddDefaultTokenProviders();

        // Cookies are Secure whenever the request came over HTTPS (directly or through a trusted proxy).
        builder.Services.ConfigureApplicationCookie(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        PublicAddress.Validate(builder.Configuration["App:PublicBaseUrl"]);

        var proxies = Addresses(builder.Configuration, "ForwardedHeaders:KnownProxies");
        var networks = Addresses(builder.Configuration, "ForwardedHeaders:KnownNetworks");
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Only the configured proxies are believed (the framework's default trusts loopback); X-Forwarded-Host is never
            // read. Entries are taken from the right while they come from a known proxy, so a chain of them works.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardLimit = null;
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network such as 10.0.0.0/8."));
            }
        });

        // The secret the session log's signing key is derived from (SessionLogSigner, ADR 0015).
        ServerSecrets.Require(builder, SessionLogOptions.Section + ":" + nameof(SessionLogOptions.SigningKey), "session-log-signing.secret",
            "the session log's ECDSA P-256 signing key is derived from it; keep it the same on every instance and keep a backup (a new one signs anew, retired public keys go in SessionLog:RetiredPublicKeys).");
        // Data Protection keys (sign-in cookies, antiforgery) in the database, their XML encrypted with this secret.
        var keySecret = ServerSecrets.Require(builder, DataProtectionKeys.SecretKey, "data-protection-keys.secret",
            "it encrypts the Data Protection key ring (sign-in cookies) stored in the database; the same on every instance.");
        builder.Services.AddDataProtectionKeysInDatabase(keySecret);

        // The key of the hash under which topic senders' addresses are stored (TopicSourceKey).
        ServerSecrets.Require(builder, TopicOptions.Section + ":" + nameof(TopicOptions.SourceKeySecret), "topics-source-key.secret",
            "it keys the hash under which the addresses of residents who send topics are stored.");

        // The secret from which every secret vote's sealing key is derived (BallotSeal, ADR 0016).
        ServerSecrets.Require(builder, BallotSealOptions.Section + ":" + nameof(BallotSealOptions.BallotSealingKey), "ballot-sealing-key.secret",
            "secret ballots are sealed under keys derived from it until their vote closes; every instance needs the same one, and a ballot sealed under a lost key cannot be counted.");
        // The key of the hash that makes one hearing registration per person (HearingIdentityKey): a new key would let
        // everyone register again, so it is kept like the topic key.
        ServerSecrets.Require(builder, HearingOptions.Section + ":" + nameof(HearingOptions.IdentityKeySecret), "hearings-identity-key.secret",
            "it keys the hash of registrants' contacts that allows one registration per person and hearing.");
        builder.Services.AddAppRateLimits(builder.Configuration);
        return builder;
    }

    private static string[] Addresses(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var list = section.Value is { } single ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.Get<string[]>() ?? [];
        return list.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).ToArray();
    }

    /// <summary>
    /// First in the pipeline: the client's address and scheme from X-Forwarded-For/-Proto when the connection comes from a
    /// configured proxy (only then), HSTS outside Development (sent on HTTPS only), and the security headers on every
    /// response, error pages included.
    /// </summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count + options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use((context, next) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Scripts only from this site, plus the framework's inline import map, which carries this response's nonce
    /// (<c>&lt;ImportMap nonce=…&gt;</c> in App.razor). Blazor Server needs neither <c>unsafe-eval</c> nor inline
    /// script; its WebSocket is covered by <c>connect-src 'self'</c>. Inline styles are allowed (<c>style-src
    /// 'unsafe-inline'</c>): MudBlazor's theme provider writes the theme as a <c>&lt;style&gt;</c> element and its
    /// components and the tally bars set <c>style="…"</c> attributes; styles cannot run code, and scripts stay nonce-only. Images only from this site or <c>data:</c>: an image from another site in user Markdown is never fetched.
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>This response's CSP nonce, for the framework's inline import map.</summary>
    public static string? CspNonce(HttpContext? context) => context?.Items[NonceItem] as string;

    /// <summary>
    /// The site's address for the absolute links of feeds: <c>App:PublicBaseUrl</c>, else the request's host when it is
    /// listed in <c>AllowedHosts</c>, else the server's own listening address (<see cref="PublicAddress"/>).
    /// </summary>
    public static string PublicRoot(HttpContext context)
    {
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        var listening = context.RequestServices.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var fallback = listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
        var request = context.Request;
        return PublicAddress.Choose(configuration["App:PublicBaseUrl"], configuration["AllowedHosts"], request.Scheme, request.Host.Value ?? string.Empty, request.PathBase, fallback);
    }

    /// <summary>
    /// Runs <c>create-admin</c> or <c>verify-log</c> when the arguments name it (then returns false: the process ends with its exit code);
    /// otherwise migrates the database, turns lockout on for every account, and loads the demo data when
    /// <see cref="LoadsDemoData"/> allows it.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app, DatabaseSettings database, string[] args)
    {
        if (args.Contains(VerifyLogCommand.Name, StringComparer.Ordinal))
        {
            Environment.ExitCode = await VerifyLogCommand.RunAsync(app, Console.Out, Console.Error);
            return false;
        }

        // The command may follow host options (`--contentRoot <path> create-admin <name>`), never an option's value.
        var at = Array.IndexOf(args, AdminCommand.Name);
        if (at >= 0 && (at == 0 || !args[at - 1].StartsWith('-') || args[at - 1].Contains('=')))
        {
            Environment.ExitCode = await AdminCommand.RunAsync(app, args[(at + 1)..], Console.In, Console.Out, Console.Error);
            return false;
        }

        var factory = app.Services.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
        await DatabaseInitializer.MigrateAsync(factory);
        var unlocked = await AccountPolicy.EnableLockoutForEveryoneAsync(factory);
        if (unlocked > 0)
        {
            app.Logger.LogInformation("Lockout turned on for {Count} accounts that had it off", unlocked);
        }

        if (LoadsDemoData(database, app.Environment))
        {
            var folder = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, database.SeedFolder!));
            var report = await SeedLoader.LoadAsync(factory, folder, TimeProvider.System);
            if (report.Loaded && !app.Environment.IsDevelopment())
            {
                app.Logger.LogWarning("Demo accounts with the passwords published in the README were created (Database:LoadDemoData=true)");
            }

            app.Logger.LogInformation("Demo data from {Folder}: {Report}", folder, report);
        }

        return true;
    }

    /// <summary>The demo data (with its published passwords) loads only in Development, or when configuration asks for it.</summary>
    public static bool LoadsDemoData(DatabaseSettings database, IHostEnvironment environment) =>
        !string.IsNullOrWhiteSpace(database.SeedFolder) && (database.LoadDemoData ?? environment.IsDevelopment());
}
