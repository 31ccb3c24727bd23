using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Realtime;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Application;

/// <summary>Scheduling, opening and running sessions; attendance; the live view. Every method authorizes its caller.</summary>
public sealed class SessionService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{
    public static bool MayScheduleSessions(Actor actor) => actor.IsAdmin || actor.IsInRole(Roles.Chair);

    public async Task<IReadOnlyList<BodyOption>> ListBodiesForSchedulingAsync(Actor actor, CancellationToken ct = default)
    {
        Authorize(MayScheduleSessions(actor));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var terms = await db.Terms.AsNoTracking()
            .Select(t => new { t.Id, t.BodyId, t.Number, t.Name, t.NameEn, BodyName = t.Body.Name, BodyNameEn = t.Body.NameEn, t.Body.Kind })
            .ToListAsync(ct);
        return terms
            .GroupBy(t => t.BodyId)
            .Select(g => g.OrderByDescending(t => t.Number).First())
            .OrderBy(t => t.Kind).ThenBy(t => t.BodyId)
            .Select(t => new BodyOption(t.BodyId, t.BodyName, t.BodyNameEn, t.Kind, t.Id, t.Name, t.NameEn))
            .ToList();
    }

    /// <summary>Creates a draft session in the body's current (latest) term, with its agenda.</summary>
    public async Task<int> ScheduleAsync(Actor actor, ScheduleSessionInput input, CancellationToken ct = default)
    {
        Authorize(MayScheduleSessions(actor));
        if (!Enum.IsDefined(input.Kind))
        {
            throw new DomainException("Session.InvalidKind");
        }

        if (input.Agenda.Count == 0)
        {
            throw new DomainException("Session.NoAgenda");
        }

        if (input.Agenda.Count > Limits.AgendaItemsPerSession)
        {
            throw new DomainException("Agenda.TooManyItems", Limits.AgendaItemsPerSession);
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var body = await db.Bodies.SingleOrDefaultAsync(b => b.Id == input.BodyId, ct) ?? throw new DomainException("Session.UnknownBody");
            var term = await db.Terms.Where(t => t.BodyId == body.Id).OrderByDescending(t => t.Number).FirstOrDefaultAsync(ct)
                ?? throw new DomainException("Session.BodyHasNoTerm");
            var number = (await db.Sessions.Where(s => s.TermId == term.Id).MaxAsync(s => (int?)s.Number, ct) ?? 0) + 1;

            var session = Session.Schedule(body, term, number, input.Kind, input.Title ?? string.Empty, input.ScheduledAtUtc, input.Place ?? string.Empty, actor.UserId, Now);
            foreach (var item in input.Agenda)
            {
                session.AddAgendaItem(item.Title ?? string.Empty, item.PlannedMinutes, item.Description);
            }

            db.Sessions.Add(session);
            try
            {
                await db.SaveChangesAsync(ct);
                return session.Id;
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && attempt < 3)
            {
                // Two sessions scheduled at once took the same number: take the next one.
            }
        }
    }

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await SummaryQuery(db.Sessions).ToListAsync(ct);
        return rows
            .OrderBy(s => s.Status == SessionStatus.Open ? 0 : s.Status == SessionStatus.Draft ? 1 : 2)
            .ThenByDescending(s => s.ScheduledAtUtc)
            .ToList();
    }

    public async Task<SessionSummary?> FindAsync(int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SummaryQuery(db.Sessions.Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct);
    }

    public async Task OpenAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadForChairAsync(db, actor, sessionId, ct);
        session.Open(Now);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new SessionStatusChanged(sessionId, session.Status), ct);
    }

    public async Task CloseAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadForChairAsync(db, actor, sessionId, ct);
        if (await db.Polls.AnyAsync(p => p.SessionId == sessionId && p.Status == PollStatus.Open, ct))
        {
            throw new DomainException("Session.PollStillOpen");
        }

        session.Close(Now);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new SessionStatusChanged(sessionId, session.Status), ct);
    }

    public async Task MoveToAgendaItemAsync(Actor actor, int sessionId, int agendaItemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadForChairAsync(db, actor, sessionId, ct);
        session.MoveTo(agendaItemId);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new AgendaMoved(sessionId, session.CurrentAgendaItemId), ct);
    }

    /// <summary>A member checks in to an open session. Checking in twice stores nothing and says so.</summary>
    public async Task<CheckInOutcome> CheckInAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        session.EnsureOpen();
        var membershipId = await db.Memberships.Where(m => m.TermId == session.TermId && m.UserId == actor.UserId).Select(m => (int?)m.Id).SingleOrDefaultAsync(ct)
            ?? throw new ForbiddenException("CheckIn.NotAMember");

        if (await db.Attendances.AnyAsync(a => a.SessionId == sessionId && a.MembershipId == membershipId, ct))
        {
            return CheckInOutcome.AlreadyCheckedIn;
        }

        db.Attendances.Add(new Attendance(sessionId, membershipId, CheckInMethod.Self, actor.UserId, Now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return CheckInOutcome.AlreadyCheckedIn;
        }

        var quorum = await QuorumAsync(db, session.TermId, sessionId, ct);
        await events.PublishAsync(new AttendanceChanged(sessionId, quorum.Present, quorum.Eligible), ct);
        return CheckInOutcome.CheckedIn;
    }

    /// <summary>What a live session page shows to this viewer. Any signed-in user may watch.</summary>
    public async Task<LiveSessionView> GetLiveViewAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var summary = await SummaryQuery(db.Sessions.Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Session", sessionId);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.TermId, s.ChairUserId, s.CurrentAgendaItemId }).SingleAsync(ct);

        var agenda = await db.AgendaItems.AsNoTracking().Where(a => a.SessionId == sessionId).OrderBy(a => a.Position)
            .Select(a => new AgendaItemView(a.Id, a.Position, a.Title, a.Description, a.PlannedMinutes)).ToListAsync(ct);

        var present = await (
                from a in db.Attendances.AsNoTracking()
                join m in db.Memberships on a.MembershipId equals m.Id
                where a.SessionId == sessionId
                orderby a.CheckedInAtUtc
                select new PresentMember(m.Id, m.Name, m.Organisation != null ? m.Organisation.Name : null, m.Organisation != null ? m.Organisation.NameEn : null, a.CheckedInAtUtc))
            .ToListAsync(ct);

        var quorum = await QuorumAsync(db, session.TermId, sessionId, ct);
        var polls = await VotingService.PollViewsAsync(db, sessionId, ct);

        var me = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.UserId == actor.UserId)
            .Select(m => new { m.Id, m.Role }).SingleOrDefaultAsync(ct);
        var checkedIn = me is not null && present.Any(p => p.MembershipId == me.Id);
        var openPoll = polls.FirstOrDefault(p => p.Status == PollStatus.Open);
        BallotChoice? myChoice = null;
        if (me is not null && openPoll is not null)
        {
            myChoice = await db.Ballots.AsNoTracking().Where(b => b.PollId == openPoll.Id && b.MembershipId == me.Id).Select(b => (BallotChoice?)b.Choice).SingleOrDefaultAsync(ct);
        }

        var viewer = new ViewerView(me?.Id, me is not null && Membership.HasVoteIn(me.Role), checkedIn, actor.IsAdmin || session.ChairUserId == actor.UserId, myChoice);
        return new LiveSessionView(summary, session.CurrentAgendaItemId, agenda, present, quorum, openPoll, polls.Where(p => p.Status == PollStatus.Closed).ToList(), viewer);
    }

    internal static async Task<QuorumView> QuorumAsync(DeliberationDbContext db, int termId, int sessionId, CancellationToken ct)
    {
        var eligible = await db.Memberships.CountAsync(m => m.TermId == termId && Membership.VotingRoles.Contains(m.Role), ct);
        var present = await (
            from a in db.Attendances
            join m in db.Memberships on a.MembershipId equals m.Id
            where a.SessionId == sessionId && Membership.VotingRoles.Contains(m.Role)
            select a.Id).CountAsync(ct);
        var body = await db.Terms.Where(t => t.Id == termId).Select(t => t.Body.Quorum).SingleAsync(ct);
        return new QuorumView(present, eligible, body.Required(eligible), body.IsMet(present, eligible), body.Missing(present, eligible));
    }

    private static async Task<Session> LoadForChairAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Agenda).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        Authorize(actor.IsAdmin || session.IsChairedBy(actor.UserId));
        return session;
    }

    private static IQueryable<SessionSummary> SummaryQuery(IQueryable<Session> sessions) =>
        sessions.AsNoTracking().Select(s => new SessionSummary(
            s.Id, s.Title, s.Kind, s.Status, s.ScheduledAtUtc, s.Place, s.Body.Name, s.Body.NameEn, s.Term.Name, s.Term.NameEn, s.Number));

    private static void Authorize(bool allowed)
    {
        if (!allowed)
        {
            throw new ForbiddenException("NotAllowed");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
