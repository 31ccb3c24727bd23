using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>The model on SQLite; its migrations are in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteDeliberationDbContext(DbContextOptions<SqliteDeliberationDbContext> options) : DeliberationDbContext(options);

/// <summary>The model on PostgreSQL; its migrations are in <c>Persistence/Migrations/PostgreSql</c>.</summary>
public sealed class PostgresDeliberationDbContext(DbContextOptions<PostgresDeliberationDbContext> options) : DeliberationDbContext(options);

/// <summary>
/// For <c>dotnet ef … --context SqliteDeliberationDbContext</c>: the context configured exactly as the app configures it.
/// Generating and checking migrations opens no connection; commands that do use the file named by the environment
/// variable <c>Database__SqlitePath</c> (default <c>data/deliberation.db</c> under the current folder).
/// </summary>
public sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteDeliberationDbContext>
{
    public SqliteDeliberationDbContext CreateDbContext(string[] args)
    {
        var path = Environment.GetEnvironmentVariable("Database__SqlitePath") is { Length: > 0 } configured ? configured : "data/deliberation.db";
        var options = new DbContextOptionsBuilder<SqliteDeliberationDbContext>();
        PersistenceSetup.Configure(options, new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.GetFullPath(path) });
        return new SqliteDeliberationDbContext(options.Options);
    }
}

/// <summary>
/// For <c>dotnet ef … --context PostgresDeliberationDbContext</c>. Generating and checking migrations opens no connection;
/// commands that do take the connection string from <c>--connection</c> or the environment variable
/// <c>Database__ConnectionString</c>.
/// </summary>
public sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresDeliberationDbContext>
{
    public PostgresDeliberationDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("Database__ConnectionString") is { Length: > 0 } configured
            ? configured
            : "Host=localhost;Database=deliberation";
        var options = new DbContextOptionsBuilder<PostgresDeliberationDbContext>();
        PersistenceSetup.Configure(options, new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });
        return new PostgresDeliberationDbContext(options.Options);
    }
}
