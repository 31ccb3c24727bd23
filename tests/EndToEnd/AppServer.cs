using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Runs the real app (the built CommunityDeliberation.App.dll) as a separate process on a free loopback port,
/// on its own SQLite file seeded with the demo data (asked for explicitly), in the Production environment.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _dataDirectory;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private bool _handedOver;

    private AppServer(Process process, string baseUrl, string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        _settings = settings;
        _process = process;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    /// <summary>The server's SQLite file.</summary>
    public string DatabasePath => Path.Combine(_dataDirectory, "e2e.db");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// Starts the app; <paramref name="settings"/> are extra configuration as environment variables (<c>Circuits__…</c>),
    /// an empty value unsetting one of the defaults below.
    /// </summary>
    public static async Task<AppServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cd-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        return await StartOnAsync(dataDirectory, FreePort(), settings);
    }

    /// <summary>
    /// Stops this server abruptly and starts a new one on the same data folder (database and secrets) and port, with a
    /// new empty home folder, as a second instance on another machine would start: nothing carries over but the
    /// database and the configuration. The returned server owns the data folder from now on.
    /// </summary>
    public async Task<AppServer> RestartAsync()
    {
        Kill();
        _handedOver = true;
        var home = Path.Combine(_dataDirectory, "home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var settings = new Dictionary<string, string>(_settings ?? new Dictionary<string, string>()) { ["HOME"] = home };
        return await StartOnAsync(_dataDirectory, new Uri(BaseUrl).Port, settings);
    }

    private static async Task<AppServer> StartOnAsync(string dataDirectory, int port, IReadOnlyDictionary<string, string>? settings)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = StartInfo(dataDirectory, settings);
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app");
        var server = new AppServer(process, baseUrl, dataDirectory, settings);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{server.Log}");
            }

            try
            {
                var response = await http.GetAsync(baseUrl + "/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The app did not answer within 90 s:\n{server.Log}");
    }

    /// <summary>
    /// Runs the app's dll once more with <paramref name="arguments"/> (a command such as <c>create-admin</c>) on this
    /// server's database and configuration, writing <paramref name="input"/> to its standard input.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(string input, params string[] arguments)
    {
        var start = StartInfo(_dataDirectory, _settings);
        start.RedirectStandardInput = true;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// The app's dll in the Production environment on its own SQLite file, with the demo data (explicitly: production
    /// never loads it otherwise), the hosts the tests use and a topic source-key secret (a new one for every start and
    /// command); <paramref name="settings"/> last.
    /// </summary>
    private static ProcessStartInfo StartInfo(string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var appDirectory = Path.Combine(RepositoryRoot, "src", "App");
        var dll = Path.Combine(appDirectory, "bin", configuration, "net10.0", "CommunityDeliberation.App.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the app first: {dll} is missing");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(appDirectory);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__SqlitePath"] = Path.Combine(dataDirectory, "e2e.db");
        start.Environment["Database__SeedFolder"] = Path.Combine(RepositoryRoot, "seeds");
        start.Environment["Database__LoadDemoData"] = "true";
        // appsettings.Production.json names a placeholder host; the tests ask for 127.0.0.1.
        start.Environment["AllowedHosts"] = "127.0.0.1;localhost";
        // Required outside Development: the key of the stored topic source hashes.
        start.Environment["Topics__SourceKeySecret"] = "e2e-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // Required outside Development, and kept with the data folder so a restart on it keeps them (ADR 0015): the
        // session log's signing key, the secret that encrypts the Data Protection keys stored in the database, and the
        // secret ballots' sealing key.
        var secrets = FolderSecrets(dataDirectory);
        start.Environment["SessionLog__SigningKey"] = secrets[0];
        start.Environment["DataProtection__KeyEncryptionSecret"] = secrets[1];
        start.Environment["Voting__BallotSealingKey"] = secrets[2];
        start.Environment["Hearings__IdentityKeySecret"] = "e2e-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The whole suite signs in, searches and connects from one loopback address many times a minute, with the same
        // demo accounts and one shared watcher token: the limits that protect a real site would throttle it. The tests of
        // the limits themselves (EdgeServerTests) set small ones.
        start.Environment["RateLimits__SignInPerAddress"] = "10000";
        start.Environment["RateLimits__SearchPerAddress"] = "10000";
        start.Environment["RateLimits__HearingPostsPerAddress"] = "10000";
        start.Environment["RateLimits__ArchiveExportPerAddress"] = "10000";
        start.Environment["RateLimits__HubConnectionsPerUser"] = "10000";
        start.Environment["Hearings__RegistrationsPerSourcePerHour"] = "10000";
        start.Environment["Hearings__RegistrationsPerSourcePerDay"] = "10000";
        // Circuits and cookies re-check their account every 3 seconds here (production: 3 minutes), so a test sees a
        // changed password or a disabled account end another browser's session quickly (AccountTests).
        start.Environment["Accounts__RevalidationInterval"] = "00:00:03";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            // An empty value leaves the setting unset (the app's own default applies).
            if (value.Length == 0)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Three random secrets made once per data folder (a file next to the database).</summary>
    private static string[] FolderSecrets(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "e2e-secrets.txt");
        if (!File.Exists(file))
        {
            File.WriteAllLines(file, Enumerable.Range(0, 3).Select(_ => "e2e-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        }

        return File.ReadAllLines(file);
    }

    /// <summary>Kills the server abruptly, as a crash or a lost network would look to the browser.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.Delay(100);
        if (_handedOver)
        {
            return;
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying process; the temp folder is cleaned by the OS
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommunityDeliberation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CommunityDeliberation.sln not found above " + AppContext.BaseDirectory);
    }
}
