using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The several-instance topology of ADR 0022, started by the README's script (<c>deploy/local-cluster.sh up</c>) on free
/// loopback ports and a folder of its own, from the build the tests run on, and stopped (<c>down</c>) afterwards:
/// PostgreSQL, Redis, instances A and B, nginx in front. One Chromium for the tests of the class.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    private readonly Dictionary<string, string> _environment;
    private IPlaywright? _playwright;

    public LocalCluster()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        InstanceA = $"http://127.0.0.1:{FreePort()}";
        InstanceB = $"http://127.0.0.1:{FreePort()}";
        Proxy = $"http://127.0.0.1:{FreePort()}";
        _environment = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = Path.Combine(Path.GetTempPath(), "cd-cluster-" + Guid.NewGuid().ToString("N")[..8]),
            ["CLUSTER_PORT"] = new Uri(Proxy).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_PG_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_REDIS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_APP_PORTS"] = $"{new Uri(InstanceA).Port} {new Uri(InstanceB).Port}",
            ["CLUSTER_CONFIGURATION"] = configuration,
            ["CLUSTER_NO_BUILD"] = "1",
        };
    }

    public string InstanceA { get; }

    public string InstanceB { get; }

    /// <summary>nginx, routing each browser to one instance by its cd_route cookie.</summary>
    public string Proxy { get; }

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (code, output) = await RunAsync("up", TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            await RunAsync("down", TimeSpan.FromMinutes(1));
            throw new InvalidOperationException($"deploy/local-cluster.sh up failed ({code}):\n{output}");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    /// <summary>A browser page whose relative addresses go to <paramref name="baseUrl"/> (an instance, or nginx).</summary>
    public async Task<IPage> PageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Runs <c>deploy/local-cluster.sh</c> with this cluster's ports and folder.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string verb, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppServer.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppServer.RepositoryRoot, "deploy", "local-cluster.sh"));
        foreach (var word in verb.Split(' '))
        {
            start.ArgumentList.Add(word);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await RunAsync("down", TimeSpan.FromMinutes(1));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
