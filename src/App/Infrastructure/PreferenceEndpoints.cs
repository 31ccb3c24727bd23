using Microsoft.AspNetCore.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Language and text-size choices, kept in cookies for a year so they persist across visits.</summary>
public static class PreferenceEndpoints
{
    public const string TextSizeCookie = "cd.textsize";

    public static void MapPreferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/preferences/culture", (string? culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = Cultures.Supported.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? Cultures.Chinese;
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = http.Request.IsHttps });
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });

        endpoints.MapGet("/preferences/text-size", (string? size, string? returnUrl, HttpContext http) =>
        {
            var large = string.Equals(size, "large", StringComparison.OrdinalIgnoreCase);
            http.Response.Cookies.Append(TextSizeCookie, large ? "large" : "normal",
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = http.Request.IsHttps });
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });
    }

    public static bool IsLargeText(HttpContext? http) => http?.Request.Cookies[TextSizeCookie] == "large";

    /// <summary>Only local paths: an open redirect to another site is refused by falling back to the home page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
