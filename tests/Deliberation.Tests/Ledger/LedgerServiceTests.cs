using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Ledger;

/// <summary>The work ledger through the real service on the seeded SQLite file: Chengli (convener) keeps it, Jiangchuan answers.</summary>
public sealed class LedgerServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private LedgerService Ledger => fixture.Database.Services.GetRequiredService<LedgerService>();

    private Actor Convener => _council.ActorFor("convener", Roles.Chair);

    private Actor Stakeholder => _council.ActorFor("stakeholder", Roles.Stakeholder);

    [Fact]
    public async Task OwnerReportsProgressButOnlyTheSecretariatClosesOutWithEvidence()
    {
        var id = await RecordAsync(owner: Stakeholder);

        await Ledger.ReportProgressAsync(Stakeholder, id, "材料已到，下周开工");
        await Ledger.MarkDoneAsync(Stakeholder, id, "管道已更换");
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.CloseOutAsync(Stakeholder, id, "我自己验收了", null));
        Assert.Equal("Ledger.NotByOwner", refused.Code);
        Assert.Equal(LedgerStatus.Done, (await Ledger.FindAsync(id))!.Status);

        await Ledger.CloseOutAsync(Convener, id, "居民代表和物业共同验收，供暖正常", "https://example.org/photos/heating-3");

        var item = await Ledger.FindAsync(id);
        Assert.NotNull(item);
        Assert.Equal(LedgerStatus.ClosedOut, item.Status);
        Assert.Equal("居民代表和物业共同验收，供暖正常", item.Evidence);
        Assert.Equal("https://example.org/photos/heating-3", item.EvidenceLink);
        Assert.Equal([LedgerEntryKind.Recorded, LedgerEntryKind.Progress, LedgerEntryKind.Done, LedgerEntryKind.ClosedOut], item.History.Select(e => e.Kind));
    }

    [Fact]
    public async Task SecretariatCannotCloseOutAnItemItOwnsItself()
    {
        var id = await RecordAsync(owner: Convener);
        await Ledger.MarkDoneAsync(Convener, id, null);

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.CloseOutAsync(Convener, id, "已完成", null));

        Assert.Equal("Ledger.NotByOwner", refused.Code);
    }

    [Fact]
    public async Task OtherBodiesAndResidentsCannotKeepTheLedgerAndNothingIsStored()
    {
        var before = await CountAsync();
        var chengli = await BodyIdAsync("chengli-consultation-council");

        foreach (var outsider in new[] { _council.Chair, _council.Rep(3), _council.ActorFor("resident", Roles.Resident), _council.Admin })
        {
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.RecordAsync(outsider, chengli, Input()));
            Assert.Equal("Office.Secretariat", refused.Code);
        }

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task EscalatedItemShowsInTheOtherBodysLedgerWithItsAnswer()
    {
        var id = await RecordAsync();
        var jiangchuan = await _council.BodyIdAsync();

        await Ledger.EscalateAsync(Convener, id, jiangchuan, "停车位改造涉及市政道路，需要街道协调");

        Assert.Contains(await Ledger.ListAsync(new LedgerFilter(BodyKey: JiangchuanCouncil.BodyKey)), i => i.Id == id);
        Assert.Contains(await Ledger.ListAsync(new LedgerFilter(BodyKey: "chengli-consultation-council")), i => i.Id == id);
        Assert.Equal("Office.Secretariat", (await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.AnswerAsync(Convener, id, "自己答复"))).Code);
        Assert.Contains(await Ledger.DashboardAsync(_council.Chair), d => d.BodyId == jiangchuan && d.AwaitingAnswer >= 1);

        await Ledger.AnswerAsync(_council.Secretary, id, "街道城管科下月施划停车位");

        var item = await Ledger.FindAsync(id);
        Assert.NotNull(item);
        Assert.Equal("街道城管科下月施划停车位", item.EscalationAnswer);
        Assert.False(string.IsNullOrEmpty(item.EscalatedToBodyName));
        Assert.Equal(LedgerEntryKind.Answered, item.History[^1].Kind);
    }

    [Fact]
    public async Task SimultaneousCloseOutsStoreExactlyOne()
    {
        var id = await RecordAsync();
        await Ledger.MarkDoneAsync(Convener, id, null);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            try
            {
                await Ledger.CloseOutAsync(Convener, id, $"验收记录 {n}", null);
                return null;
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(attempts, a => a is null);
        Assert.All(attempts.Where(a => a is not null), a => Assert.Contains(a, new[] { "Ledger.ChangedMeanwhile", "Ledger.ClosedOut" }));
        var item = await Ledger.FindAsync(id);
        Assert.Single(item!.History, e => e.Kind == LedgerEntryKind.ClosedOut);
    }

    [Fact]
    public async Task PublicListFiltersByAreaStatusAndOverdue()
    {
        var area = "测试小区" + Guid.NewGuid().ToString("N")[..6];
        var late = await RecordAsync(area: area, due: new DateOnly(2020, 1, 1));
        var current = await RecordAsync(area: area, due: new DateOnly(2099, 1, 1));
        await Ledger.MarkDoneAsync(Convener, current, null);

        var all = await Ledger.ListAsync(new LedgerFilter(Area: area));
        var overdue = await Ledger.ListAsync(new LedgerFilter(Area: area, OverdueOnly: true));
        var done = await Ledger.ListAsync(new LedgerFilter(Area: area, Status: LedgerStatus.Done));

        Assert.Equal([late, current], all.Select(i => i.Id));
        Assert.True(all[0].IsOverdue);
        Assert.Equal([late], overdue.Select(i => i.Id));
        Assert.Equal([current], done.Select(i => i.Id));
        Assert.Empty(await Ledger.ListAsync(new LedgerFilter(BodyKey: "no-such-body")));
        Assert.Contains(area, await Ledger.AreasAsync());
    }

    [Fact]
    public async Task HostileInputIsRefusedWithNothingStored()
    {
        var before = await CountAsync();
        var chengli = await BodyIdAsync("chengli-consultation-council");

        await Assert.ThrowsAsync<DomainException>(() => Ledger.RecordAsync(Convener, chengli, Input() with { Title = new string('长', LedgerItem.TitleMax + 1) }));
        await Assert.ThrowsAsync<DomainException>(() => Ledger.RecordAsync(Convener, chengli, Input() with { OwnerKind = LedgerOwnerKind.Person, OwnerUserId = "no-such-user" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Ledger.RecordAsync(Convener, 987_654, Input()));
        await Assert.ThrowsAsync<NotFoundException>(() => Ledger.MarkDoneAsync(Convener, 987_654, null));

        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> RecordAsync(Actor? owner = null, string area = "清华园小区", DateOnly? due = null) =>
        await Ledger.RecordAsync(Convener, await BodyIdAsync("chengli-consultation-council"), Input() with
        {
            OwnerKind = owner is null ? LedgerOwnerKind.MemberUnit : LedgerOwnerKind.Person,
            OwnerName = owner is null ? "物业公司" : "负责人",
            OwnerUserId = owner?.UserId,
            Area = area,
            DueOn = due ?? new DateOnly(2026, 12, 31),
        });

    private static LedgerItemInput Input() => new(
        "更换清华园3号楼供暖管道", "协商决定：物业公司负责更换，居民代表验收。", LedgerOwnerKind.MemberUnit, "物业公司", null, "清华园小区",
        new DateOnly(2026, 12, 31), LedgerSource.Consultation);

    private async Task<int> BodyIdAsync(string key)
    {
        await using var db = await _council.DbAsync();
        return await db.Bodies.Where(b => b.Key == key).Select(b => b.Id).SingleAsync();
    }

    private async Task<int> CountAsync()
    {
        await using var db = await _council.DbAsync();
        return await db.LedgerItems.CountAsync() + await db.LedgerEntries.CountAsync();
    }
}
