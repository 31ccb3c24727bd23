using System.Text;
using CommunityDeliberation.Deliberation.Shared;
using CsvHelper;

namespace CommunityDeliberation.Deliberation.Bodies.Import;

/// <summary>
/// One record of a CSV file. <see cref="Line"/> is the physical line (1-based) the record starts on, so a quoted field
/// with line breaks does not shift the numbers of the records after it. <see cref="Error"/> is an import error code
/// (<c>Import.*</c>) when the record is malformed; its fields are then what could be read.
/// </summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error = null);

/// <summary>
/// RFC 4180 CSV through CsvHelper: comma-separated fields (the separator is fixed, never guessed), fields in double quotes
/// may hold commas, line breaks and doubled quotes (<c>""</c>); records end with CRLF, LF or CR. It never stops at the
/// first bad record: every record is returned, bad ones with an error, so all problems of a file can be reported at once.
/// Blank lines (empty or only whitespace) are skipped but keep the line count.
/// </summary>
public static class CsvParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 text with or without a byte order mark; refuses bytes that are not UTF-8 (e.g. a GBK file).</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(bom))
        {
            bytes = bytes[bom.Length..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DomainException("Import.NotUtf8");
        }
    }

    public static IReadOnlyList<CsvRecord> Parse(string text)
    {
        // A byte order mark decoded as text (U+FEFF) is not part of the first header name.
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        // Malformed quoting is reported by the line its record starts on (one report per record: its first problem).
        var errors = new Dictionary<long, string>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            TrackLineNumbers = true,
            DetectSeparatorHint = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record =>
            {
                // Column counts are checked against the header by MemberCsv, with both numbers.
                if (record.Reason != CsvMalformedReason.FieldCountMismatch)
                {
                    errors.TryAdd(record.LineNumber, Code(record.Reason));
                }
            },
        };

        var records = new List<CsvRecord>();
        using var reader = CsvReader.FromText(text, options);
        while (reader.Read())
        {
            var line = checked((int)reader.LineNumber);
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }

            errors.TryGetValue(reader.LineNumber, out var error);
            if (error is null && IsBlank(fields, reader.RawRecord))
            {
                continue;
            }

            records.Add(new CsvRecord(line, fields, error));
        }

        return records;
    }

    /// <summary>A line of spaces or tabs only: one unquoted field of whitespace.</summary>
    private static bool IsBlank(string[] fields, ReadOnlySpan<byte> raw) =>
        fields is [var only] && string.IsNullOrWhiteSpace(only) && !raw.Contains((byte)'"');

    private static string Code(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "Import.QuoteInUnquotedField",
        CsvMalformedReason.TextAfterClosingQuote => "Import.TextAfterQuote",
        CsvMalformedReason.UnterminatedQuote => "Import.UnclosedQuote",

        // Line breaks in quotes are allowed and there is no escape character in RFC 4180 mode.
        _ => throw new InvalidOperationException($"Unexpected CSV problem {reason}"),
    };
}
