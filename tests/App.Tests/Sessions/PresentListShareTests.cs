using System.Text.Encodings.Web;
using System.Text.Unicode;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Sessions;

namespace CommunityDeliberation.App.Tests.Sessions;

/// <summary>
/// The live screens of a session share one list of members present and its markup (ADR 0024): an equal read gets the
/// shared copy, a changed one replaces it, and a member's name is text, never markup.
/// </summary>
public sealed class PresentListShareTests
{
    private static readonly DateTime At = new(2026, 12, 4, 6, 0, 0, DateTimeKind.Utc);

    private readonly PresentListShare _share = new(HtmlEncoder.Create(UnicodeRanges.All));

    private static List<PresentMember> Read(params string[] names) =>
        names.Select((n, i) => new PresentMember(i + 1, n, "江川路街道", "Jiangchuan Road Subdistrict", At)).ToList();

    [Fact]
    public void EqualReadsOfOneSessionGetTheSameSharedCopy()
    {
        var first = _share.Share(9, Read("张伟", "李娜"), english: false);
        var second = _share.Share(9, Read("张伟", "李娜"), english: false);

        Assert.Same(first, second);
        Assert.Same(first.Members, second.Members);
        Assert.Equal(Read("张伟", "李娜"), first.Members);
    }

    [Fact]
    public void AChangedListReplacesTheSharedOneAndOtherSessionsAndLanguagesKeepTheirOwn()
    {
        var before = _share.Share(9, Read("张伟"), english: false);
        var other = _share.Share(10, Read("张伟"), english: false);
        var english = _share.Share(9, Read("张伟"), english: true);

        var after = _share.Share(9, Read("张伟", "王芳"), english: false);

        Assert.NotSame(before, after);
        Assert.Equal(2, after.Members.Count);
        Assert.Contains("王芳", after.Html.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("王芳", before.Html.Value, StringComparison.Ordinal);
        Assert.NotSame(before, other);
        Assert.Contains("Jiangchuan Road Subdistrict", english.Html.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Jiangchuan", before.Html.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAreWrittenAsTextInTheListThePageShowed()
    {
        var shared = _share.Share(9, [new PresentMember(1, "<img src=x onerror=alert(1)>&张伟", null, null, At)], english: false);

        Assert.Equal(
            "<ul class=\"present-list\" data-testid=\"present-list\"><li>&lt;img src=x onerror=alert(1)&gt;&amp;张伟 <span class=\"org\"></span></li></ul>",
            shared.Html.Value);
    }
}
