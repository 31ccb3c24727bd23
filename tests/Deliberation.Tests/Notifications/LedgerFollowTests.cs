using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Notifications;

/// <summary>Following ledger items and the notices their changes give, through the real services on the seeded SQLite file.</summary>
public sealed class LedgerFollowTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private LedgerService Ledger => fixture.Database.Services.GetRequiredService<LedgerService>();

    private LedgerFollowService Follows => fixture.Database.Services.GetRequiredService<LedgerFollowService>();

    private NoticeService Notices => fixture.Database.Services.GetRequiredService<NoticeService>();

    private Actor Convener => _council.ActorFor("convener", Roles.Chair);

    private Actor Stakeholder => _council.ActorFor("stakeholder", Roles.Stakeholder);

    private Actor Resident => _council.ActorFor("resident", Roles.Resident);

    [Fact]
    public async Task FollowersAreToldOfEveryKindOfChangeButNotOfTheirOwn()
    {
        var id = await RecordAsync(owner: Stakeholder);
        var resident = await MineAsync(Resident, id);
        var owner = await MineAsync(Stakeholder, id);
        await Follows.FollowAsync(Resident, id);
        await Follows.FollowAsync(Stakeholder, id);

        await Ledger.ReportProgressAsync(Stakeholder, id, "材料已到");
        await Ledger.MarkDoneAsync(Stakeholder, id, "管道已更换");
        await Ledger.CloseOutAsync(Convener, id, "居民代表验收合格", null);
        await Ledger.ReopenAsync(Convener, id, "三楼仍然不热");
        await Ledger.EscalateAsync(Convener, id, await _council.BodyIdAsync(), "需要街道协调");
        await Ledger.AnswerAsync(_council.Chair, id, "街道已安排专项资金");

        Assert.Equal(["Progress", "Done", "ClosedOut", "Reopened", "Escalated", "Answered"], (await MineAsync(Resident, id)).Skip(resident.Count).Select(n => n.Detail));
        Assert.Equal(["ClosedOut", "Reopened", "Escalated", "Answered"], (await MineAsync(Stakeholder, id)).Skip(owner.Count).Select(n => n.Detail));
        var notice = (await MineAsync(Resident, id))[^1];
        Assert.Equal(NoticeKind.LedgerItemChanged, notice.Kind);
        Assert.Equal($"/ledger/{id}", notice.Link);
        Assert.Equal("修复3号楼供暖管道", notice.Subject);
        Assert.True(notice.IsUnread);
        Assert.Empty(await MineAsync(Convener, id));
    }

    [Fact]
    public async Task FollowingTwiceIsOneFollowAndTheDatabaseRefusesASecondRow()
    {
        var id = await RecordAsync();

        await Follows.FollowAsync(Resident, id);
        await Follows.FollowAsync(Resident, id);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Follows.FollowAsync(Stakeholder, id)));

        await using (var db = await _council.DbAsync())
        {
            Assert.Equal(1, await db.LedgerFollows.CountAsync(f => f.LedgerItemId == id && f.UserId == Resident.UserId));
            Assert.Equal(1, await db.LedgerFollows.CountAsync(f => f.LedgerItemId == id && f.UserId == Stakeholder.UserId));
        }

        Assert.True(await Follows.IsFollowingAsync(Resident, id));
        using var raw = fixture.Database.OpenAnyRawConnection();
        using var insert = raw.CreateCommand();
        insert.CommandText = $"INSERT INTO \"LedgerFollows\" (\"LedgerItemId\", \"UserId\", \"CreatedAtUtc\") VALUES ({id}, '{Resident.UserId.Replace("'", "''", StringComparison.Ordinal)}', '2026-12-03 04:00:00')";
        var refused = Assert.ThrowsAny<System.Data.Common.DbException>(() => insert.ExecuteNonQuery());
        Assert.True(TestDatabase.IsUniqueViolation(refused), refused.Message);
    }

    [Fact]
    public async Task AfterUnfollowingNoMoreNoticesCome()
    {
        var id = await RecordAsync();
        await Follows.FollowAsync(Resident, id);
        await Ledger.ReportProgressAsync(Convener, id, "已开工");

        await Follows.UnfollowAsync(Resident, id);
        await Ledger.MarkDoneAsync(Convener, id, "已完工");

        Assert.False(await Follows.IsFollowingAsync(Resident, id));
        Assert.Equal(["Progress"], (await MineAsync(Resident, id)).Select(n => n.Detail));
    }

    [Fact]
    public async Task OnlyAnAccountFollowsAndARefusalStoresNothing()
    {
        var id = await RecordAsync();
        var nobody = new Actor($"no-account-{Guid.NewGuid():N}", new HashSet<string>());

        Assert.Equal("NotAllowed", (await Assert.ThrowsAsync<ForbiddenException>(() => Follows.FollowAsync(nobody, id))).Code);
        await Assert.ThrowsAsync<NotFoundException>(() => Follows.FollowAsync(Resident, int.MaxValue));

        await using var db = await _council.DbAsync();
        Assert.False(await db.LedgerFollows.AnyAsync(f => f.LedgerItemId == id));
        Assert.False(await Follows.IsFollowingAsync(null, id));
    }

    [Fact]
    public async Task NoticesAreSavedWithTheChangeOrNotAtAll()
    {
        var id = await RecordAsync();
        await Follows.FollowAsync(Resident, id);

        // The notice cannot be written: the change is not kept either.
        await WithTriggerAsync("Notices", async () =>
            await Assert.ThrowsAsync<DbUpdateException>(() => Ledger.ReportProgressAsync(Convener, id, "已开工")));
        Assert.Equal(LedgerStatus.Open, (await Ledger.FindAsync(id))!.Status);
        Assert.Empty(await MineAsync(Resident, id));

        // The change cannot be written: no notice of it.
        await WithTriggerAsync("LedgerEntries", async () =>
            await Assert.ThrowsAsync<DbUpdateException>(() => Ledger.ReportProgressAsync(Convener, id, "已开工")));
        Assert.Empty(await MineAsync(Resident, id));

        await Ledger.ReportProgressAsync(Convener, id, "已开工");
        Assert.Single(await MineAsync(Resident, id));
    }

    private async Task WithTriggerAsync(string table, Func<Task> act)
    {
        using var refusal = fixture.Database.RefuseInsertsInto(table);
        await act();
    }

    /// <summary>The person's notices about this item, oldest first.</summary>
    private async Task<List<NoticeView>> MineAsync(Actor actor, int itemId)
    {
        var all = new List<NoticeView>();
        for (var page = 1; ; page++)
        {
            var current = await Notices.ListMineAsync(actor, page);
            all.AddRange(current.Notices);
            if (page >= current.PageCount)
            {
                break;
            }
        }

        return all.Where(n => n.Link == $"/ledger/{itemId}").OrderBy(n => n.Id).ToList();
    }

    private async Task<int> RecordAsync(Actor? owner = null)
    {
        await using var db = await _council.DbAsync();
        var chengli = await db.Bodies.Where(b => b.Key == "chengli-consultation-council").Select(b => b.Id).SingleAsync();
        return await Ledger.RecordAsync(Convener, chengli, new LedgerItemInput(
            "修复3号楼供暖管道", "协商决定:物业公司负责更换管道。", owner is null ? LedgerOwnerKind.Office : LedgerOwnerKind.Person,
            owner is null ? "物业公司" : "负责人", owner?.UserId, "清华园小区", new DateOnly(2026, 12, 31), LedgerSource.Consultation));
    }
}
