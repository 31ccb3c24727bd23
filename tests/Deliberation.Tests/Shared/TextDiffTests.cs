using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Shared;

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

    [Fact]
    public void WordsComparesChineseCharacterByCharacter()
    {
        Assert.Equal(
            [new DiffSegment(DiffSegmentKind.Inserted, "不"), new DiffSegment(DiffSegmentKind.Same, "同意改造方案。")],
            TextDiff.Words("同意改造方案。", "不同意改造方案。"));
        Assert.Equal(
            [
                new DiffSegment(DiffSegmentKind.Same, "会议决定"),
                new DiffSegment(DiffSegmentKind.Deleted, "通过"),
                new DiffSegment(DiffSegmentKind.Inserted, "暂缓"),
                new DiffSegment(DiffSegmentKind.Same, "方案"),
            ],
            TextDiff.Words("会议决定通过方案", "会议决定暂缓方案"));
    }

    [Fact]
    public void WordsReplacesWholeEnglishWordsNotLetters()
    {
        Assert.Equal(
            [
                new DiffSegment(DiffSegmentKind.Same, "The council "),
                new DiffSegment(DiffSegmentKind.Deleted, "approve"),
                new DiffSegment(DiffSegmentKind.Inserted, "approves"),
                new DiffSegment(DiffSegmentKind.Same, " the plan"),
            ],
            TextDiff.Words("The council approve the plan", "The council approves the plan"));
    }

    [Fact]
    public void WordsTreatsNumbersAndLatinWordsInChineseTextAsWholeTokens()
    {
        Assert.Equal(
            [
                new DiffSegment(DiffSegmentKind.Same, "在"),
                new DiffSegment(DiffSegmentKind.Deleted, "3"),
                new DiffSegment(DiffSegmentKind.Inserted, "13"),
                new DiffSegment(DiffSegmentKind.Same, "号楼安装"),
                new DiffSegment(DiffSegmentKind.Deleted, "LED"),
                new DiffSegment(DiffSegmentKind.Inserted, "LEDs"),
                new DiffSegment(DiffSegmentKind.Same, "灯。"),
            ],
            TextDiff.Words("在3号楼安装LED灯。", "在13号楼安装LEDs灯。"));
    }

    [Fact]
    public void WordsKeepsPunctuationAndWhitespaceRunsAsTheirOwnTokens()
    {
        Assert.Equal(
            [new DiffSegment(DiffSegmentKind.Same, "Hello"), new DiffSegment(DiffSegmentKind.Deleted, ","), new DiffSegment(DiffSegmentKind.Same, " world")],
            TextDiff.Words("Hello, world", "Hello world"));
        Assert.Equal(
            [new DiffSegment(DiffSegmentKind.Same, "a"), new DiffSegment(DiffSegmentKind.Deleted, " "), new DiffSegment(DiffSegmentKind.Inserted, "\n\n"), new DiffSegment(DiffSegmentKind.Same, "b")],
            TextDiff.Words("a b", "a\n\nb"));
    }

    [Fact]
    public void WordsOfEmptyInputsIsNothingOrOneWholeInsertionOrDeletion()
    {
        Assert.Empty(TextDiff.Words(null, null));
        Assert.Empty(TextDiff.Words("", ""));
        Assert.Equal([new DiffSegment(DiffSegmentKind.Inserted, "新增 a line")], TextDiff.Words(null, "新增 a line"));
        Assert.Equal([new DiffSegment(DiffSegmentKind.Deleted, "删去。")], TextDiff.Words("删去。", ""));
    }

    [Fact]
    public void WordsSlidesAnInsertionToTheEndOfARepeatedRun()
    {
        // The alignment alone could mark "人和残疾" as inserted between 老 and 人; the reader expects "和残疾人" after 老人.
        // (The common tail "人。" is matched first, so without sliding the insertion lands before the last 人.)
        Assert.Equal(
            [new(DiffSegmentKind.Same, "每"), new(DiffSegmentKind.Deleted, "季度"), new(DiffSegmentKind.Inserted, "月"),
             new(DiffSegmentKind.Same, "开展,面向老人"), new(DiffSegmentKind.Inserted, "和残疾人"), new(DiffSegmentKind.Same, "。")],
            TextDiff.Words("每季度开展,面向老人。", "每月开展,面向老人和残疾人。"));
        Assert.Equal(
            [new(DiffSegmentKind.Same, "每"), new(DiffSegmentKind.Deleted, "月"), new(DiffSegmentKind.Inserted, "季度"),
             new(DiffSegmentKind.Same, "开展,面向老人"), new(DiffSegmentKind.Deleted, "和残疾人"), new(DiffSegmentKind.Same, "。")],
            TextDiff.Words("每月开展,面向老人和残疾人。", "每季度开展,面向老人。"));
    }

    [Theory]
    [InlineData("重点面向老人。", "重点面向老人和残疾人。")]
    [InlineData("aa bb aa bb", "aa bb aa bb aa bb")]
    [InlineData("建议每季度开展一次消防安全宣讲。", "建议每月开展两次消防安全宣讲,重点面向高龄老人。")]
    [InlineData("Hold the hearing on 18 June.", "Hold the public hearing on 25 June, 2pm.")]
    [InlineData("第 3 条:Building A 的 lift", "第 4 条:Building B 的 lift 与楼道𠀀")]
    [InlineData("  leading and trailing  ", "leading\tand trailing")]
    public void BothTextsCanBeReadBackFromTheWordSegments(string before, string after)
    {
        var segments = TextDiff.Words(before, after);

        Assert.Equal(before, string.Concat(segments.Where(s => s.Kind != DiffSegmentKind.Inserted).Select(s => s.Text)));
        Assert.Equal(after, string.Concat(segments.Where(s => s.Kind != DiffSegmentKind.Deleted).Select(s => s.Text)));
        Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.NotEqual(pair.First.Kind, pair.Second.Kind));
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
