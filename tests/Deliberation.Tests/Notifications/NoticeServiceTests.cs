using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Notifications;

/// <summary>A person's notices: only their own, paged, counted, marked read; someone else's are refused untouched.</summary>
public sealed class NoticeServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private NoticeService Notices => fixture.Database.Services.GetRequiredService<NoticeService>();

    [Fact]
    public async Task ListsOnlyMyNoticesNewestFirstAndPaged()
    {
        var me = _council.Rep(31);
        var other = _council.Rep(32);
        await AddAsync(me, 25, "我的");
        await AddAsync(other, 2, "别人的");

        var first = await Notices.ListMineAsync(me);
        var second = await Notices.ListMineAsync(me, 2);
        var beyond = await Notices.ListMineAsync(me, 99);

        Assert.Equal((25, 25, 2), (first.Total, first.Unread, first.PageCount));
        Assert.Equal(NoticeService.PageSize, first.Notices.Count);
        Assert.Equal(5, second.Notices.Count);
        Assert.Equal(2, beyond.Page);
        Assert.Equal("我的 25", first.Notices[0].Subject);
        Assert.Equal("我的 1", second.Notices[^1].Subject);
        Assert.All(first.Notices.Concat(second.Notices), n => Assert.StartsWith("我的", n.Subject, StringComparison.Ordinal));
        Assert.Equal(25, first.Notices.Concat(second.Notices).Select(n => n.Id).Distinct().Count());
        Assert.Equal(25, await Notices.UnreadCountAsync(me));
        Assert.Equal(2, await Notices.UnreadCountAsync(other));
    }

    [Fact]
    public async Task MarkingSomeoneElsesNoticeIsRefusedAndChangesNothing()
    {
        var me = _council.Rep(33);
        var other = _council.Rep(34);
        await AddAsync(other, 1, "别人的");
        var theirs = (await Notices.ListMineAsync(other)).Notices.Single();

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Notices.MarkReadAsync(me, theirs.Id));
        var unknown = await Assert.ThrowsAsync<ForbiddenException>(() => Notices.MarkReadAsync(me, long.MaxValue));

        Assert.Equal("NotAllowed", refused.Code);
        Assert.Equal("NotAllowed", unknown.Code);
        Assert.Equal(1, await Notices.UnreadCountAsync(other));
        Assert.Null((await Notices.ListMineAsync(other)).Notices.Single().ReadAtUtc);
    }

    [Fact]
    public async Task MarkingOneReadCountsItOutAndKeepsTheFirstInstant()
    {
        var me = _council.Rep(35);
        await AddAsync(me, 2, "通知");
        var newest = (await Notices.ListMineAsync(me)).Notices[0];

        await Notices.MarkReadAsync(me, newest.Id);
        var readAt = (await Notices.ListMineAsync(me)).Notices[0].ReadAtUtc;
        await Notices.MarkReadAsync(me, newest.Id);

        Assert.NotNull(readAt);
        Assert.Equal(readAt, (await Notices.ListMineAsync(me)).Notices[0].ReadAtUtc);
        Assert.Equal(1, await Notices.UnreadCountAsync(me));
    }

    [Fact]
    public async Task MarkingAllReadTouchesOnlyMine()
    {
        var me = _council.Rep(36);
        var other = _council.Rep(37);
        await AddAsync(me, 3, "我的");
        await AddAsync(other, 2, "别人的");

        Assert.Equal(3, await Notices.MarkAllReadAsync(me));

        Assert.Equal(0, await Notices.UnreadCountAsync(me));
        Assert.Equal(2, await Notices.UnreadCountAsync(other));
        Assert.Equal(0, await Notices.MarkAllReadAsync(me));
    }

    [Fact]
    public void ANoticeLinksOnlyToAPathOfThisSite()
    {
        Assert.Throws<ArgumentException>(() => new Notice("u", NoticeKind.LedgerItemChanged, "标题", null, "https://evil.example/", DateTime.UtcNow));
        Assert.Throws<ArgumentException>(() => new Notice("u", NoticeKind.LedgerItemChanged, "标题", null, "//evil.example/", DateTime.UtcNow));
        var long_ = new Notice("u", NoticeKind.LedgerItemChanged, new string('事', 500), null, "/ledger/1", DateTime.UtcNow);
        Assert.Equal(Notice.SubjectMax, long_.Subject.Length);
    }

    private async Task AddAsync(Actor to, int count, string subject)
    {
        await using var db = await _council.DbAsync();
        for (var i = 1; i <= count; i++)
        {
            db.Notices.Add(new Notice(to.UserId, NoticeKind.LedgerItemChanged, $"{subject} {i}", "Progress", "/ledger/1", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
    }
}
