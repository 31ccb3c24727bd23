using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// Whether the PostgreSQL server is known to be out of reach, so that a request during an outage fails within
/// <see cref="DatabaseSettings.OutageProbeTimeout"/> instead of waiting for Npgsql's own timeouts (tools/faults/README.md).
/// A stopped or killed server refuses connections and every query fails in milliseconds anyway; a server that does not
/// answer at all (frozen, paused, its host gone, packets dropped) costs each new connection Npgsql's connect
/// <c>Timeout</c> (15 s by default) and each query on a pooled connection its <c>Command Timeout</c> (30 s), one after
/// another for every query of a page: a reload measured 60 s. Once a connection, or a command that broke its connection, has
/// failed that way, every connection about to be opened first waits for one shared probe (a fresh connection and
/// <c>SELECT 1</c>, bounded by the probe timeout): failed, the opening throws at once (the app answers its 503 page);
/// answered, everything goes on as before. A failed probe also clears the pool (its idle connections lead to the
/// same server). While the database answers, nothing here runs but one field read.
/// <para>
/// Before any request has failed, <see cref="WatchAsync"/> (<see cref="DatabaseHeartbeat"/>) runs the probe's
/// <c>SELECT 1</c> every <see cref="DatabaseSettings.HeartbeatInterval"/>: a server that stops answering is known down
/// within the interval plus two probe timeouts (two misses in a row) and confirmed by the probe one timeout later, and
/// the requests after that fail fast instead of each waiting the connect timeout, or the command timeout on an idle
/// pooled connection (ADR 0022, "A frozen server noticed without a request").
/// </para>
/// </summary>
public sealed class DatabaseReachability
{
    /// <summary>How long a failed probe's verdict is reused before the next opening probes again.</summary>
    private static readonly TimeSpan FailedProbeReuse = TimeSpan.FromSeconds(1);

    private readonly string _probeConnectionString;
    private readonly TimeSpan _probeTimeout;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private volatile bool _down;
    private long _downSince;
    private Task<bool>? _probe;
    private long _probeFinished;
    private bool _confirmed;

    public DatabaseReachability(DatabaseSettings settings, ILogger<DatabaseReachability>? logger = null)
    {
        _probeTimeout = settings.OutageProbeTimeout > TimeSpan.Zero ? settings.OutageProbeTimeout : TimeSpan.FromSeconds(2);
        var seconds = Math.Max(1, (int)Math.Ceiling(_probeTimeout.TotalSeconds));
        _probeConnectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Pooling = false,
            Timeout = seconds,
            CommandTimeout = seconds,
        }.ToString();
        _logger = logger;
    }

    /// <summary>Whether a failure said the server is out of reach and no probe has reached it since.</summary>
    public bool IsKnownDown => _down;

    /// <summary>Notes a failure of a command or a connection; one that says the server is out of reach marks it down.</summary>
    public void Report(Exception? error)
    {
        if (error is null || _down || !IsUnreachable(error))
        {
            return;
        }

        lock (_lock)
        {
            if (_down)
            {
                return;
            }

            _down = true;
            _downSince = Environment.TickCount64;
            _probe = null;
        }

        _logger?.LogWarning(error, "Database may be out of reach: connections now wait at most {Timeout} for a probe until it answers", _probeTimeout);
    }

    /// <summary>Returns at once while the server is not known down; otherwise waits for the shared probe and throws if it failed.</summary>
    public async ValueTask EnsureReachableAsync(CancellationToken cancellationToken)
    {
        if (!_down)
        {
            return;
        }

        if (!await CurrentProbe().WaitAsync(cancellationToken))
        {
            throw Unreachable();
        }
    }

    /// <summary>The synchronous <see cref="EnsureReachableAsync"/>, for EF Core's synchronous openings.</summary>
    public void EnsureReachable()
    {
        if (!_down)
        {
            return;
        }

        if (!CurrentProbe().GetAwaiter().GetResult())
        {
            throw Unreachable();
        }
    }

    /// <summary>
    /// Runs the probe's query every <paramref name="interval"/> while the server is not known down. A miss is checked
    /// once more at once, so one slow answer from a busy server costs nobody anything; two in a row mark it down and start
    /// the probe (whose failure confirms it and clears the pool), as a failed request would. While it is known down the
    /// requests' probes decide when it is back.
    /// </summary>
    public async Task WatchAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_down && !await AnswersAsync().ConfigureAwait(false) && !_down && !await AnswersAsync().ConfigureAwait(false))
            {
                Report(new TimeoutException($"The database did not answer the heartbeat twice within {_probeTimeout.TotalSeconds} s"));
                _ = CurrentProbe();
            }
        }
    }

    /// <summary>Whether the failure (or one it wraps) says the server could not be reached, rather than a fault of the query.</summary>
    public static bool IsUnreachable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // The server's own errors: only "connection exception" (08…) and "operator intervention" shutting it
                // down (57P01–57P03). A serialization failure or deadlock is transient too, but says nothing about reach.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03";
                case DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException or IOException:
                    return true;
            }
        }

        return false;
    }

    private Task<bool> CurrentProbe()
    {
        lock (_lock)
        {
            if (!_down)
            {
                // Cleared since the caller looked: no probe (an old probe's answer must not clear a newer failure).
                return Task.FromResult(true);
            }

            if (_probe is { IsCompleted: false } running)
            {
                return running;
            }

            if (_probe is { IsCompletedSuccessfully: true } done && !done.Result && Environment.TickCount64 - _probeFinished < FailedProbeReuse.TotalMilliseconds)
            {
                return done;
            }

            // On the thread pool, never on the caller's context: a Blazor circuit blocked in a synchronous opening must not
            // be the context the shared probe needs to finish on.
            return _probe = Task.Run(ProbeAsync);
        }
    }

    private async Task<bool> ProbeAsync()
    {
        var answered = await AnswersAsync().ConfigureAwait(false);
        bool confirmed;
        lock (_lock)
        {
            confirmed = !answered && !_confirmed;
            _confirmed |= !answered;
            _probeFinished = Environment.TickCount64;
            if (answered && _down)
            {
                _down = false;
                _confirmed = false;
                _logger?.LogInformation("Database answers again, {Seconds:0.0} s after the first failure", (Environment.TickCount64 - _downSince) / 1000.0);
            }
        }

        if (confirmed)
        {
            // Out of reach for certain: drop the idle connections. To a server that stopped answering each would hold its
            // next query for the command timeout; to one that restarted each is broken and would fail one more request.
            // Not on a mere report: a slow query or a full pool on a busy server reports a timeout too.
            try
            {
                NpgsqlConnection.ClearAllPools();
                _logger?.LogWarning("Database out of reach (the probe failed): idle connections dropped, requests fail within {Timeout} until a probe answers", _probeTimeout);
            }
            catch (Exception ex)
            {
                // The verdict stands; a fault here must not leave a faulted probe that every opening would rethrow.
                _logger?.LogWarning(ex, "Clearing the connection pools failed");
            }
        }

        return answered;
    }

    /// <summary>Whether a fresh connection's <c>SELECT 1</c> is answered within the probe timeout.</summary>
    private async Task<bool> AnswersAsync()
    {
        try
        {
            // Bounded from outside as well: Npgsql's timeouts do not cover every step (a cancellation request, DNS).
            return await SelectOneAsync().WaitAsync(_probeTimeout).ConfigureAwait(false);
        }
        catch (PostgresException postgres) when (!IsUnreachable(postgres))
        {
            // The server answered, if only to refuse (too many connections, a role's limit): it is there; a busy server
            // must not be turned into one that refuses every request.
            return true;
        }
        catch (Exception)
        {
            // Whatever kept the probe from its answer (refused, timed out, a server shutting down): not reachable.
            return false;
        }
    }

    private async Task<bool> SelectOneAsync()
    {
        await using var connection = new NpgsqlConnection(_probeConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is 1;
    }

    private NpgsqlException Unreachable() => new(
        "The database did not answer a probe within " + _probeTimeout.TotalSeconds + " s; it is treated as out of reach until it does.",
        new TimeoutException("Database probe failed"));
}

/// <summary>
/// Hooks <see cref="DatabaseReachability"/> into every EF Core context on PostgreSQL: failures of commands and
/// connections are reported, and an opening waits for the probe while the server is known down.
/// </summary>
public sealed class DatabaseReachabilityInterceptor(DatabaseReachability reachability) : IDbConnectionInterceptor, IDbCommandInterceptor
{
    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        reachability.EnsureReachable();
        return result;
    }

    public async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await reachability.EnsureReachableAsync(cancellationToken);
        return result;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => reachability.Report(eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        reachability.Report(eventData.Exception);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ReportBroken(command, eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ReportBroken(command, eventData.Exception);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A command failure counts only when it broke its connection: a command timeout on a slow query whose cancel the
    /// server answered leaves the connection open, and says the server is busy, not gone.
    /// </summary>
    private void ReportBroken(DbCommand command, Exception error)
    {
        if (command.Connection?.State != System.Data.ConnectionState.Open)
        {
            reachability.Report(error);
        }
    }
}

/// <summary>
/// Runs <see cref="DatabaseReachability.WatchAsync"/> on PostgreSQL every <see cref="DatabaseSettings.HeartbeatInterval"/>
/// (zero turns it off), so a server that stops answering is noticed without waiting for a request to fail.
/// </summary>
public sealed class DatabaseHeartbeat(DatabaseReachability reachability, DatabaseSettings settings) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.HeartbeatInterval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            // At most an hour apart: PeriodicTimer refuses periods beyond about 49 days, which would stop the host.
            await reachability.WatchAsync(TimeSpan.FromTicks(Math.Min(settings.HeartbeatInterval.Ticks, TimeSpan.TicksPerHour)), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
