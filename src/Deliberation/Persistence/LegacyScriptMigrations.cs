using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// Databases made before ADR 0010 were migrated by the SQL-script migrations of ADR 0003, and their
/// <c>__EFMigrationsHistory</c> lists those scripts' ids. Each provider's <c>Baseline</c> migration creates exactly the schema
/// they left, so such a database is adopted by recording the baseline as applied, without running it; later migrations
/// then apply as usual. A database stopped part-way through the scripts is refused rather than guessed at.
/// </summary>
public static class LegacyScriptMigrations
{
    /// <summary>The script migrations, in order; a database that has the last one has the baseline's schema.</summary>
    public static readonly IReadOnlyList<string> Ids =
    [
        "20261121000000_Initial",
        "20261122000000_Proposals",
        "20261122010000_Speakers",
        "20261122020000_BodyAdmin",
        "20261122030000_Comments",
    ];

    /// <summary>The id of the provider's baseline migration.</summary>
    public static string BaselineId(DeliberationDbContext db) => db switch
    {
        SqliteDeliberationDbContext => IdOf<Migrations.Sqlite.Baseline>(),
        PostgresDeliberationDbContext => IdOf<Migrations.PostgreSql.Baseline>(),
        _ => throw new InvalidOperationException($"No baseline migration for {db.GetType().Name}"),
    };

    /// <summary>
    /// Records the baseline as applied when the history holds the script migrations and not the baseline.
    /// Idempotent, and safe when several instances start at once. Returns whether this call recorded it.
    /// </summary>
    public static async Task<bool> AdoptAsync(DeliberationDbContext db, CancellationToken cancellationToken = default)
    {
        // Empty when there is no history table yet (a new database): nothing to adopt.
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var baseline = BaselineId(db);
        var scripts = Ids.Where(applied.Contains).ToList();
        if (applied.Contains(baseline) || scripts.Count == 0)
        {
            return false;
        }

        if (scripts.Count != Ids.Count)
        {
            throw new InvalidOperationException(
                $"This database was migrated by the SQL-script migrations only up to {scripts[^1]}; the missing ones " +
                $"({string.Join(", ", Ids.Except(scripts))}) are no longer shipped. Upgrade it with a release from before " +
                "EF Core migrations (ADR 0010) first, then start this one.");
        }

        // The row EF itself would write after running the migration. ON CONFLICT: another instance may adopt at the same time.
        var inserted = await db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ({0}, {1}) ON CONFLICT DO NOTHING""",
            [baseline, ProductInfo.GetVersion()],
            cancellationToken);
        return inserted == 1;
    }

    private static string IdOf<TMigration>()
        where TMigration : Migration =>
        typeof(TMigration).GetCustomAttribute<MigrationAttribute>()?.Id
        ?? throw new InvalidOperationException($"{typeof(TMigration).FullName} has no [Migration] id");
}
