using System.Globalization;
using System.Xml;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>The small pieces of Atom (RFC 4287) that the archive's and the ledger's feeds write alike.</summary>
public static class AtomXml
{
    public const string Namespace = "http://www.w3.org/2005/Atom";

    /// <summary>A <c>link</c> element.</summary>
    public static void Link(XmlWriter w, string rel, string type, string href)
    {
        w.WriteStartElement("link", Namespace);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    /// <summary>An Atom date (RFC 3339, UTC, whole seconds).</summary>
    public static string Date(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
