using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// Which database the suite runs on. By default every test has a SQLite file of its own; with
/// <c>DELIBERATION_TEST_POSTGRES</c> set to a connection string of a PostgreSQL server (no database named: the tests make
/// and drop their own), the same tests run on PostgreSQL — `.ci/run` does both, on a private cluster started by
/// deploy/test-postgres.sh. Tests that examine the SQLite file itself are marked <see cref="SqliteOnlyAttribute"/> and
/// left out of the PostgreSQL run by its filter (never skipped).
/// </summary>
public static class TestProvider
{
    public const string Variable = "DELIBERATION_TEST_POSTGRES";

    private static readonly string? Server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..12];
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    public static bool IsPostgreSql => Server is not null;

    /// <summary>The connection string of a new, not yet created database on the test server.</summary>
    public static string NewDatabase() => new NpgsqlConnectionStringBuilder(Server) { Database = $"t_{RunId}_{Guid.NewGuid():N}" }.ToString();

    /// <summary>Creates the database of <paramref name="connectionString"/> as a copy of this run's migrated template.</summary>
    public static async Task CreateFromTemplateAsync(string connectionString)
    {
        var template = await TemplateAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)");
    }

    private static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = $"template_{RunId}" }.ToString();
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"template_{RunId}\" WITH (FORCE)");
            var services = new ServiceCollection();
            services.AddDeliberationPersistence(new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString }, Path.GetTempPath());
            services.AddDeliberation();
            services.AddLogging();
            await using (var provider = services.BuildServiceProvider())
            {
                await DatabaseInitializer.MigrateAsync(provider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DeliberationDbContext>>());
            }

            // CREATE DATABASE … TEMPLATE needs the template without connections.
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"template_{RunId}\" WITH (FORCE)").GetAwaiter().GetResult();
            return _template = $"template_{RunId}";
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// A test of the SQLite file itself (its bytes, WAL, pragmas, triggers read through a raw SQLite connection): it runs in
/// the SQLite run and is filtered out of the PostgreSQL run (<c>--filter Provider!=SqliteOnly</c>), where a PostgreSQL
/// counterpart covers the same property when there is one.
/// </summary>
[TraitDiscoverer("CommunityDeliberation.Tests.Support.SqliteOnlyDiscoverer", "CommunityDeliberation.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SqliteOnlyAttribute : Attribute, ITraitAttribute
{
}

/// <summary>Gives <see cref="SqliteOnlyAttribute"/> its trait <c>Provider=SqliteOnly</c>.</summary>
public sealed class SqliteOnlyDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Provider", "SqliteOnly");
    }
}
