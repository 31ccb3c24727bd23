using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Persistence;

public sealed class MigrationTests
{
    private const int SqliteConstraintForeignKey = 787;

    private static readonly string[] IgnoredTables = ["__EFMigrationsHistory", "__EFMigrationsLock", "sqlite_sequence"];

    [Fact]
    public async Task MigratedSchemaMatchesModel()
    {
        await using var migrated = await TestDatabase.CreateMigratedAsync();
        await using var created = TestDatabase.CreateEmpty();
        await using (var db = await created.Factory.CreateDbContextAsync())
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        var fromMigrations = DescribeSchema(migrated);
        var fromModel = DescribeSchema(created);

        var missing = fromModel.Except(fromMigrations).ToList();
        var extra = fromMigrations.Except(fromModel).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            Assert.Fail(
                "The migrated schema differs from the model." + Environment.NewLine +
                $"In the model but not in the migrations ({missing.Count}):" + Environment.NewLine + string.Join(Environment.NewLine, missing.Select(l => "  - " + l)) + Environment.NewLine +
                $"In the migrations but not in the model ({extra.Count}):" + Environment.NewLine + string.Join(Environment.NewLine, extra.Select(l => "  + " + l)));
        }

        // Guard against comparing two empty descriptions.
        Assert.Contains(fromModel, l => l.StartsWith("index Ballots UX_Ballots_Poll_Member unique=1 (PollId, MembershipId)", StringComparison.Ordinal));
        Assert.Contains(fromModel, l => l.StartsWith("column Polls.BallotCount", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigratingTwiceIsHarmless()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        var before = DescribeSchema(database);

        await CommunityDeliberation.Deliberation.Persistence.DatabaseInitializer.MigrateAsync(database.Factory);

        Assert.Equal(before, DescribeSchema(database));
        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task JournalModeIsWal()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();

        using var connection = database.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)command.ExecuteScalar(), ignoreCase: true);
    }

    [Fact]
    public async Task ForeignKeysAreEnforced()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = await database.Factory.CreateDbContextAsync();

        var ex = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "AgendaItems" ("SessionId", "Position", "Title", "Description", "PlannedMinutes") VALUES (424242, 1, '不存在的会议的议题', NULL, 10);"""));

        Assert.Equal(SqliteConstraintForeignKey, ex.SqliteExtendedErrorCode);
        Assert.Equal(0, await db.AgendaItems.CountAsync());
    }

    /// <summary>Every table, column, index and foreign key of the file, one line each, through SQLite's pragmas.</summary>
    private static SortedSet<string> DescribeSchema(TestDatabase database)
    {
        using var connection = database.OpenRawConnection();
        var lines = new SortedSet<string>(StringComparer.Ordinal);

        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", null, r => r.GetString(0))
            .Where(t => !IgnoredTables.Contains(t, StringComparer.Ordinal))
            // The full-text index is SQLite-only and outside the EF model (ADR 0006): its virtual table and shadow tables.
            .Where(t => !t.StartsWith("MinutesSearch", StringComparison.Ordinal))
            .ToList();

        foreach (var table in tables)
        {
            lines.Add($"table {table}");

            foreach (var column in Query(connection, "SELECT name, type, \"notnull\", pk, dflt_value FROM pragma_table_info($name)", table,
                r => $"column {table}.{r.GetString(0)} type={r.GetString(1)} notnull={r.GetInt64(2)} pk={r.GetInt64(3)} default={(r.IsDBNull(4) ? "NULL" : r.GetString(4))}"))
            {
                lines.Add(column);
            }

            var indexes = Query(connection, "SELECT name, \"unique\" FROM pragma_index_list($name)", table, r => (Name: r.GetString(0), Unique: r.GetInt64(1)));
            foreach (var (name, unique) in indexes)
            {
                var columns = Query(connection, "SELECT name FROM pragma_index_info($name) ORDER BY seqno", name, r => r.IsDBNull(0) ? "<expression>" : r.GetString(0));
                lines.Add($"index {table} {name} unique={unique} ({string.Join(", ", columns)})");
            }

            var foreignKeys = Query(connection, "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($name) ORDER BY id, seq", table,
                r => (Id: r.GetInt64(0), Table: r.GetString(2), From: r.GetString(3), To: r.IsDBNull(4) ? "<primary key>" : r.GetString(4), OnDelete: r.GetString(5)));
            foreach (var key in foreignKeys.GroupBy(k => k.Id))
            {
                var first = key.First();
                lines.Add($"fk {table} ({string.Join(", ", key.Select(k => k.From))}) -> {first.Table} ({string.Join(", ", key.Select(k => k.To))}) on delete {first.OnDelete}");
            }
        }

        return lines;
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, string? name, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (name is not null)
        {
            command.Parameters.AddWithValue("$name", name);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
