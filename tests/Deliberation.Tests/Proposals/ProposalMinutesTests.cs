using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>The minutes record what happened to a proposal in the session: co-sponsors, amendments, the decision.</summary>
public sealed class ProposalMinutesTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly ProposalDesk _desk = new(fixture);

    [Fact]
    public async Task MinutesListTheProposalItsAmendmentsAndTheDecision()
    {
        var proposals = _desk.Proposals;
        var voting = _desk.Council.Voting;
        var (id, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(80, 83, 84);
        var accepted = await _desk.Amendments.ProposeAmendmentAsync(_desk.Rep(83), id, 0, "沪闵路沿线部分楼道没有扶手,高龄老人上下楼不便。", null);
        await _desk.Amendments.AcceptAmendmentAsync(_desk.Chair, accepted);
        var rejected = await _desk.Amendments.ProposeAmendmentAsync(_desk.Rep(84), id, 2, "所需经费由居民自筹。", null);
        await _desk.Amendments.RejectAmendmentAsync(_desk.Chair, rejected, "加重居民负担");
        var voted = await _desk.Amendments.ProposeAmendmentAsync(_desk.Rep(83), id, 1, "建议在两个月内为六层以下的楼道加装扶手。", null);
        var amendmentPoll = await _desk.Amendments.PutAmendmentToVoteAsync(_desk.Chair, voted);
        await voting.CastAsync(_desk.Rep(83), amendmentPoll, BallotChoice.No);
        await voting.CastAsync(_desk.Rep(84), amendmentPoll, BallotChoice.No);
        await voting.ClosePollAsync(_desk.Chair, amendmentPoll);
        await _desk.Amendments.RecordAmendmentVoteAsync(_desk.Chair, voted);
        var finalPoll = await voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await voting.CastAsync(_desk.Rep(83), finalPoll, BallotChoice.Yes);
        await voting.ClosePollAsync(_desk.Chair, finalPoll);
        await proposals.RecordDecisionAsync(_desk.Chair, id, finalPoll);

        var minutes = await fixture.Database.Services.GetRequiredService<MinutesService>().PreviewAsync(sessionId);

        Assert.Contains($"本项审议提案《关于楼道加装扶手的提案》(提案编号 {id},列入议程时为第 1 版),附议人:", minutes);
        Assert.Contains("修正案 1:主持人采纳,并入正文(第 2 版)。", minutes);
        Assert.Contains("修正案 2:主持人不予采纳,理由:加重居民负担。", minutes);
        Assert.Contains("修正案 3:付诸表决。", minutes);
        Assert.Contains("修正案 3:表决未通过。", minutes);
        Assert.Contains("主持人依据表决确认:提案(第 2 版)通过。", minutes);
        Assert.True(minutes.IndexOf("修正案 1:", StringComparison.Ordinal) < minutes.IndexOf("主持人依据表决确认", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProposalWithdrawnOrReferredFromTheAgendaIsInTheLogAndTheMinutes()
    {
        var proposals = _desk.Proposals;
        var withdrawn = await _desk.CoSponsoredAsync(90, 91, 92);
        var referred = await _desk.CoSponsoredAsync(93, 94, 95);
        var (sessionId, _) = await _desk.Council.OpenSessionWithQuorumAsync(96, 97);
        await proposals.PlaceOnAgendaAsync(_desk.Chair, withdrawn, sessionId, 15);
        await proposals.PlaceOnAgendaAsync(_desk.Chair, referred, sessionId, 15);

        await proposals.WithdrawAsync(_desk.Rep(90), withdrawn, "已与物业协商解决");
        await proposals.ReferAsync(_desk.Secretary, referred, null, "江川路街道办事处", "涉及市政道路,超出社区职权");

        var decided = await _desk.LogAsync(sessionId, ProposalDecidedEntry.Kind);
        Assert.Equal(2, decided.Count);
        Assert.True(await _desk.LogChainIsIntactAsync(sessionId));
        var minutes = await fixture.Database.Services.GetRequiredService<MinutesService>().PreviewAsync(sessionId);
        Assert.Contains("提案人撤回提案,理由:已与物业协商解决。", minutes);
        Assert.Contains("提案转交江川路街道办事处,理由:涉及市政道路,超出社区职权。", minutes);
    }
}
