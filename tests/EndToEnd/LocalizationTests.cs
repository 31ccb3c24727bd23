using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CommunityDeliberation.EndToEnd;

/// <summary>English is complete: every Chinese UI string has an English one with the same placeholders.</summary>
public sealed partial class LocalizationTests
{
    private static readonly string Resources = Path.Combine(AppServer.RepositoryRoot, "src", "App", "Resources");

    [Fact]
    public void EnglishHasEveryKeyWithTheSamePlaceholders()
    {
        var chinese = Read("SharedResource.resx");
        var english = Read("SharedResource.en.resx");

        Assert.Empty(chinese.Keys.Except(english.Keys).Order());
        Assert.Empty(english.Keys.Except(chinese.Keys).Order());
        var mismatched = chinese.Keys
            .Where(k => !Placeholders(chinese[k]).SetEquals(Placeholders(english[k])))
            .Select(k => $"{k}: zh {{{string.Join(",", Placeholders(chinese[k]))}}} en {{{string.Join(",", Placeholders(english[k]))}}}")
            .ToList();
        Assert.Empty(mismatched);
        Assert.All(chinese, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
        Assert.All(english, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
    }

    [Fact]
    public void EveryKeyTheUiAsksForExists()
    {
        var known = Read("SharedResource.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var source = Path.Combine(AppServer.RepositoryRoot, "src", "App");
        var missing = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralKeyPattern().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(x => !known.Contains(x.Key))
            .Select(x => $"{x.File}: {x.Key}")
            .Distinct()
            .ToList();
        Assert.Empty(missing);
    }

    [GeneratedRegex(@"\b(?:L|Strings|Localizer)\[""([A-Za-z][A-Za-z0-9_.]*)""")]
    private static partial Regex LiteralKeyPattern();

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);

    private static HashSet<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex PlaceholderPattern();
}
