using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>An account. Names are shown in the UI in the user's language when an English name is known.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public string? DisplayNameEn { get; set; }

    public string NameFor(bool english) => english && !string.IsNullOrEmpty(DisplayNameEn) ? DisplayNameEn : DisplayName;
}
