using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// The ledger's hook: after a change of an item (its newest history entry), a notice to each follower except whoever
/// made the change, added to the same unit of work, so the notices are saved with the change or not at all.
/// </summary>
public static class LedgerFollowers
{
    /// <summary>Adds the notices of the item's latest change to <paramref name="db"/> (the caller saves).</summary>
    public static async Task NotifyAsync(DeliberationDbContext db, LedgerItem item, string actorUserId, DateTime nowUtc, CancellationToken ct)
    {
        // The entry this unit of work added (not saved yet, so without an id).
        var change = item.History.LastOrDefault(e => e.Id == 0);
        if (change is null)
        {
            return;
        }

        var followers = await db.LedgerFollows.AsNoTracking().Where(f => f.LedgerItemId == item.Id && f.UserId != actorUserId)
            .Select(f => f.UserId).ToListAsync(ct);
        foreach (var follower in followers)
        {
            db.Notices.Add(new Notice(follower, NoticeKind.LedgerItemChanged, item.Title, change.Kind.ToString(), $"/ledger/{item.Id}", nowUtc));
        }
    }
}
