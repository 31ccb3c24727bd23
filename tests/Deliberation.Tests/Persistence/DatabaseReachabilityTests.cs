using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CommunityDeliberation.Tests.Persistence;

/// <summary>
/// A PostgreSQL server that stops answering (frozen with SIGSTOP, as a paused VM, a hung host or dropped packets would
/// look) makes every new connection wait Npgsql's connect timeout; once one request has seen that, the next ones must
/// fail within the outage probe's 2 s (the app answers its 503 page), and the first request after the server is back
/// must work without a manual step. A server that is stopped and started again must be recovered from the same way.
/// The test starts and stops a PostgreSQL cluster of its own (deploy/test-postgres.sh with its own port and folder),
/// never the shared one, in both runs of the suite.
/// </summary>
public sealed class DatabaseReachabilityTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The test's connect timeout: long enough that waiting for it is told apart from the 2 s probe.</summary>
    private const int ConnectTimeoutSeconds = 8;

    private static readonly TimeSpan FastFailure = TimeSpan.FromSeconds(4);

    private readonly int _port = FreePort();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cd-reachability-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        var server = (await ScriptAsync("up")).Trim().Split('\n')[^1];
        var settings = new DatabaseSettings
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Timeout = ConnectTimeoutSeconds }.ToString(),
        };
        var services = new ServiceCollection();
        services.AddDeliberationPersistence(settings, _dir);
        services.AddDeliberation();
        services.AddLogging();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        Signal("CONT");
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await ScriptAsync("down");
    }

    [Fact]
    public async Task RequestsFailFastWhileTheServerDoesNotAnswerAndWorkAgainOnceItDoes()
    {
        await SelectOneAsync();
        NpgsqlConnection.ClearAllPools(); // no idle connection: the next query must connect, as after a restart of the app

        Signal("STOP");
        var first = await TimeFailureAsync();
        var second = await TimeFailureAsync();
        var third = await TimeFailureAsync();
        Signal("CONT");
        var back = await TimeUntilAnsweredAsync();

        Assert.True(first.Elapsed >= TimeSpan.FromSeconds(ConnectTimeoutSeconds - 1), $"the first request waited {first.Elapsed}: was the server frozen?");
        Assert.True(second.Elapsed < FastFailure, $"the second request waited {second.Elapsed} (the first {first.Elapsed})");
        Assert.True(third.Elapsed < FastFailure, $"the third request waited {third.Elapsed}");
        // What the app's 503 page looks for (DatabaseOutage.IsOutage): a transient database failure in the chain.
        Assert.True(IsTransient(second.Error), second.Error.ToString());
        Assert.True(back < TimeSpan.FromSeconds(5), $"answered again {back} after the server did");
    }

    [Fact]
    public async Task RequestsFailFastWhileTheServerIsStoppedAndWorkAgainOnceItIsStarted()
    {
        await SelectOneAsync();

        await PgCtlAsync("-m fast -w stop");
        var first = await TimeFailureAsync();
        var second = await TimeFailureAsync();
        await PgCtlAsync($"-w -l {_dir}/server.log -o \"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1\" start");
        var back = await TimeUntilAnsweredAsync();

        Assert.True(first.Elapsed < FastFailure, $"the first request waited {first.Elapsed}");
        Assert.True(second.Elapsed < FastFailure, $"the second request waited {second.Elapsed}");
        Assert.True(IsTransient(second.Error), second.Error.ToString());
        Assert.True(back < TimeSpan.FromSeconds(5), $"answered again {back} after the server did");
    }

    [Fact]
    public async Task TheHeartbeatNoticesAServerThatStopsAnsweringSoTheNextRequestFailsFast()
    {
        // Leaves an idle pooled connection: a query on it would wait the command timeout (30 s) and as long again while
        // Npgsql cancels it, since no request has failed before it to tell anyone the server is gone.
        await SelectOneAsync();
        var reachability = _services!.GetRequiredService<DatabaseReachability>();
        using var watching = new CancellationTokenSource();
        var heartbeat = reachability.WatchAsync(TimeSpan.FromSeconds(1), watching.Token);

        Signal("STOP");
        var clock = Stopwatch.StartNew();
        while (!reachability.IsKnownDown && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }

        var noticed = clock.Elapsed;
        output.WriteLine($"noticed after {noticed.TotalSeconds:0.00} s");
        var next = await TimeFailureAsync();
        Signal("CONT");
        var back = await TimeUntilAnsweredAsync();
        await watching.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heartbeat);

        // One tick (1 s) and two misses of the heartbeat's probe timeout (2 s each), with room for a busy machine.
        Assert.True(noticed < TimeSpan.FromSeconds(10), $"noticed after {noticed}");
        Assert.True(next.Elapsed < FastFailure, $"the next request waited {next.Elapsed}");
        Assert.True(IsTransient(next.Error), next.Error.ToString());
        Assert.True(back < TimeSpan.FromSeconds(5), $"answered again {back} after the server did");
        Assert.False(reachability.IsKnownDown);
    }

    private Task SelectOneAsync() => QueryAsync("SELECT 1");

    private async Task QueryAsync(string sql)
    {
        var factory = _services!.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private async Task<(TimeSpan Elapsed, Exception Error)> TimeFailureAsync()
    {
        var clock = Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(SelectOneAsync);
        Assert.NotNull(error);
        return (clock.Elapsed, error);
    }

    private async Task<TimeSpan> TimeUntilAnsweredAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await SelectOneAsync();
                return clock.Elapsed;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(200);
            }
        }
    }

    private static bool IsTransient(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends a signal to this test's postmaster and its children (SIGSTOP freezes the server, SIGCONT thaws it).</summary>
    private void Signal(string signal)
    {
        var pidFile = Path.Combine(_dir, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        // The postmaster first when freezing, so it forks no backend (the heartbeat connects every second) that escapes.
        var postmaster = File.ReadLines(pidFile).First().Trim();
        if (signal == "STOP")
        {
            Run("kill", $"-{signal} {postmaster}");
            Run("pkill", $"-{signal} -P {postmaster}");
        }
        else
        {
            Run("pkill", $"-{signal} -P {postmaster}");
            Run("kill", $"-{signal} {postmaster}");
        }
    }

    private Task<string> ScriptAsync(string verb) => Task.Run(() =>
    {
        var root = FindRepositoryRoot();
        return Run("bash", $"{Path.Combine(root, "deploy", "test-postgres.sh")} {verb}",
            new Dictionary<string, string> { ["TEST_PG_PORT"] = _port.ToString(CultureInfo.InvariantCulture), ["TEST_PG_DIR"] = _dir }, check: true);
    });

    private Task PgCtlAsync(string arguments) => Task.Run(() =>
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderBy(d => d, StringComparer.Ordinal).Last();
        var command = $"{bin}/pg_ctl -D {_dir} {arguments}";
        // PostgreSQL will not run as root: deploy/test-postgres.sh runs it as the 'postgres' account then.
        Run("bash", Environment.UserName == "root" ? $"-c \"runuser -u postgres -- {command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : $"-c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", check: true);
    });

    private static string Run(string file, string arguments, Dictionary<string, string>? environment = null, bool check = false)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            throw new TimeoutException($"{file} {arguments} did not finish");
        }

        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommunityDeliberation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CommunityDeliberation.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
