using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Ledger;

/// <summary>
/// The work ledger (工作台账): follow-up items of decisions, kept by each body's secretariat, worked on by their owners,
/// closed out (销号) with evidence, escalated to the sub-district level and answered there. Every command authorizes
/// through <see cref="LedgerPermissions"/>; reading needs no account. One short unit of work per command; an item
/// changed by someone else in between is refused, not overwritten.
/// </summary>
public sealed class LedgerService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, IOptions<DisplayOptions> display)
{
    /// <summary>The most items a list returns.</summary>
    public const int ListMax = 500;

    /// <summary>Items per page of the public progress page.</summary>
    public const int PageSize = 50;

    /// <summary>Records a follow-up item in a body's ledger.</summary>
    public async Task<int> RecordAsync(Actor actor, int bodyId, LedgerItemInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Bodies.AnyAsync(b => b.Id == bodyId, ct))
        {
            throw new NotFoundException("Body", bodyId);
        }

        Permit.Require(LedgerPermissions.MayKeep(await OfficeReader.InBodyAsync(db, actor, bodyId, ct)), "Office.Secretariat");
        if (input.OwnerUserId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner, ct))
        {
            throw new DomainException("Ledger.UnknownOwner");
        }

        var item = LedgerItem.Record(bodyId, input, actor.UserId, Now);
        db.LedgerItems.Add(item);
        await db.SaveChangesAsync(ct);
        return item.Id;
    }

    /// <summary>The owner (or the secretariat) reports progress.</summary>
    public Task ReportProgressAsync(Actor actor, int itemId, string? note, CancellationToken ct = default) =>
        ChangeAsync(actor, itemId, LedgerPermissions.MayReportProgress, "NotAllowed", item => item.ReportProgress(note, actor.UserId, Now), ct);

    /// <summary>The owner (or the secretariat) says the work is done.</summary>
    public Task MarkDoneAsync(Actor actor, int itemId, string? note, CancellationToken ct = default) =>
        ChangeAsync(actor, itemId, LedgerPermissions.MayReportProgress, "NotAllowed", item => item.MarkDone(note, actor.UserId, Now), ct);

    /// <summary>The secretariat closes a done item out with evidence (销号); never its owner.</summary>
    public Task CloseOutAsync(Actor actor, int itemId, string? evidence, string? link, CancellationToken ct = default) =>
        ChangeAsync(actor, itemId, LedgerPermissions.MayCloseOut, "Ledger.NotByOwner", item => item.CloseOut(evidence, link, actor.UserId, Now), ct);

    /// <summary>The secretariat reopens a done or closed-out item with a reason.</summary>
    public Task ReopenAsync(Actor actor, int itemId, string? reason, CancellationToken ct = default) =>
        ChangeAsync(actor, itemId, (o, _) => LedgerPermissions.MayKeep(o), "Office.Secretariat", item => item.Reopen(reason, actor.UserId, Now), ct);

    /// <summary>The secretariat gives the item to another owner, or moves its due date or area; kept in the item's history.</summary>
    public async Task ReassignAsync(Actor actor, int itemId, LedgerOwnerKind ownerKind, string? ownerName, string? ownerUserId, DateOnly dueOn, string? area, CancellationToken ct = default)
    {
        if (ownerKind == LedgerOwnerKind.Person && ownerUserId is { } owner)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.Users.AnyAsync(u => u.Id == owner, ct))
            {
                throw new DomainException("Ledger.UnknownOwner");
            }
        }

        await ChangeAsync(actor, itemId, (o, _) => LedgerPermissions.MayKeep(o), "Office.Secretariat",
            item => item.Reassign(ownerKind, ownerName, ownerUserId, dueOn, area, actor.UserId, Now), ct);
    }

    /// <summary>The secretariat refers the item to another body (the sub-district level), which then sees it in its ledger.</summary>
    public async Task EscalateAsync(Actor actor, int itemId, int toBodyId, string? note, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Bodies.AnyAsync(b => b.Id == toBodyId, ct))
            {
                throw new DomainException("Ledger.UnknownBody");
            }
        }

        await ChangeAsync(actor, itemId, (o, _) => LedgerPermissions.MayKeep(o), "Office.Secretariat", item => item.Escalate(toBodyId, note, actor.UserId, Now), ct);
    }

    /// <summary>The secretariat of the body an item was referred to answers it.</summary>
    public async Task AnswerAsync(Actor actor, int itemId, string? answer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.LedgerItems.Include(i => i.History).SingleOrDefaultAsync(i => i.Id == itemId, ct) ?? throw new NotFoundException("LedgerItem", itemId);
        var target = item.EscalatedToBodyId ?? throw new DomainException("Ledger.NotEscalated");
        Permit.Require(LedgerPermissions.MayAnswer(await OfficeReader.InBodyAsync(db, actor, target, ct)), "Office.Secretariat");
        item.AnswerEscalation(answer, actor.UserId, Now);
        await LedgerFollowers.NotifyAsync(db, item, actor.UserId, Now, ct);
        await SaveAsync(db, ct);
    }

    /// <summary>The public list: items of a body (and those referred to it), an area, a status; overdue ones marked (at most <see cref="ListMax"/>).</summary>
    public async Task<IReadOnlyList<LedgerItemView>> ListAsync(LedgerFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await FilteredAsync(db, filter, ct);
        if (query is null)
        {
            return [];
        }

        var items = await Ordered(query).Take(ListMax).ToListAsync(ct);
        return await ViewsAsync(db, items, ct);
    }

    /// <summary>
    /// One page of the public progress page (<see cref="PageSize"/> items, unfinished first by due date), with the number
    /// of items the filter finds. A page past the last answers the last.
    /// </summary>
    public async Task<LedgerPage> PageAsync(LedgerFilter filter, int page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await FilteredAsync(db, filter, ct);
        if (query is null)
        {
            return new LedgerPage([], 0, 1, PageSize);
        }

        var total = await query.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var number = Math.Clamp(page, 1, pages);
        // The page's ids first (a narrow sort, or none when the index gives the order), then only those rows.
        var ids = await Ordered(query).Skip((number - 1) * PageSize).Take(PageSize).Select(i => i.Id).ToListAsync(ct);
        var rows = await db.LedgerItems.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        return new LedgerPage(await ViewsAsync(db, ids.Select(id => rows[id]).ToList(), ct), total, number, PageSize);
    }

    /// <summary>The items the filter finds; null when it names a body that does not exist.</summary>
    private async Task<IQueryable<LedgerItem>?> FilteredAsync(DeliberationDbContext db, LedgerFilter filter, CancellationToken ct)
    {
        var query = db.LedgerItems.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.BodyKey))
        {
            var bodyId = await db.Bodies.Where(b => b.Key == filter.BodyKey.Trim()).Select(b => (int?)b.Id).SingleOrDefaultAsync(ct);
            if (bodyId is null)
            {
                return null;
            }

            query = query.Where(i => i.BodyId == bodyId || i.EscalatedToBodyId == bodyId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Area))
        {
            var area = filter.Area.Trim();
            query = query.Where(i => i.Area == area);
        }

        var today = Today;
        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (filter.OverdueOnly)
        {
            query = query.Where(i => (i.Status == LedgerStatus.Open || i.Status == LedgerStatus.InProgress) && i.DueOn < today);
        }

        return query;
    }

    private static IQueryable<LedgerItem> Ordered(IQueryable<LedgerItem> query) =>
        query.OrderBy(i => i.IsClosedOut).ThenBy(i => i.DueOn).ThenBy(i => i.Id);

    /// <summary>One item with its history, for anyone.</summary>
    public async Task<LedgerItemView?> FindAsync(int itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.LedgerItems.AsNoTracking().Include(i => i.History).SingleOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null)
        {
            return null;
        }

        var view = (await ViewsAsync(db, [item], ct)).Single();
        return view with
        {
            History = item.History.OrderBy(e => e.AtUtc).ThenBy(e => e.Id).Select(e => new LedgerEntryView(e.Kind, e.From, e.To, e.Note, e.AtUtc)).ToList(),
        };
    }

    /// <summary>
    /// The newest changes (at most <paramref name="max"/>, newest first), of one item or of the items of one body (those
    /// referred to it included), or of every item: what the Atom feeds carry.
    /// </summary>
    public async Task<IReadOnlyList<LedgerChangeView>> ChangesAsync(string? bodyKey, int? itemId, int max = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = db.LedgerItems.AsNoTracking();
        if (itemId is { } id)
        {
            items = items.Where(i => i.Id == id);
        }

        if (!string.IsNullOrWhiteSpace(bodyKey))
        {
            var bodyId = await db.Bodies.Where(b => b.Key == bodyKey.Trim()).Select(b => (int?)b.Id).SingleOrDefaultAsync(ct);
            items = bodyId is null ? items.Where(_ => false) : items.Where(i => i.BodyId == bodyId || i.EscalatedToBodyId == bodyId);
        }

        var rows = await (from e in db.LedgerEntries.AsNoTracking()
                          join i in items on e.LedgerItemId equals i.Id
                          join b in db.Bodies on i.BodyId equals b.Id
                          orderby e.Id descending
                          select new LedgerChangeView(e.Id, i.Id, i.Title, b.Name, b.NameEn, e.Kind, e.To, e.Note, e.AtUtc)).Take(Math.Clamp(max, 1, 200)).ToListAsync(ct);
        return rows;
    }

    /// <summary>The bodies that keep a ledger or receive referrals (for the filter).</summary>
    public async Task<IReadOnlyList<(string Key, string Name, string NameEn)>> BodiesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One index look-up per body, not a scan of every item.
        var bodies = await db.Bodies.AsNoTracking().Where(b => db.LedgerItems.Any(i => i.BodyId == b.Id) || db.LedgerItems.Any(i => i.EscalatedToBodyId == b.Id))
            .OrderBy(b => b.Id).Select(b => new { b.Key, b.Name, b.NameEn }).ToListAsync(ct);
        return bodies.Select(b => (b.Key, b.Name, b.NameEn)).ToList();
    }

    /// <summary>
    /// The items this person works on: those of the bodies whose secretariat they are in, those referred to these bodies,
    /// and those they own. Unfinished first, by due date (at most <see cref="ListMax"/>).
    /// </summary>
    public async Task<IReadOnlyList<LedgerItemView>> WorkAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kept = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(LedgerPermissions.MayKeep).Select(o => o.BodyId).Distinct().ToList();
        var items = await db.LedgerItems.AsNoTracking()
            .Where(i => kept.Contains(i.BodyId) || (i.EscalatedToBodyId != null && kept.Contains(i.EscalatedToBodyId.Value)) || i.OwnerUserId == actor.UserId)
            .OrderBy(i => i.IsClosedOut).ThenBy(i => i.DueOn).ThenBy(i => i.Id).Take(ListMax).ToListAsync(ct);
        return await ViewsAsync(db, items, ct);
    }

    /// <summary>The bodies an item of <paramref name="fromBodyId"/> may be referred to: every other top-level body.</summary>
    public async Task<IReadOnlyList<(int Id, string Name, string NameEn)>> EscalationTargetsAsync(int fromBodyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bodies = await db.Bodies.AsNoTracking().Where(b => b.Id != fromBodyId && b.ParentId == null).OrderBy(b => b.Id)
            .Select(b => new { b.Id, b.Name, b.NameEn }).ToListAsync(ct);
        return bodies.Select(b => (b.Id, b.Name, b.NameEn)).ToList();
    }

    /// <summary>The areas that have items, for the filter.</summary>
    public async Task<IReadOnlyList<string>> AreasAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var areas = await db.LedgerItems.Where(i => i.Area != null).Select(i => i.Area!).Distinct().ToListAsync(ct);
        return areas.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The figures of every body whose secretariat this person is in (the dashboard).</summary>
    public async Task<IReadOnlyList<LedgerDashboard>> DashboardAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bodies = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(LedgerPermissions.MayKeep).Select(o => o.BodyId).Distinct().ToList();
        if (bodies.Count == 0)
        {
            return [];
        }

        var today = Today;
        var monthStart = display.Value.ToUtc(new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified));
        var rows = await db.LedgerItems.AsNoTracking().Where(i => bodies.Contains(i.BodyId) || (i.EscalatedToBodyId != null && bodies.Contains(i.EscalatedToBodyId.Value)))
            .Select(i => new { i.BodyId, i.EscalatedToBodyId, i.Status, i.DueOn, i.ClosedOutAtUtc, i.EscalationAnswer }).ToListAsync(ct);
        var names = await db.Bodies.Where(b => bodies.Contains(b.Id)).Select(b => new { b.Id, b.Name, b.NameEn }).ToListAsync(ct);
        return names.OrderBy(b => b.Id).Select(b =>
        {
            var own = rows.Where(r => r.BodyId == b.Id).ToList();
            return new LedgerDashboard(
                b.Id, b.Name, b.NameEn,
                own.Count(r => r.Status == LedgerStatus.Open),
                own.Count(r => r.Status == LedgerStatus.InProgress),
                own.Count(r => r.Status == LedgerStatus.Done),
                own.Count(r => r.Status is LedgerStatus.Open or LedgerStatus.InProgress && r.DueOn < today),
                own.Count(r => r.Status == LedgerStatus.ClosedOut && r.ClosedOutAtUtc >= monthStart))
            {
                AwaitingAnswer = rows.Count(r => r.EscalatedToBodyId == b.Id && r.EscalationAnswer == null),
            };
        }).ToList();
    }

    private async Task ChangeAsync(Actor actor, int itemId, Func<Offices, LedgerItem, bool> allowed, string refusal, Action<LedgerItem> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.LedgerItems.Include(i => i.History).SingleOrDefaultAsync(i => i.Id == itemId, ct) ?? throw new NotFoundException("LedgerItem", itemId);
        Permit.Require(allowed(await OfficeReader.InBodyAsync(db, actor, item.BodyId, ct), item), refusal);
        change(item);
        await LedgerFollowers.NotifyAsync(db, item, actor.UserId, Now, ct);
        await SaveAsync(db, ct);
    }

    private static async Task SaveAsync(DeliberationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Ledger.ChangedMeanwhile");
        }
    }

    private async Task<IReadOnlyList<LedgerItemView>> ViewsAsync(DeliberationDbContext db, IReadOnlyList<LedgerItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.BodyId).Concat(items.Where(i => i.EscalatedToBodyId != null).Select(i => i.EscalatedToBodyId!.Value)).Distinct().ToList();
        var bodies = await db.Bodies.AsNoTracking().Where(b => ids.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => new { b.Key, b.Name, b.NameEn }, ct);
        var today = Today;
        return items.Select(i =>
        {
            var body = bodies[i.BodyId];
            var to = i.EscalatedToBodyId is { } t ? bodies[t] : null;
            return new LedgerItemView(
                i.Id, i.BodyId, body.Key, body.Name, body.NameEn, i.Title, i.Details, i.OwnerKind, i.OwnerName, i.Area, i.Source, i.SourceId, i.DueOn,
                i.Status, i.IsOverdue(today), i.Evidence, i.EvidenceLink, i.ClosedOutAtUtc, to?.Name, to?.NameEn, i.EscalationAnswer, i.AnsweredAtUtc, i.CreatedAtUtc);
        }).ToList();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Today where the community is (due dates are local dates).</summary>
    private DateOnly Today => DateOnly.FromDateTime(display.Value.ToLocal(Now));
}
