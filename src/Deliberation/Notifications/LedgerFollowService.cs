using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// Following a ledger item (ledger items are public, so anyone with an account may follow any of them). Following twice
/// is following once (a unique index on item and account decides, also for two requests at once); unfollowing what one
/// does not follow changes nothing.
/// </summary>
public sealed class LedgerFollowService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The caller follows the item from now on.</summary>
    public async Task FollowAsync(Actor actor, int itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RequireAccountAndItemAsync(db, actor, itemId, ct);
        if (await db.LedgerFollows.AnyAsync(f => f.LedgerItemId == itemId && f.UserId == actor.UserId, ct))
        {
            return;
        }

        db.LedgerFollows.Add(new LedgerFollow(itemId, actor.UserId, clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The same person's other request won: they follow it, which is what both asked for.
        }
    }

    /// <summary>The caller stops following the item.</summary>
    public async Task UnfollowAsync(Actor actor, int itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RequireAccountAndItemAsync(db, actor, itemId, ct);
        await db.LedgerFollows.Where(f => f.LedgerItemId == itemId && f.UserId == actor.UserId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Whether the caller follows the item (false for nobody signed in).</summary>
    public async Task<bool> IsFollowingAsync(Actor? actor, int itemId, CancellationToken ct = default)
    {
        if (actor is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LedgerFollows.AnyAsync(f => f.LedgerItemId == itemId && f.UserId == actor.UserId, ct);
    }

    private static async Task RequireAccountAndItemAsync(DeliberationDbContext db, Actor actor, int itemId, CancellationToken ct)
    {
        Permit.Require(NotificationPermissions.MayFollow(await db.Users.AnyAsync(u => u.Id == actor.UserId, ct)), "NotAllowed");
        if (!await db.LedgerItems.AnyAsync(i => i.Id == itemId, ct))
        {
            throw new NotFoundException("LedgerItem", itemId);
        }
    }
}
