using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>
/// Who may manage accounts (ADR 0012, 0014): administrators manage every account; a body's secretariat (chair,
/// vice-chair, secretary of its current term) may issue a reset link to accounts seated in that term, except to an
/// administrator's account (which would hand them the administrator's powers). Nobody else manages accounts.
/// </summary>
public static class AccountPermissions
{
    /// <summary>Create, disable, enable, grant or revoke roles, import, read the audit log.</summary>
    public static bool MayAdminister(Actor? actor) => actor?.IsAdmin == true;

    /// <summary>Sees the account list (admins: all; secretariats: the accounts seated in their bodies).</summary>
    public static bool MayListAccounts(Actor? actor, IEnumerable<Offices> actorOffices) =>
        MayAdminister(actor) || (actor is not null && actorOffices.Any(o => o.IsSecretariat));

    /// <summary>
    /// Issues a reset link to an account. <paramref name="sharedTerms"/> are the actor's offices in the current terms where
    /// the target holds a seat that has not ended.
    /// </summary>
    public static bool MayIssueResetLink(Actor? actor, bool targetIsAdmin, IEnumerable<Offices> sharedTerms) =>
        MayAdminister(actor) || (actor is not null && !targetIsAdmin && sharedTerms.Any(o => o.IsSecretariat));

    /// <summary>Changes one's own password: any signed-in account.</summary>
    public static bool MayChangeOwnPassword(Actor? actor) => actor is not null;
}
