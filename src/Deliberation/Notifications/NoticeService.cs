using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// A person's in-app notices: theirs only, newest first, paged; the unread count for the badge; marking one or all
/// read. Another account's notice is refused (<c>NotAllowed</c>) and nothing changes. Notices are written by the
/// features that cause them, in their own transaction (<see cref="LedgerFollowers"/>, <see cref="HearingFeedbackNotices"/>).
/// </summary>
public sealed class NoticeService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock)
{
    public const int PageSize = 20;

    /// <summary>One page (1-based; beyond the last: the last) of the caller's notices.</summary>
    public async Task<NoticePage> ListMineAsync(Actor actor, int page = 1, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = db.Notices.AsNoTracking().Where(n => n.UserId == actor.UserId);
        var total = await mine.CountAsync(ct);
        var unread = await mine.CountAsync(n => n.ReadAtUtc == null, ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var current = Math.Clamp(page, 1, pages);
        var notices = await mine.OrderByDescending(n => n.Id).Skip((current - 1) * PageSize).Take(PageSize)
            .Select(n => new NoticeView(n.Id, n.Kind, n.Subject, n.Detail, n.Link, n.CreatedAtUtc, n.ReadAtUtc)).ToListAsync(ct);
        return new NoticePage(notices, current, pages, total, unread);
    }

    /// <summary>How many of the caller's notices are unread (the badge).</summary>
    public async Task<int> UnreadCountAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notices.CountAsync(n => n.UserId == actor.UserId && n.ReadAtUtc == null, ct);
    }

    /// <summary>Marks one of the caller's notices read; someone else's (or no such notice) is refused.</summary>
    public async Task MarkReadAsync(Actor actor, long noticeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.Id == noticeId, ct);

        // The same refusal for another's notice and for none: an id tells nobody whether it exists.
        Permit.Require(notice is not null && NotificationPermissions.MayRead(notice, actor.UserId), "NotAllowed");
        notice!.MarkRead(Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Marks every unread notice of the caller read. Returns how many.</summary>
    public async Task<int> MarkAllReadAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        return await db.Notices.Where(n => n.UserId == actor.UserId && n.ReadAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAtUtc, now), ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
