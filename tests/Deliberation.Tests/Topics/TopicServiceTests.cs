using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Tests.Proposals;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Topics;

/// <summary>
/// Residents' topics through the real <see cref="TopicService"/>: the public form with its rate limit, tracking by
/// code, and triage by the secretariat. The services run on a <see cref="ManualClock"/> so the rate limit's hour passes
/// by moving the clock. Every test submits from its own source.
/// </summary>
public sealed class TopicServiceTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    private const string Contact = "138-0000-1234";

    private readonly ProposalDesk _desk = new(fixture);

    private TopicService Topics => _desk.Topics;

    private static string NewSource() => $"10.0.{Random.Shared.Next(256)}.{Guid.NewGuid():N}";

    private async Task<TopicInput> InputAsync(string title = "小区晚上停车太乱", string? bodyKey = null) =>
        new(bodyKey is null ? await _desk.Council.BodyIdAsync() : await _desk.BodyIdAsync(bodyKey), title,
            "消防通道晚上经常停满车,救护车进不来。", ProposalCategory.Parking, "王阿姨", Contact);

    private async Task<(string Code, int TopicId)> SubmitAsync(string title = "小区晚上停车太乱", string? bodyKey = null)
    {
        var receipt = await Topics.SubmitAsync(await InputAsync(title, bodyKey), NewSource());
        return (receipt.TrackingCode, (await _desk.TopicByCodeAsync(receipt.TrackingCode)).Id);
    }

    [Fact]
    public async Task ASubmitterTracksTheTopicByCodeAndNeverSeesTheContact()
    {
        var source = NewSource();
        var receipt = await Topics.SubmitAsync(await InputAsync("希望楼道里装扶手"), source);

        var view = await Topics.TrackAsync($"  {receipt.TrackingCode.ToLowerInvariant()} ");

        Assert.NotNull(view);
        Assert.Equal((receipt.TrackingCode, "希望楼道里装扶手", TopicStatus.New, (int?)null), (view.TrackingCode, view.Title, view.Status, view.ProposalId));
        Assert.Equal(fixture.Clock.Now.UtcDateTime, view.CreatedAtUtc);
        var texts = typeof(TopicStatusView).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(view)).ToList();
        Assert.DoesNotContain(texts, t => t is not null && t.Contains(Contact, StringComparison.Ordinal));
        var stored = await _desk.TopicByCodeAsync(receipt.TrackingCode);
        Assert.Equal(Contact, stored.Contact);
        Assert.DoesNotContain(source, stored.SourceKey, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ZZZZZZZZZZ")]
    [InlineData("ABCDEFGHJKMNPQRSTUVWXYZ")]
    public async Task AnUnknownOrMalformedCodeFindsNothing(string? code) => Assert.Null(await Topics.TrackAsync(code));

    [Fact]
    public async Task TheSameSourceMayOnlySendThreeTopicsAnHour()
    {
        var source = NewSource();
        var input = await InputAsync();
        for (var i = 0; i < TopicService.PerHour; i++)
        {
            await Topics.SubmitAsync(input, source);
            fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var ex = await Assert.ThrowsAsync<DomainException>(() => Topics.SubmitAsync(input, source));

        Assert.Equal("Topic.TooMany", ex.Code);
        Assert.Equal([3, 10], ex.Arguments);
        Assert.NotNull(await Topics.TrackAsync((await Topics.SubmitAsync(input, NewSource())).TrackingCode));
        fixture.Clock.Advance(TimeSpan.FromMinutes(46));
        Assert.NotNull(await Topics.TrackAsync((await Topics.SubmitAsync(input, source)).TrackingCode));
    }

    [Fact]
    public async Task TheSameSourceMayOnlySendTenTopicsADay()
    {
        var source = NewSource();
        var input = await InputAsync();
        for (var i = 0; i < TopicService.PerDay; i++)
        {
            await Topics.SubmitAsync(input, source);
            fixture.Clock.Advance(TimeSpan.FromMinutes(25));
        }

        Assert.Equal("Topic.TooMany", (await Assert.ThrowsAsync<DomainException>(() => Topics.SubmitAsync(input, source))).Code);
        fixture.Clock.Advance(TimeSpan.FromHours(20));
        await Topics.SubmitAsync(input, source);
    }

    [Fact]
    public async Task TopicsGoOnlyToTopLevelBodies()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(async () => await Topics.SubmitAsync(await InputAsync(bodyKey: "weifang-secretariat"), NewSource()));

        Assert.Equal("Topic.UnknownBody", ex.Code);
    }

    [Fact]
    public async Task ARepresentativeCannotTriage()
    {
        var (code, topicId) = await SubmitAsync();
        var rep = _desk.Rep(10);
        var proposalId = await _desk.SubmittedAsync(70);

        await Assert.ThrowsAsync<ForbiddenException>(() => Topics.ListAsync(rep, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => Topics.AcceptAsync(rep, topicId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Topics.MergeAsync(rep, topicId, proposalId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Topics.RejectAsync(rep, topicId, "不予受理"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Topics.ReferAsync(rep, topicId, "街道", "转街道"));

        Assert.Equal(TopicStatus.New, (await Topics.TrackAsync(code))!.Status);
    }

    [Fact]
    public async Task TheSecretariatSeesSeededTopicsWithTheirContacts()
    {
        var waiting = await Topics.ListAsync(_desk.Secretary, TopicStatus.New);

        Assert.Contains(waiting, t => t.Title == "希望楼道里装扶手" && t.Contact == "3号楼201室" && t.SubmitterName == "李老伯");
        Assert.Contains(waiting, t => t.Title == "小区晚上停车太乱,消防通道经常被堵" && t.Category == ProposalCategory.Parking);
        Assert.All(waiting, t => Assert.Equal(TopicStatus.New, t.Status));
    }

    [Fact]
    public async Task AnAcceptedTopicBecomesASubmittedProposalLinkedToIt()
    {
        var (code, topicId) = await SubmitAsync("希望增设电动自行车充电桩");

        var proposalId = await Topics.AcceptAsync(_desk.Secretary, topicId);

        var proposal = await _desk.LoadAsync(proposalId);
        Assert.Equal((ProposalStatus.Submitted, (int?)topicId, "希望增设电动自行车充电桩"), (proposal.Status, proposal.TopicId, proposal.Title));
        Assert.Equal((await _desk.Council.BodyIdAsync(), _desk.Council.UserId("secretary")), (proposal.BodyId, proposal.AuthorUserId));
        Assert.Equal("消防通道晚上经常停满车,救护车进不来。", proposal.Text);
        Assert.Contains(await _desk.Proposals.ListAsync(_desk.Rep(10)), p => p.Id == proposalId && p.FromResident);
        var topic = await _desk.TopicAsync(topicId);
        Assert.Equal((TopicStatus.Accepted, (int?)proposalId, _desk.Council.UserId("secretary")), (topic.Status, topic.ProposalId, topic.TriagedByUserId));
        var view = await Topics.TrackAsync(code);
        Assert.Equal((TopicStatus.Accepted, (int?)proposalId, "希望增设电动自行车充电桩", (ProposalStatus?)ProposalStatus.Submitted), (view!.Status, view.ProposalId, view.ProposalTitle, view.ProposalStatus));
    }

    [Fact]
    public async Task ATopicIsTriagedOnlyOnce()
    {
        var (_, topicId) = await SubmitAsync();
        await Topics.AcceptAsync(_desk.Chair, topicId);

        Assert.Equal("Topic.AlreadyTriaged", (await Assert.ThrowsAsync<DomainException>(() => Topics.AcceptAsync(_desk.Secretary, topicId))).Code);
        Assert.Equal("Topic.AlreadyTriaged", (await Assert.ThrowsAsync<DomainException>(() => Topics.RejectAsync(_desk.Secretary, topicId, "重复"))).Code);

        await using var db = await _desk.Council.DbAsync();
        Assert.Equal(1, await db.Proposals.CountAsync(p => p.TopicId == topicId));
        Assert.Equal(TopicStatus.Accepted, (await _desk.TopicAsync(topicId)).Status);
    }

    [Fact]
    public async Task ConcurrentTriageOfOneTopicHasExactlyOneOutcome()
    {
        var (_, topicId) = await SubmitAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actions = new Func<Task>[]
        {
            () => Topics.AcceptAsync(_desk.Secretary, topicId),
            () => Topics.AcceptAsync(_desk.Chair, topicId),
            () => Topics.RejectAsync(_desk.Secretary, topicId, "不属于议事范围"),
            () => Topics.AcceptAsync(_desk.Admin, topicId),
            () => Topics.RejectAsync(_desk.Chair, topicId, "已有同类提案"),
        };
        var tasks = actions.Select(action => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await action();
                return (string?)null;
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();

        gate.SetResult();
        var codes = await Task.WhenAll(tasks);

        Assert.Single(codes, c => c is null);
        Assert.All(codes.Where(c => c is not null), c => Assert.Equal("Topic.AlreadyTriaged", c));
        var topic = await _desk.TopicAsync(topicId);
        await using var db = await _desk.Council.DbAsync();
        var proposals = await db.Proposals.Where(p => p.TopicId == topicId).Select(p => p.Id).ToListAsync();
        if (topic.Status == TopicStatus.Accepted)
        {
            Assert.Equal([topic.ProposalId!.Value], proposals);
        }
        else
        {
            Assert.Equal(TopicStatus.Rejected, topic.Status);
            Assert.Empty(proposals);
        }
    }

    [Fact]
    public async Task ATopicMergesOnlyIntoAProposalOfItsOwnBody()
    {
        var (code, topicId) = await SubmitAsync("消防通道被占");
        var (_, elsewhereTopic) = await SubmitAsync("城立社区的议题", bodyKey: ProposalDesk.OtherBodyKey);
        var otherBodysProposal = await Topics.AcceptAsync(_desk.Secretary, elsewhereTopic);
        var draft = await _desk.DraftAsync(71);
        var target = await _desk.SubmittedAsync(72, title: "关于规范小区夜间停车的提案");

        foreach (var wrong in new[] { otherBodysProposal, draft, 987_654 })
        {
            Assert.Equal("Topic.UnknownProposal", (await Assert.ThrowsAsync<DomainException>(() => Topics.MergeAsync(_desk.Secretary, topicId, wrong))).Code);
        }

        await Topics.MergeAsync(_desk.Secretary, topicId, target);

        var view = await Topics.TrackAsync(code);
        Assert.Equal((TopicStatus.Merged, (int?)target, "关于规范小区夜间停车的提案"), (view!.Status, view.ProposalId, view.ProposalTitle));
    }

    [Fact]
    public async Task TheReasonForARejectionIsShownToTheSubmitter()
    {
        var (code, topicId) = await SubmitAsync();

        Assert.Equal("Topic.Reason.Required", (await Assert.ThrowsAsync<DomainException>(() => Topics.RejectAsync(_desk.Secretary, topicId, "  "))).Code);
        Assert.Equal(TopicStatus.New, (await Topics.TrackAsync(code))!.Status);

        await Topics.RejectAsync(_desk.Secretary, topicId, "属于物业服务事项,已转物业公司处理。");

        var view = await Topics.TrackAsync(code);
        Assert.Equal((TopicStatus.Rejected, "属于物业服务事项,已转物业公司处理。", (int?)null), (view!.Status, view.Reason, view.ProposalId));
    }

    [Fact]
    public async Task AReferredTopicTellsTheSubmitterWhereItWent()
    {
        var (code, topicId) = await SubmitAsync();

        await Topics.ReferAsync(_desk.Secretary, topicId, "江川路街道城管科", "涉及市政道路停车");

        var view = await Topics.TrackAsync(code);
        Assert.Equal((TopicStatus.Referred, "江川路街道城管科", "涉及市政道路停车"), (view!.Status, view.ReferredToName, view.Reason));
    }
}
