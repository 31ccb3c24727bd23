using CommunityDeliberation.App.Components.Pages.Minutes;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.App.Tests.Minutes;

/// <summary>The minutes' Markdown with a live preview rendered the way the archive renders it.</summary>
public sealed class MinutesEditorTests : AppTestContext
{
    [Fact]
    public void PreviewFollowsTheTextAsItIsTyped()
    {
        string? bound = null;
        var editor = Render<MinutesEditor>(p => p.Add(e => e.Text, "# 会议纪要").Add(e => e.TextChanged, text => bound = text));
        Assert.Equal("会议纪要", editor.Find("[data-testid=minutes-preview] h1").TextContent);

        editor.Find("[data-testid=minutes-text]").Input("# 会议纪要\n\n## 决定事项\n\n- 加装电梯方案另行征求居民意见");

        Assert.Equal("决定事项", editor.Find("[data-testid=minutes-preview] h2:not(.preview-heading)").TextContent);
        Assert.Equal("加装电梯方案另行征求居民意见", editor.Find("[data-testid=minutes-preview] li").TextContent);
        Assert.StartsWith("# 会议纪要", bound, StringComparison.Ordinal);
    }

    [Fact]
    public void PreviewNeverRunsScriptsFromTheText()
    {
        var editor = Render<MinutesEditor>(p => p.Add(e => e.Text, "正文<script>alert(1)</script><img src=x onerror=alert(2)>"));

        var preview = editor.Find("[data-testid=minutes-preview]");
        Assert.Empty(preview.QuerySelectorAll("script"));
        Assert.Empty(preview.QuerySelectorAll("[onerror]"));
        Assert.Contains("正文", preview.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsCharactersAgainstTheLimit()
    {
        var editor = Render<MinutesEditor>(p => p.Add(e => e.Text, "一二三"));

        Assert.Equal($"已输入 3 / {SessionMinutes.MarkdownMax} 字", editor.Find("[data-testid=minutes-count]").TextContent);
        Assert.Equal("minutes-count", editor.Find("[data-testid=minutes-text]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void PreviewIsALabelledRegion()
    {
        var editor = Render<MinutesEditor>(p => p.Add(e => e.Text, string.Empty));

        var preview = editor.Find("[data-testid=minutes-preview]");
        Assert.Equal("minutes-preview-heading", preview.GetAttribute("aria-labelledby"));
        Assert.Equal("预览", editor.Find("#minutes-preview-heading").TextContent);
    }
}
