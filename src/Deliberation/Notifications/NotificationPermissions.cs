namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>Who may do what with notices and follows. Nobody reads, marks or follows for anyone else.</summary>
public static class NotificationPermissions
{
    /// <summary>Read or mark a notice: only the account it is for.</summary>
    public static bool MayRead(Notice notice, string userId) => notice.IsFor(userId);

    /// <summary>Follow a ledger item: anyone with an account (a notice needs an account to go to).</summary>
    public static bool MayFollow(bool hasAccount) => hasAccount;
}
