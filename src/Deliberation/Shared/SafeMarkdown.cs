using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// Renders user Markdown to HTML that cannot run script: raw HTML is disabled (shown as text), only safe extensions
/// are on (no generic attributes), and link or image URLs other than http, https, mailto or site-relative paths
/// are replaced by "#" (so <c>javascript:</c> and <c>data:</c> links are inert). An image from another site becomes a
/// plain link to it: a reader's browser never fetches it by itself, so a published page cannot tell a third party who
/// reads it and when (the Content-Security-Policy's <c>img-src 'self' data:</c> blocks it as well).
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
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
            else if (link.IsImage && IsOtherSite(link.Url))
            {
                link.IsImage = false;
                if (link.FirstChild is null)
                {
                    link.AppendChild(new LiteralInline(link.Url!));
                }
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

    /// <summary>
    /// An absolute address (<c>https://…</c>) or a protocol-relative one (<c>//…</c>, and <c>\\…</c> or <c>/\…</c>, which
    /// browsers read the same way): another site's.
    /// </summary>
    public static bool IsOtherSite(string? url)
    {
        var trimmed = new string((url ?? string.Empty).Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        return trimmed.Contains(':', StringComparison.Ordinal) || trimmed is [('/' or '\\'), ('/' or '\\'), ..];
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
