namespace CommunityDeliberation.Deliberation.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Configuration section "Database". SQLite is the embedded default.</summary>
public sealed class DatabaseSettings
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: the database file (relative paths are relative to the content root). Ignored for PostgreSQL.</summary>
    public string SqlitePath { get; set; } = "data/deliberation.db";

    /// <summary>PostgreSQL connection string. Ignored for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Load the demo data from this folder into an empty database at start-up (null: do not seed).</summary>
    public string? SeedFolder { get; set; }
}
