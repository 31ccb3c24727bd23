using CommunityDeliberation.App.Components.Layout;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Utilities;

namespace CommunityDeliberation.App.Tests.Layout;

/// <summary>The language and text-size switches of every page, and the theme they choose.</summary>
public sealed class SwitchesTests : AppTestContext
{
    public SwitchesTests() => AddAuthorization();

    /// <summary>The layout asks the real services whether the viewer may schedule sessions (ADR 0012).</summary>
    public override Task InitializeAsync() => UseDatabaseAsync();

    [Fact]
    public void TextSizeSwitchIsAToggleButtonThatTurnsLargeTextOn()
    {
        var layout = RenderLayout(largeText: false);

        var toggle = layout.Find("[data-testid=text-size-toggle]");
        Assert.Equal("BUTTON", toggle.TagName);
        Assert.Equal("false", toggle.GetAttribute("aria-pressed"));
        Assert.Equal("大字模式", toggle.TextContent);
        var form = toggle.Closest("form")!;
        Assert.Equal("/preferences/text-size", form.GetAttribute("action"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("large", form.QuerySelector("input[name=size]")!.GetAttribute("value"));
        Assert.Equal("/sessions/7", form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
    }

    [Fact]
    public void LargeTextShowsThePressedToggleThatTurnsItOff()
    {
        var layout = RenderLayout(largeText: true);

        var toggle = layout.Find("[data-testid=text-size-toggle]");
        Assert.Equal("true", toggle.GetAttribute("aria-pressed"));
        Assert.Equal("normal", toggle.Closest("form")!.QuerySelector("input[name=size]")!.GetAttribute("value"));
        Assert.Same(AppTheme.For(largeText: true), layout.FindComponent<MudThemeProvider>().Instance.Theme);
    }

    [Fact]
    public void LanguageSwitchOffersEnglishInEnglishFromAChinesePage()
    {
        var layout = RenderLayout(largeText: false);

        var link = layout.Find("[data-testid=language-switch]");
        Assert.Equal("English", link.TextContent);
        Assert.Equal("en", link.GetAttribute("lang"));
        Assert.Equal("/preferences/culture?culture=en&returnUrl=%2Fsessions%2F7", link.GetAttribute("href"));
    }

    [Fact]
    public void LanguageSwitchOffersChineseInChineseFromAnEnglishPage()
    {
        UseCulture(Cultures.English);
        var layout = RenderLayout(largeText: false);

        var link = layout.Find("[data-testid=language-switch]");
        Assert.Equal("中文", link.TextContent);
        Assert.Equal("zh-CN", link.GetAttribute("lang"));
        Assert.StartsWith("/preferences/culture?culture=zh-CN", link.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("Large text", layout.Find("[data-testid=text-size-toggle]").TextContent);
    }

    [Fact]
    public void LargeTextThemeOpensUpLineHeightsAndKeepsSizesInRem()
    {
        var normal = AppTheme.For(largeText: false).Typography;
        var large = AppTheme.For(largeText: true).Typography;

        Assert.Equal("1rem", large.Default.FontSize);
        Assert.True(double.Parse(large.Default.LineHeight!, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(normal.Default.LineHeight!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(new BaseTypography[] { large.Default, large.Body1, large.Body2, large.Button, large.H1, large.H2, large.H3, large.Caption },
            t => Assert.EndsWith("rem", t.FontSize, StringComparison.Ordinal));
        Assert.Equal("none", large.Button.TextTransform);
    }

    [Theory]
    [InlineData("#ffffff")]
    [InlineData("#f6f7f9")]
    public void ThemeTextAndActionColoursMeetAaContrast(string background)
    {
        var palette = AppTheme.For(largeText: false).PaletteLight;
        foreach (var colour in new[] { palette.Primary, palette.Secondary, palette.Success, palette.Error, palette.Warning, palette.TextPrimary, palette.TextSecondary, palette.Dark })
        {
            Assert.True(Contrast(colour.ToString(MudColorOutputFormats.Hex), background) >= 4.5, $"{colour} on {background}");
        }

        foreach (var (fill, text) in new[] { (palette.Primary, palette.PrimaryContrastText), (palette.Success, palette.SuccessContrastText), (palette.Error, palette.ErrorContrastText), (palette.Warning, palette.WarningContrastText) })
        {
            Assert.True(Contrast(fill.ToString(MudColorOutputFormats.Hex), text.ToString(MudColorOutputFormats.Hex)) >= 4.5, $"{text} on {fill}");
        }
    }

    private IRenderedComponent<MainLayout> RenderLayout(bool largeText)
    {
        var http = new DefaultHttpContext();
        if (largeText)
        {
            http.Request.Headers.Cookie = $"{PreferenceEndpoints.TextSizeCookie}=large";
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("/sessions/7");
        return Render<MainLayout>(p => p.AddCascadingValue(http as HttpContext).Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "正文"))));
    }

    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        var h = hex.TrimStart('#');
        double Channel(int i)
        {
            var c = Convert.ToInt32(h.Substring(i, 2), 16) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
    }
}
