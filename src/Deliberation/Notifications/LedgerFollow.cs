namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// A signed-in person follows a ledger item: every later change of it gives them an in-app notice (not for their own
/// changes). One per item and account: a unique index.
/// </summary>
public sealed class LedgerFollow
{
    private LedgerFollow()
    {
        UserId = string.Empty;
    }

    internal LedgerFollow(int ledgerItemId, string userId, DateTime nowUtc)
    {
        LedgerItemId = ledgerItemId;
        UserId = userId;
        CreatedAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public int LedgerItemId { get; private set; }

    public string UserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }
}
