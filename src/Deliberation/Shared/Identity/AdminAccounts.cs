using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>What <see cref="AdminAccounts.CreateOrPromoteAsync"/> did, or why it refused (nothing stored then).</summary>
public sealed record AdminAccountResult(bool Succeeded, bool Created, IReadOnlyList<string> Errors)
{
    public static AdminAccountResult Refused(IEnumerable<string> errors) => new(false, false, errors.ToList());
}

/// <summary>
/// The first administrator of a production database (which has no demo accounts): the <c>create-admin</c> command
/// creates the account with the given password, or makes an existing account an admin and sets its password (so a
/// locked-out administrator can be recovered by whoever runs the server). The password must pass the same
/// validators as every other account's (<see cref="AccountPolicy"/>).
/// </summary>
public static class AdminAccounts
{
    public static async Task<AdminAccountResult> CreateOrPromoteAsync(
        UserManager<AppUser> users, RoleManager<IdentityRole> roles, DeliberationDbContext db, string? userName, string? password, CancellationToken ct = default)
    {
        var name = (userName ?? string.Empty).Trim();
        if (name.Length is 0 or > 100)
        {
            return AdminAccountResult.Refused(["The user name must have 1 to 100 characters."]);
        }

        var user = await users.FindByNameAsync(name);
        var created = user is null;
        user ??= new AppUser { UserName = name, DisplayName = name };

        // The password first: a weak one is refused before anything is stored.
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? string.Empty);
            errors.AddRange(check.Errors.Select(e => e.Description));
        }

        if (string.IsNullOrEmpty(password) || errors.Count > 0)
        {
            return AdminAccountResult.Refused(errors.Count > 0 ? errors : ["A password is required."]);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var steps = new List<Func<Task<IdentityResult>>>();
        if (!await roles.RoleExistsAsync(Roles.Admin))
        {
            steps.Add(() => roles.CreateAsync(new IdentityRole(Roles.Admin)));
        }

        if (created)
        {
            steps.Add(() => users.CreateAsync(user, password));
        }
        else
        {
            steps.Add(() => users.RemovePasswordAsync(user));
            steps.Add(() => users.AddPasswordAsync(user, password));
            steps.Add(() => users.SetLockoutEnabledAsync(user, true));
            steps.Add(() => users.SetLockoutEndDateAsync(user, null));
            steps.Add(() => users.ResetAccessFailedCountAsync(user));
        }

        steps.Add(async () => await users.IsInRoleAsync(user, Roles.Admin) ? IdentityResult.Success : await users.AddToRoleAsync(user, Roles.Admin));
        foreach (var step in steps)
        {
            var result = await step();
            if (!result.Succeeded)
            {
                return AdminAccountResult.Refused(result.Errors.Select(e => e.Description));
            }
        }

        AuditLog.AddFromConsole(db, AuditAction.AdminCommandRun, name,
            created ? "created the administrator" : "made an administrator; password replaced, lockout cleared", TimeProvider.System.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AdminAccountResult(true, created, []);
    }
}
