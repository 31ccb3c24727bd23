using System.Text.RegularExpressions;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>
/// Images from other sites in user Markdown (minutes, proposals, comments, agenda descriptions) are shown as links, so a
/// reader's browser never fetches them on its own; images of this site stay images.
/// </summary>
public sealed class SafeMarkdownImageTests
{
    [Theory]
    [InlineData("![会场照片](https://images.example.org/hall.png)", "https://images.example.org/hall.png", "会场照片")]
    [InlineData("![](http://tracker.example.org/pixel.gif?reader=1)", "http://tracker.example.org/pixel.gif?reader=1", "http://tracker.example.org/pixel.gif?reader=1")]
    public void AnImageFromAnotherSiteBecomesALinkToIt(string markdown, string url, string text)
    {
        var html = SafeMarkdown.ToHtml("会议纪要\n\n" + markdown);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{System.Net.WebUtility.HtmlEncode(url)}\">{System.Net.WebUtility.HtmlEncode(text)}</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("![x](//tracker.example.org/pixel.gif)")]
    [InlineData("![x](\\\\tracker.example.org/pixel.gif)")]
    [InlineData("![x](/\\tracker.example.org/pixel.gif)")]
    [InlineData("![x](<\\/tracker.example.org/pixel.gif>)")]
    [InlineData("![x](HTTPS://tracker.example.org/pixel.gif)")]
    public void NoImageAddressLeavesTheSite(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        // Every image left is a path of this site: no scheme, and no leading pair of slashes or backslashes (raw or as
        // %5C, which browsers do not read as a slash).
        foreach (var src in Regex.Matches(html, "<img src=\"([^\"]*)\"").Select(m => m.Groups[1].Value))
        {
            Assert.DoesNotContain(':', src);
            Assert.False(src.Length >= 2 && (src[0] is '/' or '\\') && (src[1] is '/' or '\\'), src);
        }
    }

    [Theory]
    [InlineData("![徽标](/favicon.svg)", "/favicon.svg")]
    [InlineData("![图](images/plan.png)", "images/plan.png")]
    public void AnImageOfThisSiteStaysAnImage(string markdown, string src)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.Contains($"<img src=\"{src}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrdinaryLinkToAnotherSiteStaysALink()
    {
        var html = SafeMarkdown.ToHtml("[街道通知](https://example.org/notice)");

        Assert.Contains("<a href=\"https://example.org/notice\">街道通知</a>", html, StringComparison.Ordinal);
    }
}
