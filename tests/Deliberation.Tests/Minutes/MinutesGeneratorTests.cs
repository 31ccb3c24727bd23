using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>
/// Minutes generated from a recorded session are compared byte for byte with golden files in Golden/.
/// After an intended change, regenerate them with UPDATE_GOLDEN=1 and review the diff before committing.
/// </summary>
public sealed class MinutesGeneratorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void GeneratesTheCouncilSessionMinutesExactly() =>
        AssertGolden("council-session.md", MinutesGenerator.Generate(RecordedSession.Header, RecordedSession.Log(), Shanghai));

    [Fact]
    public void GeneratesMinutesOfASessionWithoutVotes() =>
        AssertGolden("hearing-without-votes.md", MinutesGenerator.Generate(
            RecordedSession.Header with { Kind = "听证会", Title = "沪闵路沿线旧住房改造项目听证会" },
            RecordedSession.Log().Where(e => !e.Kind.StartsWith("poll.", StringComparison.Ordinal)).ToList()
                .Pipe(RecordedSession.Rechain),
            Shanghai));

    /// <summary>A new-user review read "应到 151 人,实到 152 人": the recorder, who has no vote, was counted as present.</summary>
    [Fact]
    public void MembersWithoutAVoteAttendBesidesThoseWhoShouldAttend()
    {
        // 吴若冰 (3), 顾蓉 (10) and 钱秀英 (11) have a vote; 杨宇航 (12) checked in without one.
        var markdown = MinutesGenerator.Generate(RecordedSession.Header with { VotingMembers = new HashSet<int> { 3, 10, 11, 20 } }, RecordedSession.Log(), Shanghai);

        Assert.Contains("应到(有表决权成员)151 人,实到 3 人,另有列席 1 人。签到共 4 人,其中本人签到 1 人,代为登记 3 人。", markdown, StringComparison.Ordinal);
        Assert.Contains("出席人员:吴若冰、顾蓉、钱秀英。\n\n列席人员:杨宇航。", markdown, StringComparison.Ordinal);
    }

    /// <summary>A new-user review held a session the day before its date: the minutes showed the planned date and bare times.</summary>
    [Fact]
    public void ASessionHeldOnAnotherDayThanScheduledSaysOnWhichDay()
    {
        var markdown = MinutesGenerator.Generate(RecordedSession.Header with { ScheduledAtUtc = RecordedSession.Header.ScheduledAtUtc.AddDays(1) }, RecordedSession.Log(), Shanghai);

        Assert.Contains("| 时间 | 2026年12月17日 14:00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 开会 | 2026年12月16日 14:02 — 散会 14:42 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void HearingMinutesLeaveTheCouncilsAttendanceToTheHearingReport()
    {
        var hearing = RecordedSession.Header with { Kind = "听证会", Hearing = new MinutesHearing(1, "沪闵路沿线旧住房改造", []) };
        var withoutCheckIns = RecordedSession.Log().Where(e => e.Kind != CheckedInEntry.Kind).ToList().Pipe(RecordedSession.Rechain);

        var none = MinutesGenerator.Generate(hearing, withoutCheckIns, Shanghai);
        var some = MinutesGenerator.Generate(hearing, RecordedSession.Log(), Shanghai);

        Assert.DoesNotContain("## 出席情况", none, StringComparison.Ordinal);
        Assert.DoesNotContain("应到", some, StringComparison.Ordinal);
        Assert.DoesNotContain("法定人数", some, StringComparison.Ordinal);
        Assert.Contains("到会的议事会成员 4 人,其中本人签到 1 人,代为登记 3 人。", some, StringComparison.Ordinal);
        Assert.Contains("出席人员:吴若冰、顾蓉、钱秀英、杨宇航。", some, StringComparison.Ordinal);
    }

    [Fact]
    public void UserTextCannotBecomeMarkup()
    {
        var markdown = MinutesGenerator.Generate(
            RecordedSession.Header with { Title = "<script>alert(1)</script> *强调* [链接](javascript:alert(2)) | 表格" },
            [],
            Shanghai);
        Assert.Contains(@"\<script\>alert(1)\</script\> \*强调\* \[链接\](javascript:alert(2)) \| 表格", markdown, StringComparison.Ordinal);
        var html = SafeMarkdown.ToHtml(markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EndsWithTheHashOfTheLastLogEntry()
    {
        var log = RecordedSession.Log();
        var markdown = MinutesGenerator.Generate(RecordedSession.Header, log, Shanghai);
        Assert.Contains($"`{log[^1].Hash}`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEntryOfAKindNoFeatureReadsIsCountedButWritesNothing()
    {
        var log = RecordedSession.Log();
        var stray = new SessionLogEntry(42, 1, log[3].AtUtc, "hearing.opened", "chair-user", "{\"hearingId\":1}", SessionLogEntry.Genesis);
        var withStray = RecordedSession.Rechain([.. log[..4], stray, .. log[4..]]);

        var expected = MinutesGenerator.Generate(RecordedSession.Header, log, Shanghai);
        var actual = MinutesGenerator.Generate(RecordedSession.Header, withStray, Shanghai);

        static string Body(string minutes) => minutes[..minutes.LastIndexOf("本纪要由会议记录自动生成", StringComparison.Ordinal)];
        Assert.Equal(Body(expected), Body(actual));
        Assert.Contains($"依据会议日志共 {log.Count + 1} 条,日志末条哈希(SHA-256):`{withStray[^1].Hash}`", actual, StringComparison.Ordinal);
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(Support.RepositoryPaths.Root, "tests", "Deliberation.Tests", "Minutes", "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing: run the tests once with UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}

internal static class PipeExtensions
{
    public static TResult Pipe<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
