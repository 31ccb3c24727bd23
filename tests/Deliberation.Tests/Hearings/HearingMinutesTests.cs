using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>The hearing report is the minutes of the hearing's session: one publication path, gated on unanswered issues.</summary>
public sealed class HearingMinutesTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly HearingDesk _desk = new(fixture);

    [Fact]
    public async Task TheChairCannotApproveTheMinutesOfAHearingWhileAnIssueHasNoResponse()
    {
        var drafted = await _desk.DraftedAsync(responded: false);

        var gate = await Assert.ThrowsAsync<DomainException>(() => _desk.ApprovedReportAsync(drafted.HearingId));

        Assert.Equal("Hearing.IssuesWithoutResponse", gate.Code);
        Assert.Equal("过渡安置期间的租房补贴", gate.Arguments[0]);
        await using var db = await _desk.Council.DbAsync();
        var sessionId = await db.Hearings.Where(h => h.Id == drafted.HearingId).Select(h => h.SessionId).SingleAsync();
        Assert.Equal(MinutesStatus.Draft, (await db.Minutes.SingleAsync(m => m.SessionId == sessionId)).Status);
    }

    [Fact]
    public async Task PublishingTheMinutesOfAHearingIsRefusedWhileAnIssueHasNoResponse()
    {
        var drafted = await _desk.DraftedAsync(responded: true);
        var minutesId = await _desk.ApprovedReportAsync(drafted.HearingId);
        // An issue that got in past the approval (a raise racing it: the service refuses one that starts after it) and is
        // not answered: the publication checks again.
        await using (var racing = await _desk.Council.DbAsync())
        {
            var hearing = await racing.Hearings.Include(h => h.Issues).SingleAsync(h => h.Id == drafted.HearingId);
            hearing.RaiseIssue("施工噪声", [drafted.Spoken.SpeechId], []);
            await racing.SaveChangesAsync();
        }

        var gate = await Assert.ThrowsAsync<DomainException>(() => _desk.Minutes.PublishAsync(_desk.Secretary, minutesId));

        Assert.Equal("Hearing.IssuesWithoutResponse", gate.Code);
        Assert.Equal("施工噪声", gate.Arguments[0]);
        await using var db = await _desk.Council.DbAsync();
        var minutes = await db.Minutes.SingleAsync(m => m.Id == minutesId);
        Assert.Equal(MinutesStatus.Approved, minutes.Status);
        Assert.Null(minutes.LatestPublished);
        Assert.Equal(HearingStage.ReportDrafted, (await db.Hearings.SingleAsync(h => h.Id == drafted.HearingId)).Stage);
        Assert.Null((await _desk.Public.GetNoticeAsync(drafted.HearingId))!.ReportMarkdown);
    }

    [Fact]
    public async Task PublishedMinutesOfAHearingCarryTheReportAndPublishIt()
    {
        var drafted = await _desk.DraftedAsync(responded: true);
        var minutesId = await _desk.ApprovedReportAsync(drafted.HearingId);

        await _desk.Minutes.PublishAsync(_desk.Secretary, minutesId);

        await using var db = await _desk.Council.DbAsync();
        var minutes = await db.Minutes.SingleAsync(m => m.Id == minutesId);
        var hearing = await db.Hearings.SingleAsync(h => h.Id == drafted.HearingId);
        Assert.Equal(MinutesStatus.Published, minutes.Status);
        Assert.Equal(HearingStage.ReportPublished, hearing.Stage);
        Assert.Equal(minutes.LatestPublished!.Markdown, hearing.ReportMarkdown);
        Assert.Contains("## 意见归纳与回应", hearing.ReportMarkdown, StringComparison.Ordinal);
        Assert.Contains("回应:补贴标准按区里规定执行,并延长至入住。", hearing.ReportMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MinutesOfAHearingCannotBeGeneratedBeforeTheReportIsDrafted()
    {
        var id = await _desk.CommentsOpenAsync();
        await using var db = await _desk.Council.DbAsync();
        var sessionId = await db.Hearings.Where(h => h.Id == id).Select(h => h.SessionId).SingleAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => _desk.Minutes.GenerateAsync(_desk.Secretary, sessionId));

        Assert.Equal("Hearing.WrongStage", refused.Code);
        Assert.False(await db.Minutes.AnyAsync(m => m.SessionId == sessionId));
    }
}
