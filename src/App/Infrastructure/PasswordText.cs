using CommunityDeliberation.Deliberation.Accounts;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Password refusals as sentences in the user's language (<c>Error.Identity.{Code}</c>), else Identity's English text.</summary>
public static class PasswordText
{
    public static IReadOnlyList<string> Describe(PasswordResult result, IStringLocalizer localizer) =>
        result.Errors.Select(e => localizer["Error.Identity." + e.Code] is { ResourceNotFound: false } text ? text.Value : e.Description).Distinct().ToList();

    /// <summary>The reset page's address for a link (the token is URL-encoded; it is never stored).</summary>
    public static string ResetLink(string baseUri, AccountLink link) =>
        $"{baseUri.TrimEnd('/')}/account/reset?user={Uri.EscapeDataString(link.UserId)}&token={Uri.EscapeDataString(link.Token)}";
}
