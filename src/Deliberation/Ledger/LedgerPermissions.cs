using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Ledger;

/// <summary>
/// Who may do what with the work ledger, from the offices of the current term of the item's body (ADR 0012). Reading
/// the ledger needs no account.
/// </summary>
public static class LedgerPermissions
{
    /// <summary>Record items, mark them done, escalate them, reopen them: the body's secretariat.</summary>
    public static bool MayKeep(Offices offices) => offices.IsSecretariat;

    /// <summary>Report progress: the secretariat, or the person who owns the item.</summary>
    public static bool MayReportProgress(Offices offices, LedgerItem item) => offices.IsSecretariat || item.IsOwnedBy(offices.UserId);

    /// <summary>Close out (销号): the secretariat, and never the item's own owner (nobody closes out their own work).</summary>
    public static bool MayCloseOut(Offices offices, LedgerItem item) => offices.IsSecretariat && !item.IsOwnedBy(offices.UserId);

    /// <summary>Answer an escalated item: the secretariat of the body it was referred to.</summary>
    public static bool MayAnswer(Offices officesInTargetBody) => officesInTargetBody.IsSecretariat;
}
