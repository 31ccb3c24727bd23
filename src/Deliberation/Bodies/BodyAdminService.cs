using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Bodies.Import;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>
/// Administration of bodies, their sub-bodies, terms and seats, and member list imports. Admin only: every method
/// refuses anyone else with <c>Body.AdminOnly</c> before reading anything.
/// Seats that decide who may vote (adding, importing, role or account changes, ending, reinstating, removing) are
/// locked while a session of the term is open, so the quorum of a running session never shifts under it.
/// </summary>
public sealed class BodyAdminService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{

    // ---- Bodies ------------------------------------------------------------------------------------------------

    /// <summary>Every body, parents before their sub-bodies, with the latest term and its seats still held.</summary>
    public async Task<IReadOnlyList<BodyNode>> ListBodiesAsync(Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await TreeAsync(db, ct);
    }

    public async Task<BodyAdminView> GetBodyAsync(Actor actor, int bodyId, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var body = await db.Bodies.AsNoTracking().Include(b => b.Parent).SingleOrDefaultAsync(b => b.Id == bodyId, ct)
            ?? throw new DomainException("Body.NotFound");
        var terms = await db.Terms.AsNoTracking().Where(t => t.BodyId == bodyId).OrderByDescending(t => t.Number)
            .Select(t => new TermSummaryView(t.Id, t.Number, t.Name, t.NameEn, t.StartsOn, t.EndsOn,
                t.Members.Count(m => m.EndedAtUtc == null), t.Members.Count(m => m.EndedAtUtc != null)))
            .ToListAsync(ct);
        var tree = await TreeAsync(db, ct);
        var subBodies = tree.Where(n => n.ParentId == bodyId).ToList();
        return new BodyAdminView(body.Id, body.Key, body.Name, body.NameEn, body.Kind, body.ParentId, body.Parent?.Name, body.Parent?.NameEn,
            body.Quorum.Numerator, body.Quorum.Denominator, body.SpeakingTimeSeconds, body.ProxyCapPerHolder, terms, subBodies, body.CoSponsorThreshold);
    }

    public Task<int> CreateBodyAsync(Actor actor, BodyInput input, CancellationToken ct = default) => AddBodyAsync(actor, null, input, ct);

    /// <summary>A sub-body (a professional committee, a sub-conference) under <paramref name="parentId"/>.</summary>
    public Task<int> AddSubBodyAsync(Actor actor, int parentId, BodyInput input, CancellationToken ct = default) => AddBodyAsync(actor, parentId, input, ct);

    public async Task RenameBodyAsync(Actor actor, int bodyId, string? name, string? nameEn, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var body = await LoadBodyAsync(db, bodyId, ct);
        body.Rename(name ?? string.Empty, nameEn ?? string.Empty);
        await AuditAsync(db, actor, AuditAction.BodyRenamed, body.Key, $"{body.Name} / {body.NameEn}", ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Quorum fraction, speaking time and proxy cap, checked together: nothing is stored unless all are valid.</summary>
    public async Task SetRulesAsync(Actor actor, int bodyId, BodyRulesInput input, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var body = await LoadBodyAsync(db, bodyId, ct);
        if (input.QuorumDenominator > 100)
        {
            throw new DomainException("Quorum.InvalidFraction");
        }

        body.SetRules(new QuorumRule(input.QuorumNumerator, input.QuorumDenominator), input.SpeakingTimeSeconds);
        body.SetProxyCap(input.ProxyCap);
        if (input.CoSponsorThreshold is { } threshold)
        {
            body.SetCoSponsorThreshold(threshold);
        }

        await AuditAsync(db, actor, AuditAction.BodyRulesChanged, body.Key,
            $"quorum {input.QuorumNumerator}/{input.QuorumDenominator}, speaking {input.SpeakingTimeSeconds} s, proxy cap {input.ProxyCap}, co-sponsors {input.CoSponsorThreshold?.ToString() ?? "-"}", ct);
        await db.SaveChangesAsync(ct);
    }

    // ---- Terms -------------------------------------------------------------------------------------------------

    public async Task<int> AddTermAsync(Actor actor, int bodyId, TermInput input, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var body = await db.Bodies.Include(b => b.Terms).SingleOrDefaultAsync(b => b.Id == bodyId, ct) ?? throw new DomainException("Body.NotFound");
        var term = body.AddTerm(input.Number, input.Name ?? string.Empty, input.NameEn ?? string.Empty, input.StartsOn, input.EndsOn);
        await AuditAsync(db, actor, AuditAction.TermAdded, body.Key, $"term {input.Number}: {term.Name}", ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new DomainException("Term.DuplicateNumber", input.Number);
        }

        return term.Id;
    }

    public async Task<TermAdminView> GetTermAsync(Actor actor, int termId, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var term = await db.Terms.AsNoTracking().Where(t => t.Id == termId)
            .Select(t => new { t.Id, t.BodyId, BodyName = t.Body.Name, BodyNameEn = t.Body.NameEn, t.Number, t.Name, t.NameEn, t.StartsOn, t.EndsOn })
            .SingleOrDefaultAsync(ct) ?? throw new DomainException("Body.TermNotFound");
        var history = await SeatsWithHistoryAsync(db, termId, ct);
        var members = await (
                from m in db.Memberships.AsNoTracking()
                where m.TermId == termId
                join u in db.Users on m.UserId equals u.Id into users
                from u in users.DefaultIfEmpty()
                orderby m.Id
                select new { m.Id, m.Name, m.Role, m.OrganisationId, Org = m.Organisation != null ? m.Organisation.Name : null, OrgEn = m.Organisation != null ? m.Organisation.NameEn : null, UserName = u != null ? u.UserName : null, m.EndedAtUtc, m.EndReason })
            .ToListAsync(ct);
        var open = await SessionOpenAsync(db, termId, ct);
        return new TermAdminView(term.Id, term.BodyId, term.BodyName, term.BodyNameEn, term.Number, term.Name, term.NameEn, term.StartsOn, term.EndsOn, open,
            members.Select(m => new MemberAdminView(m.Id, m.Name, m.Role, m.OrganisationId, m.Org, m.OrgEn, m.UserName, m.EndedAtUtc, m.EndReason, history.Contains(m.Id))).ToList());
    }

    public async Task<IReadOnlyList<OrganisationOption>> ListOrganisationsAsync(Actor actor, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Organisations.AsNoTracking().OrderBy(o => o.Key)
            .Select(o => new OrganisationOption(o.Id, o.Key, o.Name, o.NameEn, o.Kind)).ToListAsync(ct);
    }

    // ---- Seats -------------------------------------------------------------------------------------------------

    public async Task<int> AddMemberAsync(Actor actor, int termId, MemberInput input, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var term = await LoadTermWithMembersAsync(db, termId, ct);
        await EnsureNoOpenSessionAsync(db, termId, ct);
        var organisation = await OrganisationAsync(db, input.OrganisationId, ct);
        var userId = await UserIdAsync(db, input.UserName, ct);
        var member = term.AddMember(input.Name ?? string.Empty, input.Role, organisation, userId);
        await AuditAsync(db, actor, AuditAction.SeatAdded, await TermLabelAsync(db, termId, ct), SeatDetail(member.Name, input.Role, input.UserName), ct);
        await SaveSeatsAsync(db, ct);
        await tx.CommitAsync(ct);
        return member.Id;
    }

    /// <summary>
    /// Changes a seat. Name and organisation may change at any time; role and account decide who votes, so they are
    /// refused while a session of the term is open.
    /// </summary>
    public async Task EditMemberAsync(Actor actor, int membershipId, MemberInput input, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var termId = await TermOfAsync(db, membershipId, ct);
        var term = await LoadTermWithMembersAsync(db, termId, ct);
        var member = term.Members.Single(m => m.Id == membershipId);
        var userId = await UserIdAsync(db, input.UserName, ct);
        if (member.Role != input.Role || member.UserId != userId)
        {
            await EnsureNoOpenSessionAsync(db, termId, ct);
        }

        member.Rename(input.Name ?? string.Empty);
        member.AssignRole(input.Role);
        member.Represent(await OrganisationAsync(db, input.OrganisationId, ct));
        term.LinkUser(member, userId);
        await AuditAsync(db, actor, AuditAction.SeatChanged, await TermLabelAsync(db, termId, ct), SeatDetail(member.Name, input.Role, input.UserName), ct);
        await SaveSeatsAsync(db, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Ends a seat: from now on it does not count for quorum and cannot check in, vote, give or hold proxies. What it
    /// did stays in the record. Proxies it gave or held in sessions not yet opened are revoked (and logged there).
    /// </summary>
    public async Task EndSeatAsync(Actor actor, int membershipId, string? reason, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var affectedSessions = await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var member = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId, ct) ?? throw new DomainException("Membership.NotFound");
            await EnsureNoOpenSessionAsync(db, member.TermId, ct);
            member.EndSeat(reason, Now);
            await AuditAsync(db, actor, AuditAction.SeatEnded, await TermLabelAsync(db, member.TermId, ct), $"{member.Name}: {member.EndReason}", ct);

            var delegations = await (
                    from d in db.Delegations
                    join s in db.Sessions on d.SessionId equals s.Id
                    where d.RevokedAtUtc == null && s.Status == SessionStatus.Draft && (d.FromMembershipId == membershipId || d.ToMembershipId == membershipId)
                    select d)
                .ToListAsync(ct);
            var ids = delegations.Select(d => d.FromMembershipId).Distinct().ToList();
            var names = await db.Memberships.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
            foreach (var delegation in delegations.OrderBy(d => d.SessionId).ThenBy(d => d.Id))
            {
                delegation.Revoke(Now);
                var from = new LoggedMember(delegation.FromMembershipId, names[delegation.FromMembershipId]);
                await SessionLog.AppendAsync(db, delegation.SessionId, new ProxyRevokedEntry(from, ProxyRevokedEntry.SeatEnded), actor.UserId, Now, ct);
            }

            await db.SaveChangesAsync(ct);
            return delegations.Select(d => d.SessionId).Distinct().ToList();
        }, ct);

        foreach (var sessionId in affectedSessions)
        {
            await events.PublishAsync(new ProxiesChanged(sessionId), ct);
        }
    }

    /// <summary>Gives an ended seat back (it was ended by mistake).</summary>
    public async Task ReinstateAsync(Actor actor, int membershipId, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId, ct) ?? throw new DomainException("Membership.NotFound");
        await EnsureNoOpenSessionAsync(db, member.TermId, ct);
        member.Reinstate();
        await AuditAsync(db, actor, AuditAction.SeatReinstated, await TermLabelAsync(db, member.TermId, ct), member.Name, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes a seat entered by mistake. A seat that has attended, voted or given or held a proxy is part of the record
    /// and is refused (<c>Membership.HasHistory</c>): end it instead.
    /// </summary>
    public async Task RemoveMemberAsync(Actor actor, int membershipId, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId, ct) ?? throw new DomainException("Membership.NotFound");
        await EnsureNoOpenSessionAsync(db, member.TermId, ct);
        if (await HasHistoryAsync(db, membershipId, ct))
        {
            throw new DomainException("Membership.HasHistory");
        }

        db.Memberships.Remove(member);
        await AuditAsync(db, actor, AuditAction.SeatRemoved, await TermLabelAsync(db, member.TermId, ct), member.Name, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    // ---- Import ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a member list (UTF-8 CSV, at most <see cref="Limits.ImportMaxBytes"/> bytes and <see cref="Limits.ImportMaxRows"/>
    /// rows, format in <see cref="MemberCsv"/>), checks every row and reports every problem with its line number. Seats
    /// are created only when the whole file is clean and <paramref name="apply"/> is set, all in one transaction.
    /// </summary>
    public async Task<MemberImportResult> ImportMembersAsync(Actor actor, int termId, Stream content, bool apply, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var bytes = await ImportFile.ReadAsync(content, ct);
        var records = CsvParser.Parse(CsvParser.DecodeUtf8(bytes));
        if (records.Count - 1 > Limits.ImportMaxRows)
        {
            throw new DomainException("Import.TooManyRows", Limits.ImportMaxRows, records.Count - 1);
        }

        var (rows, headerProblems) = MemberCsv.ReadRows(records);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var term = await LoadTermWithMembersAsync(db, termId, ct);
        if (headerProblems.Count > 0)
        {
            return new MemberImportResult(rows.Count, 0, headerProblems);
        }

        var names = rows.Where(r => r.User.Length is > 0 and <= MemberCsv.MaxUserNameLength).Select(r => MemberCsv.NormalizeUserName(r.User)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => names.Contains(u.NormalizedUserName!))
            .ToDictionaryAsync(u => u.NormalizedUserName!, u => u.Id, StringComparer.Ordinal, ct);
        var organisations = await db.Organisations.AsNoTracking().Select(o => new OrganisationRef(o.Id, o.Key, o.Name, o.NameEn)).ToListAsync(ct);
        var seated = term.Members.Where(m => m.UserId != null).Select(m => m.UserId!).ToHashSet(StringComparer.Ordinal);
        var (ready, problems) = MemberCsv.Check(rows, new MemberImportContext(organisations, users, seated));
        if (problems.Count > 0 || !apply)
        {
            return new MemberImportResult(rows.Count, 0, problems);
        }

        await EnsureNoOpenSessionAsync(db, termId, ct);
        var byId = await db.Organisations.Where(o => ready.Select(r => r.OrganisationId).Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        foreach (var row in ready)
        {
            term.AddMember(row.Name, row.Role, row.OrganisationId is { } id ? byId[id] : null, row.UserId);
        }

        await AuditAsync(db, actor, AuditAction.MembersImported, await TermLabelAsync(db, termId, ct), $"{ready.Count} seats from {rows.Count} rows", ct);
        await SaveSeatsAsync(db, ct);
        await tx.CommitAsync(ct);
        return new MemberImportResult(rows.Count, ready.Count, []);
    }

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private async Task<int> AddBodyAsync(Actor actor, int? parentId, BodyInput input, CancellationToken ct)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = (input.Key ?? string.Empty).Trim();
        Body body;
        if (parentId is { } id)
        {
            var parent = await LoadBodyAsync(db, id, ct);
            body = parent.AddSubBody(key, input.Name ?? string.Empty, input.NameEn ?? string.Empty, input.Kind);
        }
        else
        {
            body = new Body(key, input.Name ?? string.Empty, input.NameEn ?? string.Empty, input.Kind);
        }

        if (await db.Bodies.AnyAsync(b => b.Key == body.Key, ct))
        {
            throw new DomainException("Body.DuplicateKey", body.Key);
        }

        db.Bodies.Add(body);
        await AuditAsync(db, actor, AuditAction.BodyCreated, body.Key, parentId is null ? body.Name : $"{body.Name} (sub-body of {parentId})", ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new DomainException("Body.DuplicateKey", body.Key);
        }

        return body.Id;
    }

    private static async Task<IReadOnlyList<BodyNode>> TreeAsync(DeliberationDbContext db, CancellationToken ct)
    {
        var bodies = await db.Bodies.AsNoTracking().Select(b => new { b.Id, b.Key, b.Name, b.NameEn, b.Kind, b.ParentId }).ToListAsync(ct);
        var terms = await db.Terms.AsNoTracking()
            .Select(t => new { t.BodyId, t.Number, t.Name, t.NameEn, Active = t.Members.Count(m => m.EndedAtUtc == null) })
            .ToListAsync(ct);
        var termsByBody = terms.ToLookup(t => t.BodyId);
        var children = bodies.ToLookup(b => b.ParentId);
        var result = new List<BodyNode>(bodies.Count);

        void Visit(int? parentId, int depth)
        {
            foreach (var b in children[parentId].OrderBy(b => b.Kind).ThenBy(b => b.Id))
            {
                var latest = termsByBody[b.Id].MaxBy(t => t.Number);
                result.Add(new BodyNode(b.Id, b.Key, b.Name, b.NameEn, b.Kind, b.ParentId, depth, termsByBody[b.Id].Count(),
                    latest?.Name, latest?.NameEn, latest?.Active ?? 0));
                Visit(b.Id, depth + 1);
            }
        }

        Visit(null, 0);
        return result;
    }

    private static async Task<Body> LoadBodyAsync(DeliberationDbContext db, int bodyId, CancellationToken ct) =>
        await db.Bodies.SingleOrDefaultAsync(b => b.Id == bodyId, ct) ?? throw new DomainException("Body.NotFound");

    private static async Task<Term> LoadTermWithMembersAsync(DeliberationDbContext db, int termId, CancellationToken ct) =>
        await db.Terms.Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == termId, ct) ?? throw new DomainException("Body.TermNotFound");

    private static async Task<int> TermOfAsync(DeliberationDbContext db, int membershipId, CancellationToken ct) =>
        await db.Memberships.Where(m => m.Id == membershipId).Select(m => (int?)m.TermId).SingleOrDefaultAsync(ct) ?? throw new DomainException("Membership.NotFound");

    private static async Task<Organisation?> OrganisationAsync(DeliberationDbContext db, int? organisationId, CancellationToken ct) =>
        organisationId is { } id
            ? await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw new DomainException("Membership.UnknownOrganisation")
            : null;

    /// <summary>The account with this user name (as Identity normalizes it); null for an empty name.</summary>
    private static async Task<string?> UserIdAsync(DeliberationDbContext db, string? userName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return null;
        }

        if (userName.Trim().Length > MemberCsv.MaxUserNameLength)
        {
            throw new DomainException("Membership.UnknownUser", userName.Trim()[..40] + "…");
        }

        var normalized = MemberCsv.NormalizeUserName(userName);
        return await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("Membership.UnknownUser", userName.Trim());
    }

    private static Task<bool> SessionOpenAsync(DeliberationDbContext db, int termId, CancellationToken ct) =>
        db.Sessions.AnyAsync(s => s.TermId == termId && s.Status == SessionStatus.Open, ct);

    private static async Task EnsureNoOpenSessionAsync(DeliberationDbContext db, int termId, CancellationToken ct)
    {
        if (await SessionOpenAsync(db, termId, ct))
        {
            throw new DomainException("Membership.SessionOpen");
        }
    }

    private static async Task SaveSeatsAsync(DeliberationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another administrator gave the same account a seat in this term meanwhile.
            throw new DomainException("Membership.DuplicateUser");
        }
    }

    private static async Task<bool> HasHistoryAsync(DeliberationDbContext db, int membershipId, CancellationToken ct) =>
        await db.Attendances.AnyAsync(a => a.MembershipId == membershipId, ct)
        || await db.Participations.AnyAsync(p => p.MembershipId == membershipId, ct)
        || await db.Ballots.AnyAsync(b => b.MembershipId == membershipId, ct)
        || await db.Delegations.AnyAsync(d => d.FromMembershipId == membershipId || d.ToMembershipId == membershipId, ct)
        || await db.Set<CorrectionRequest>().AnyAsync(c => c.MembershipId == membershipId, ct);

    private static async Task<HashSet<int>> SeatsWithHistoryAsync(DeliberationDbContext db, int termId, CancellationToken ct)
    {
        var seats = db.Memberships.Where(m => m.TermId == termId).Select(m => m.Id);
        var ids = new HashSet<int>();
        ids.UnionWith(await db.Attendances.Where(a => seats.Contains(a.MembershipId)).Select(a => a.MembershipId).Distinct().ToListAsync(ct));
        ids.UnionWith(await db.Participations.Where(p => seats.Contains(p.MembershipId)).Select(p => p.MembershipId).Distinct().ToListAsync(ct));
        ids.UnionWith(await db.Delegations.Where(d => seats.Contains(d.FromMembershipId)).Select(d => d.FromMembershipId).Distinct().ToListAsync(ct));
        ids.UnionWith(await db.Delegations.Where(d => seats.Contains(d.ToMembershipId)).Select(d => d.ToMembershipId).Distinct().ToListAsync(ct));
        ids.UnionWith(await db.Ballots.Where(b => b.MembershipId != null && seats.Contains(b.MembershipId.Value)).Select(b => b.MembershipId!.Value).Distinct().ToListAsync(ct));
        return ids;
    }

    /// <summary>The admin audit entry of a change, saved with it (<see cref="AuditLog"/>).</summary>
    private Task AuditAsync(DeliberationDbContext db, Actor actor, AuditAction action, string target, string detail, CancellationToken ct) =>
        AuditLog.AddAsync(db, actor, action, target, detail, Now, ct);

    private static async Task<string> TermLabelAsync(DeliberationDbContext db, int termId, CancellationToken ct) =>
        await db.Terms.Where(t => t.Id == termId).Select(t => t.Body.Key + " term " + t.Number).SingleOrDefaultAsync(ct) ?? $"term {termId}";

    private static string SeatDetail(string name, MemberRole role, string? userName) =>
        string.IsNullOrWhiteSpace(userName) ? $"{name} ({role})" : $"{name} ({role}), account {userName.Trim()}";

    private static void EnsureAdmin(Actor? actor)
    {
        if (!BodyPermissions.MayAdminister(actor))
        {
            throw new DomainException("Body.AdminOnly");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
