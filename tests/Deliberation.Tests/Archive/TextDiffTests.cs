using CommunityDeliberation.Deliberation.Common;

namespace CommunityDeliberation.Tests.Archive;

/// <summary>The line diff with character refinement behind "compare two versions" in the public archive.</summary>
public sealed class TextDiffTests
{
    [Fact]
    public void IdenticalTextsHaveNoChanges()
    {
        var text = "# 纪要\n\n出席 76 人。\n";
        var diff = TextDiff.Lines(text, text);

        Assert.False(diff.HasChanges);
        Assert.True(diff.IsExact);
        Assert.All(diff.Lines, l => Assert.Equal(DiffLineKind.Unchanged, l.Kind));
        Assert.Equal([1, 2, 3], diff.Lines.Select(l => l.OldNumber!.Value));
    }

    [Fact]
    public void AChangedChineseLineShowsExactlyTheChangedCharacters()
    {
        var diff = TextDiff.Lines("# 纪要\n会议决定通过改造方案。\n散会。\n", "# 纪要\n会议决定暂缓改造方案。\n散会。\n");

        var changed = Assert.Single(diff.Lines, l => l.Kind != DiffLineKind.Unchanged);
        Assert.Equal(DiffLineKind.Changed, changed.Kind);
        Assert.Equal(2, changed.OldNumber);
        Assert.Equal(2, changed.NewNumber);
        Assert.Equal(
            [
                new DiffSegment(DiffSegmentKind.Same, "会议决定"),
                new DiffSegment(DiffSegmentKind.Deleted, "通过"),
                new DiffSegment(DiffSegmentKind.Inserted, "暂缓"),
                new DiffSegment(DiffSegmentKind.Same, "改造方案。"),
            ],
            changed.Segments);
        Assert.Equal(1, diff.Added);
        Assert.Equal(1, diff.Removed);
    }

    [Fact]
    public void AddedAndRemovedLinesAreNumberedInTheirOwnVersion()
    {
        var diff = TextDiff.Lines("甲\n乙\n丙\n", "甲\n丙\n丁\n");

        Assert.Equal(
            [(DiffLineKind.Unchanged, 1, 1), (DiffLineKind.Removed, 2, null), (DiffLineKind.Unchanged, 3, 2), (DiffLineKind.Added, null, 3)],
            diff.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber)));
    }

    [Fact]
    public void CharactersOutsideTheBasicPlaneAreNeverSplit()
    {
        var segments = TextDiff.Characters("𠀀甲", "𠀁甲");

        Assert.Equal(
            [new DiffSegment(DiffSegmentKind.Deleted, "𠀀"), new DiffSegment(DiffSegmentKind.Inserted, "𠀁"), new DiffSegment(DiffSegmentKind.Same, "甲")],
            segments);
    }

    [Fact]
    public void WindowsLineBreaksAndAMissingFinalBreakDoNotCountAsChanges()
    {
        Assert.False(TextDiff.Lines("甲\r\n乙\r\n", "甲\n乙").HasChanges);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("", "新的一行\n")]
    [InlineData("旧的一行\n", "")]
    [InlineData("a\nb\nc\nd\ne\n", "e\nd\nc\nb\na\n")]
    [InlineData("同一行\n同一行\n同一行\n", "同一行\n不同\n同一行\n")]
    public void BothVersionsCanBeReadBackFromTheDiff(string before, string after) => AssertRoundTrip(before, after);

    [Fact]
    public void VeryDifferentLongTextsFallBackToBlocksButStayCorrect()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"旧行 {i}"));
        var after = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"新行 {i}"));

        var diff = TextDiff.Lines(before, after);

        Assert.False(diff.IsExact);
        AssertRoundTrip(before, after);
    }

    [Fact]
    public void ALongLineWithASmallChangeIsRefinedAfterTrimmingItsCommonEnds()
    {
        var head = new string('议', 5000);
        var tail = new string('事', 5000);
        var segments = TextDiff.Characters(head + "通过" + tail, head + "否决" + tail);

        Assert.Equal([DiffSegmentKind.Same, DiffSegmentKind.Deleted, DiffSegmentKind.Inserted, DiffSegmentKind.Same], segments.Select(s => s.Kind));
        Assert.Equal("否决", segments[2].Text);
    }

    private static void AssertRoundTrip(string before, string after)
    {
        var diff = TextDiff.Lines(before, after);
        var oldLines = diff.Lines.Where(l => l.Kind != DiffLineKind.Added).Select(l => l.OldText).ToList();
        var newLines = diff.Lines.Where(l => l.Kind != DiffLineKind.Removed).Select(l => l.NewText).ToList();
        Assert.Equal(Split(before), oldLines);
        Assert.Equal(Split(after), newLines);
        foreach (var changed in diff.Lines.Where(l => l.Kind == DiffLineKind.Changed))
        {
            Assert.Equal(changed.OldText, string.Concat(changed.Segments!.Where(s => s.Kind != DiffSegmentKind.Inserted).Select(s => s.Text)));
            Assert.Equal(changed.NewText, string.Concat(changed.Segments!.Where(s => s.Kind != DiffSegmentKind.Deleted).Select(s => s.Text)));
        }
    }

    private static List<string?> Split(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(s => (string?)s).ToList();
}
