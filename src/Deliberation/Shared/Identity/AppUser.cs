using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>An account. Names are shown in the UI in the user's language when an English name is known.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public string? DisplayNameEn { get; set; }

    /// <summary>
    /// When an administrator disabled the account (null while it is usable). A disabled account is also locked out
    /// without end and its security stamp was changed, so its cookies, circuits and bearer tokens stop working.
    /// </summary>
    public DateTime? DisabledAtUtc { get; set; }

    public bool IsDisabled => DisabledAtUtc is not null;

    public string NameFor(bool english) => english && !string.IsNullOrEmpty(DisplayNameEn) ? DisplayNameEn : DisplayName;
}
