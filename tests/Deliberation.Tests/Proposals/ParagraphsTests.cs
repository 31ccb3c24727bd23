using CommunityDeliberation.Deliberation.Proposals;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>How a proposal's text is cut into the paragraphs amendments refer to, and how an amendment finds its paragraph again.</summary>
public sealed class ParagraphsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t\n   ")]
    public void BlankTextHasNoParagraphs(string? text) => Assert.Empty(Paragraphs.Split(text));

    [Fact]
    public void WindowsLineBreaksSplitLikeUnixOnes()
    {
        Assert.Equal(["甲", "乙\n丙"], Paragraphs.Split("甲\r\n\r\n乙\r\n丙\r\n"));
    }

    [Fact]
    public void SeveralBlankOrWhitespaceLinesAreOneSeparator()
    {
        Assert.Equal(["甲", "乙", "丙"], Paragraphs.Split("\n\n甲\n\n\n\n乙\n   \n\t\n丙\n\n"));
    }

    [Fact]
    public void LinesKeepTheirIndentButLoseTrailingSpaces()
    {
        Assert.Equal(["建议:\n  - 楼道扶手\n  - 照明"], Paragraphs.Split("建议:   \n  - 楼道扶手\t\n  - 照明"));
    }

    [Fact]
    public void DuplicateParagraphsAreKeptInPlace()
    {
        var paragraphs = Paragraphs.Split("同上。\n\n不同。\n\n同上。");

        Assert.Equal(["同上。", "不同。", "同上。"], paragraphs);
        Assert.Equal("同上。\n\n不同。\n\n同上。", Paragraphs.Join(paragraphs));
    }

    [Theory]
    [InlineData(new[] { "甲", "乙", "丙" }, 1, "乙", 1)] // unchanged in place
    [InlineData(new[] { "新", "甲", "乙", "丙" }, 1, "乙", 2)] // moved down by an inserted paragraph
    [InlineData(new[] { "乙", "丙" }, 1, "乙", 0)] // moved up by a removed paragraph
    [InlineData(new[] { "甲" }, 5, "甲", 0)] // index beyond the end, text found once
    [InlineData(new[] { "甲", "乙改", "丙" }, 1, "乙", null)] // changed: outdated
    [InlineData(new[] { "乙", "甲", "乙" }, 1, "乙", null)] // moved and ambiguous: outdated
    [InlineData(new[] { "乙", "乙", "乙" }, 1, "乙", 1)] // duplicates, but unchanged at its own index
    [InlineData(new string[0], 0, "乙", null)]
    public void LocateFindsTheParagraphAnAmendmentWasWrittenAgainst(string[] paragraphs, int index, string original, int? expected)
    {
        Assert.Equal(expected, Paragraphs.Locate(paragraphs, index, original));
    }
}
