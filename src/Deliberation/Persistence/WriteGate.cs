namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// Queues bursty writes (ballots, check-ins) one at a time on SQLite, asynchronously.
/// </summary>
/// <remarks>
/// SQLite has one writer. When two write transactions overlap, Microsoft.Data.Sqlite answers SQLITE_BUSY by
/// blocking the thread (a sleep) and retrying; a burst of 150 ballots then parks dozens of thread-pool threads, the
/// pool starves and every connection stalls (measured with tools/loadtest). Queued here, writes reach the database
/// one after another and never meet SQLITE_BUSY, holding no thread while they wait. On PostgreSQL the gate is open:
/// the database orders concurrent writers itself.
/// </remarks>
public sealed class WriteGate(DatabaseSettings settings)
{
    private readonly SemaphoreSlim? _gate = settings.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        if (_gate is null)
        {
            return await write();
        }

        await _gate.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            _gate.Release();
        }
    }
}
