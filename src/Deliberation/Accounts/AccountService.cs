using System.Globalization;
using CommunityDeliberation.Deliberation.Bodies.Import;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>
/// Accounts in production: people change their own password; administrators create accounts (one by one or from a CSV
/// file, optionally linked to seats), disable and enable them, grant and revoke the Admin role; administrators and a
/// body's secretariat issue one-time reset links (<see cref="AccountPermissions"/>). Every administrative action writes
/// an <see cref="AuditEntry"/> in the same transaction. Passwords are never shown or stored in clear: a new account gets
/// a set-password link (an Identity reset token, single use because the security stamp changes when it is used).
/// Identity's <see cref="UserManager{TUser}"/> is scoped, so each operation runs in its own scope and its context.
/// </summary>
public sealed class AccountService(
    IDbContextFactory<DeliberationDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider clock, IOptions<AccountOptions> options)
{
    public const int PageSize = 50;

    // ---- Own password ---------------------------------------------------------------------------------------------

    /// <summary>Changes the actor's own password (Identity's ChangePasswordAsync: the security stamp changes, so every other session ends).</summary>
    public async Task<PasswordResult> ChangePasswordAsync(Actor actor, string? currentPassword, string? newPassword, CancellationToken ct = default)
    {
        Permit.Require(AccountPermissions.MayChangeOwnPassword(actor));
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(actor.UserId) ?? throw new ForbiddenException("NotAllowed");
        if (user.IsDisabled)
        {
            throw new ForbiddenException("NotAllowed");
        }

        if (OutOfBounds(newPassword) is { } tooLong)
        {
            return tooLong;
        }

        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > PasswordSignIn.MaxPasswordLength)
        {
            return PasswordResult.Refused("PasswordMismatch", "Incorrect password.");
        }

        return From(await users.ChangePasswordAsync(user, currentPassword, newPassword ?? string.Empty));
    }

    // ---- Reset links ----------------------------------------------------------------------------------------------

    /// <summary>
    /// A one-time reset link for an account: administrators for any account, a body's secretariat for accounts seated in
    /// its current term (not administrators). Logged in the audit log (the token never is).
    /// </summary>
    public async Task<AccountLink> IssueResetLinkAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId ?? string.Empty);
        var isAdmin = user is not null && await users.IsInRoleAsync(user, Roles.Admin);
        var shared = user is null ? [] : await SharedTermsAsync(db, actor, user.Id, ct);
        Permit.Require(AccountPermissions.MayIssueResetLink(actor, isAdmin, shared), AccountPermissions.MayAdminister(actor) ? "NotAllowed" : "Office.Secretariat");
        if (user is null)
        {
            throw new DomainException("Account.NotFound");
        }

        if (user.IsDisabled)
        {
            throw new DomainException("Account.Disabled");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var expires = Now + options.Value.ResetLinkLifetime;
        await AuditLog.AddAsync(db, actor, AuditAction.ResetLinkIssued, user.UserName!, Expiry(expires), Now, ct);
        await db.SaveChangesAsync(ct);
        return new AccountLink(user.Id, user.UserName!, token, expires);
    }

    /// <summary>
    /// Sets a new password with a reset link's token. The token works once: setting the password changes the security
    /// stamp, which the token carries. Lockout is cleared; a disabled account is refused. Anyone holding the link may call it.
    /// </summary>
    public async Task<PasswordResult> ResetPasswordAsync(string? userId, string? token, string? newPassword, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || token.Length > 4096 || userId.Length > 450)
        {
            return InvalidToken(users);
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null || user.IsDisabled)
        {
            return InvalidToken(users);
        }

        if (OutOfBounds(newPassword) is { } tooLong)
        {
            return tooLong;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await users.ResetPasswordAsync(user, token, newPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            return From(result);
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        db.Add(new AuditEntry(Now, user.Id, user.UserName!, AuditAction.PasswordResetByLink, user.UserName!, null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return PasswordResult.Success;
    }

    // ---- Administration -------------------------------------------------------------------------------------------

    /// <summary>
    /// The accounts the actor may manage, by user or display name (<paramref name="search"/>): administrators see every
    /// account; a secretariat sees those seated in its bodies' current terms.
    /// </summary>
    public async Task<AccountPage> ListAccountsAsync(Actor actor, string? search, int page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offices = await OfficeReader.EverywhereAsync(db, actor, ct);
        Permit.Require(AccountPermissions.MayListAccounts(actor, offices), "Office.Secretariat");
        var isAdmin = AccountPermissions.MayAdminister(actor);
        var terms = offices.Where(o => o.IsSecretariat).Select(o => o.TermId).ToList();

        var query = db.Users.AsNoTracking();
        if (!isAdmin)
        {
            query = query.Where(u => db.Memberships.Any(m => m.UserId == u.Id && m.EndedAtUtc == null && terms.Contains(m.TermId)));
        }

        var words = (search ?? string.Empty).Trim();
        if (words.Length > 0)
        {
            words = words.Length > 100 ? words[..100] : words;
            var upper = words.ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(upper) || u.DisplayName.Contains(words) || (u.DisplayNameEn != null && u.DisplayNameEn.Contains(words)));
        }

        var total = await query.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var users = await query.OrderBy(u => u.UserName).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.DisabledAtUtc, u.LockoutEnd }).ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var adminRole = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleOrDefaultAsync(ct);
        var admins = (await db.UserRoles.Where(r => r.RoleId == adminRole && ids.Contains(r.UserId)).Select(r => r.UserId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var seats = (await db.Memberships.AsNoTracking()
                .Where(m => m.UserId != null && ids.Contains(m.UserId) && m.EndedAtUtc == null)
                .Where(m => m.Term.Number == db.Terms.Where(t => t.BodyId == m.Term.BodyId).Max(t => t.Number))
                .Select(m => new { m.UserId, m.TermId, m.Name, Body = m.Term.Body.Name, BodyEn = m.Term.Body.NameEn, m.Role })
                .ToListAsync(ct))
            .ToLookup(m => m.UserId!);
        var now = clock.GetUtcNow();
        var rows = users.Select(u => new AccountRow(
            u.Id, u.UserName!, u.DisplayName, admins.Contains(u.Id), u.DisabledAtUtc is not null, u.DisabledAtUtc is null && u.LockoutEnd > now,
            seats[u.Id].Select(s => $"{(English ? s.BodyEn : s.Body)}: {s.Name}").ToList(),
            u.DisabledAtUtc is null && (isAdmin || (!admins.Contains(u.Id) && seats[u.Id].Any(s => terms.Contains(s.TermId)))),
            isAdmin && u.Id != actor.UserId)).ToList();
        return new AccountPage(rows, total, page, PageSize, isAdmin);
    }

    /// <summary>Seats without an account in the current term of every body, for linking a new account (admins).</summary>
    public async Task<IReadOnlyList<OpenSeat>> ListOpenSeatsAsync(Actor actor, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == null && m.EndedAtUtc == null)
            .Where(m => m.Term.Number == db.Terms.Where(t => t.BodyId == m.Term.BodyId).Max(t => t.Number))
            .OrderBy(m => m.Term.Body.Key).ThenBy(m => m.Id)
            .Select(m => new OpenSeat(m.Id, m.Term.Body.Key, m.Term.Body.Name, m.Term.Body.NameEn, m.Term.Name, m.Term.NameEn, m.Name, m.Role))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Creates an account without a password, optionally linked to a seat without an account in a current term, and
    /// returns its one-time set-password link. Nothing is stored when any part is refused.
    /// </summary>
    public async Task<AccountLink> CreateAccountAsync(Actor actor, NewAccountInput input, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var name = CheckUserName(users, input.UserName);
        var display = Guard.RequiredText(input.DisplayName ?? string.Empty, Limits.Name, "Account.DisplayName");
        var displayEn = Guard.OptionalText(input.DisplayNameEn, Limits.Name, "Account.DisplayName");
        if (displayEn is not null && displayEn.Any(char.IsControl))
        {
            throw new DomainException("Account.DisplayName.InvalidCharacters");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = new AppUser { UserName = name, DisplayName = display, DisplayNameEn = displayEn };
        await CreateUserAsync(users, user);
        var detail = string.Empty;
        if (input.MembershipId is { } seatId)
        {
            var seat = await LinkSeatAsync(db, seatId, user.Id, ct);
            detail = seat;
        }

        await AuditLog.AddAsync(db, actor, AuditAction.AccountCreated, name, detail, Now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AccountLink(user.Id, name, await users.GeneratePasswordResetTokenAsync(user), Now + options.Value.ResetLinkLifetime);
    }

    /// <summary>
    /// Reads an account list (<see cref="AccountCsv"/>), checks every row and reports every problem with its line number.
    /// Accounts are created only when the whole file is clean and <paramref name="apply"/> is set, all in one transaction;
    /// the result then holds each account's one-time set-password link.
    /// </summary>
    public async Task<AccountImportResult> ImportAccountsAsync(Actor actor, Stream content, bool apply, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        var bytes = await ImportFile.ReadAsync(content, ct);
        var records = CsvParser.Parse(CsvParser.DecodeUtf8(bytes));
        if (records.Count - 1 > Limits.ImportMaxRows)
        {
            throw new DomainException("Import.TooManyRows", Limits.ImportMaxRows, records.Count - 1);
        }

        var (rows, headerProblems) = AccountCsv.ReadRows(records);
        if (headerProblems.Count > 0)
        {
            return new AccountImportResult(rows.Count, 0, headerProblems, []);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var problems = new List<ImportProblem>();
        var ready = new List<(AccountCsvRow Row, string Name, int? SeatId)>();
        var names = rows.Select(r => users.NormalizeName(r.UserName)).Where(n => !string.IsNullOrEmpty(n)).Distinct().ToList();
        var taken = (await db.Users.Where(u => names.Contains(u.NormalizedUserName!)).Select(u => u.NormalizedUserName!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var seenNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenSeats = new Dictionary<int, int>();
        var open = await OpenSeatsByBodyAsync(db, ct);
        var bodies = (await db.Bodies.Select(b => b.Key).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (row.Error is { } error)
            {
                problems.Add(new ImportProblem(row.Line, error));
                continue;
            }

            var before = problems.Count;
            var normalized = users.NormalizeName(row.UserName) ?? string.Empty;
            if (row.UserName.Length == 0)
            {
                problems.Add(new ImportProblem(row.Line, "Account.UserNameRequired"));
            }
            else if (row.UserName.Length > AccountCsv.MaxUserNameLength || !UserNameCharactersOk(users, row.UserName))
            {
                problems.Add(new ImportProblem(row.Line, "Account.UserNameInvalid", AccountCsv.Echo(row.UserName)));
            }
            else if (taken.Contains(normalized))
            {
                problems.Add(new ImportProblem(row.Line, "Account.UserNameTaken", row.UserName));
            }
            else if (seenNames.TryGetValue(normalized, out var firstLine))
            {
                problems.Add(new ImportProblem(row.Line, "Import.DuplicateAccount", row.UserName, firstLine));
            }
            else
            {
                seenNames[normalized] = row.Line;
            }

            try
            {
                // The same checks as an account made on the page: required, at most Limits.Name, no control characters.
                Guard.RequiredText(row.DisplayName, Limits.Name, "Account.DisplayName");
                Guard.OptionalText(row.DisplayNameEn, Limits.Name, "Account.DisplayName");
                if (row.DisplayNameEn.Any(char.IsControl))
                {
                    throw new DomainException("Account.DisplayName.InvalidCharacters");
                }
            }
            catch (DomainException ex)
            {
                problems.Add(new ImportProblem(row.Line, ex.Code, ex.Arguments));
            }

            int? seatId = null;
            if (row.Body.Length > 0 || row.Seat.Length > 0)
            {
                if (row.Body.Length == 0 || row.Seat.Length == 0)
                {
                    problems.Add(new ImportProblem(row.Line, "Import.BodyAndSeat"));
                }
                else if (!bodies.Contains(row.Body))
                {
                    problems.Add(new ImportProblem(row.Line, "Import.UnknownBody", AccountCsv.Echo(row.Body)));
                }
                else
                {
                    var matches = open[row.Body.ToUpperInvariant()].Where(s => s.Name == row.Seat).ToList();
                    if (matches.Count == 0)
                    {
                        problems.Add(new ImportProblem(row.Line, "Import.NoOpenSeat", AccountCsv.Echo(row.Seat), row.Body));
                    }
                    else if (matches.Count > 1)
                    {
                        problems.Add(new ImportProblem(row.Line, "Import.AmbiguousSeat", AccountCsv.Echo(row.Seat), row.Body));
                    }
                    else if (seenSeats.TryGetValue(matches[0].Id, out var other))
                    {
                        problems.Add(new ImportProblem(row.Line, "Import.SeatTwice", AccountCsv.Echo(row.Seat), other));
                    }
                    else
                    {
                        seatId = matches[0].Id;
                        seenSeats[matches[0].Id] = row.Line;
                    }
                }
            }

            if (problems.Count == before)
            {
                ready.Add((row, row.UserName, seatId));
            }
        }

        if (problems.Count > 0 || !apply || ready.Count == 0)
        {
            return new AccountImportResult(rows.Count, 0, problems, []);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = new List<AppUser>();
        foreach (var (row, name, seatId) in ready)
        {
            var user = new AppUser { UserName = name, DisplayName = row.DisplayName, DisplayNameEn = row.DisplayNameEn.Length > 0 ? row.DisplayNameEn : null };
            await CreateUserAsync(users, user);
            var detail = seatId is { } id ? await LinkSeatAsync(db, id, user.Id, ct) : string.Empty;
            await AuditLog.AddAsync(db, actor, AuditAction.AccountCreated, name, detail, Now, ct);
            created.Add(user);
        }

        await AuditLog.AddAsync(db, actor, AuditAction.AccountsImported, $"{created.Count} accounts", $"{rows.Count} rows", Now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var expires = Now + options.Value.ResetLinkLifetime;
        var links = new List<AccountLink>(created.Count);
        foreach (var user in created)
        {
            links.Add(new AccountLink(user.Id, user.UserName!, await users.GeneratePasswordResetTokenAsync(user), expires));
        }

        return new AccountImportResult(rows.Count, created.Count, [], links);
    }

    /// <summary>
    /// Disables or enables an account (not one's own). Disabling locks the account out without end and changes its
    /// security stamp, so its sign-ins, circuits and hub tokens stop working at their next check.
    /// </summary>
    public async Task SetDisabledAsync(Actor actor, string userId, bool disabled, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId ?? string.Empty) ?? throw new DomainException("Account.NotFound");
        if (user.Id == actor.UserId)
        {
            throw new DomainException("Account.NotYourself");
        }

        if (user.IsDisabled == disabled)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.DisabledAtUtc = disabled ? Now : null;
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null));
        Check(await users.ResetAccessFailedCountAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        await AuditLog.AddAsync(db, actor, disabled ? AuditAction.AccountDisabled : AuditAction.AccountEnabled, user.UserName!, null, Now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Grants or revokes the Admin role (not one's own: an administrator cannot lock everyone out by mistake).</summary>
    public async Task SetAdminAsync(Actor actor, string userId, bool admin, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = await users.FindByIdAsync(userId ?? string.Empty) ?? throw new DomainException("Account.NotFound");
        if (user.Id == actor.UserId)
        {
            throw new DomainException("Account.NotYourself");
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) == admin)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (admin && !await roles.RoleExistsAsync(Roles.Admin))
        {
            Check(await roles.CreateAsync(new IdentityRole(Roles.Admin)));
        }

        Check(admin ? await users.AddToRoleAsync(user, Roles.Admin) : await users.RemoveFromRoleAsync(user, Roles.Admin));
        // The role is a claim of the cookie and the hub token: a new stamp makes both be read again (or end).
        Check(await users.UpdateSecurityStampAsync(user));
        await AuditLog.AddAsync(db, actor, admin ? AuditAction.RoleGranted : AuditAction.RoleRevoked, user.UserName!, Roles.Admin, Now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The audit log, newest first, optionally one action only (admins).</summary>
    public async Task<AuditPage> ListAuditAsync(Actor actor, AuditAction? action, int page, CancellationToken ct = default)
    {
        RequireAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (action is { } only)
        {
            query = query.Where(e => e.Action == only);
        }

        var total = await query.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await query.OrderByDescending(e => e.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(e => new AuditRow(e.Id, e.AtUtc, e.ActorName, e.Action, e.Target, e.Detail)).ToListAsync(ct);
        return new AuditPage(rows, total, page, PageSize);
    }

    // ---- Helpers --------------------------------------------------------------------------------------------------

    private static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static void RequireAdmin(Actor? actor) => Permit.Require(AccountPermissions.MayAdminister(actor), "AdminOnly");

    private static string Expiry(DateTime expires) => "expires " + expires.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The actor's offices in the current terms where the account holds a seat that has not ended.</summary>
    private static async Task<IReadOnlyList<Offices>> SharedTermsAsync(DeliberationDbContext db, Actor actor, string userId, CancellationToken ct)
    {
        var mine = await OfficeReader.EverywhereAsync(db, actor, ct);
        if (mine.Count == 0)
        {
            return [];
        }

        var terms = mine.Select(o => o.TermId).ToList();
        var theirs = await db.Memberships.Where(m => m.UserId == userId && m.EndedAtUtc == null && terms.Contains(m.TermId)).Select(m => m.TermId).ToListAsync(ct);
        return mine.Where(o => theirs.Contains(o.TermId)).ToList();
    }

    private static async Task<ILookup<string, (int Id, string Name)>> OpenSeatsByBodyAsync(DeliberationDbContext db, CancellationToken ct) =>
        (await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == null && m.EndedAtUtc == null)
            .Where(m => m.Term.Number == db.Terms.Where(t => t.BodyId == m.Term.BodyId).Max(t => t.Number))
            .Select(m => new { m.Id, m.Name, m.Term.Body.Key })
            .ToListAsync(ct))
        .ToLookup(m => m.Key.ToUpperInvariant(), m => (m.Id, m.Name));

    /// <summary>Links a seat of a body's current term that has no account to <paramref name="userId"/>; returns "body: seat".</summary>
    private static async Task<string> LinkSeatAsync(DeliberationDbContext db, int membershipId, string userId, CancellationToken ct)
    {
        var termId = await db.Memberships.Where(m => m.Id == membershipId).Select(m => (int?)m.TermId).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("Membership.NotFound");
        var term = await db.Terms.Include(t => t.Members).Include(t => t.Body).SingleAsync(t => t.Id == termId, ct);
        var member = term.Members.Single(m => m.Id == membershipId);
        var latest = await db.Terms.Where(t => t.BodyId == term.BodyId).MaxAsync(t => t.Number, ct);
        if (member.UserId is not null || !member.IsActive || term.Number != latest)
        {
            throw new DomainException("Account.SeatTaken");
        }

        if (await db.Sessions.AnyAsync(s => s.TermId == termId && s.Status == SessionStatus.Open, ct))
        {
            throw new DomainException("Membership.SessionOpen");
        }

        term.LinkUser(member, userId);
        await db.SaveChangesAsync(ct);
        return $"{term.Body.Key}: {member.Name}";
    }

    private static string CheckUserName(UserManager<AppUser> users, string? userName)
    {
        var name = (userName ?? string.Empty).Trim();
        if (name.Length == 0)
        {
            throw new DomainException("Account.UserNameRequired");
        }

        if (name.Length > AccountCsv.MaxUserNameLength || !UserNameCharactersOk(users, name))
        {
            throw new DomainException("Account.UserNameInvalid", AccountCsv.Echo(name));
        }

        return name;
    }

    private static bool UserNameCharactersOk(UserManager<AppUser> users, string name) =>
        users.Options.User.AllowedUserNameCharacters is not { Length: > 0 } allowed || name.All(allowed.Contains);

    private static async Task CreateUserAsync(UserManager<AppUser> users, AppUser user)
    {
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? new DomainException("Account.UserNameTaken", user.UserName!)
                : new DomainException("Account.UserNameInvalid", AccountCsv.Echo(user.UserName!));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private static PasswordResult? OutOfBounds(string? password) =>
        (password?.Length ?? 0) > PasswordSignIn.MaxPasswordLength
            ? PasswordResult.Refused("PasswordTooLong", $"Passwords must have at most {PasswordSignIn.MaxPasswordLength} characters.")
            : null;

    private static PasswordResult InvalidToken(UserManager<AppUser> users) =>
        PasswordResult.Refused(nameof(IdentityErrorDescriber.InvalidToken), users.ErrorDescriber.InvalidToken().Description);

    private static PasswordResult From(IdentityResult result) =>
        result.Succeeded ? PasswordResult.Success : new PasswordResult(false, result.Errors.Select(e => new PasswordError(e.Code, e.Description)).ToList());
}
