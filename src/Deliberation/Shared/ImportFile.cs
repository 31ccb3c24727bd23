namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>An uploaded import file (member lists, accounts), read whole but never past <see cref="Limits.ImportMaxBytes"/>.</summary>
public static class ImportFile
{
    /// <summary>The file's bytes; a file over the limit or an empty one is refused with a sentence's code.</summary>
    public static async Task<byte[]> ReadAsync(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > Limits.ImportMaxBytes)
            {
                throw new DomainException("Import.FileTooLarge", Limits.ImportMaxBytes / 1024 / 1024);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0 ? throw new DomainException("Import.Empty") : buffer.ToArray();
    }
}
