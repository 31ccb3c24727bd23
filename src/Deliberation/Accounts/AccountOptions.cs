namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>Configuration section <c>Accounts</c>: how long links and tokens live and how often live sessions are re-checked.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>How long a one-time reset (or set-password) link works. Default 24 hours.</summary>
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often a live circuit and a cookie are checked against the account (exists, not disabled, same security stamp).
    /// Default 3 minutes: a disabled account or a changed password ends other sessions within that time.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Lifetime of a live hub access token. Default 15 minutes; a client refreshes it.</summary>
    public TimeSpan HubTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of the refresh token that comes with it (a meeting's length). Default 12 hours.</summary>
    public TimeSpan HubRefreshLifetime { get; set; } = TimeSpan.FromHours(12);
}
