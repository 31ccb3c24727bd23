using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Ledger;

public sealed class LedgerItemTests
{
    private static readonly DateTime Now = new(2026, 5, 1, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ClosingOutNeedsADoneItemAndEvidence()
    {
        var item = New();

        Assert.Equal("Ledger.NotDone", Assert.Throws<DomainException>(() => item.CloseOut("验收合格", null, "keeper", Now)).Code);
        item.ReportProgress("已开工", "owner", Now);
        Assert.Equal("Ledger.NotDone", Assert.Throws<DomainException>(() => item.CloseOut("验收合格", null, "keeper", Now)).Code);
        item.MarkDone(null, "owner", Now);
        Assert.Equal("Ledger.Evidence.Required", Assert.Throws<DomainException>(() => item.CloseOut("  ", null, "keeper", Now)).Code);
        Assert.Equal(LedgerStatus.Done, item.Status);

        item.CloseOut("居民代表验收合格", "照片 2026-05-01 第3张", "keeper", Now);

        Assert.Equal(LedgerStatus.ClosedOut, item.Status);
        Assert.Equal("居民代表验收合格", item.Evidence);
        Assert.Equal(Now, item.ClosedOutAtUtc);
        Assert.Equal(
            [LedgerEntryKind.Recorded, LedgerEntryKind.Progress, LedgerEntryKind.Done, LedgerEntryKind.ClosedOut],
            item.History.Select(e => e.Kind));
        Assert.Equal("Ledger.ClosedOut", Assert.Throws<DomainException>(() => item.ReportProgress("再改", "owner", Now)).Code);
    }

    [Fact]
    public void ReopeningKeepsTheHistoryAndTheOldEvidenceInIt()
    {
        var item = Done();
        item.CloseOut("已修复", null, "keeper", Now);

        item.Reopen("居民反映仍漏水", "keeper", Now.AddDays(3));

        Assert.Equal(LedgerStatus.InProgress, item.Status);
        Assert.Null(item.ClosedOutAtUtc);
        Assert.Equal(
            [LedgerEntryKind.Recorded, LedgerEntryKind.Done, LedgerEntryKind.ClosedOut, LedgerEntryKind.Reopened],
            item.History.Select(e => e.Kind));
        Assert.Equal("已修复", item.History[2].Note);
        Assert.Equal((LedgerStatus.ClosedOut, LedgerStatus.InProgress), (item.History[3].From!.Value, item.History[3].To));
        Assert.Equal("Ledger.Reason.Required", Assert.Throws<DomainException>(() => Done().Reopen(null, "keeper", Now)).Code);
        Assert.Equal("Ledger.NotFinished", Assert.Throws<DomainException>(() => New().Reopen("无", "keeper", Now)).Code);
    }

    [Fact]
    public void IsOverdueOnlyWhileUnfinishedAfterItsDueDate()
    {
        var item = New();

        Assert.False(item.IsOverdue(new DateOnly(2026, 6, 30)));
        Assert.True(item.IsOverdue(new DateOnly(2026, 7, 1)));
        item.MarkDone(null, "owner", Now);
        Assert.False(item.IsOverdue(new DateOnly(2026, 7, 1)));
    }

    [Fact]
    public void EscalationGoesToAnotherBodyAndIsAnsweredOnce()
    {
        var item = New();

        Assert.Equal("Ledger.EscalateToItself", Assert.Throws<DomainException>(() => item.Escalate(1, "需要街道", "keeper", Now)).Code);
        Assert.Equal("Ledger.NotEscalated", Assert.Throws<DomainException>(() => item.AnswerEscalation("好", "district", Now)).Code);
        item.Escalate(9, "需要街道协调资金", "keeper", Now);
        Assert.Equal("Ledger.AlreadyEscalated", Assert.Throws<DomainException>(() => item.Escalate(9, "再报", "keeper", Now)).Code);

        item.AnswerEscalation("街道已安排专项资金", "district", Now.AddDays(2));

        Assert.Equal(9, item.EscalatedToBodyId);
        Assert.Equal("街道已安排专项资金", item.EscalationAnswer);
        Assert.Equal("Ledger.AlreadyAnswered", Assert.Throws<DomainException>(() => item.AnswerEscalation("再答", "district", Now)).Code);
        Assert.Equal(LedgerStatus.Open, item.Status);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    public void RefusesAnEvidenceLinkThatIsNotAWebAddress(string link) =>
        Assert.Equal("Ledger.EvidenceLink", Assert.Throws<DomainException>(() => Done().CloseOut("验收合格", link, "keeper", Now)).Code);

    [Fact]
    public void RefusesAnItemWithoutTitleOwnerOrDueDate()
    {
        Assert.Equal("Ledger.Title.Required", Assert.Throws<DomainException>(() => LedgerItem.Record(1, Input() with { Title = " " }, "keeper", Now)).Code);
        Assert.Equal("Ledger.Owner.Required", Assert.Throws<DomainException>(() => LedgerItem.Record(1, Input() with { OwnerName = null }, "keeper", Now)).Code);
        Assert.Equal("Ledger.DueOnRequired", Assert.Throws<DomainException>(() => LedgerItem.Record(1, Input() with { DueOn = default }, "keeper", Now)).Code);
        Assert.Equal("Ledger.OwnerKind", Assert.Throws<DomainException>(() => LedgerItem.Record(1, Input() with { OwnerKind = (LedgerOwnerKind)9 }, "keeper", Now)).Code);
    }

    [Fact]
    public void OnlyAPersonOwnerKeepsAnAccount()
    {
        var office = LedgerItem.Record(1, Input() with { OwnerKind = LedgerOwnerKind.Office, OwnerUserId = "someone" }, "keeper", Now);

        Assert.Null(office.OwnerUserId);
        Assert.False(office.IsOwnedBy("someone"));
        Assert.True(New().IsOwnedBy("owner"));
        Assert.False(New().IsOwnedBy(null));
    }

    private static LedgerItemInput Input() => new(
        "修复3号楼供暖管道", "物业公司负责更换", LedgerOwnerKind.Person, "王师傅", "owner", "清华园小区", new DateOnly(2026, 6, 30), LedgerSource.Consultation, 5);

    private static LedgerItem New() => LedgerItem.Record(1, Input(), "keeper", Now);

    private static LedgerItem Done()
    {
        var item = New();
        item.MarkDone(null, "owner", Now);
        return item;
    }
}
