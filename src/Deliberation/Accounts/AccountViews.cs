using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Bodies.Import;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>An account as the account list shows it, with what the viewer may do to it.</summary>
public sealed record AccountRow(
    string UserId, string UserName, string DisplayName, bool IsAdmin, bool IsDisabled, bool IsLockedOut, IReadOnlyList<string> Seats, bool MayIssueResetLink, bool MayManage);

/// <summary>One page of the account list.</summary>
public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Total, int Page, int PageSize, bool ViewerIsAdmin);

/// <summary>
/// A one-time link to set a password: the token is shown once (it is never stored) and stops working when used, when the
/// password changes otherwise, or at <see cref="ExpiresAtUtc"/>.
/// </summary>
public sealed record AccountLink(string UserId, string UserName, string Token, DateTime ExpiresAtUtc);

/// <summary>What a new account needs: a user name, a display name, optionally a seat (of a current term) to link.</summary>
public sealed record NewAccountInput(string? UserName, string? DisplayName, string? DisplayNameEn, int? MembershipId);

/// <summary>A seat that has no account yet, in the current term of its body: it may be linked to a new account.</summary>
public sealed record OpenSeat(int MembershipId, string BodyKey, string BodyName, string BodyNameEn, string TermName, string TermNameEn, string SeatName, MemberRole Role);

/// <summary>The outcome of a password change or reset: the Identity error codes (with English text) when refused.</summary>
public sealed record PasswordResult(bool Succeeded, IReadOnlyList<PasswordError> Errors)
{
    public static readonly PasswordResult Success = new(true, []);

    public static PasswordResult Refused(string code, string description) => new(false, [new PasswordError(code, description)]);
}

/// <summary>An Identity error: <see cref="Code"/> (UI key <c>Error.Identity.{Code}</c>) and its English description.</summary>
public sealed record PasswordError(string Code, string Description);

/// <summary>The outcome of an account import: every problem by line, or the accounts created with their links.</summary>
public sealed record AccountImportResult(int Rows, int Created, IReadOnlyList<ImportProblem> Problems, IReadOnlyList<AccountLink> Links)
{
    public bool IsClean => Problems.Count == 0;
}

/// <summary>One entry of the audit log as the audit page shows it.</summary>
public sealed record AuditRow(long Id, DateTime AtUtc, string ActorName, AuditAction Action, string Target, string Detail);

/// <summary>One page of the audit log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Total, int Page, int PageSize);
