
namespace CommunityDeliberation.Deliberation.Proposals;

/// <summary>A proposal's text as paragraphs: blocks separated by one or more blank lines.</summary>
public static class Paragraphs
{
    public static IReadOnlyList<string> Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var result = new List<string>();
        var current = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
            }
            else
            {
                current.Add(line.TrimEnd());
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (current.Count > 0)
            {
                result.Add(string.Join('\n', current));
                current.Clear();
            }
        }
    }

    public static string Join(IEnumerable<string> paragraphs) => string.Join("\n\n", paragraphs);

    /// <summary>
    /// Where the paragraph an amendment was written against is now: at its index if unchanged there, else the only
    /// other place with exactly that text; null when it has changed or is ambiguous (the amendment is outdated).
    /// </summary>
    public static int? Locate(IReadOnlyList<string> paragraphs, int index, string original)
    {
        if (index >= 0 && index < paragraphs.Count && paragraphs[index] == original)
        {
            return index;
        }

        var matches = paragraphs.Select((p, i) => (p, i)).Where(x => x.p == original).Select(x => x.i).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}
