using System.Data;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// One unit of work in one transaction, decided by the database as if the units ran one after another, on either
/// provider (ADR 0021). On SQLite the transaction is an immediate one, which takes the write lock at its start, so writers
/// run one at a time. On PostgreSQL it is <c>SERIALIZABLE</c>: a unit that read what another committed unit changed
/// (two votes opened in one session, a proxy holder's cap counted twice, a source's hourly limit) is aborted by the
/// server with a serialization failure. Either way a unit refused by a unique index or by such a failure runs again from
/// the start on a fresh context: it re-reads the state and decides again, so the refusal the loser then meets is the
/// domain's own ("another vote is open"), never a database error.
/// </summary>
public static class UnitOfWork
{
    /// <summary>Attempts before a conflict is passed on (each attempt re-reads; contention of hundreds settles in a few).</summary>
    public const int MaxAttempts = 30;

    public static async Task<T> RunAsync<T>(IDbContextFactory<DeliberationDbContext> factory, Func<DeliberationDbContext, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var tx = await BeginAsync(db, ct);
            try
            {
                var result = await work(db);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (IsConflict(ex) && attempt < MaxAttempts)
            {
                await RollBackQuietlyAsync(tx);
            }

            // A little jitter so that the losers of one race do not meet again in the same instant.
            await Task.Delay(Random.Shared.Next(0, Math.Min(50, 2 * attempt)), ct);
        }
    }

    /// <inheritdoc cref="RunAsync{T}(IDbContextFactory{DeliberationDbContext}, Func{DeliberationDbContext, Task{T}}, CancellationToken)"/>
    public static Task RunAsync(IDbContextFactory<DeliberationDbContext> factory, Func<DeliberationDbContext, Task> work, CancellationToken ct) =>
        RunAsync(factory, async db =>
        {
            await work(db);
            return true;
        }, ct);

    /// <summary>The transaction of a unit of work: immediate on SQLite, serializable on PostgreSQL.</summary>
    public static Task<IDbContextTransaction> BeginAsync(DeliberationDbContext db, CancellationToken ct) =>
        db.Database.IsNpgsql() ? db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct) : db.Database.BeginTransactionAsync(ct);

    /// <summary>
    /// A refusal that running the unit again may not meet: a unique index, a serialization failure, a deadlock — also when
    /// EF Core wrapped it (it wraps what the provider calls transient in an <see cref="InvalidOperationException"/>).
    /// </summary>
    public static bool IsConflict(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if ((e is DbUpdateException update && DbErrors.IsUniqueViolation(update)) || IsSerializationFailure(e))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSerializationFailure(Exception? exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    private static async Task RollBackQuietlyAsync(IDbContextTransaction tx)
    {
        try
        {
            await tx.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException)
        {
            // The server ended the transaction itself; the retry starts a new one on a new context.
        }
    }
}
