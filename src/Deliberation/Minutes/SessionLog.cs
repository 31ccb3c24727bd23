using System.Text.Json;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>Kinds of log entries. The payload of each is a small JSON object named in the comment.</summary>
public static class SessionLogKinds
{
    public const string SessionOpened = "session.opened";          // { }
    public const string SessionClosed = "session.closed";          // { }
    public const string AgendaMoved = "agenda.moved";              // { agendaItemId, position, title }
    public const string CheckedIn = "attendance.checkedIn";        // { members: [{ id, name }], by: "self" | "secretary" }
    public const string ProxyGiven = "proxy.given";                // { from: { id, name }, to: { id, name } }
    public const string ProxyRevoked = "proxy.revoked";            // { from: { id, name } }
    public const string PollOpened = "poll.opened";                // { pollId, agendaItemId, question, method, secrecy, rule, options, eligible, closesAtUtc }
    public const string PaperCounted = "poll.paperCounted";        // { pollId, ballots, blank, votes }
    public const string PollClosed = "poll.closed";                // { pollId, outcome, count, decision, present, members, named: [{ name, selections, proxy }] }
    public const string PollPublished = "poll.published";          // { pollId }
    public const string AnnulmentRequested = "poll.annulmentRequested"; // { pollId, reason, role }
    public const string PollAnnulled = "poll.annulled";            // { pollId, reason }
    public const string ProposalOnAgenda = "proposal.onAgenda";    // { proposalId, title, agendaItemId, position, version, coSponsors }
    public const string ProposalDecided = "proposal.decided";      // { proposalId, title, pollId, outcome, version }
    public const string AmendmentDecided = "amendment.decided";    // { amendmentId, number, proposalId, decision, version?, pollId?, reason?, original?, proposed? }

    // The speakers' queue. member is { id, name }; mark is "Pro" | "Contra" | "Question"; times are UTC.
    public const string SpeakerRequested = "speaker.requested";    // { requestId, agendaItemId, member, mark }
    public const string SpeakerWithdrawn = "speaker.withdrawn";    // { requestId, agendaItemId, member }
    public const string SpeakerMoved = "speaker.moved";            // { requestId, agendaItemId, member, direction: "up" | "down", place }
    public const string SpeakerRemoved = "speaker.removed";        // { requestId, agendaItemId, member, reason }
    public const string SpeakerGranted = "speaker.granted";        // { requestId, agendaItemId, member, mark, startedAtUtc, allowedSeconds }
    public const string SpeakerExtended = "speaker.extended";      // { requestId, agendaItemId, member, seconds, allowedSeconds }
    public const string SpeakerEnded = "speaker.ended";            // { requestId, agendaItemId, member, mark, startedAtUtc, endedAtUtc, seconds, allowedSeconds, by: "chair" | "agendaMoved" | "sessionClosed" }
}

/// <summary>Appends to a session's log inside the caller's unit of work (same DbContext, same SaveChanges).</summary>
public static class SessionLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Adds the next entry to the context (not saved). The unique (SessionId, Sequence) index makes a concurrent
    /// append fail at SaveChanges; callers retry their whole operation (<see cref="IsSequenceConflict"/>).
    /// </summary>
    public static async Task<SessionLogEntry> AppendAsync(DeliberationDbContext db, int sessionId, string kind, string? actorUserId, object payload, DateTime nowUtc, CancellationToken ct)
    {
        var pending = db.ChangeTracker.Entries<SessionLogEntry>().Select(e => e.Entity).Where(e => e.SessionId == sessionId && e.Id == 0)
            .OrderByDescending(e => e.Sequence).FirstOrDefault();
        var last = pending is not null
            ? new { pending.Sequence, pending.Hash }
            : await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var entry = new SessionLogEntry(sessionId, (last?.Sequence ?? 0) + 1, nowUtc, kind, actorUserId, JsonSerializer.Serialize(payload, Json), last?.Hash ?? SessionLogEntry.Genesis);
        db.SessionLog.Add(entry);
        return entry;
    }

    /// <summary>
    /// Runs one unit of work in a transaction, and again from the start when a unique index refused a concurrent
    /// write (another writer took the same log sequence number, or checked the same member in): the work re-reads
    /// the state and decides again. SQLite's immediate transactions serialize writers; PostgreSQL may need the retry.
    /// </summary>
    public static async Task<T> InUnitOfWorkAsync<T>(IDbContextFactory<DeliberationDbContext> factory, Func<DeliberationDbContext, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var result = await work(db);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && attempt < 10)
            {
                await tx.RollbackAsync(ct);
            }
        }
    }

    public static bool IsSequenceConflict(DbUpdateException exception) =>
        DbErrors.IsUniqueViolation(exception)
        && exception.Entries.Any(e => e.Entity is SessionLogEntry);

    public static async Task<ChainVerification> VerifyAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        var entries = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        return SessionLogChain.Verify(entries);
    }
}
