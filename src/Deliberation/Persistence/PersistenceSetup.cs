using CommunityDeliberation.Deliberation.Minutes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Persistence;

public static class PersistenceSetup
{
    /// <summary>Registers <see cref="IDbContextFactory{TContext}"/> (and a scoped context for Identity's stores).</summary>
    public static IServiceCollection AddDeliberationPersistence(this IServiceCollection services, DatabaseSettings settings, string contentRoot)
    {
        var resolved = Resolve(settings, contentRoot);
        services.AddSingleton(resolved);
        // Every context signs the log entries it saves (ADR 0015), with the key from configuration "SessionLog".
        services.AddOptions<SessionLogOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(SessionLogOptions.Section).Bind(options));
        services.TryAddSingleton<SessionLogSigner>();
        services.TryAddSingleton<SessionLogSigning>();
        switch (resolved.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextFactory<SqliteDeliberationDbContext>((provider, options) => Configure(options, resolved).AddInterceptors(provider.GetRequiredService<SessionLogSigning>()));
                services.AddSingleton<IDbContextFactory<DeliberationDbContext>, ProviderContextFactory<SqliteDeliberationDbContext>>();
                break;
            case DatabaseProvider.PostgreSql:
                // A request while the server is out of reach fails within the probe timeout (tools/faults/README.md).
                services.TryAddSingleton(provider => new DatabaseReachability(resolved, provider.GetService<ILogger<DatabaseReachability>>()));
                services.TryAddSingleton<DatabaseReachabilityInterceptor>();
                services.AddHostedService<DatabaseHeartbeat>();
                services.AddDbContextFactory<PostgresDeliberationDbContext>((provider, options) => Configure(options, resolved).AddInterceptors(
                    provider.GetRequiredService<SessionLogSigning>(), provider.GetRequiredService<DatabaseReachabilityInterceptor>()));
                services.AddSingleton<IDbContextFactory<DeliberationDbContext>, ProviderContextFactory<PostgresDeliberationDbContext>>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider");
        }

        return services;
    }

    /// <summary>Makes relative SQLite paths absolute against the content root and creates the folder.</summary>
    public static DatabaseSettings Resolve(DatabaseSettings settings, string contentRoot)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            {
                throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL.");
            }

            return settings;
        }

        var path = Path.IsPathRooted(settings.SqlitePath) ? settings.SqlitePath : Path.GetFullPath(Path.Combine(contentRoot, settings.SqlitePath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new DatabaseSettings { Provider = settings.Provider, SqlitePath = path, SeedFolder = settings.SeedFolder, LoadDemoData = settings.LoadDemoData, OutageProbeTimeout = settings.OutageProbeTimeout, HeartbeatInterval = settings.HeartbeatInterval };
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(SqliteConnectionString(settings.SqlitePath))
                    .AddInterceptors(new SqliteConnectionSetup())
                    .ReplaceService<IMigrationsSqlGenerator, DeliberationSqliteMigrationsSqlGenerator>();
                break;
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(settings.ConnectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider");
        }

        return options;
    }

    public static string SqliteConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Hands out the provider's context as the <see cref="DeliberationDbContext"/> every service asks for.</summary>
    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<DeliberationDbContext>
        where TContext : DeliberationDbContext
    {
        public DeliberationDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<DeliberationDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
