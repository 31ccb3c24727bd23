using System.Globalization;

namespace CommunityDeliberation.Deliberation.Shared;

public enum DiffLineKind
{
    Unchanged,
    Added,
    Removed,

    /// <summary>A removed line paired with the added line that replaced it; <see cref="DiffLine.Segments"/> shows the characters.</summary>
    Changed,
}

public enum DiffSegmentKind
{
    Same,
    Inserted,
    Deleted,
}

/// <summary>A run of characters within a changed line: kept, inserted (new version only) or deleted (old version only).</summary>
public sealed record DiffSegment(DiffSegmentKind Kind, string Text);

/// <summary>
/// One line of a diff. <see cref="OldNumber"/> / <see cref="NewNumber"/> are 1-based line numbers in each text (null
/// where the line does not exist). Changed lines carry character-level segments.
/// </summary>
public sealed record DiffLine(DiffLineKind Kind, int? OldNumber, int? NewNumber, string? OldText, string? NewText, IReadOnlyList<DiffSegment>? Segments);

/// <summary>The lines of a diff and whether it is minimal (false when the texts were too different to align cheaply).</summary>
public sealed record TextDiffResult(IReadOnlyList<DiffLine> Lines, bool IsExact)
{
    public int Added => Lines.Count(l => l.Kind is DiffLineKind.Added or DiffLineKind.Changed);

    public int Removed => Lines.Count(l => l.Kind is DiffLineKind.Removed or DiffLineKind.Changed);

    public bool HasChanges => Lines.Any(l => l.Kind != DiffLineKind.Unchanged);
}

/// <summary>
/// A line-based diff: longest common subsequence over lines (after trimming the common head and tail), then, for each
/// removed line that was replaced by an added line, a character-level LCS so that a change inside a Chinese sentence
/// (no spaces to split words on) shows exactly which characters changed. Characters are text elements, so a surrogate
/// pair or a combining sequence is never split.
/// </summary>
public static class TextDiff
{
    /// <summary>Above this many LCS cells (lines × lines) the middle is shown as removed-then-added, not aligned.</summary>
    public const int MaxLineCells = 4_000_000;

    /// <summary>Above this many LCS cells (characters × characters) a changed line is shown as whole-line replacement.</summary>
    public const int MaxCharacterCells = 1_000_000;

    public static TextDiffResult Lines(string? oldText, string? newText)
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var ops = Align(a, b, StringComparer.Ordinal, MaxLineCells, out var exact);
        var lines = new List<DiffLine>(ops.Count);
        int oldNo = 0, newNo = 0;
        for (var i = 0; i < ops.Count;)
        {
            if (ops[i] == Op.Same)
            {
                oldNo++;
                newNo++;
                lines.Add(new DiffLine(DiffLineKind.Unchanged, oldNo, newNo, a[oldNo - 1], b[newNo - 1], null));
                i++;
                continue;
            }

            // A hunk: the removed lines and the added lines between two unchanged lines. Pair them up in order.
            var removed = new List<int>();
            var added = new List<int>();
            for (; i < ops.Count && ops[i] != Op.Same; i++)
            {
                if (ops[i] == Op.Delete)
                {
                    removed.Add(oldNo++);
                }
                else
                {
                    added.Add(newNo++);
                }
            }

            var pairs = Math.Min(removed.Count, added.Count);
            for (var k = 0; k < pairs; k++)
            {
                var before = a[removed[k]];
                var after = b[added[k]];
                lines.Add(new DiffLine(DiffLineKind.Changed, removed[k] + 1, added[k] + 1, before, after, Characters(before, after)));
            }

            for (var k = pairs; k < removed.Count; k++)
            {
                lines.Add(new DiffLine(DiffLineKind.Removed, removed[k] + 1, null, a[removed[k]], null, null));
            }

            for (var k = pairs; k < added.Count; k++)
            {
                lines.Add(new DiffLine(DiffLineKind.Added, null, added[k] + 1, null, b[added[k]], null));
            }
        }

        return new TextDiffResult(lines, exact);
    }

    /// <summary>Character-level segments turning <paramref name="oldLine"/> into <paramref name="newLine"/>.</summary>
    public static IReadOnlyList<DiffSegment> Characters(string? oldLine, string? newLine) =>
        Segments(TextElements(oldLine ?? string.Empty), TextElements(newLine ?? string.Empty));

    /// <summary>
    /// Word-level segments: Latin words, numbers and whitespace runs are tokens; each CJK character (Chinese has no spaces)
    /// and each punctuation mark is a token of its own.
    /// </summary>
    public static IReadOnlyList<DiffSegment> Words(string? oldText, string? newText) =>
        Segments(WordTokens(oldText ?? string.Empty), WordTokens(newText ?? string.Empty));

    /// <summary>Segments turning the tokens <paramref name="a"/> into <paramref name="b"/>, runs of one kind joined.</summary>
    private static List<DiffSegment> Segments(string[] a, string[] b)
    {
        var ops = Align(a, b, StringComparer.Ordinal, MaxCharacterCells, out _);
        var tokens = new List<(DiffSegmentKind Kind, string Token)>(ops.Count);
        int ia = 0, ib = 0;
        foreach (var op in ops)
        {
            tokens.Add(op switch
            {
                Op.Same => (DiffSegmentKind.Same, SameElement(a, ref ia, ref ib)),
                Op.Delete => (DiffSegmentKind.Deleted, a[ia++]),
                _ => (DiffSegmentKind.Inserted, b[ib++]),
            });
        }

        SlideRight(tokens);
        var segments = new List<DiffSegment>();
        var text = new System.Text.StringBuilder();
        DiffSegmentKind? current = null;
        foreach (var (kind, token) in tokens)
        {
            if (current is not null && current != kind)
            {
                segments.Add(new DiffSegment(current.Value, text.ToString()));
                text.Clear();
            }

            // Inside a replaced run, keep deletions before insertions (read as "was X, now Y").
            current = kind;
            text.Append(token);
        }

        if (current is not null)
        {
            segments.Add(new DiffSegment(current.Value, text.ToString()));
        }

        return segments;
    }

    /// <summary>
    /// Moves a pure insertion or deletion as far right as it can go when the text it shifts over is the same: "老[人和残疾]人"
    /// reads better as "老人[和残疾人]" and says the same. Runs next to the other kind of change (a replacement) stay put.
    /// </summary>
    private static void SlideRight(List<(DiffSegmentKind Kind, string Token)> tokens)
    {
        var i = 0;
        while (i < tokens.Count)
        {
            var kind = tokens[i].Kind;
            if (kind == DiffSegmentKind.Same || (i > 0 && tokens[i - 1].Kind != DiffSegmentKind.Same))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < tokens.Count && tokens[end].Kind == kind)
            {
                end++;
            }

            while (end < tokens.Count && tokens[end].Kind == DiffSegmentKind.Same && tokens[end].Token == tokens[i].Token)
            {
                // [x y z] x  →  x [y z x]: the run starts one token later.
                tokens[end] = (kind, tokens[i].Token);
                tokens[i] = (DiffSegmentKind.Same, tokens[i].Token);
                i++;
                end++;
            }

            i = end;
        }
    }

    internal static string[] WordTokens(string text)
    {
        var tokens = new List<string>();
        var run = new System.Text.StringBuilder();
        var runKind = 0; // 1 word, 2 whitespace
        foreach (var element in TextElements(text))
        {
            var c = element[0];
            var kind = char.IsWhiteSpace(c) ? 2 : IsCjk(element) ? 3 : char.IsLetterOrDigit(c) ? 1 : 4;
            if (kind is 1 or 2 && kind == runKind)
            {
                run.Append(element);
                continue;
            }

            if (run.Length > 0)
            {
                tokens.Add(run.ToString());
                run.Clear();
            }

            if (kind is 1 or 2)
            {
                run.Append(element);
                runKind = kind;
            }
            else
            {
                tokens.Add(element);
                runKind = 0;
            }
        }

        if (run.Length > 0)
        {
            tokens.Add(run.ToString());
        }

        return [.. tokens];
    }

    private static bool IsCjk(string element)
    {
        var rune = System.Text.Rune.GetRuneAt(element, 0).Value;
        return rune is >= 0x2E80 and <= 0x9FFF or >= 0xAC00 and <= 0xD7AF or >= 0xF900 and <= 0xFAFF or >= 0xFF00 and <= 0xFFEF or >= 0x20000 and <= 0x3134F;
    }

    private static string SameElement(string[] a, ref int ia, ref int ib)
    {
        ib++;
        return a[ia++];
    }

    internal static string[] SplitLines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.EndsWith('\n'))
        {
            normalized = normalized[..^1];
        }

        return normalized.Split('\n');
    }

    private static string[] TextElements(string text)
    {
        var result = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            result.Add(enumerator.GetTextElement());
        }

        return [.. result];
    }

    private enum Op : byte
    {
        Same,
        Delete,
        Insert,
    }

    /// <summary>
    /// Edit operations turning <paramref name="a"/> into <paramref name="b"/>: common head and tail, and an LCS table for
    /// the middle when it has at most <paramref name="maxCells"/> cells (otherwise the middle is deleted, then inserted).
    /// Within a run of changes, deletions come before insertions.
    /// </summary>
    private static List<Op> Align(string[] a, string[] b, StringComparer comparer, int maxCells, out bool exact)
    {
        exact = true;
        var ops = new List<Op>(a.Length + b.Length);
        var head = 0;
        while (head < a.Length && head < b.Length && comparer.Equals(a[head], b[head]))
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && comparer.Equals(a[a.Length - 1 - tail], b[b.Length - 1 - tail]))
        {
            tail++;
        }

        for (var i = 0; i < head; i++)
        {
            ops.Add(Op.Same);
        }

        var n = a.Length - head - tail;
        var m = b.Length - head - tail;
        if (n == 0 || m == 0 || (long)(n + 1) * (m + 1) > maxCells)
        {
            exact = n == 0 || m == 0;
            ops.AddRange(Enumerable.Repeat(Op.Delete, n));
            ops.AddRange(Enumerable.Repeat(Op.Insert, m));
        }
        else
        {
            // lcs[i, j] = length of the LCS of a[head+i..] and b[head+j..] (suffix form, so the walk goes forwards).
            var width = m + 1;
            var lcs = new int[(n + 1) * width];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lcs[(i * width) + j] = comparer.Equals(a[head + i], b[head + j])
                        ? lcs[((i + 1) * width) + j + 1] + 1
                        : Math.Max(lcs[((i + 1) * width) + j], lcs[(i * width) + j + 1]);
                }
            }

            int x = 0, y = 0;
            var pendingInserts = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && comparer.Equals(a[head + x], b[head + y]))
                {
                    ops.AddRange(Enumerable.Repeat(Op.Insert, pendingInserts));
                    pendingInserts = 0;
                    ops.Add(Op.Same);
                    x++;
                    y++;
                }
                else if (x < n && (y >= m || lcs[((x + 1) * width) + y] >= lcs[(x * width) + y + 1]))
                {
                    ops.Add(Op.Delete);
                    x++;
                }
                else
                {
                    pendingInserts++;
                    y++;
                }
            }

            ops.AddRange(Enumerable.Repeat(Op.Insert, pendingInserts));
        }

        for (var i = 0; i < tail; i++)
        {
            ops.Add(Op.Same);
        }

        return ops;
    }
}
