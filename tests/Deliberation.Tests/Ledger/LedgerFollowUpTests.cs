using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Hearings;
using CommunityDeliberation.Tests.Proposals;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Ledger;

/// <summary>Every decision produces a follow-up item, owned by the body's secretariat until it is reassigned.</summary>
public sealed class LedgerFollowUpTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly ProposalDesk _desk = new(fixture);

    private LedgerService Ledger => fixture.Database.Services.GetRequiredService<LedgerService>();

    private VotingService Voting => fixture.Database.Services.GetRequiredService<VotingService>();

    [Fact]
    public async Task AnAdoptedVoteOnAProposalRecordsAFollowUpOwnedByTheSecretariat()
    {
        var (proposalId, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(44, 52, 53);
        var pollId = await Voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await Voting.CastAsync(_desk.Rep(52), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_desk.Rep(53), pollId, BallotChoice.Yes);

        await Voting.ClosePollAsync(_desk.Chair, pollId);

        var item = await FollowUpAsync(LedgerSource.CouncilVote, pollId);
        Assert.NotNull(item);
        Assert.Equal((await _desk.LoadAsync(proposalId)).Title, item.Title);
        Assert.Equal(LedgerOwnerKind.Office, item.OwnerKind);
        Assert.Equal("江川社区党员代表议事会 秘书处", item.OwnerName);
        Assert.Equal(LedgerStatus.Open, item.Status);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        Assert.InRange(item.DueOn.DayNumber - today.DayNumber, 29, 31);
    }

    [Fact]
    public async Task ARejectedVoteRecordsNoFollowUp()
    {
        var (_, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(47, 54, 55);
        var pollId = await Voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await Voting.CastAsync(_desk.Rep(54), pollId, BallotChoice.No);
        await Voting.CastAsync(_desk.Rep(55), pollId, BallotChoice.No);

        await Voting.ClosePollAsync(_desk.Chair, pollId);

        Assert.Null(await FollowUpAsync(LedgerSource.CouncilVote, pollId));
    }

    [Fact]
    public async Task PublishedHearingFeedbackRecordsAFollowUp()
    {
        var hearings = new HearingDesk(fixture);
        var hearingId = await hearings.ReportPublishedAsync();

        await hearings.Hearings.PublishFeedbackAsync(hearings.Secretary, hearingId, "党工委采纳了过渡安置的意见。");

        var item = await FollowUpAsync(LedgerSource.Hearing, hearingId);
        Assert.NotNull(item);
        Assert.Contains("党工委采纳了过渡安置的意见。", item.Details);
    }

    [Fact]
    public async Task TheSecretariatReassignsAFollowUpAndTheHistoryKeepsWhatItWas()
    {
        var id = await Ledger.RecordAsync(_desk.Chair, await _desk.Council.BodyIdAsync(), new LedgerItemInput(
            "加装楼道扶手", null, LedgerOwnerKind.Office, "江川社区党员代表议事会 秘书处", null, null, new DateOnly(2027, 1, 31), LedgerSource.Other));

        Assert.Equal("Office.Secretariat", (await Assert.ThrowsAsync<ForbiddenException>(() =>
            Ledger.ReassignAsync(_desk.Rep(60), id, LedgerOwnerKind.MemberUnit, "物业公司", null, new DateOnly(2027, 2, 28), "1号楼"))).Code);
        Assert.Equal("Ledger.Owner.Required", (await Assert.ThrowsAsync<DomainException>(() =>
            Ledger.ReassignAsync(_desk.Chair, id, LedgerOwnerKind.MemberUnit, " ", null, new DateOnly(2027, 2, 28), null))).Code);
        await Ledger.ReassignAsync(_desk.Secretary, id, LedgerOwnerKind.MemberUnit, "物业公司", null, new DateOnly(2027, 2, 28), "1号楼");

        var item = await Ledger.FindAsync(id);
        Assert.Equal(("物业公司", LedgerOwnerKind.MemberUnit, new DateOnly(2027, 2, 28), "1号楼"), (item!.OwnerName, item.OwnerKind, item.DueOn, item.Area));
        var entry = item.History.Last();
        Assert.Equal(LedgerEntryKind.Reassigned, entry.Kind);
        Assert.Contains("江川社区党员代表议事会 秘书处 → 物业公司", entry.Note);
        Assert.Contains("2027-01-31 → 2027-02-28", entry.Note);
        Assert.Equal("Ledger.NothingChanged", (await Assert.ThrowsAsync<DomainException>(() =>
            Ledger.ReassignAsync(_desk.Chair, id, LedgerOwnerKind.MemberUnit, "物业公司", null, new DateOnly(2027, 2, 28), "1号楼"))).Code);
    }

    private async Task<LedgerItemView?> FollowUpAsync(LedgerSource source, int sourceId)
    {
        await using var db = await _desk.Council.DbAsync();
        var id = await db.LedgerItems.Where(i => i.Source == source && i.SourceId == sourceId).Select(i => (int?)i.Id).SingleOrDefaultAsync();
        return id is { } found ? await Ledger.FindAsync(found) : null;
    }
}
