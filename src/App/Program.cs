using System.Text.Encodings.Web;
using System.Text.Unicode;
using CommunityDeliberation.App;
using CommunityDeliberation.App.Components;
using CommunityDeliberation.App.Hearings;
using CommunityDeliberation.App.Hubs;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// SQLite's driver runs its "async" calls synchronously; a burst of ballots would otherwise wait for the thread pool to
// grow one thread at a time while every live screen stalls (tools/loadtest/README.md).
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), minIo);

// Serve package assets (MudBlazor's _content/) from the build output in every environment, not only Development:
// tests and the README's run command use the build output; a published app has no runtime manifest and is unaffected.
builder.WebHost.UseStaticWebAssets();

// A search for 10,000 Chinese characters is a ~90 KB request line once percent-encoded; Kestrel's 8 KB default
// answers 414 with an empty page. Let it through so the archive can answer with the limit in words.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 128 * 1024);

var database = builder.Configuration.GetSection(DatabaseSettings.SectionName).Get<DatabaseSettings>() ?? new DatabaseSettings();
builder.Services.AddDeliberationPersistence(database, builder.Environment.ContentRootPath);
builder.Services.AddDeliberation();

// E-mail is off by default (in-app notices only); switched on, a configuration that cannot send stops the start (ADR 0018).
var smtpProblems = builder.Configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>()?.Problems() ?? [];
if (smtpProblems.Count > 0)
{
    throw new InvalidOperationException(string.Join("; ", smtpProblems));
}

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(options =>
    {
        options.DetailedErrors = builder.Environment.IsDevelopment();
        // How long a disconnected circuit is kept before it is evicted and its [PersistentState] saved for a resume
        // (ADR 0009): the framework's defaults unless "Circuits" in configuration says otherwise (the tests shorten it).
        builder.Configuration.GetSection("Circuits").Bind(options);
    })
    .AddHubOptions(options =>
    {
        // The default 32 KB drops the circuit when someone pastes ~10,000 Chinese characters (3 bytes each) into a field,
        // losing what they typed. 128 KB lets the server receive it and answer with the field's limit instead.
        options.MaximumReceiveMessageSize = 128 * 1024;
    });
builder.Services.AddMudServices(options =>
{
    // Notices stay long enough for a slow reader; tapping one dismisses it. No close icon: it would be an unnamed button.
    options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
    options.SnackbarConfiguration.VisibleStateDuration = 8000;
    options.SnackbarConfiguration.ShowCloseIcon = false;
    options.SnackbarConfiguration.PreventDuplicates = false;
    // Each interactive root renders its own providers (MudProviders); never fail a page over a second one.
    options.PopoverOptions.ThrowOnDuplicateProvider = false;
});
builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.AddTransient<MudLocalizer, AppMudLocalizer>();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<DisplayClock>();
builder.Services.AddSingleton<HearingLiveFeed>();
builder.Services.AddSingleton<PresentListShare>(); // one list of members present per session for all its live screens
// Chinese text is written as UTF-8 characters rather than &#x…; entities: a third of the bytes on a phone.
builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));

builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.AccessDeniedPath = "/account/denied";
    options.Cookie.Name = "cd.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.SlidingExpiration = true;
    options.ExpireTimeSpan = TimeSpan.FromHours(12);
});
builder.Services.AddAuthorization();
builder.AddSecurity();
builder.AddAccountChecks();
builder.Services.AddLiveApi();
builder.AddObservability(); // OpenTelemetry metrics; /metrics only with Metrics:Enabled, only to this machine (ADR 0024)
builder.AddScaleout(); // several instances when Realtime:Redis is set (ADR 0022)
// /health/live runs no check (the process answers); /health/ready asks the database (for SQLite: the file is there).
builder.Services.AddHealthChecks().AddDbContextCheck<DeliberationDbContext>("database", tags: [HealthTags.Ready]);

var app = builder.Build();

// Migrations, and the demo data only in Development or when asked for; `create-admin <name>` runs and exits here.
if (!await app.PrepareDatabaseAsync(database, args))
{
    return;
}

app.UseSecurity();
app.UseMetricsEndpoint();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found");
app.UseRequestLocalization(Cultures.Options());
app.UseDatabaseOutagePage(); // the database out of reach: a 503 "reconnecting" page that reloads itself, not an empty 500
app.UseAuthentication();
app.UseAuthorization();
app.UseLiveHubAccountCheck(); // a hub token or cookie whose account was disabled or changed password is refused
app.UseRateLimiter(); // after authorization: the hub's limit counts per signed-in account (RateLimits)
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready) });
app.MapPreferenceEndpoints();
app.MapAccountEndpoints();
app.MapArchiveEndpoints();
app.MapCalendarEndpoints();
app.MapLedgerEndpoints();
app.MapHearingLiveEndpoints();
app.MapLiveApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point marker for integration tests (WebApplicationFactory).</summary>
public partial class Program;

/// <summary>Tags of the health checks: those tagged <see cref="Ready"/> decide /health/ready.</summary>
internal static class HealthTags
{
    public const string Ready = "ready";
}
