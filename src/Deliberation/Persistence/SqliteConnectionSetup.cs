using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// Sets <c>busy_timeout</c> on every SQLite connection. Without it, Microsoft.Data.Sqlite answers a locked database by
/// sleeping its thread 150 ms before retrying; with it, SQLite itself retries within milliseconds, so concurrent
/// ballots wait briefly for the one writer instead of in 150 ms steps (measured with tools/loadtest).
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
