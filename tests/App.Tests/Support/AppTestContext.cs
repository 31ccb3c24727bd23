using System.Globalization;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace CommunityDeliberation.App.Tests.Support;

/// <summary>
/// A bunit context wired like the app: MudBlazor's services (JS interop loose: MudBlazor's scripts are the browser's
/// business), the app's localizer and resources in a chosen culture, the display clock, and a fake TimeProvider.
/// Components that need the deliberation services get the real ones over a temporary SQLite file (<see cref="UseDatabaseAsync"/>).
/// </summary>
public abstract class AppTestContext : BunitContext, IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 12, 4, 6, 0, 0, TimeSpan.Zero);

    private TestDatabase? _database;

    protected AppTestContext(string culture = Cultures.Chinese)
    {
        UseCulture(culture);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        Services.AddTransient<MudLocalizer, AppMudLocalizer>(); // as Program does
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton<DisplayClock>();
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddLogging();
    }

    /// <summary>The time every component and service sees; tests move it.</summary>
    protected FakeTimeProvider Clock { get; } = new(Start);

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Call UseDatabaseAsync first");

    /// <summary>Real deliberation services over a migrated, empty SQLite file, reading the same fake clock.</summary>
    protected async Task UseDatabaseAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(Clock);
        Services.AddFallbackServiceProvider(_database.Services);
    }

    protected static void UseCulture(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
