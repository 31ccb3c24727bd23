using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>
/// Appends admin audit entries inside the caller's unit of work: the entry is saved with the change it describes, or not
/// at all. There is no method to change or remove an entry.
/// </summary>
public static class AuditLog
{
    /// <summary>The actor name of entries written by the server console (the <c>create-admin</c> command).</summary>
    public const string Console = "(server console)";

    /// <summary>Adds an entry for <paramref name="actor"/> to <paramref name="db"/>; the caller's SaveChanges stores it.</summary>
    public static async Task AddAsync(DeliberationDbContext db, Actor actor, AuditAction action, string target, string? detail, DateTime nowUtc, CancellationToken ct = default)
    {
        var name = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.UserName).SingleOrDefaultAsync(ct) ?? actor.UserId;
        db.Add(new AuditEntry(nowUtc, actor.UserId, name, action, target, detail));
    }

    /// <summary>An entry written by the server console (no account acted).</summary>
    public static void AddFromConsole(DeliberationDbContext db, AuditAction action, string target, string? detail, DateTime nowUtc) =>
        db.Add(new AuditEntry(nowUtc, null, Console, action, target, detail));
}
