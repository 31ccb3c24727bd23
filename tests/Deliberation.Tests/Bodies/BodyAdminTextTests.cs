using System.Text.RegularExpressions;
using System.Xml.Linq;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Bodies;

/// <summary>
/// The UI can say every refusal of the bodies, seats and import code, and the roles an import accepts are the ones the
/// UI shows. Reads the source and the resource files, so a new error code without its sentence fails here.
/// </summary>
public sealed partial class BodyAdminTextTests
{
    private static readonly string[] Sources =
    [
        "src/Deliberation/Bodies/BodyAdminService.cs",
        "src/Deliberation/Bodies/Body.cs",
        "src/Deliberation/Bodies/Term.cs",
        "src/Deliberation/Bodies/Membership.cs",
        "src/Deliberation/Bodies/Import/CsvParser.cs",
        "src/Deliberation/Bodies/Import/MemberCsv.cs",
    ];

    [Fact]
    public void EveryErrorCodeHasAChineseAndAnEnglishSentence()
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Sources)
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));

            // Guard.RequiredText(value, max, "Field") refuses with Field.Required, .TooLong or .InvalidCharacters; OptionalText with .TooLong.
            var fields = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in GuardField().Matches(text))
            {
                fields.Add(m.Groups[2].Value);
                codes.UnionWith((m.Groups[1].Value == "RequiredText" ? ["Required", "TooLong", "InvalidCharacters"] : new[] { "TooLong" })
                    .Select(s => $"{m.Groups[2].Value}.{s}"));
            }

            foreach (Match m in ErrorCode().Matches(text))
            {
                if (!fields.Contains(m.Groups[1].Value))
                {
                    codes.Add(m.Groups[1].Value);
                }
            }
        }

        Assert.Contains("Body.AdminOnly", codes);
        Assert.Contains("Import.UnclosedQuote", codes);
        Assert.Contains("Membership.EndReason.TooLong", codes);
        foreach (var resx in new[] { "SharedResource.resx", "SharedResource.en.resx" })
        {
            var keys = Keys(resx);
            Assert.Empty(codes.Where(c => !keys.ContainsKey("Error." + c)).Select(c => $"{resx}: Error.{c}"));
        }
    }

    [Fact]
    public void UiRoleLabelsAreTheFirstLabelsAnImportAccepts()
    {
        var chinese = Keys("SharedResource.resx");
        var english = Keys("SharedResource.en.resx");
        foreach (var role in Enum.GetValues<MemberRole>())
        {
            Assert.Equal(MemberRoleNames.Chinese(role), chinese[$"Bodies.Role.{role}"]);
            Assert.True(MemberRoleNames.TryParse(chinese[$"Bodies.Role.{role}"], out var parsed) && parsed == role, role.ToString());
            Assert.True(english.ContainsKey($"Bodies.Role.{role}"), role.ToString());
        }
    }

    private static Dictionary<string, string> Keys(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "App", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);

    [GeneratedRegex("\"((?:Body|Term|Membership|Import|Quorum)\\.[A-Za-z.]+)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("Guard\\.(RequiredText|OptionalText)\\([^;]*?\"([A-Za-z.]+)\"\\)")]
    private static partial Regex GuardField();
}
