using System.Globalization;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Persistence;

[SqliteOnly] // the SQLite schema, pragmas and the ADR 0003 script migrations; PostgreSQL is migrated by every test of its run
public sealed class MigrationTests
{
    private const int SqliteConstraintForeignKey = 787;

    private static readonly string[] IgnoredTables = ["__EFMigrationsHistory", "__EFMigrationsLock", "sqlite_sequence"];

    [Fact]
    public async Task MigratedSchemaMatchesModel()
    {
        await using var migrated = await TestDatabase.CreateMigratedAsync();

        await AssertSchemaEqualsModelAsync(migrated);
    }

    [Fact]
    public async Task NewDatabaseRecordsOnlyTheEfMigrations()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var db = await database.Factory.CreateDbContextAsync();

        Assert.IsType<SqliteDeliberationDbContext>(db);
        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.Equal(LegacyScriptMigrations.BaselineId(db), applied.First());
        Assert.DoesNotContain(applied, LegacyScriptMigrations.Ids.Contains);
    }

    /// <summary>
    /// A database made by the SQL-script migrations of ADR 0003 (the kept fixture), filled with rows in every table, is
    /// upgraded by the EF Core migrations: every row is still there, byte for byte, the schema equals the model, the rows
    /// read back through EF, new rows get new ids, and the full-text index still answers.
    /// </summary>
    [Fact]
    public async Task DatabaseFromTheScriptMigrationsUpgradesWithEveryRowIntact()
    {
        await using var database = TestDatabase.CreateEmpty();
        using (var connection = database.OpenRawConnection())
        {
            Execute(connection, Fixture("before-ef-migrations.sqlite.sql"));
            Execute(connection, Fixture("before-ef-migrations.rows.sqlite.sql"));
        }

        var before = DumpRows(database);
        var columns = ColumnsOf(database, before.Keys);
        var empty = before.Where(t => t.Value.Count == 0).Select(t => t.Key).ToList();
        Assert.Equal(["__EFMigrationsLock"], empty);
        Assert.True(before.Count >= 30, $"only {before.Count} tables in the fixture");

        await DatabaseInitializer.MigrateAsync(database.Factory);

        // Later migrations add tables and nullable columns (ADR 0015: DataProtectionKeys, the log's signature columns) and
        // drop a column (ADR 0016: Ballots.ReceiptCode): the old rows are compared on the columns they had and still have.
        foreach (var (table, dropped) in DroppedColumns)
        {
            columns[table].RemoveAll(dropped.Contains);
        }

        var after = DumpRows(database, columns);
        Assert.Empty(before.Keys.Except(after.Keys));
        foreach (var (table, rows) in before.Where(t => t.Key != "__EFMigrationsHistory"))
        {
            // Columns that later migrations dropped on purpose are left out of the comparison; everything else is equal.
            // (A table rebuilt by such a migration has its columns in EF's order: compared cell by cell, by name.)
            var expected = rows.Select(r => WithoutDroppedColumns(table, r)).Order(StringComparer.Ordinal).ToList();
            // (sqlite_sequence also gains the counters of tables that later migrations created and filled.)
            var actual = after[table].Select(r => WithoutDroppedColumns(table, r)).Where(r => table != "sqlite_sequence" || rows.Any(b => b.Split(" | ")[0] == r.Split(" | ")[0]))
                .Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"rows of {table} changed:{Environment.NewLine}before: {string.Join(Environment.NewLine, expected)}{Environment.NewLine}after:  {string.Join(Environment.NewLine, actual)}");
        }

        // The receipts of the counted secret ballots moved to their own table (ADR 0016), apart from the choices.
        var receipts = before["Ballots"].Select(r => r.Split(" | ").Single(c => c.StartsWith("ReceiptCode=", StringComparison.Ordinal)))
            .Where(c => c != "ReceiptCode=null").Select(c => c["ReceiptCode=text:".Length..]).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(receipts);
        Assert.Equal(receipts, after["CountedReceipts"].Select(r => r.Split(" | ").Single(c => c.StartsWith("Code=", StringComparison.Ordinal))["Code=text:".Length..]).Order(StringComparer.Ordinal));

        await AssertSchemaEqualsModelAsync(database);

        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            // The scripts' history stays; the baseline is recorded as applied, not run; nothing is pending.
            Assert.Equal([.. LegacyScriptMigrations.Ids, .. db.Database.GetMigrations()], await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(LegacyScriptMigrations.BaselineId(db), db.Database.GetMigrations().First());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());

            // Every row of every entity reads back through EF (enum names, dates, JSON, nullable columns).
            foreach (var (table, rows) in await ReadEverySetAsync(db))
            {
                var inFile = after[table].Count;
                Assert.True(inFile == rows, $"{table}: {rows} rows through EF, {inFile} in the file");
            }

            Assert.Equal(2, await db.Ballots.CountAsync(b => b.PollId == 1));
            Assert.Equal("含个人信息", (await db.Comments.SingleAsync(c => c.Id == 2)).HiddenReason);

            // AUTOINCREMENT carries on after the old rows.
            var organisation = new Organisation("after-upgrade", "升级后新增的组织", "Added after the upgrade", OrganisationKind.ResidentUnit);
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            Assert.Equal(2, organisation.Id);
        }

        var search = await database.Services.GetRequiredService<ArchiveSearch>().SearchAsync("旧住房改造");
        Assert.Equal(1, search.Total);

        // Starting again changes nothing.
        await DatabaseInitializer.MigrateAsync(database.Factory);
        Assert.Equal(after["MinutesVersions"], DumpRows(database, columns)["MinutesVersions"]);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            Assert.Equal(LegacyScriptMigrations.Ids.Count + db.Database.GetMigrations().Count(), (await db.Database.GetAppliedMigrationsAsync()).Count());
        }
    }

    [Fact]
    public async Task DatabaseStoppedPartWayThroughTheScriptMigrationsIsRefusedAndLeftAsItIs()
    {
        await using var database = TestDatabase.CreateEmpty();
        using (var connection = database.OpenRawConnection())
        {
            Execute(connection, Fixture("before-ef-migrations.sqlite.sql"));
            Execute(connection, """DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261122030000_Comments';""");
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseInitializer.MigrateAsync(database.Factory));

        Assert.Contains("up to 20261122020000_BodyAdmin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("20261122030000_Comments", ex.Message, StringComparison.Ordinal);
        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Equal(LegacyScriptMigrations.Ids.Take(4), await db.Database.GetAppliedMigrationsAsync());
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

    /// <summary>
    /// The durability claim of tools/faults/README.md: the app sets only the WAL journal, so every connection of its pool
    /// runs with the bundled SQLite's default synchronous level; that default must be FULL (2), which fsyncs the WAL at
    /// each commit, so an acknowledged ballot survives a power loss, not only a killed process. Read on a connection the
    /// app's own connection string opens, after the migration (WAL) — a build with another default fails here.
    /// </summary>
    [Fact]
    public async Task EveryAppConnectionCommitsWithFullSynchronous()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var connection = new SqliteConnection(PersistenceSetup.SqliteConnectionString(database.FilePath));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            Assert.Equal(2L, (long)command.ExecuteScalar()!);
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)command.ExecuteScalar(), ignoreCase: true);
        }
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

    /// <summary>
    /// Compares the file's schema with one created from the model (EnsureCreated, through the same SQL generator):
    /// tables, columns, indexes and foreign keys.
    /// </summary>
    private static async Task AssertSchemaEqualsModelAsync(TestDatabase migrated)
    {
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
        Assert.Contains("table Ballots without_rowid=1", fromMigrations);
    }

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Deliberation.Tests", "Persistence", "Fixtures", name));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Every row of every table (the full-text tables and SQLite's AUTOINCREMENT counters included, the full-text shadow
    /// tables left out), each row as one line of column = storage class:value, sorted per table.
    /// </summary>
    /// <summary>Columns of the script-made schema that a later EF migration dropped, by table.</summary>
    private static readonly Dictionary<string, string[]> DroppedColumns = new(StringComparer.Ordinal)
    {
        ["Ballots"] = ["ReceiptCode"],
    };

    private static string WithoutDroppedColumns(string table, string row) =>
        DroppedColumns.TryGetValue(table, out var dropped)
            ? string.Join(" | ", row.Split(" | ").Where(c => !dropped.Any(d => c.StartsWith(d + "=", StringComparison.Ordinal))).Order(StringComparer.Ordinal))
            : row;

    /// <summary>The columns each table has now (read before the upgrade, so later columns are left out after it).</summary>
    private static Dictionary<string, List<string>> ColumnsOf(TestDatabase database, IEnumerable<string> tables)
    {
        using var connection = database.OpenRawConnection();
        return tables.Where(t => !t.StartsWith("MinutesSearch", StringComparison.Ordinal))
            .ToDictionary(t => t, t => Query(connection, $"SELECT name FROM pragma_table_info('{t}')", null, r => r.GetString(0)));
    }

    private static SortedDictionary<string, List<string>> DumpRows(TestDatabase database, IReadOnlyDictionary<string, List<string>>? columnsOf = null)
    {
        using var connection = database.OpenRawConnection();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table'", null, r => r.GetString(0))
            .Where(t => !t.StartsWith("MinutesSearch", StringComparison.Ordinal) || t is "MinutesSearch" or "MinutesSearchChars");
        var dump = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var select = table.StartsWith("MinutesSearch", StringComparison.Ordinal) ? $"SELECT rowid, * FROM \"{table}\""
                : columnsOf is not null && columnsOf.TryGetValue(table, out var columns) ? $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\""
                : $"SELECT * FROM \"{table}\"";
            var rows = Query(connection, select, null, r => string.Join(" | ", Enumerable.Range(0, r.FieldCount).Select(i => $"{r.GetName(i)}={Describe(r.GetValue(i))}")));
            rows.Sort(StringComparer.Ordinal);
            dump[table] = rows;
        }

        return dump;
    }

    private static string Describe(object value) => value switch
    {
        DBNull => "null",
        long l => "integer:" + l.ToString(CultureInfo.InvariantCulture),
        double d => "real:" + d.ToString("R", CultureInfo.InvariantCulture),
        string t => "text:" + t,
        byte[] b => "blob:" + Convert.ToHexString(b),
        _ => value.GetType().Name + ":" + value,
    };

    /// <summary>Reads every entity type of the model to the end: (its table, rows read).</summary>
    private static async Task<List<(string Name, int Rows)>> ReadEverySetAsync(DeliberationDbContext db)
    {
        var counts = new List<(string, int)>();
        foreach (var entityType in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null && e.ClrType != typeof(Dictionary<string, object>)))
        {
            var set = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(entityType.ClrType).Invoke(db, null)!;
            var rows = await set.AsNoTracking().ToListAsync();
            counts.Add((entityType.GetTableName()!, rows.Count));
        }

        Assert.True(counts.Count >= 25, $"only {counts.Count} entity types read");
        return counts;
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
            var withoutRowId = Query(connection, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = $name", table, r => r.GetInt64(0)).Single();
            lines.Add($"table {table} without_rowid={withoutRowId}");

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
