using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// A real database in its own temporary folder, wired exactly as the app wires it (persistence + application services +
/// logging): a SQLite file by default, or — when the suite runs on PostgreSQL (<see cref="TestProvider"/>) — a database
/// of its own on the test cluster. The folder (and the PostgreSQL database) are deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private TestDatabase(string directory, string path, DatabaseSettings settings, ServiceProvider provider)
    {
        Directory = directory;
        FilePath = path;
        Settings = settings;
        _provider = provider;
    }

    public string Directory { get; }

    /// <summary>The SQLite file (on PostgreSQL: a path in the folder that is never created).</summary>
    public string FilePath { get; }

    /// <summary>How the services reach this database (the provider and its file or connection string).</summary>
    public DatabaseSettings Settings { get; }

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
        var settings = TestProvider.IsPostgreSql
            ? new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = TestProvider.NewDatabase() }
            : new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = path };

        var services = new ServiceCollection();
        PersistenceSetup.AddDeliberationPersistence(services, settings, directory);
        services.AddDeliberation();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddLogging();
        configure?.Invoke(services);
        return new TestDatabase(directory, path, settings, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>A database file migrated the way the app migrates it at start-up.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var database = CreateEmpty(clock: clock, configure: configure);
        try
        {
            if (TestProvider.IsPostgreSql)
            {
                // A copy of a database migrated once per run (CREATE DATABASE … TEMPLATE): the same schema in a fraction of
                // the time; the app's own migration step then runs on it as at start-up and finds nothing to do.
                await TestProvider.CreateFromTemplateAsync(database.Settings.ConnectionString!);
            }

            await DatabaseInitializer.MigrateAsync(database.Factory);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A plain connection to the file, outside EF and outside the pool (SQLite runs only, <see cref="SqliteOnlyAttribute"/>).</summary>
    public SqliteConnection OpenRawConnection()
    {
        if (TestProvider.IsPostgreSql)
        {
            throw new InvalidOperationException("This test reads the SQLite file itself: mark it [SqliteOnly].");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false, ForeignKeys = true }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>A plain connection outside EF and outside the pool, to the SQLite file or the PostgreSQL database.</summary>
    public System.Data.Common.DbConnection OpenAnyRawConnection()
    {
        if (!TestProvider.IsPostgreSql)
        {
            return OpenRawConnection();
        }

        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(Settings.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Makes the database refuse every insert into <paramref name="table"/> (a trigger, on either provider) until the
    /// returned handle is disposed: a failure injected at the storage layer, for "saved together or not at all" tests.
    /// </summary>
    public IDisposable RefuseInsertsInto(string table)
    {
        var name = $"fail_{table}_{Guid.NewGuid():N}".ToLowerInvariant();
        var connection = OpenAnyRawConnection();
        Execute(connection, TestProvider.IsPostgreSql
            ? $"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; " +
              $"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION {name}();"
            : $"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        return new Refusal(() =>
        {
            Execute(connection, TestProvider.IsPostgreSql
                ? $"DROP TRIGGER {name} ON \"{table}\"; DROP FUNCTION {name}();"
                : $"DROP TRIGGER {name};");
            connection.Dispose();
        });
    }

    /// <summary>Whether an exception is the database's refusal of a duplicate key (SQLite's constraint error, PostgreSQL's 23505).</summary>
    public static bool IsUniqueViolation(Exception error) => error switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        Npgsql.PostgresException postgres => postgres.SqlState == "23505",
        _ => false,
    };

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Refusal(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Settings.Provider == DatabaseProvider.PostgreSql)
        {
            await TestProvider.DropDatabaseAsync(Settings.ConnectionString!);
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
