using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// A real SQLite database file in its own temporary folder, wired exactly as the app wires it
/// (persistence + application services + logging). The folder is deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private TestDatabase(string directory, string path, ServiceProvider provider)
    {
        Directory = directory;
        FilePath = path;
        _provider = provider;
    }

    public string Directory { get; }

    public string FilePath { get; }

    public IServiceProvider Services => _provider;

    public IDbContextFactory<DeliberationDbContext> Factory => _provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();

    /// <summary>
    /// A database file that does not exist yet (nothing is created or migrated). With <paramref name="clock"/>, the
    /// services read the time from it instead of the system clock (registered after the app's own registrations).
    /// </summary>
    /// <param name="configure">Registrations after the app's own (e.g. a logger provider that keeps what is logged).</param>
    public static TestDatabase CreateEmpty(string fileName = "deliberation.db", TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "deliberation-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);

        var services = new ServiceCollection();
        PersistenceSetup.AddDeliberationPersistence(services, new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = path }, directory);
        services.AddDeliberation();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddLogging();
        configure?.Invoke(services);
        return new TestDatabase(directory, path, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>A database file migrated the way the app migrates it at start-up.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var database = CreateEmpty(clock: clock, configure: configure);
        try
        {
            await DatabaseInitializer.MigrateAsync(database.Factory);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A plain connection to the file, outside EF and outside the pool.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false, ForeignKeys = true }.ToString());
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
