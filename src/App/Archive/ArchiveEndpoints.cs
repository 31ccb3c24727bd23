using System.Globalization;
using System.Text;
using System.Xml;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
// In the app's root namespace so Program.cs finds MapArchiveEndpoints without another using.

namespace CommunityDeliberation.App;

/// <summary>
/// The archive's non-HTML addresses, all anonymous: a version's Markdown as a download, the Atom feed of newly published
/// versions, and a zip of every published minutes for backup and offline reading.
/// </summary>
public static class ArchiveEndpoints
{
    private const string AtomNamespace = AtomXml.Namespace;

    /// <summary>The feed's extension element for the chain head a version was published with (ADR 0015).</summary>
    public const string LogNamespace = "urn:community-deliberation:session-log:1";

    /// <summary>At most two zip exports run at once (each reads and compresses every published text); others are told to retry.</summary>
    private static readonly SemaphoreSlim Exports = new(2, 2);

    public static void MapArchiveEndpoints(this IEndpointRouteBuilder e)
    {
        e.MapGet("/archive/{id:int}.md", MarkdownAsync);
        e.MapGet("/archive/feed.atom", FeedAsync);
        e.MapGet("/archive/export.zip", ExportAsync).RequireRateLimiting(RateLimits.ArchiveExport);
        e.MapGet("/log/public-key", PublicKeys);
    }

    /// <summary>
    /// The session log's public keys (ADR 0015) as text: for each, its key id and PEM, the current one first, retired ones
    /// after (they still check what they signed), and how to check a signature with openssl.
    /// </summary>
    private static IResult PublicKeys(SessionLogSigner signer, HttpContext http)
    {
        var text = new StringBuilder();
        text.Append("# Session log signing keys (ECDSA P-256, SHA-256). Signed message: the entry hash as 64 lower-case hex characters.\n");
        text.Append("# Check: printf %s <hash> > h; base64 -d <<< <signature> > s.der; openssl dgst -sha256 -verify key.pem -signature s.der h\n");
        foreach (var key in signer.PublicKeys)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n# key id {key.KeyId} ({(key.Current ? "current" : "retired")})\n{key.Pem}\n");
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    /// <summary>
    /// The exact published bytes (UTF-8, no byte order mark), so SHA-256 of the file equals the published content hash.
    /// <c>?v=N</c> names a version, which never changes and may be cached for a year; without it, the latest version.
    /// </summary>
    private static async Task<IResult> MarkdownAsync(int id, string? v, ArchiveReader archive, HttpContext http, CancellationToken ct)
    {
        int? version = null;
        if (!string.IsNullOrEmpty(v))
        {
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return Results.NotFound();
            }

            version = n;
        }

        var minutes = await archive.GetAsync(id, version, ct);
        if (minutes is null)
        {
            return Results.NotFound();
        }

        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(minutes.Markdown);
        http.Response.Headers.CacheControl = version is null ? "public, max-age=60" : "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["X-Content-SHA256"] = minutes.Version.ContentHash;
        return Results.File(
            bytes, "text/markdown; charset=utf-8", DownloadName(archive, minutes),
            lastModified: new DateTimeOffset(minutes.Version.PublishedAtUtc),
            entityTag: new EntityTagHeaderValue($"\"{minutes.Version.ContentHash}\""));
    }

    /// <summary>
    /// <c>{date}-{id}-v{n}-{title}.md</c>: the zip's file name plus the title, so a resident's downloads folder says what it
    /// is. Sent as an RFC 6266 UTF-8 file name (<c>filename*</c>) with an ASCII fallback.
    /// </summary>
    public static string DownloadName(ArchiveReader archive, ArchiveMinutes minutes)
    {
        var baseName = archive.FileName(minutes.MinutesId, minutes.Version.Number, minutes.ScheduledAtUtc);
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var title = new string(minutes.Title.Where(c => !invalid.Contains(c) && !char.IsControl(c)).ToArray()).Trim();
        if (title.Length > 60)
        {
            title = title[..60];
        }

        return title.Length == 0 ? baseName : $"{baseName[..^3]}-{title}.md";
    }

    private static async Task<IResult> FeedAsync(
        ArchiveFeed archive, HearingPublicService hearings, HttpContext http, IStringLocalizer<SharedResource> l, DisplayClock clock, CancellationToken ct)
    {
        // Never the Host header as sent: the feed is cached (SecuritySetup.PublicRoot).
        var root = SecuritySetup.PublicRoot(http);
        var entries = await archive.FeedAsync(root, ct);
        // Published hearing notices are publications too (issue 12): residents subscribed to the archive hear of a hearing
        // while they can still register.
        var notices = await hearings.ListNoticesAsync(ct: ct);
        var host = new Uri(root).Host;
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", AtomNamespace);
            w.WriteAttributeString("xmlns", "log", null, LogNamespace);
            w.WriteAttributeString("xml", "lang", null, Cultures.IsEnglish ? "en" : "zh-CN");
            w.WriteElementString("id", AtomNamespace, $"tag:{host},2026:archive");
            w.WriteElementString("title", AtomNamespace, $"{l["App.Name"]} · {l["Archive.Title"]}");
            w.WriteElementString("subtitle", AtomNamespace, l["Archive.FeedSubtitle"]);
            var newest = entries.Select(e => e.PublishedAtUtc).Concat(notices.Select(n => Utc(n.NoticePublishedAtUtc))).DefaultIfEmpty(DateTime.UtcNow).Max();
            w.WriteElementString("updated", AtomNamespace, AtomXml.Date(newest));
            AtomXml.Link(w, "self", "application/atom+xml", $"{root}/archive/feed.atom");
            AtomXml.Link(w, "alternate", "text/html", $"{root}/archive");
            w.WriteStartElement("author", AtomNamespace);
            w.WriteElementString("name", AtomNamespace, l["App.Name"]);
            w.WriteEndElement();
            foreach (var notice in notices)
            {
                WriteNotice(w, notice, root, host, l, clock);
            }

            foreach (var entry in entries)
            {
                w.WriteStartElement("entry", AtomNamespace);
                w.WriteElementString("id", AtomNamespace, entry.Id);
                w.WriteElementString("title", AtomNamespace, entry.Version > 1 ? $"{entry.Title}({l["Archive.VersionNumber", entry.Version]})" : entry.Title);
                w.WriteElementString("updated", AtomNamespace, AtomXml.Date(entry.PublishedAtUtc));
                w.WriteElementString("published", AtomNamespace, AtomXml.Date(entry.PublishedAtUtc));
                AtomXml.Link(w, "alternate", "text/html", entry.Url);
                AtomXml.Link(w, "alternate", "text/markdown", $"{root}/archive/{entry.MinutesId}.md?v={entry.Version}");
                w.WriteStartElement("category", AtomNamespace);
                w.WriteAttributeString("term", entry.Kind.ToString());
                w.WriteAttributeString("label", l[$"SessionKind.{entry.Kind}"]);
                w.WriteEndElement();
                var summary = $"{entry.BodyName} · {l[$"SessionKind.{entry.Kind}"]} · {clock.DateTime(entry.ScheduledAtUtc)} · {l["Archive.VersionNumber", entry.Version]}";
                if (!string.IsNullOrEmpty(entry.Reason))
                {
                    summary += $" · {l["Archive.CorrectionReason", entry.Reason]}";
                }

                // The chain head: a reader's copy of the feed anchors the session's log up to this entry.
                summary += $" · {l["Archive.LogHeadSummary", entry.Head.Entries, entry.Head.Hash]}";
                w.WriteStartElement("summary", AtomNamespace);
                w.WriteAttributeString("type", "text");
                w.WriteString(summary);
                w.WriteEndElement();
                w.WriteStartElement("log", "head", LogNamespace);
                w.WriteAttributeString("entries", entry.Head.Entries.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("hash", entry.Head.Hash);
                if (entry.Head.Signature is not null)
                {
                    w.WriteAttributeString("keyId", entry.Head.KeyId);
                    w.WriteAttributeString("signature", entry.Head.Signature);
                }

                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    /// <summary>A published hearing notice as a feed entry: topic, body, time, place and registration deadline, linked to the notice page.</summary>
    private static void WriteNotice(XmlWriter w, HearingNoticeEntry notice, string root, string host, IStringLocalizer<SharedResource> l, DisplayClock clock)
    {
        var published = Utc(notice.NoticePublishedAtUtc);
        var id = notice.Id.ToString(CultureInfo.InvariantCulture);
        w.WriteStartElement("entry", AtomNamespace);
        w.WriteElementString("id", AtomNamespace, $"tag:{host},2026:hearing/{id}/notice");
        w.WriteElementString("title", AtomNamespace, l["Hearings.FeedTitle", notice.Topic]);
        w.WriteElementString("updated", AtomNamespace, AtomXml.Date(published));
        w.WriteElementString("published", AtomNamespace, AtomXml.Date(published));
        AtomXml.Link(w, "alternate", "text/html", $"{root}/hearings/{id}");
        w.WriteStartElement("category", AtomNamespace);
        w.WriteAttributeString("term", "HearingNotice");
        w.WriteAttributeString("label", l["Hearings.NoticeTitle"]);
        w.WriteEndElement();
        w.WriteStartElement("summary", AtomNamespace);
        w.WriteAttributeString("type", "text");
        w.WriteString(l["Hearings.FeedSummary", Cultures.IsEnglish ? notice.BodyNameEn : notice.BodyName, clock.DateTime(Utc(notice.StartsAtUtc)), notice.Place,
            clock.DateTime(Utc(notice.RegistrationDeadlineUtc)), l[$"HearingStage.{notice.Stage}"]]);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static async Task ExportAsync(ArchiveExport archive, HttpContext http, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        if (!await Exports.WaitAsync(0, ct))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = "60";
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(l["Archive.ExportBusy"], ct);
            return;
        }

        try
        {
            var name = $"published-minutes-{DateTime.UtcNow:yyyyMMdd}.zip";
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(name);
            http.Response.ContentType = "application/zip";
            http.Response.Headers.ContentDisposition = disposition.ToString();
            http.Response.Headers.CacheControl = "no-store";
            await archive.ExportZipAsync(http.Response.Body, ct);
        }
        finally
        {
            Exports.Release();
        }
    }
}
