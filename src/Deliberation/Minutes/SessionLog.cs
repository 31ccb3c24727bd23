using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>Appends to a session's log inside the caller's unit of work (same DbContext, same SaveChanges).</summary>
public static class SessionLog
{
    /// <summary>
    /// Adds the next entry to the context (not saved), of the kind and with the payload of the typed
    /// <paramref name="entry"/> (<see cref="SessionLogTypes"/>). The unique (SessionId, Sequence) index makes a
    /// concurrent append fail at SaveChanges; callers retry their whole operation (<see cref="IsSequenceConflict"/>).
    /// </summary>
    public static async Task<SessionLogEntry> AppendAsync(DeliberationDbContext db, int sessionId, SessionLogEvent entry, string? actorUserId, DateTime nowUtc, CancellationToken ct)
    {
        var kind = SessionLogTypes.KindOf(entry);
        var payloadJson = SessionLogTypes.Serialize(entry);
        var pending = db.ChangeTracker.Entries<SessionLogEntry>().Select(e => e.Entity).Where(e => e.SessionId == sessionId && e.Id == 0)
            .OrderByDescending(e => e.Sequence).FirstOrDefault();
        var last = pending is not null
            ? new { pending.Sequence, pending.Hash }
            : await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var stored = new SessionLogEntry(sessionId, (last?.Sequence ?? 0) + 1, nowUtc, kind, actorUserId, payloadJson, last?.Hash ?? SessionLogEntry.Genesis);
        db.SessionLog.Add(stored);
        return stored;
    }

    /// <summary>The typed payload of a stored entry.</summary>
    /// <exception cref="InvalidDataException">No feature registers the entry's kind, or its payload has none of the kind's shapes.</exception>
    public static SessionLogEvent Read(SessionLogEntry entry) =>
        TryRead(entry) ?? throw new InvalidDataException($"Unknown session-log kind \"{entry.Kind}\" (entry {entry.Sequence} of session {entry.SessionId})");

    /// <summary>The typed payload of a stored entry, or null when no feature registers its kind.</summary>
    public static SessionLogEvent? TryRead(SessionLogEntry entry) => SessionLogTypes.Deserialize(entry.Kind, entry.PayloadJson);

    /// <summary>
    /// Runs one unit of work in a transaction, and again from the start when a unique index refused a concurrent
    /// write (another writer took the same log sequence number, or checked the same member in) or PostgreSQL found it
    /// not serializable: the work re-reads the state and decides again (<see cref="UnitOfWork"/>).
    /// </summary>
    public static Task<T> InUnitOfWorkAsync<T>(IDbContextFactory<DeliberationDbContext> factory, Func<DeliberationDbContext, Task<T>> work, CancellationToken ct) =>
        UnitOfWork.RunAsync(factory, work, ct);

    public static bool IsSequenceConflict(DbUpdateException exception) =>
        DbErrors.IsUniqueViolation(exception)
        && exception.Entries.Any(e => e.Entity is SessionLogEntry);

    public static async Task<ChainVerification> VerifyAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        var entries = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        return SessionLogChain.Verify(entries);
    }
}
