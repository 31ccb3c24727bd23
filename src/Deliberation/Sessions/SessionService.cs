using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Sessions;

/// <summary>Scheduling, opening and running sessions; attendance; the live view. Every method authorizes its caller.</summary>
public sealed class SessionService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{
    /// <summary>The bodies whose sessions this person may schedule (<see cref="SessionPermissions.MaySchedule"/>); empty for everyone else.</summary>
    public async Task<IReadOnlyList<BodyOption>> ListBodiesForSchedulingAsync(Actor? actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var termIds = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(SessionPermissions.MaySchedule).Select(o => o.TermId).ToList();
        var terms = await db.Terms.AsNoTracking()
            .Where(t => termIds.Contains(t.Id))
            .Select(t => new { t.Id, t.BodyId, t.Number, t.Name, t.NameEn, BodyName = t.Body.Name, BodyNameEn = t.Body.NameEn, t.Body.Kind })
            .ToListAsync(ct);
        return terms
            .OrderBy(t => t.Kind).ThenBy(t => t.BodyId)
            .Select(t => new BodyOption(t.BodyId, t.BodyName, t.BodyNameEn, t.Kind, t.Id, t.Name, t.NameEn))
            .ToList();
    }

    /// <summary>Whether this person may schedule a session of some body (for the navigation's "new session" link).</summary>
    public async Task<bool> MayScheduleAnyAsync(Actor? actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await OfficeReader.EverywhereAsync(db, actor, ct)).Any(SessionPermissions.MaySchedule);
    }

    /// <summary>Creates a draft session in the body's current (latest) term, with its agenda.</summary>
    public async Task<int> ScheduleAsync(Actor actor, ScheduleSessionInput input, CancellationToken ct = default)
    {
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
            var offices = await OfficeReader.InTermAsync(db, actor, term.Id, ct);
            Permit.Require(SessionPermissions.MaySchedule(offices), "Office.Secretariat");

            // The chair who presides: the scheduler when they preside, else the term's chair (a secretary schedules for them).
            var presiding = offices.Presides ? actor.UserId : await db.Memberships
                .Where(m => m.TermId == term.Id && m.EndedAtUtc == null && m.UserId != null && (m.Role == MemberRole.Chair || m.Role == MemberRole.Director))
                .OrderBy(m => m.Id).Select(m => m.UserId).FirstOrDefaultAsync(ct) ?? actor.UserId;
            var number = (await db.Sessions.Where(s => s.TermId == term.Id).MaxAsync(s => (int?)s.Number, ct) ?? 0) + 1;

            var session = Session.Schedule(body, term, number, input.Kind, input.Title ?? string.Empty, input.ScheduledAtUtc, input.Place ?? string.Empty, presiding, Now);
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
        var proposalChanged = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await LoadForChairAsync(db, actor, sessionId, ct);
            session.Open(Now);
            var changed = await ProposalService.BeginDeliberationAsync(db, session.CurrentAgendaItemId!.Value, actor.UserId, Now, ct);
            await SessionLog.AppendAsync(db, sessionId, new SessionOpenedEntry(), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return changed;
        }, ct);
        await events.PublishAsync(new SessionStatusChanged(sessionId, SessionStatus.Open), ct);
        if (proposalChanged is not null)
        {
            await events.PublishAsync(proposalChanged, ct);
        }
    }

    /// <summary>Closes the session; a running speaker's turn ends with it.</summary>
    public async Task CloseAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        var ended = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await LoadForChairAsync(db, actor, sessionId, ct);
            if (await db.Polls.AnyAsync(p => p.SessionId == sessionId && p.Status == PollStatus.Open, ct))
            {
                throw new DomainException("Session.PollStillOpen");
            }

            session.EnsureOpen();
            var endedTurn = await SpeakerService.EndFloorAsync(db, sessionId, actor.UserId, SpeakerEndedEntry.BySessionClose, null, Now, ct);
            session.Close(Now);
            await SessionLog.AppendAsync(db, sessionId, new SessionClosedEntry(), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return endedTurn;
        }, ct);
        if (ended is not null)
        {
            await events.PublishAsync(ended, ct);
        }

        await events.PublishAsync(new SessionStatusChanged(sessionId, SessionStatus.Closed), ct);
    }

    /// <summary>The chair moves the meeting to an agenda item. A speaker on another item loses the floor (their turn is recorded).</summary>
    public async Task MoveToAgendaItemAsync(Actor actor, int sessionId, int agendaItemId, CancellationToken ct = default)
    {
        var (ended, proposalChanged) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await LoadForChairAsync(db, actor, sessionId, ct);
            session.MoveTo(agendaItemId);
            var changed = await ProposalService.BeginDeliberationAsync(db, agendaItemId, actor.UserId, Now, ct);
            var item = session.Agenda.Single(a => a.Id == agendaItemId);
            var endedTurn = await SpeakerService.EndFloorAsync(db, sessionId, actor.UserId, SpeakerEndedEntry.ByAgendaMove, agendaItemId, Now, ct);
            await SessionLog.AppendAsync(db, sessionId, new AgendaMovedEntry(agendaItemId, item.Position, item.Title), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (endedTurn, changed);
        }, ct);
        if (ended is not null)
        {
            await events.PublishAsync(ended, ct);
        }

        await events.PublishAsync(new AgendaMoved(sessionId, agendaItemId), ct);
        if (proposalChanged is not null)
        {
            await events.PublishAsync(proposalChanged, ct);
        }
    }

    /// <summary>A member checks in to an open session. Checking in twice stores nothing and says so.</summary>
    public async Task<CheckInOutcome> CheckInAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        var (outcome, quorum) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
            session.EnsureOpen();
            var member = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.UserId == actor.UserId && m.EndedAtUtc == null).Select(m => new LoggedMember(m.Id, m.Name)).SingleOrDefaultAsync(ct)
                ?? throw new ForbiddenException("CheckIn.NotAMember");

            if (await db.Attendances.AnyAsync(a => a.SessionId == sessionId && a.MembershipId == member.Id, ct))
            {
                return (CheckInOutcome.AlreadyCheckedIn, (QuorumView?)null);
            }

            db.Attendances.Add(new Attendance(sessionId, member.Id, CheckInMethod.Self, actor.UserId, Now));
            await SessionLog.AppendAsync(db, sessionId, new CheckedInEntry([member], CheckedInEntry.BySelf), actor.UserId, Now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && !SessionLog.IsSequenceConflict(ex))
            {
                return (CheckInOutcome.AlreadyCheckedIn, null);
            }

            return (CheckInOutcome.CheckedIn, await QuorumAsync(db, session.TermId, sessionId, ct));
        }, ct);

        if (quorum is not null)
        {
            await events.PublishAsync(new AttendanceChanged(sessionId, quorum.Present, quorum.Eligible), ct);
        }

        return outcome;
    }

    /// <summary>What a live session page shows to this viewer. Any signed-in user may watch.</summary>
    public async Task<LiveSessionView> GetLiveViewAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var summary = await SummaryQuery(db.Sessions.Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Session", sessionId);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.TermId, s.ChairUserId, s.CurrentAgendaItemId, s.Body.SpeakingTimeSeconds }).SingleAsync(ct);

        var agenda = await db.AgendaItems.AsNoTracking().Where(a => a.SessionId == sessionId).OrderBy(a => a.Position)
            .Select(a => new AgendaItemView(a.Id, a.Position, a.Title, a.Description, a.PlannedMinutes,
                db.Proposals.Where(p => p.AgendaItemId == a.Id)
                    .Select(p => new LinkedProposal(p.Id, p.Title, p.Status, p.Version,
                        db.Amendments.Count(x => x.ProposalId == p.Id && (x.Status == AmendmentStatus.Proposed || x.Status == AmendmentStatus.Voting))))
                    .FirstOrDefault())).ToListAsync(ct);

        var present = await (
                from a in db.Attendances.AsNoTracking()
                join m in db.Memberships on a.MembershipId equals m.Id
                where a.SessionId == sessionId
                orderby a.CheckedInAtUtc
                select new PresentMember(m.Id, m.Name, m.Organisation != null ? m.Organisation.Name : null, m.Organisation != null ? m.Organisation.NameEn : null, a.CheckedInAtUtc))
            .ToListAsync(ct);

        var quorum = await QuorumAsync(db, session.TermId, sessionId, ct);
        var polls = await PollQueries.PollViewsAsync(db, sessionId, ct);
        var openPoll = polls.FirstOrDefault(p => p.Status == PollStatus.Open);

        var me = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.UserId == actor.UserId && m.EndedAtUtc == null)
            .Select(m => new { m.Id, m.Role }).SingleOrDefaultAsync(ct);
        var checkedIn = me is not null && present.Any(p => p.MembershipId == me.Id);
        var voted = false;
        IReadOnlyList<int>? mySelections = null;
        var held = new List<HeldProxy>();
        string? delegatedTo = null;
        if (me is not null)
        {
            var delegations = await db.Delegations.AsNoTracking()
                .Where(d => d.SessionId == sessionId && d.RevokedAtUtc == null && (d.ToMembershipId == me.Id || d.FromMembershipId == me.Id))
                .Select(d => new { d.FromMembershipId, d.ToMembershipId }).ToListAsync(ct);
            var fromIds = delegations.Where(d => d.ToMembershipId == me.Id).Select(d => d.FromMembershipId).ToList();
            var toId = delegations.Where(d => d.FromMembershipId == me.Id).Select(d => (int?)d.ToMembershipId).SingleOrDefault();
            var names = await db.Memberships.AsNoTracking().Where(m => fromIds.Contains(m.Id) || m.Id == toId).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
            delegatedTo = toId is { } t ? names[t] : null;
            var votedIds = openPoll is null
                ? []
                : await db.Participations.AsNoTracking().Where(p => p.PollId == openPoll.Id && (p.MembershipId == me.Id || fromIds.Contains(p.MembershipId)))
                    .Select(p => p.MembershipId).ToListAsync(ct);
            voted = votedIds.Contains(me.Id);
            held = fromIds.Select(id => new HeldProxy(id, names[id], votedIds.Contains(id))).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
            if (voted && openPoll is { Secrecy: Secrecy.Named })
            {
                var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == openPoll.Id && b.MembershipId == me.Id).Select(b => b.Selections).SingleAsync(ct);
                mySelections = selections.Length == 0 ? [] : selections.Split(',').Select(int.Parse).ToArray();
            }
        }

        var offices = await OfficeReader.InTermAsync(db, actor, session.TermId, ct);
        var canChair = SessionPermissions.MayPreside(offices);
        var canRecord = SessionPermissions.MayRecord(offices);
        var viewer = new ViewerView(me?.Id, me is not null && Membership.HasVoteIn(me.Role), checkedIn, canChair, canRecord, voted, mySelections, held, delegatedTo);
        var speakers = await SpeakerService.LoadAsync(db, sessionId, session.SpeakingTimeSeconds, ct);
        return new LiveSessionView(summary, session.CurrentAgendaItemId, agenda, present, quorum, openPoll, polls.Where(p => p.IsFinished).ToList(), viewer, speakers);
    }

    /// <summary>The term's voting members and who is present, for the chair or secretary checking people in.</summary>
    public async Task<IReadOnlyList<RosterEntry>> GetRosterAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadForRecorderAsync(db, actor, sessionId, ct);
        var present = await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId).Select(a => a.MembershipId).ToListAsync(ct);
        var members = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.EndedAtUtc == null)
            .Select(m => new { m.Id, m.Name, m.Role, Org = m.Organisation != null ? m.Organisation.Name : null, OrgEn = m.Organisation != null ? m.Organisation.NameEn : null })
            .ToListAsync(ct);
        var presentSet = present.ToHashSet();
        return members.OrderBy(m => m.Id)
            .Select(m => new RosterEntry(m.Id, m.Name, m.Org, m.OrgEn, Membership.HasVoteIn(m.Role), presentSet.Contains(m.Id)))
            .ToList();
    }

    /// <summary>The chair or secretary checks members in (members without a device, or at the door). Returns how many were new.</summary>
    public async Task<int> CheckInMembersAsync(Actor actor, int sessionId, IReadOnlyCollection<int> membershipIds, CancellationToken ct = default)
    {
        if (membershipIds.Count is 0 or > 2000)
        {
            throw new DomainException("CheckIn.NobodySelected");
        }

        var (added, quorum) = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await LoadForRecorderAsync(db, actor, sessionId, ct);
            session.EnsureOpen();
            var ids = membershipIds.Distinct().ToList();
            var members = await db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && m.EndedAtUtc == null && ids.Contains(m.Id)).Select(m => new LoggedMember(m.Id, m.Name)).ToListAsync(ct);
            if (members.Count != ids.Count)
            {
                throw new DomainException("CheckIn.UnknownMember");
            }

            var already = await db.Attendances.Where(a => a.SessionId == sessionId && ids.Contains(a.MembershipId)).Select(a => a.MembershipId).ToListAsync(ct);
            var newcomers = members.Where(m => !already.Contains(m.Id)).OrderBy(m => m.Id).ToList();
            if (newcomers.Count == 0)
            {
                return (0, (QuorumView?)null);
            }

            foreach (var m in newcomers)
            {
                db.Attendances.Add(new Attendance(sessionId, m.Id, CheckInMethod.BySecretary, actor.UserId, Now));
            }

            await SessionLog.AppendAsync(db, sessionId, new CheckedInEntry(newcomers, CheckedInEntry.BySecretary), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            return (newcomers.Count, await QuorumAsync(db, session.TermId, sessionId, ct));
        }, ct);

        if (quorum is not null)
        {
            await events.PublishAsync(new AttendanceChanged(sessionId, quorum.Present, quorum.Eligible), ct);
        }

        return added;
    }

    /// <summary>
    /// A member gives their proxy for this session to another voting member of the term. Refused while a vote is open,
    /// when the holder already holds the body's maximum, or when either side has delegated already.
    /// </summary>
    public async Task DelegateAsync(Actor actor, int sessionId, int toMembershipId, CancellationToken ct = default)
    {
        // One unit of work (ADR 0021): on PostgreSQL two proxies given at once to one holder cannot both pass the cap.
        await UnitOfWork.RunAsync(dbFactory, async db =>
        {
            var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
            if (session.Status == SessionStatus.Closed)
            {
                throw new DomainException("Session.AlreadyClosed");
            }

            var me = await VotingMemberAsync(db, session.TermId, actor.UserId, ct) ?? throw new ForbiddenException("Ballot.NotEligible");
            var holder = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == toMembershipId && m.TermId == session.TermId, ct);
            if (holder is null || !holder.HasVote)
            {
                throw new DomainException("Proxy.UnknownHolder");
            }

            await EnsureNoOpenPollAsync(db, sessionId, ct);
            var active = db.Delegations.Where(d => d.SessionId == sessionId && d.RevokedAtUtc == null);
            if (await active.AnyAsync(d => d.FromMembershipId == me, ct))
            {
                throw new DomainException("Proxy.AlreadyDelegated");
            }

            if (await active.AnyAsync(d => d.FromMembershipId == toMembershipId, ct))
            {
                throw new DomainException("Proxy.HolderHasDelegated");
            }

            if (await active.AnyAsync(d => d.ToMembershipId == me, ct))
            {
                throw new DomainException("Proxy.HoldsProxies");
            }

            var cap = await db.Bodies.Where(b => b.Id == session.BodyId).Select(b => b.ProxyCapPerHolder).SingleAsync(ct);
            var held = await active.CountAsync(d => d.ToMembershipId == toMembershipId, ct);
            if (held >= cap)
            {
                throw new DomainException("Proxy.CapReached", cap);
            }

            db.Delegations.Add(new Delegation(sessionId, me, toMembershipId, Now));
            var names = await db.Memberships.AsNoTracking().Where(m => m.Id == me || m.Id == toMembershipId).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
            await SessionLog.AppendAsync(db, sessionId, new ProxyGivenEntry(new LoggedMember(me, names[me]), new LoggedMember(toMembershipId, names[toMembershipId])), actor.UserId, Now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && !SessionLog.IsSequenceConflict(ex))
            {
                throw new DomainException("Proxy.AlreadyDelegated");
            }
        }, ct);

        await events.PublishAsync(new ProxiesChanged(sessionId), ct);
    }

    /// <summary>Takes a proxy back. Allowed until a vote opens (not while one is open).</summary>
    public async Task RevokeDelegationAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        var me = await VotingMemberAsync(db, session.TermId, actor.UserId, ct) ?? throw new ForbiddenException("Ballot.NotEligible");
        await EnsureNoOpenPollAsync(db, sessionId, ct);
        var delegation = await db.Delegations.SingleOrDefaultAsync(d => d.SessionId == sessionId && d.FromMembershipId == me && d.RevokedAtUtc == null, ct)
            ?? throw new DomainException("Proxy.NoneToRevoke");
        delegation.Revoke(Now);
        var name = await db.Memberships.Where(m => m.Id == me).Select(m => m.Name).SingleAsync(ct);
        await SessionLog.AppendAsync(db, sessionId, new ProxyRevokedEntry(new LoggedMember(me, name)), actor.UserId, Now, ct);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new ProxiesChanged(sessionId), ct);
    }

    /// <summary>Voting members a member may give their proxy to.</summary>
    public async Task<IReadOnlyList<RosterEntry>> ProxyCandidatesAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        var me = await VotingMemberAsync(db, session.TermId, actor.UserId, ct) ?? throw new ForbiddenException("Ballot.NotEligible");
        return await db.Memberships.AsNoTracking()
            .Where(m => m.TermId == session.TermId && m.Id != me && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role))
            .OrderBy(m => m.Id)
            .Select(m => new RosterEntry(m.Id, m.Name, m.Organisation != null ? m.Organisation.Name : null, m.Organisation != null ? m.Organisation.NameEn : null, true, false))
            .ToListAsync(ct);
    }

    private static async Task<int?> VotingMemberAsync(DeliberationDbContext db, int termId, string userId, CancellationToken ct) =>
        await db.Memberships.Where(m => m.TermId == termId && m.UserId == userId && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role)).Select(m => (int?)m.Id).SingleOrDefaultAsync(ct);

    private static async Task EnsureNoOpenPollAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        if (await db.Polls.AnyAsync(p => p.SessionId == sessionId && p.Status == PollStatus.Open, ct))
        {
            throw new DomainException("Proxy.VoteOpen");
        }
    }

    private static async Task<Session> LoadForRecorderAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        Permit.Require(SessionPermissions.MayRecord(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Secretariat");
        return session;
    }

    internal static async Task<QuorumView> QuorumAsync(DeliberationDbContext db, int termId, int sessionId, CancellationToken ct)
    {
        // Ended seats count neither as members nor as present (BodyAdminService.EndSeatAsync).
        var eligible = await db.Memberships.CountAsync(m => m.TermId == termId && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role), ct);
        var present = await (
            from a in db.Attendances
            join m in db.Memberships on a.MembershipId equals m.Id
            where a.SessionId == sessionId && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role)
            select a.Id).CountAsync(ct);
        var body = await db.Terms.Where(t => t.Id == termId).Select(t => t.Body.Quorum).SingleAsync(ct);
        return new QuorumView(present, eligible, body.Required(eligible), body.IsMet(present, eligible), body.Missing(present, eligible));
    }

    private static async Task<Session> LoadForChairAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Agenda).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        Permit.Require(SessionPermissions.MayPreside(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Presides");
        return session;
    }

    internal static IQueryable<SessionSummary> SummaryQuery(IQueryable<Session> sessions) =>
        sessions.AsNoTracking().Select(s => new SessionSummary(
            s.Id, s.Title, s.Kind, s.Status, s.ScheduledAtUtc, s.Place, s.Body.Name, s.Body.NameEn, s.Term.Name, s.Term.NameEn, s.Number, s.Body.Key));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
