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

    /// <summary>
    /// PostgreSQL: once a command or connection has failed because the server was out of reach, how long the shared probe
    /// (a new connection and <c>SELECT 1</c>) may take before a request is answered "out of reach" (the 503 page) rather
    /// than waiting for Npgsql's connect and command timeouts (<see cref="DatabaseReachability"/>). Ignored for SQLite.
    /// </summary>
    public TimeSpan OutageProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// PostgreSQL: how often each instance runs the probe's query while the server answers (<see cref="DatabaseHeartbeat"/>),
    /// so that a server that stops answering is known down within this plus two <see cref="OutageProbeTimeout"/>s (two
    /// misses in a row) even before a request fails; zero turns it off, at most an hour. Ignored for SQLite.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The demo data's folder (null: there is none to load).</summary>
    public string? SeedFolder { get; set; }

    /// <summary>
    /// Whether the demo data (with its published passwords) is loaded from <see cref="SeedFolder"/> into an empty database
    /// at start-up. Unset: only in the Development environment; a production start never creates the demo accounts
    /// unless this says <c>true</c>.
    /// </summary>
    public bool? LoadDemoData { get; set; }
}
