using MudBlazor;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// The MudBlazor theme: the council red (#b71c1c) as primary colour, every text / background pair at WCAG AA contrast
/// (4.5:1 or more), and Chinese-first fonts. Sizes are in rem, so the large-text mode (the <c>cd.textsize</c> cookie puts
/// <c>large-text</c> on &lt;html&gt;, whose font size becomes 21 px) scales the theme's typography with the rest of the page;
/// the large variant also opens up line heights and makes buttons a little bolder.
/// </summary>
public static class AppTheme
{
    public const string Red = "#b71c1c";
    public const string Ink = "#1f1f1f";
    public const string Muted = "#5f6368";
    public const string Link = "#0b57d0";

    /// <summary>The factor by which large text enlarges the root font size (16 px to 21 px), also in app.css.</summary>
    public const double LargeTextScale = 1.3125;

    private static readonly string[] Fonts = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"];

    private static readonly MudTheme Normal = Create(largeText: false);
    private static readonly MudTheme Large = Create(largeText: true);

    public static MudTheme For(bool largeText) => largeText ? Large : Normal;

    public static MudTheme Create(bool largeText)
    {
        var lineHeight = largeText ? "1.7" : "1.6";
        return new MudTheme
        {
            PaletteLight = new PaletteLight
            {
                Primary = Red,
                PrimaryDarken = "#8e1414",
                PrimaryLighten = "#d32f2f",
                PrimaryContrastText = "#ffffff",
                Secondary = Link,
                SecondaryContrastText = "#ffffff",
                Info = Link,
                InfoContrastText = "#ffffff",
                Success = "#1b5e20",
                SuccessContrastText = "#ffffff",
                Warning = "#8a4b00",
                WarningContrastText = "#ffffff",
                Error = Red,
                ErrorContrastText = "#ffffff",
                Dark = "#37474f",
                TextPrimary = Ink,
                TextSecondary = Muted,
                ActionDefault = "#3c4043",
                Background = "#f6f7f9",
                Surface = "#ffffff",
                AppbarBackground = Red,
                AppbarText = "#ffffff",
                LinesInputs = "#80868b",
                TableLines = "#dadce0",
            },
            Typography = new Typography
            {
                Default = new DefaultTypography { FontFamily = Fonts, FontSize = "1rem", LineHeight = lineHeight, FontWeight = "400" },
                Body1 = new Body1Typography { FontFamily = Fonts, FontSize = "1rem", LineHeight = lineHeight },
                Body2 = new Body2Typography { FontFamily = Fonts, FontSize = "0.9375rem", LineHeight = lineHeight },
                Button = new ButtonTypography
                {
                    FontFamily = Fonts,
                    FontSize = "1rem",
                    FontWeight = largeText ? "700" : "600",
                    LineHeight = "1.5",
                    TextTransform = "none",
                    LetterSpacing = "normal",
                },
                H1 = new H1Typography { FontFamily = Fonts, FontSize = "1.6rem", FontWeight = "700", LineHeight = "1.3", LetterSpacing = "normal" },
                H2 = new H2Typography { FontFamily = Fonts, FontSize = "1.2rem", FontWeight = "700", LineHeight = "1.35", LetterSpacing = "normal" },
                H3 = new H3Typography { FontFamily = Fonts, FontSize = "1.05rem", FontWeight = "700", LineHeight = "1.4", LetterSpacing = "normal" },
                Caption = new CaptionTypography { FontFamily = Fonts, FontSize = "0.875rem", LineHeight = lineHeight },
            },
            LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
        };
    }
}
