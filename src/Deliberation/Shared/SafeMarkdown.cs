using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// Renders user Markdown to HTML that cannot run script: raw HTML is disabled (shown as text), only safe extensions
/// are on (no generic attributes), and link or image URLs other than http, https, mailto or site-relative paths
/// are replaced by "#" (so <c>javascript:</c> and <c>data:</c> links are inert).
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseListExtras()
        .UseTaskLists()
        .Build();

    public static string ToHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? string.Empty, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        var trimmed = new string(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        if (trimmed.StartsWith('/') || trimmed.StartsWith('#') || trimmed.StartsWith('?'))
        {
            return !trimmed.StartsWith("//", StringComparison.Ordinal);
        }

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // relative path like "page.md": no scheme, nothing to run
            return true;
        }

        var scheme = trimmed[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
