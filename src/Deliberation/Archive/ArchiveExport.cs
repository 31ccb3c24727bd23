using System.Globalization;
using System.IO.Compression;
using System.Text;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static CommunityDeliberation.Deliberation.Archive.ArchiveQueries;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>The whole public archive as one zip, streamed one minutes at a time.</summary>
public sealed class ArchiveExport(IDbContextFactory<DeliberationDbContext> dbFactory, IOptions<DisplayOptions> display)
{
    private readonly DisplayOptions _display = display.Value;


    /// <summary>
    /// Writes a zip of the latest published version of every minutes (<c>{date}-{id}-v{n}.md</c>), an <c>index.md</c> table
    /// and a <c>SHA256SUMS</c> file (for <c>sha256sum -c</c>), streaming one minutes at a time from one query.
    /// </summary>
    public async Task ExportZipAsync(Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = LatestPublishedVersions(db);
        var query = from v in latest
                    join m in db.Minutes on v.MinutesId equals m.Id
                    join s in db.Sessions on m.SessionId equals s.Id
                    select new { v.MinutesId, v.Number, v.Markdown, v.ContentHash, s.Title, BodyName = s.Body.Name, s.ScheduledAtUtc, v.PublishedAtUtc };

        var index = new List<(string Date, string Body, string Title, string File, string Hash, int MinutesId, int Number)>();

        // ZipArchive still writes synchronously when an entry is closed; HTTP response bodies refuse synchronous writes.
        // So the archive writes into a small buffer that is drained to the output asynchronously after every entry: the
        // zip is streamed one minutes at a time, never held whole in memory.
        var chunk = new ChunkStream(output);
        var zip = await ZipArchive.CreateAsync(chunk, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await foreach (var row in query.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var date = _display.ToLocal(row.ScheduledAtUtc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var file = ArchiveQueries.FileName(_display, row.ScheduledAtUtc, row.MinutesId, row.Number);
            var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(Utc(row.PublishedAtUtc ?? row.ScheduledAtUtc));
            await using (var stream = await entry.OpenAsync(ct))
            {
                await stream.WriteAsync(utf8.GetBytes(row.Markdown), ct);
            }

            await chunk.DrainAsync(ct);
            index.Add((date, row.BodyName, row.Title, file, row.ContentHash, row.MinutesId, row.Number));
        }

        var md = new StringBuilder();
        md.Append("# 公开纪要 · Published minutes\n\n");
        md.Append(CultureInfo.InvariantCulture, $"导出时间 Exported: {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} · 共 {index.Count} 份纪要 · {index.Count} minutes\n\n");
        md.Append("每个文件的 SHA-256 与网站上公布的内容哈希一致;可用 `sha256sum -c SHA256SUMS` 核对。\n");
        md.Append("Each file's SHA-256 equals the content hash published on the site; check them all with `sha256sum -c SHA256SUMS`.\n\n");
        md.Append("| 日期 Date | 议事机构 Body | 标题 Title | 文件 File | SHA-256 |\n|---|---|---|---|---|\n");
        var sums = new StringBuilder();
        // Rows arrive in storage order (no ORDER BY, so SQLite never sorts the texts); the index is sorted by date here.
        foreach (var x in index.OrderBy(x => x.Date, StringComparer.Ordinal).ThenBy(x => x.MinutesId))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {x.Date} | {MinutesGenerator.Escape(x.Body)} | {MinutesGenerator.Escape(x.Title)} | [{x.File}]({x.File}) | `{x.Hash}` |\n");
            sums.Append(CultureInfo.InvariantCulture, $"{x.Hash}  {x.File}\n");
        }

        await WriteEntryAsync(zip, "index.md", md.ToString(), utf8, ct);
        await chunk.DrainAsync(ct);
        await WriteEntryAsync(zip, "SHA256SUMS", sums.ToString(), utf8, ct);
        await zip.DisposeAsync();
        await chunk.DrainAsync(ct);
        await output.FlushAsync(ct);
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, string text, Encoding encoding, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(ct);
        await stream.WriteAsync(encoding.GetBytes(text), ct);
    }

    /// <summary>A write-only, unseekable buffer in front of the real output, emptied asynchronously by <see cref="DrainAsync"/>.</summary>
    private sealed class ChunkStream(Stream output) : Stream
    {
        private readonly MemoryStream _buffer = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public async Task DrainAsync(CancellationToken ct)
        {
            if (_buffer.Length > 0)
            {
                await output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
                _buffer.SetLength(0);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _buffer.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _buffer.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
