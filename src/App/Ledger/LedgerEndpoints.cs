using System.Text;
using System.Xml;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Ledger;
using Microsoft.Extensions.Localization;

// In the app's root namespace so Program.cs finds MapLedgerEndpoints without another using.
namespace CommunityDeliberation.App;

/// <summary>
/// The work ledger's Atom feeds, anonymous: the changes of one body's items (those referred to it included) and of one
/// item, so residents can follow a matter in any feed reader without signing in.
/// </summary>
public static class LedgerEndpoints
{
    private const string AtomNamespace = AtomXml.Namespace;

    public static void MapLedgerEndpoints(this IEndpointRouteBuilder e)
    {
        e.MapGet("/ledger/feed.atom", (string? body, LedgerService ledger, HttpContext http, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            FeedAsync(ledger, http, l, body, null, ct));
        e.MapGet("/ledger/{id:int}/feed.atom", (int id, LedgerService ledger, HttpContext http, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            FeedAsync(ledger, http, l, null, id, ct));
    }

    private static async Task<IResult> FeedAsync(LedgerService ledger, HttpContext http, IStringLocalizer<SharedResource> l, string? body, int? itemId, CancellationToken ct)
    {
        if (body is { Length: > 100 })
        {
            return Results.BadRequest();
        }

        if (itemId is { } id && await ledger.FindAsync(id, ct) is null)
        {
            return Results.NotFound();
        }

        // Never the Host header as sent: the feed is cached (SecuritySetup.PublicRoot).
        var root = SecuritySetup.PublicRoot(http);
        var host = new Uri(root).Host;
        var changes = await ledger.ChangesAsync(body, itemId, ct: ct);
        var english = Cultures.IsEnglish;
        var self = itemId is { } one ? $"{root}/ledger/{one}/feed.atom" : $"{root}/ledger/feed.atom" + (body is null ? string.Empty : "?body=" + Uri.EscapeDataString(body));
        var page = itemId is { } item ? $"{root}/ledger/{item}" : $"{root}/ledger" + (body is null ? string.Empty : "?body=" + Uri.EscapeDataString(body));
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", AtomNamespace);
            w.WriteAttributeString("xml", "lang", null, english ? "en" : "zh-CN");
            w.WriteElementString("id", AtomNamespace, $"tag:{host},2026:ledger" + (itemId is { } f ? $"/{f}" : body is null ? string.Empty : $"/body/{body}"));
            w.WriteElementString("title", AtomNamespace, $"{l["App.Name"]} · {l["Ledger.Title"]}" + (changes.Count > 0 && itemId is not null ? $" · {changes[0].Title}" : string.Empty));
            w.WriteElementString("updated", AtomNamespace, AtomXml.Date(changes.Count > 0 ? changes[0].AtUtc : DateTime.UtcNow));
            AtomXml.Link(w, "self", "application/atom+xml", self);
            AtomXml.Link(w, "alternate", "text/html", page);
            w.WriteStartElement("author", AtomNamespace);
            w.WriteElementString("name", AtomNamespace, l["App.Name"]);
            w.WriteEndElement();
            foreach (var change in changes)
            {
                w.WriteStartElement("entry", AtomNamespace);
                w.WriteElementString("id", AtomNamespace, $"tag:{host},2026:ledger/{change.ItemId}/change/{change.Id}");
                w.WriteElementString("title", AtomNamespace, $"{change.Title} · {l[$"LedgerEntry.{change.Kind}"]}");
                w.WriteElementString("updated", AtomNamespace, AtomXml.Date(change.AtUtc));
                AtomXml.Link(w, "alternate", "text/html", $"{root}/ledger/{change.ItemId}");
                w.WriteStartElement("summary", AtomNamespace);
                w.WriteAttributeString("type", "text");
                w.WriteString($"{(english ? change.BodyNameEn : change.BodyName)} · {l[$"LedgerStatus.{change.To}"]}" + (change.Note is null ? string.Empty : $" · {LedgerText.Note(l, change.Kind, change.Note)}"));
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        http.Response.Headers.CacheControl = "public, max-age=60";
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }
}
