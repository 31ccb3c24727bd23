using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CommunityDeliberation.Bench;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// The public progress page with 10,000 items, over HTTP: p95 of GET /ledger must stay at or under 50 ms (issue 13).
// Usage: dotnet run -c Release --project bench/LedgerPageBench -- [--items 10000] [--requests 300] [--app <App.dll>]
var items = Option("--items", 10_000);
var requests = Option("--requests", 300);
var root = RepositoryRoot.Folder;
var appDll = Text("--app") ?? Path.Combine(root, "src", "App", "bin", "Release", "net10.0", "CommunityDeliberation.App.dll");
if (!File.Exists(appDll))
{
    Console.Error.WriteLine($"Build the app first (dotnet build -c Release src/App): {appDll} is missing");
    return 2;
}

var directory = Path.Combine(Path.GetTempPath(), "ledger-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var dbPath = Path.Combine(directory, "ledger.db");
await BuildAsync(dbPath, Path.Combine(root, "seeds"), items);

var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
using var app = StartApp(appDll, root, dbPath, baseUrl);
try
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    await WaitAsync(http, app);
    string[] pages =
    [
        "/ledger",
        "/ledger?status=Open",
        "/ledger?overdue=true",
        "/ledger?body=jiangchuan-council",
        "/ledger?area=" + Uri.EscapeDataString("片区 07"),
        "/ledger?page=150",
    ];
    Console.WriteLine($"{items:N0} items; {requests} sequential GETs per page after 30 warm-up GETs; one client on 127.0.0.1; times in ms");
    Console.WriteLine($"{"page",-42} {"p50",7} {"p95",7} {"p99",7} {"max",7} {"KiB",6}  count shown");
    var worst = 0.0;
    foreach (var page in pages)
    {
        var (times, bytes, body) = await MeasureAsync(http, page, 30, requests);
        Array.Sort(times);
        var p95 = Percentile(times, 95);
        worst = Math.Max(worst, p95);
        var count = System.Text.RegularExpressions.Regex.Match(body, "data-testid=\"ledger-count\">([^<]*)<").Groups[1].Value;
        Console.WriteLine($"{page,-42} {Percentile(times, 50),7:F1} {p95,7:F1} {Percentile(times, 99),7:F1} {times[^1],7:F1} {bytes / 1024.0,6:F0}  {count}");
        if (body.Contains("_framework/blazor.web.js", StringComparison.Ordinal) && body.Contains("_blazor", StringComparison.Ordinal))
        {
            Console.WriteLine("  note: the page references the Blazor script");
        }
    }

    Console.WriteLine(worst <= 50 ? $"PASS: every page's p95 ≤ 50 ms (worst {worst:F1} ms)" : $"FAIL: a page's p95 is {worst:F1} ms (> 50 ms)");
    return worst <= 50 ? 0 : 1;
}
finally
{
    if (!app.HasExited)
    {
        app.Kill(entireProcessTree: true);
    }

    await app.WaitForExitAsync();
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}

static async Task BuildAsync(string dbPath, string seeds, int count)
{
    var services = new ServiceCollection();
    services.AddDeliberationPersistence(new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = dbPath }, Path.GetDirectoryName(dbPath)!);
    services.AddDeliberation();
    services.AddLogging();
    await using var provider = services.BuildServiceProvider();
    var factory = provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
    var watch = Stopwatch.StartNew();
    await DatabaseInitializer.MigrateAsync(factory);
    await SeedLoader.LoadAsync(factory, seeds, TimeProvider.System);
    await using var db = await factory.CreateDbContextAsync();
    var bodies = await db.Bodies.OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
    var keeper = await db.Users.Where(u => u.UserName == "chair").Select(u => u.Id).SingleAsync();
    var random = new Random(2026);
    var now = DateTime.UtcNow;
    var today = DateOnly.FromDateTime(now);
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    for (var i = 0; i < count; i++)
    {
        // A spread like a ledger kept for years: most items closed out, some open or overdue, 40 areas, every body.
        var item = LedgerItem.Record(bodies[random.Next(bodies.Count)], new LedgerItemInput(
            $"台账事项 {i + 1}:楼道照明、屋面防水与雨水管的维护", "说明:由居民区党组织牵头,物业公司负责落实,业主委员会参与验收。",
            LedgerOwnerKind.Office, "物业公司", null, $"片区 {random.Next(1, 41):00}", today.AddDays(random.Next(-400, 200)),
            (LedgerSource)random.Next(0, 6)), keeper, now.AddDays(-random.Next(0, 700)));
        var roll = random.Next(100);
        if (roll >= 20)
        {
            item.ReportProgress("已开工", keeper, now);
        }

        if (roll >= 35)
        {
            item.MarkDone("已完工", keeper, now);
        }

        if (roll >= 45)
        {
            item.CloseOut("居民代表验收合格,照片存档。", "https://example.org/photo/" + i.ToString(CultureInfo.InvariantCulture), keeper, now);
        }

        db.LedgerItems.Add(item);
        if ((i + 1) % 1000 == 0)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    await db.SaveChangesAsync();
    await db.Database.ExecuteSqlRawAsync("ANALYZE;");
    Console.WriteLine($"built {dbPath}: {await db.LedgerItems.CountAsync():N0} ledger items, {await db.LedgerEntries.CountAsync():N0} history entries, in {watch.Elapsed.TotalSeconds:F1} s");
}

static Process StartApp(string dll, string root, string dbPath, string baseUrl)
{
    var appDirectory = Path.Combine(root, "src", "App");
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = appDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add(dll);
    start.ArgumentList.Add("--contentRoot");
    start.ArgumentList.Add(appDirectory);
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["ASPNETCORE_URLS"] = baseUrl;
    start.Environment["Database__Provider"] = "Sqlite";
    start.Environment["Database__SqlitePath"] = dbPath;
    start.Environment["Database__LoadDemoData"] = "false";
    start.Environment["AllowedHosts"] = "127.0.0.1";
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    foreach (var secret in new[] { "Topics__SourceKeySecret", "SessionLog__SigningKey", "DataProtection__KeyEncryptionSecret", "Voting__BallotSealingKey", "Hearings__IdentityKeySecret" })
    {
        start.Environment[secret] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    }

    var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app");
    process.OutputDataReceived += (_, e) => { };
    process.ErrorDataReceived += (_, e) =>
    {
        if (e.Data is not null)
        {
            Console.Error.WriteLine("app: " + e.Data);
        }
    };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitAsync(HttpClient http, Process app)
{
    var deadline = DateTime.UtcNow.AddSeconds(90);
    while (DateTime.UtcNow < deadline)
    {
        if (app.HasExited)
        {
            throw new InvalidOperationException($"The app exited with {app.ExitCode}");
        }

        try
        {
            if ((await http.GetAsync("/")).StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(250);
    }

    throw new TimeoutException("The app did not answer within 90 s");
}

static async Task<(double[] Times, long Bytes, string Body)> MeasureAsync(HttpClient http, string page, int warmUp, int count)
{
    var body = string.Empty;
    for (var i = 0; i < warmUp; i++)
    {
        body = await Get(http, page);
    }

    var times = new double[count];
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        body = await Get(http, page);
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    return (times, System.Text.Encoding.UTF8.GetByteCount(body), body);
}

static async Task<string> Get(HttpClient http, string page)
{
    using var response = await http.GetAsync(page);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsStringAsync();
}

static double Percentile(double[] sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

int Option(string name, int fallback) => Text(name) is { } v && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : fallback;

string? Text(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

