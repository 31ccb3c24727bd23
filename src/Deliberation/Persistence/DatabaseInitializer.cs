using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>Applies migrations at start-up and sets the SQLite journal to WAL.</summary>
public static class DatabaseInitializer
{
    public static async Task MigrateAsync(IDbContextFactory<DeliberationDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (every live screen) run while a ballot is written. The setting persists in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // A database made by the SQL-script migrations of ADR 0003 already has the baseline's schema (ADR 0010).
        await LegacyScriptMigrations.AdoptAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
