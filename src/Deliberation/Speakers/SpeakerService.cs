using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Speakers;

/// <summary>
/// The speakers' queue of a live session. Participants (members of the session's term who have checked in: representatives,
/// and in hearings and consultations the invited stakeholders and experts who hold a seat in the term) request to speak on
/// the current agenda item and may withdraw while waiting. The chair of the session (or an admin) gives the floor, reorders
/// and removes requests, extends the running turn and ends it. Every action is logged in its unit of work; an event follows
/// the commit.
/// </summary>
public sealed class SpeakerService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{
    /// <summary>The caller asks to speak on the session's current agenda item. Returns the request's id.</summary>
    public async Task<int> RequestAsync(Actor actor, int sessionId, int agendaItemId, SpeakerMark mark, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(mark))
        {
            throw new DomainException("Speaker.InvalidMark");
        }

        var requestId = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await LoadSessionAsync(db, sessionId, ct);
            session.EnsureOpen();
            await EnsureCurrentItemAsync(db, session, agendaItemId, ct);
            var me = await ParticipantAsync(db, actor, session, ct);
            var queue = new SpeakerQueue(sessionId, agendaItemId, await db.SpeakerRequests.Where(r => r.AgendaItemId == agendaItemId).ToListAsync(ct), null);
            var request = queue.Request(me.Id, mark, Now);
            db.SpeakerRequests.Add(request);
            await db.SaveChangesAsync(ct);
            await SessionLog.AppendAsync(db, sessionId, new SpeakerRequestedEntry(request.Id, agendaItemId, me, mark.ToString()), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return request.Id;
        }, ct);
        await events.PublishAsync(new SpeakerQueueChanged(sessionId, agendaItemId), ct);
        return requestId;
    }

    /// <summary>The participant takes their own waiting request back.</summary>
    public async Task WithdrawAsync(Actor actor, int requestId, CancellationToken ct = default)
    {
        var (sessionId, itemId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadSessionAsync(db, request.SessionId, ct);
            session.EnsureOpen();
            Permit.Require(SpeakerPermissions.MayWithdraw(await OfficeReader.InTermAsync(db, actor, session.TermId, ct), request));
            var me = await db.Memberships.AsNoTracking().Where(m => m.Id == request.MembershipId).Select(m => new LoggedMember(m.Id, m.Name)).SingleAsync(ct);

            request.Withdraw(Now);
            await SessionLog.AppendAsync(db, session.Id, new SpeakerWithdrawnEntry(requestId, request.AgendaItemId, me), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (session.Id, request.AgendaItemId);
        }, ct);
        await events.PublishAsync(new SpeakerQueueChanged(sessionId, itemId), ct);
    }

    /// <summary>The chair moves a waiting request one place up (<paramref name="offset"/> -1) or down (+1) in its item's queue.</summary>
    public async Task MoveAsync(Actor actor, int requestId, int offset, CancellationToken ct = default)
    {
        var (sessionId, itemId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadForChairAsync(db, actor, request.SessionId, ct);
            session.EnsureOpen();
            var queue = new SpeakerQueue(session.Id, request.AgendaItemId, await db.SpeakerRequests.Where(r => r.AgendaItemId == request.AgendaItemId).ToListAsync(ct), null);
            var place = queue.Move(requestId, offset);
            var member = await MemberAsync(db, request.MembershipId, ct);
            await SessionLog.AppendAsync(db, session.Id,
                new SpeakerMovedEntry(requestId, request.AgendaItemId, member, offset < 0 ? SpeakerMovedEntry.Up : SpeakerMovedEntry.Down, place), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (session.Id, request.AgendaItemId);
        }, ct);
        await events.PublishAsync(new SpeakerQueueChanged(sessionId, itemId), ct);
    }

    /// <summary>The chair takes a waiting request off the queue, optionally saying why (the reason is in the log and the minutes).</summary>
    public async Task RemoveAsync(Actor actor, int requestId, string? reason, CancellationToken ct = default)
    {
        var (sessionId, itemId) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadForChairAsync(db, actor, request.SessionId, ct);
            session.EnsureOpen();
            request.Remove(reason, Now);
            var member = await MemberAsync(db, request.MembershipId, ct);
            await SessionLog.AppendAsync(db, session.Id, new SpeakerRemovedEntry(requestId, request.AgendaItemId, member, request.RemovalReason), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (session.Id, request.AgendaItemId);
        }, ct);
        await events.PublishAsync(new SpeakerQueueChanged(sessionId, itemId), ct);
    }

    /// <summary>
    /// The chair gives the floor to a waiting request of the current item, for the body's speaking time. Refused while
    /// someone else has the floor.
    /// </summary>
    public async Task GrantAsync(Actor actor, int requestId, CancellationToken ct = default)
    {
        var started = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadForChairAsync(db, actor, request.SessionId, ct);
            session.EnsureOpen();
            await EnsureCurrentItemAsync(db, session, request.AgendaItemId, ct);
            var floor = await db.SpeakerRequests.SingleOrDefaultAsync(r => r.SessionId == session.Id && r.Status == SpeakerRequestStatus.Speaking, ct);
            var requests = await db.SpeakerRequests.Where(r => r.AgendaItemId == request.AgendaItemId).ToListAsync(ct);
            var speakingTime = await db.Bodies.Where(b => b.Id == session.BodyId).Select(b => b.SpeakingTimeSeconds).SingleAsync(ct);
            var queue = new SpeakerQueue(session.Id, request.AgendaItemId, requests, floor);
            queue.Grant(requestId, speakingTime, Now);
            var member = await MemberAsync(db, request.MembershipId, ct);
            await SessionLog.AppendAsync(db, session.Id,
                new SpeakerGrantedEntry(requestId, request.AgendaItemId, member, request.Mark.ToString(), request.StartedAtUtc!.Value, request.AllowedSeconds), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return new SpeakerStarted(session.Id, request.AgendaItemId, requestId, member.Id, member.Name, request.Mark, request.StartedAtUtc!.Value, request.AllowedSeconds);
        }, ct);
        await events.PublishAsync(started, ct);
    }

    /// <summary>The chair gives the running speaker <paramref name="seconds"/> more (10 s to 10 min at a time).</summary>
    public async Task ExtendAsync(Actor actor, int requestId, int seconds, CancellationToken ct = default)
    {
        var extended = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadForChairAsync(db, actor, request.SessionId, ct);
            session.EnsureOpen();
            request.Extend(seconds);
            var member = await MemberAsync(db, request.MembershipId, ct);
            await SessionLog.AppendAsync(db, session.Id, new SpeakerExtendedEntry(requestId, request.AgendaItemId, member, seconds, request.AllowedSeconds), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return new SpeakerExtended(session.Id, request.AgendaItemId, requestId, request.StartedAtUtc!.Value, request.AllowedSeconds);
        }, ct);
        await events.PublishAsync(extended, ct);
    }

    /// <summary>The chair ends the running turn; its actual length is recorded.</summary>
    public async Task EndTurnAsync(Actor actor, int requestId, CancellationToken ct = default)
    {
        var ended = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var request = await LoadRequestAsync(db, requestId, ct);
            var session = await LoadForChairAsync(db, actor, request.SessionId, ct);
            session.EnsureOpen();
            if (!request.IsSpeaking)
            {
                throw new DomainException("Speaker.NotSpeaking");
            }

            var result = await EndAsync(db, request, actor.UserId, SpeakerEndedEntry.ByChair, Now, ct);
            await db.SaveChangesAsync(ct);
            return result;
        }, ct);
        await events.PublishAsync(ended, ct);
    }

    /// <summary>
    /// Ends the running turn of a session inside the caller's unit of work (the chair moved to another agenda item or
    /// closed the session). Returns the event to publish after commit, or null when nobody had the floor.
    /// </summary>
    internal static async Task<SpeakerEnded?> EndFloorAsync(DeliberationDbContext db, int sessionId, string actorUserId, string by, int? unlessItemId, DateTime nowUtc, CancellationToken ct)
    {
        var floor = await db.SpeakerRequests.SingleOrDefaultAsync(r => r.SessionId == sessionId && r.Status == SpeakerRequestStatus.Speaking, ct);
        if (floor is null || floor.AgendaItemId == unlessItemId)
        {
            return null;
        }

        return await EndAsync(db, floor, actorUserId, by, nowUtc, ct);
    }

    /// <summary>The speakers of a session for its live view.</summary>
    internal static async Task<SpeakersView> LoadAsync(DeliberationDbContext db, int sessionId, int defaultSeconds, CancellationToken ct)
    {
        var shown = new[] { SpeakerRequestStatus.Waiting, SpeakerRequestStatus.Speaking, SpeakerRequestStatus.Spoken };
        var rows = await (
                from r in db.SpeakerRequests.AsNoTracking()
                join m in db.Memberships on r.MembershipId equals m.Id
                where r.SessionId == sessionId && shown.Contains(r.Status)
                select new
                {
                    r.Id, r.AgendaItemId, r.MembershipId, m.Name, r.Mark, r.Status, r.Position, r.RequestedAtUtc, r.StartedAtUtc, r.EndedAtUtc,
                    r.TimeLimitSeconds, r.ExtensionSeconds,
                })
            .ToListAsync(ct);

        static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
        static DateTime? UtcOrNull(DateTime? value) => value is { } v ? Utc(v) : null;

        var waiting = rows.Where(r => r.Status == SpeakerRequestStatus.Waiting)
            .GroupBy(r => r.AgendaItemId)
            .SelectMany(g => g.OrderBy(r => r.Position).ThenBy(r => r.Id).Select((r, i) =>
                new SpeakerTurnView(r.Id, r.AgendaItemId, r.MembershipId, r.Name, r.Mark, r.Status, i + 1, Utc(r.RequestedAtUtc), null, null, 0)))
            .ToList();
        var turns = rows.Where(r => r.Status != SpeakerRequestStatus.Waiting)
            .OrderBy(r => r.StartedAtUtc).ThenBy(r => r.Id)
            .Select(r => new SpeakerTurnView(r.Id, r.AgendaItemId, r.MembershipId, r.Name, r.Mark, r.Status, 0, Utc(r.RequestedAtUtc),
                UtcOrNull(r.StartedAtUtc), UtcOrNull(r.EndedAtUtc), (r.TimeLimitSeconds ?? 0) + r.ExtensionSeconds))
            .ToList();
        return new SpeakersView(
            turns.SingleOrDefault(t => t.Status == SpeakerRequestStatus.Speaking),
            waiting,
            turns.Where(t => t.Status == SpeakerRequestStatus.Spoken).ToList(),
            defaultSeconds);
    }

    private static async Task<SpeakerEnded> EndAsync(DeliberationDbContext db, SpeakerRequest request, string actorUserId, string by, DateTime nowUtc, CancellationToken ct)
    {
        request.End(nowUtc);
        var member = await MemberAsync(db, request.MembershipId, ct);
        await SessionLog.AppendAsync(db, request.SessionId, new SpeakerEndedEntry(
            request.Id, request.AgendaItemId, member, request.Mark.ToString(), request.StartedAtUtc!.Value, request.EndedAtUtc!.Value,
            request.SpokeSeconds!.Value, request.AllowedSeconds, by), actorUserId, nowUtc, ct);
        return new SpeakerEnded(request.SessionId, request.AgendaItemId, request.Id, member.Id, member.Name, request.StartedAtUtc!.Value, request.EndedAtUtc!.Value,
            request.SpokeSeconds!.Value, request.AllowedSeconds);
    }

    private static async Task<Session> LoadSessionAsync(DeliberationDbContext db, int sessionId, CancellationToken ct) =>
        await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);

    private static async Task<Session> LoadForChairAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await LoadSessionAsync(db, sessionId, ct);
        Permit.Require(SpeakerPermissions.MayManageQueue(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Presides");
        return session;
    }

    private static async Task<SpeakerRequest> LoadRequestAsync(DeliberationDbContext db, int requestId, CancellationToken ct) =>
        await db.SpeakerRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct) ?? throw new NotFoundException("SpeakerRequest", requestId);

    private static async Task EnsureCurrentItemAsync(DeliberationDbContext db, Session session, int agendaItemId, CancellationToken ct)
    {
        if (session.CurrentAgendaItemId == agendaItemId)
        {
            return;
        }

        throw await db.AgendaItems.AnyAsync(a => a.Id == agendaItemId && a.SessionId == session.Id, ct)
            ? new DomainException("Speaker.ItemNotCurrent")
            : new DomainException("Agenda.UnknownItem");
    }

    /// <summary>The caller's seat in the session's term, if they have checked in.</summary>
    private static async Task<LoggedMember> ParticipantAsync(DeliberationDbContext db, Actor actor, Session session, CancellationToken ct)
    {
        var offices = await OfficeReader.InTermAsync(db, actor, session.TermId, ct);
        if (!SpeakerPermissions.MayRequest(offices))
        {
            throw new DomainException("Speaker.NotAParticipant");
        }

        var me = await MemberAsync(db, offices.MembershipId!.Value, ct);
        if (!await db.Attendances.AnyAsync(a => a.SessionId == session.Id && a.MembershipId == me.Id, ct))
        {
            throw new DomainException("Speaker.CheckInFirst");
        }

        return me;
    }

    private static async Task<LoggedMember> MemberAsync(DeliberationDbContext db, int membershipId, CancellationToken ct) =>
        await db.Memberships.AsNoTracking().Where(m => m.Id == membershipId).Select(m => new LoggedMember(m.Id, m.Name)).SingleAsync(ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
