using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>The demo data: the 2010 and 2011 hearings of the articles, completed, with reports generated from their logs.</summary>
public sealed class HearingSeedTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    [Fact]
    public async Task TheTwoHearingsOfTheArticlesAreSeededAsCompletedWithPublishedReportsFromAValidLog()
    {
        var hearings = fixture.Database.Services.GetRequiredService<HearingPublicService>();
        var listed = await hearings.ListPublicAsync();
        var humin = Assert.Single(listed, h => h.Topic == "沪闵路沿线旧住房改造项目听证会");
        var election = Assert.Single(listed, h => h.Topic == "居民区党组织换届选举工作听证会");

        foreach (var summary in new[] { humin, election })
        {
            Assert.Equal(HearingStage.FeedbackPublished, summary.Stage);
            var notice = await hearings.GetNoticeAsync(summary.Id);
            Assert.Contains("## 意见归纳与回应", notice!.ReportMarkdown, StringComparison.Ordinal);
            Assert.Contains("## 决策反馈", notice.ReportMarkdown, StringComparison.Ordinal);
            Assert.DoesNotContain("(尚未回应)", notice.ReportMarkdown, StringComparison.Ordinal);
            Assert.DoesNotContain("demo.invalid", notice.ReportMarkdown, StringComparison.Ordinal);

            await using var db = await fixture.Database.Factory.CreateDbContextAsync();
            var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == summary.SessionId).OrderBy(e => e.Sequence).ToListAsync();
            Assert.True(SessionLogChain.Verify(log).IsValid);
            Assert.All(log, e => Assert.NotNull(SessionLog.Read(e)));
        }

        var report = (await hearings.GetNoticeAsync(humin.Id))!.ReportMarkdown!;
        Assert.Contains("旧住房", report, StringComparison.Ordinal);
        Assert.Contains("| 居民 | 3 | 4 | 3 |", report, StringComparison.Ordinal);
        Assert.Contains("陈美芳(代表 · 其他):未发言", report, StringComparison.Ordinal);
        Assert.Contains("回应:施工时间定为 7:00–18:00", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFreshStartsArchiveHasTheSeededHearingReportsAndSearchFindsTheHuminRoadOne()
    {
        var search = fixture.Database.Services.GetRequiredService<ArchiveSearch>();
        var reader = fixture.Database.Services.GetRequiredService<ArchiveReader>();

        var result = await search.SearchAsync("旧住房改造");

        var hit = Assert.Single(result.Hits, h => h.Kind == SessionKind.PublicHearing);
        var minutes = await reader.GetAsync(hit.MinutesId);
        Assert.NotNull(minutes);
        Assert.Contains("## 听证报告:沪闵路沿线旧住房改造项目听证会", minutes.Markdown, StringComparison.Ordinal);
        Assert.Contains("## 意见归纳与回应", minutes.Markdown, StringComparison.Ordinal);
        Assert.Contains("回应:施工时间定为 7:00–18:00", minutes.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("(尚未回应)", minutes.Markdown, StringComparison.Ordinal);
        Assert.Equal(2010, TimeZoneInfo.ConvertTimeFromUtc(minutes.ScheduledAtUtc, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Year);
        Assert.Equal(2, (await reader.ListAsync(new ArchiveFilter(Kind: SessionKind.PublicHearing))).Total);
    }
}
