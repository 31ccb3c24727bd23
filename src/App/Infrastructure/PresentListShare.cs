using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.AspNetCore.Components;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// The members present at a session are the same on every live screen of it: one copy of the list, and of its HTML, is
/// shared by all circuits instead of each circuit keeping its own (ADR 0024). With 151 members present that copy was
/// about a quarter of an idle viewer's circuit: ~450 strings and records from its own read, and ~900 render-tree frames
/// held twice by its renderer. Each circuit still reads the list itself (the read says whether it changed); when it equals
/// the shared one, the circuit keeps the shared one and lets its own go.
/// </summary>
public sealed class PresentListShare(HtmlEncoder encoder)
{
    /// <summary>Sessions whose lists are kept; a session is live for hours, and a few are live at once.</summary>
    private const int MaxLists = 64;

    private readonly ConcurrentDictionary<(int SessionId, bool English), Shared> _lists = new();

    /// <summary>One session's list of members present, in one language, and its markup.</summary>
    public sealed class Shared(IReadOnlyList<PresentMember> members, MarkupString html)
    {
        public IReadOnlyList<PresentMember> Members { get; } = members;

        /// <summary>The <c>ul.present-list</c> as the page wrote it: name, then the organisation in the page's language.</summary>
        public MarkupString Html { get; } = html;
    }

    /// <summary>The shared list equal to <paramref name="fresh"/> (which becomes the shared one when the list changed).</summary>
    public Shared Share(int sessionId, IReadOnlyList<PresentMember> fresh, bool english)
    {
        var key = (sessionId, english);
        if (_lists.TryGetValue(key, out var current) && current.Members.SequenceEqual(fresh))
        {
            return current;
        }

        var shared = new Shared(fresh.ToArray(), Render(fresh, english));
        if (_lists.Count >= MaxLists)
        {
            _lists.Clear();
        }

        _lists[key] = shared;
        return shared;
    }

    private MarkupString Render(IReadOnlyList<PresentMember> members, bool english)
    {
        var html = new StringBuilder("<ul class=\"present-list\" data-testid=\"present-list\">");
        foreach (var member in members)
        {
            html.Append("<li>").Append(encoder.Encode(member.Name)).Append(" <span class=\"org\">")
                .Append(encoder.Encode((english ? member.OrganisationEn : member.Organisation) ?? string.Empty)).Append("</span></li>");
        }

        return new MarkupString(html.Append("</ul>").ToString());
    }
}
