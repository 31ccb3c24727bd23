namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>
/// The words a member list may use for a role: the enum name (<c>Representative</c>, any letter case) or a Chinese
/// label. The first Chinese label of each role is the one the Chinese UI shows (a test holds the resource file to it).
/// </summary>
public static class MemberRoleNames
{
    private static readonly (MemberRole Role, string[] Labels)[] Table =
    [
        (MemberRole.Representative, ["代表", "党员代表"]),
        (MemberRole.Chair, ["主席", "主持人", "召集人"]),
        (MemberRole.ViceChair, ["副主席", "副召集人"]),
        (MemberRole.Director, ["主任"]),
        (MemberRole.DeputyDirector, ["副主任"]),
        (MemberRole.Member, ["委员", "成员"]),
        (MemberRole.Secretary, ["记录员", "秘书"]),
        (MemberRole.ThirdPartyAssessor, ["第三方评估员", "第三方"]),
    ];

    private static readonly Dictionary<string, MemberRole> ByWord = Table
        .SelectMany(r => r.Labels.Select(l => (Word: l, r.Role)).Append((Word: r.Role.ToString(), r.Role)))
        .ToDictionary(x => x.Word, x => x.Role, StringComparer.OrdinalIgnoreCase);

    /// <summary>The label the Chinese UI shows for a role.</summary>
    public static string Chinese(MemberRole role) => Table.Single(r => r.Role == role).Labels[0];

    /// <summary>Every Chinese label a file may use for a role, the UI's first.</summary>
    public static IReadOnlyList<string> ChineseLabels(MemberRole role) => Table.Single(r => r.Role == role).Labels;

    public static bool TryParse(string? word, out MemberRole role) => ByWord.TryGetValue((word ?? string.Empty).Trim(), out role);
}
