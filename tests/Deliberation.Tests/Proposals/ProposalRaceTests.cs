using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>Races the database decides: simultaneous decisions on one amendment, simultaneous topics from one source.</summary>
public sealed class ProposalRaceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly ProposalDesk _desk = new(fixture);

    [Fact]
    public async Task TwoSimultaneousDecisionsOnOneAmendmentStoreOne()
    {
        var proposalId = await _desk.CoSponsoredAsync(100, 101, 102);
        var amendmentId = await _desk.Proposals.ProposeAmendmentAsync(_desk.Rep(101), proposalId, 1, "建议在一个月内为六层以下的楼道加装扶手。", null);

        var attempts = Enumerable.Range(0, 4).Select(i => Task.Run(() => i % 2 == 0
            ? _desk.Proposals.RejectAmendmentAsync(_desk.Chair, amendmentId, "理由 " + i)
            : _desk.Proposals.AcceptAmendmentAsync(_desk.Chair, amendmentId))).ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async t =>
        {
            try
            {
                await t;
                return null;
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), code => Assert.Contains(code, new[] { "Amendment.AlreadyDecided", "Amendment.ChangedMeanwhile" }));
        var amendment = await _desk.AmendmentAsync(amendmentId);
        var proposal = await _desk.LoadAsync(proposalId);
        Assert.Equal(amendment.Status == AmendmentStatus.Accepted ? 2 : 1, proposal.Version);
    }

    [Fact]
    public async Task SimultaneousTopicsFromOneSourceStayWithinTheHourlyLimit()
    {
        var bodyId = await _desk.Council.BodyIdAsync();
        var source = "203.0.113." + Random.Shared.Next(1, 250);
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            _desk.Topics.SubmitAsync(new TopicInput(bodyId, $"同一来源的议题 {i}", "说明", ProposalCategory.Other, "居民", "1号楼"), source))).ToList();
        var accepted = 0;
        foreach (var attempt in attempts)
        {
            try
            {
                await attempt;
                accepted++;
            }
            catch (DomainException ex) when (ex.Code == "Topic.TooMany")
            {
            }
        }

        Assert.Equal(TopicService.PerHour, accepted);
    }
}
