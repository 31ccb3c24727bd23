using System.Diagnostics;
using System.Globalization;
using CommunityDeliberation.ArchiveBench;
using CommunityDeliberation.Bench;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

// Usage: dotnet run -c Release --project bench/ArchiveBench -- [--db PATH] [--count 10000] [--iterations 200] [--only data|list|search|export|generator]
//   --db          the SQLite file to build (kept if it exists, so the app can be started on it for wrk; --fresh rebuilds it)
//   --iterations  timed calls per operation, after 20 warm-up calls
//   --postgres    a PostgreSQL connection string (its database is made and filled when it has no published minutes; --fresh
//                 drops it first) instead of the SQLite file: the same operations on the other provider (ADR 0021)
var options = Options.Parse(args);
var root = RepositoryRoot.Folder;
var seeds = Path.Combine(root, "seeds");
var output = Console.Out;
output.WriteLine($"ArchiveBench · .NET {Environment.Version} · {Environment.ProcessorCount} logical CPUs · {RuntimeLabel()}");

if (options.Sql is { } probe)
{
    // --sql "...": runs one statement on the benchmark file with the app's SQLite (3.50), prints rows and time.
    await using var connection = new SqliteConnection(PersistenceSetup.SqliteConnectionString(Path.GetFullPath(options.Database)));
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = probe;
    var watch = Stopwatch.StartNew();
    await using var reader = await command.ExecuteReaderAsync();
    var shown = 0;
    while (await reader.ReadAsync())
    {
        if (shown++ < 20)
        {
            output.WriteLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
    }

    output.WriteLine($"{shown} rows in {watch.Elapsed.TotalMilliseconds:F1} ms (SQLite {connection.ServerVersion})");
    return 0;
}

if (options.Only is null or "data" or "list" or "search" or "export")
{
    var dbPath = Path.GetFullPath(options.Database);
    if (options.Postgres is { } postgres)
    {
        var name = new NpgsqlConnectionStringBuilder(postgres).Database!;
        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres", Pooling = false }.ToString()))
        {
            await server.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_database WHERE datname = '{name.Replace("'", "''", StringComparison.Ordinal)}'", server);
            var found = (long)(await exists.ExecuteScalarAsync())! > 0;
            if (found && options.Fresh)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", server);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
    else if (options.Fresh && File.Exists(dbPath))
    {
        foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" }.Where(File.Exists))
        {
            File.Delete(f);
        }
    }

    await using var provider = Services(dbPath, options.Postgres);
    var factory = provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
    var where = options.Postgres is null ? dbPath : "PostgreSQL database " + new NpgsqlConnectionStringBuilder(options.Postgres).Database;
    if (options.Postgres is null ? !File.Exists(dbPath) : !await HasPublishedMinutesAsync(factory))
    {
        var (count, bytes, seconds) = await ArchiveData.CreateAsync(factory, dbPath, seeds, options.Count, output, options.Postgres);
        output.WriteLine($"built {where}: {count:N0} published minutes, {bytes / (double)count / 1024:F1} KB of UTF-8 Markdown each on average, in {seconds:F1} s");
    }
    else
    {
        output.WriteLine($"using existing {where} (pass --fresh to rebuild)");
    }

    await using (var db = await factory.CreateDbContextAsync())
    {
        var size = options.Postgres is null
            ? new FileInfo(dbPath).Length
            : await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
        output.WriteLine($"published minutes: {await db.MinutesVersions.CountAsync(v => v.PublishedAtUtc != null):N0}; database size {size / 1024.0 / 1024:F1} MB");
    }

    var archive = provider.GetRequiredService<ArchiveReader>();
    var search = provider.GetRequiredService<ArchiveSearch>();
    var export = provider.GetRequiredService<ArchiveExport>();
    int bodyId, year = 2018;
    await using (var db = await factory.CreateDbContextAsync())
    {
        bodyId = await db.Bodies.Where(b => b.Key == "chengli-consultation-council").Select(b => b.Id).SingleAsync();
    }

    var results = new List<(string Name, double[] Ms, string Note)>();
    if (options.Only is null or "list")
    {
        foreach (var (name, filter) in new (string, ArchiveFilter)[]
                 {
                     ("list page 1", new ArchiveFilter()),
                     ("list page 50", new ArchiveFilter(Page: 50)),
                     ("list middle page (250)", new ArchiveFilter(Page: 250)),
                     ("list last page (500)", new ArchiveFilter(Page: 500)),
                     ("list body", new ArchiveFilter(BodyId: bodyId)),
                     ("list body, last page (125)", new ArchiveFilter(BodyId: bodyId, Page: 125)),
                     ("list kind", new ArchiveFilter(Kind: SessionKind.PublicHearing)),
                     ("list kind, last page (126)", new ArchiveFilter(Kind: SessionKind.PublicHearing, Page: 126)),
                     ("list year", new ArchiveFilter(Year: year)),
                     ("list body+kind+year p2", new ArchiveFilter(BodyId: bodyId, Kind: SessionKind.Consultation, Year: year, Page: 2)),
                 })
        {
            ArchivePage? last = null;
            var ms = await Measure(async () => last = await archive.ListAsync(filter), options.Iterations);
            results.Add((name, ms, $"{last!.Items.Count} rows of {last.Total:N0}"));
        }
    }

    if (options.Only is null or "search")
    {
        foreach (var (name, query, page) in new (string, string, int)[]
                 {
                     ("search 旧住房改造 (FTS)", "旧住房改造", 1),
                     ("search 加装电梯 (FTS)", "加装电梯", 1),
                     ("search 议事会会议 (FTS, common)", "议事会会议", 1),
                     ("search 议事会会议 p10", "议事会会议", 10),
                     ("search 暖气管道 修缮 (FTS+LIKE)", "暖气管道 修缮", 1),
                     ("search renovation (FTS, English)", "renovation", 1),
                     ("search 停车 (2 chars, char index)", "停车", 1),
                     ("search 电梯 (2 chars, char index)", "电梯", 1),
                     ("search 听证 (2 chars, char index) p5", "听证", 5),
                     ("search 鼠害 (2 chars, char index, no hit)", "鼠害", 1),
                 })
        {
            ArchiveSearchResult? last = null;
            var ms = await Measure(async () => last = await search.SearchAsync(query, page), options.Iterations);
            results.Add((name, ms, $"{last!.Hits.Count} hits{(last.Total is { } t ? $" of {t:N0}" : last.HasMore ? ", more" : string.Empty)}"));
        }
    }

    if (options.Only is null or "export")
    {
        // The whole archive as a zip, written to a counting sink (the bytes are compressed and thrown away).
        var sink = new CountingStream();
        var ms = await Measure(() => export.ExportZipAsync(sink), 5, warmup: 1);
        results.Add(("export.zip of every published minutes", ms, $"{sink.Written / 6 / 1024.0 / 1024:F1} MB zip"));
    }

    Print(output, results);
}

if (options.Only is null or "generator")
{
    await GeneratorBenchAsync(seeds, options, output);
}

return 0;

static async Task GeneratorBenchAsync(string seeds, Options options, TextWriter output)
{
    var directory = Path.Combine(Path.GetTempPath(), "archive-bench-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(directory);
    try
    {
        var dbPath = Path.Combine(directory, "generator.db");
        await using var provider = Services(dbPath, null);
        var factory = provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
        await DatabaseInitializer.MigrateAsync(factory);
        await CommunityDeliberation.Deliberation.Seeding.SeedLoader.LoadAsync(factory, seeds, TimeProvider.System);
        var sessions = provider.GetRequiredService<SessionService>();
        var voting = provider.GetRequiredService<VotingService>();
        var minutes = provider.GetRequiredService<MinutesService>();

        Dictionary<string, string> users;
        int bodyId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            users = await db.Users.ToDictionaryAsync(u => u.UserName!, u => u.Id);
            bodyId = await db.Bodies.Where(b => b.Key == "jiangchuan-council").Select(b => b.Id).SingleAsync();
        }

        var chair = new Actor(users["chair"], new HashSet<string> { Roles.Chair });
        Actor Rep(int n) => new(users[$"rep{n:000}"], new HashSet<string> { Roles.Representative });
        var build = Stopwatch.StartNew();
        var agenda = Enumerable.Range(1, 50).Select(i => new AgendaItemInput($"第 {i} 项议题:{ArchiveData.Topics[i % ArchiveData.Topics.Length]}", 10, null)).ToList();
        var sessionId = await sessions.ScheduleAsync(chair, new ScheduleSessionInput(bodyId, SessionKind.CouncilSession, "江川社区党员代表议事会 一千条日志的会议", DateTime.UtcNow, "江川社区党群服务中心", agenda));
        await sessions.OpenAsync(chair, sessionId);
        for (var n = 1; n <= 150; n++)
        {
            await sessions.CheckInAsync(Rep(n), sessionId);
        }

        List<int> items;
        await using (var db = await factory.CreateDbContextAsync())
        {
            items = await db.AgendaItems.Where(a => a.SessionId == sessionId).OrderBy(a => a.Position).Select(a => a.Id).ToListAsync();
        }

        var polls = 0;
        while (await LogCountAsync(factory, sessionId) < 999)
        {
            var item = items[polls % items.Count];
            await sessions.MoveToAgendaItemAsync(chair, sessionId, item);
            var pollId = await voting.OpenPollAsync(chair, sessionId, item, $"是否同意第 {polls + 1} 号方案?");
            for (var v = 0; v < 5; v++)
            {
                await voting.CastAsync(Rep(1 + ((polls * 5) + v) % 150), pollId, (BallotChoice)(v % 3));
            }

            await voting.ClosePollAsync(chair, pollId);
            polls++;
        }

        await sessions.CloseAsync(chair, sessionId);
        var entries = await LogCountAsync(factory, sessionId);
        output.WriteLine();
        output.WriteLine($"generator: session log of {entries:N0} entries (150 check-ins, {polls} votes opened and closed with 5 named ballots each, agenda moves, open/close), built in {build.Elapsed.TotalSeconds:F1} s");

        // The pure generator over the loaded log, and the service path (load log + header from SQLite, then generate).
        List<SessionLogEntry> log;
        await using (var db = await factory.CreateDbContextAsync())
        {
            log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync();
        }

        var header = new MinutesHeader("江川社区党员代表议事会", "第二届", 1, "议事会会议", "一千条日志的会议", DateTime.UtcNow, "江川社区党群服务中心", "顾建民", "陆晓燕", 151,
            agenda.Select((a, i) => (i + 1, items[i], a.Title!, a.PlannedMinutes)).ToList());
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var markdown = string.Empty;
        var iterations = Math.Max(10, options.Iterations / 10);
        var pure = await Measure(() => { markdown = MinutesGenerator.Generate(header, log, zone); return Task.CompletedTask; }, iterations, warmup: 3);
        var service = await Measure(async () => markdown = await minutes.PreviewAsync(sessionId), iterations, warmup: 3);
        Print(output, [
            ("MinutesGenerator.Generate, 1,000-entry log", pure, $"{markdown.Length:N0} chars of Markdown"),
            ("MinutesService.PreviewAsync (load + generate)", service, "same session, from SQLite"),
        ]);
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

static async Task<int> LogCountAsync(IDbContextFactory<DeliberationDbContext> factory, int sessionId)
{
    await using var db = await factory.CreateDbContextAsync();
    return await db.SessionLog.CountAsync(e => e.SessionId == sessionId);
}

static async Task<double[]> Measure(Func<Task> operation, int iterations, int warmup = 20)
{
    for (var i = 0; i < warmup; i++)
    {
        await operation();
    }

    var times = new double[iterations];
    var deadline = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        await operation();
        times[i] = watch.Elapsed.TotalMilliseconds;
        if (deadline.Elapsed > TimeSpan.FromSeconds(60))
        {
            // Bounded: an operation slower than expected stops after a minute with the samples it has.
            return times[..(i + 1)];
        }
    }

    return times;
}

static void Print(TextWriter output, IReadOnlyList<(string Name, double[] Ms, string Note)> results)
{
    output.WriteLine();
    output.WriteLine($"{"operation",-48} {"n",5} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}  result");
    foreach (var (name, ms, note) in results)
    {
        var sorted = ms.Order().ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-48} {sorted.Length,5} {Percentile(sorted, 0.50),8:F2} {Percentile(sorted, 0.95),8:F2} {Percentile(sorted, 0.99),8:F2} {sorted[^1],8:F2}  {note}"));
    }
}

static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

static async Task<bool> HasPublishedMinutesAsync(IDbContextFactory<DeliberationDbContext> factory)
{
    await using var db = await factory.CreateDbContextAsync();
    if (!await db.Database.CanConnectAsync())
    {
        return false;
    }

    await DatabaseInitializer.MigrateAsync(factory);
    return await db.MinutesVersions.AnyAsync(v => v.PublishedAtUtc != null && v.Markdown.Contains("议事会会议"));
}

static ServiceProvider Services(string dbPath, string? postgres)
{
    var services = new ServiceCollection();
    var settings = postgres is null
        ? new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = dbPath }
        : new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = postgres };
    services.AddDeliberationPersistence(settings, Path.GetDirectoryName(dbPath)!);
    services.AddDeliberation();
    services.AddLogging(b =>
    {
        if (Environment.GetEnvironmentVariable("ARCHIVE_BENCH_SQL") == "1")
        {
            // Prints every SQL command with its duration (for looking at query plans), not for timed runs.
            b.AddSimpleConsole().AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
        }
    });
    return services.BuildServiceProvider();
}

static string RuntimeLabel()
{
#if DEBUG
    return "Debug build (use -c Release for figures)";
#else
    return "Release build";
#endif
}

internal sealed record Options(string Database, int Count, int Iterations, string? Only, bool Fresh, string? Sql = null, string? Postgres = null)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(Path.Combine(Path.GetTempPath(), "archive-bench", "archive-10k.db"), 10_000, 200, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            o = args[i] switch
            {
                "--db" => o with { Database = args[++i] },
                "--count" => o with { Count = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--iterations" => o with { Iterations = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--only" => o with { Only = args[++i] },
                "--fresh" => o with { Fresh = true },
                "--sql" => o with { Sql = args[++i] },
                "--postgres" => o with { Postgres = args[++i] },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return o;
    }
}

/// <summary>A write-only sink that counts bytes.</summary>
internal sealed class CountingStream : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Written += count;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Written += buffer.Length;
        return ValueTask.CompletedTask;
    }
}
