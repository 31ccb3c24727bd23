using System.Text;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies.Import;

/// <summary>
/// One record of a CSV file. <see cref="Line"/> is the physical line (1-based) the record starts on, so a quoted field
/// with line breaks does not shift the numbers of the records after it. <see cref="Error"/> is an import error code
/// (<c>Import.*</c>) when the record is malformed; its fields are then what could be read.
/// </summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error = null);

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas, line breaks and doubled
/// quotes (<c>""</c>); records end with CRLF, LF or CR. It never stops at the first bad record: every record is
/// returned, bad ones with an error, so all problems of a file can be reported at once. Blank lines are skipped.
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
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        string? error = null;
        var state = State.FieldStart;
        var recordHasContent = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
        }

        void EndRecord()
        {
            EndField();
            var blank = error is null && fields.Count == 1 && !recordHasContent;
            if (!blank)
            {
                records.Add(new CsvRecord(recordLine, fields.ToArray(), error));
            }

            fields.Clear();
            error = null;
            recordHasContent = false;
            state = State.FieldStart;
        }

        // A byte order mark decoded as text (U+FEFF) is not part of the first header name.
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        while (i < text.Length)
        {
            var c = text[i];
            var newline = c is '\r' or '\n';
            var width = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;

            switch (state)
            {
                case State.Quoted:
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        state = State.AfterQuote;
                    }
                    else
                    {
                        field.Append(text, i, width);
                        if (newline)
                        {
                            line++;
                        }
                    }

                    i += width;
                    continue;

                case State.AfterQuote when c is not (',' or '\r' or '\n'):
                    // "abc"x: text after the closing quote.
                    error ??= "Import.TextAfterQuote";
                    field.Append(c);
                    i++;
                    continue;

                case State.FieldStart when c == '"':
                    state = State.Quoted;
                    recordHasContent = true;
                    i++;
                    continue;
            }

            if (c == ',')
            {
                recordHasContent = true;
                EndField();
                state = State.FieldStart;
                i++;
            }
            else if (newline)
            {
                EndRecord();
                i += width;
                line++;
                recordLine = line;
            }
            else
            {
                if (c == '"')
                {
                    // ab"c: a quote inside a field that does not start with one.
                    error ??= "Import.QuoteInUnquotedField";
                }

                if (!char.IsWhiteSpace(c))
                {
                    recordHasContent = true;
                }

                field.Append(c);
                state = State.Unquoted;
                i++;
            }
        }

        if (state == State.Quoted)
        {
            error ??= "Import.UnclosedQuote";
        }

        if (state != State.FieldStart || fields.Count > 0 || field.Length > 0 || error is not null)
        {
            EndRecord();
        }

        return records;
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
}
