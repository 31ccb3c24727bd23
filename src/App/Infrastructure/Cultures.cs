using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>zh-CN is the default culture; English is complete too. The choice is kept in the standard culture cookie.</summary>
public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static readonly string[] Supported = [Chinese, English];

    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(Chinese)
            .AddSupportedCultures(Supported)
            .AddSupportedUICultures(Supported);
        // Only the user's explicit choice (cookie) or the URL switches language; the default stays Chinese.
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        return options;
    }

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
}
