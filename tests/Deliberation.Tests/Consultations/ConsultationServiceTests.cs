using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Consultations;

/// <summary>The "1+X+1" consultation through the real services on a seeded SQLite file (Chengli's council).</summary>
public sealed class ConsultationServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly ConsultationDesk _desk = new(fixture);

    private ConsultationService Consultations => _desk.Consultations;

    [Fact]
    public async Task ImportantTopicOpensNoDecisionUntilTheAssessmentIsFiledAndTheRefusalStoresNothing()
    {
        var c = await _desk.WithBlocsAsync(_desk.Convener, await _desk.ChengliAsync(important: true), _desk.Council.Rep(21), _desk.Council.Rep(22));
        await Consultations.OpenRoundAsync(_desk.Convener, c.Id);
        await Consultations.CloseRoundAsync(_desk.Convener, c.Id);
        var before = await LogCountAsync(c.Id);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Consultations.OpenDecisionAsync(_desk.Convener, c.Id, DecisionMethod.Consensus));

        Assert.Equal("Consultation.Missing.Assessment", refused.Code);
        var view = (await _desk.Queries.FindAsync(c.Id))!;
        Assert.Equal(ConsultationStage.BetweenRounds, view.Stage);
        Assert.Equal(["Consultation.Missing.Assessment"], view.MissingForDecision);
        Assert.Equal(before, await LogCountAsync(c.Id));

        await Consultations.FileAssessmentAsync(_desk.Expert, c.Id, ConsultationDesk.Assessment());
        await Consultations.OpenDecisionAsync(_desk.Convener, c.Id, DecisionMethod.Consensus);

        view = (await _desk.Queries.FindAsync(c.Id))!;
        Assert.Equal(ConsultationStage.Deciding, view.Stage);
        Assert.Equal("孟祥东", view.Assessment!.Assessor);
    }

    [Fact]
    public async Task AnOrdinaryTopicNeedsNoAssessmentButStillARoundAndTwoBlocs()
    {
        var id = await _desk.ChengliAsync(important: false);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Consultations.OpenDecisionAsync(_desk.Convener, id, DecisionMethod.Consensus));
        Assert.Equal("Consultation.Missing.Blocs", refused.Code);
        Assert.Equal(["Consultation.Missing.Blocs", "Consultation.Missing.Round"], (await _desk.Queries.FindAsync(id))!.MissingForDecision);

        await _desk.WithBlocsAsync(_desk.Convener, id, _desk.Council.Rep(23), _desk.Council.Rep(24));
        await Consultations.OpenRoundAsync(_desk.Convener, id);
        Assert.Equal("Consultation.Missing.RoundOpen",
            (await Assert.ThrowsAsync<DomainException>(() => Consultations.OpenDecisionAsync(_desk.Convener, id, DecisionMethod.Consensus))).Code);
        await Consultations.CloseRoundAsync(_desk.Convener, id);
        await Consultations.OpenDecisionAsync(_desk.Convener, id, DecisionMethod.Consensus);
    }

    [Fact]
    public async Task OnlyTheAssessorOfficeFilesTheAssessment()
    {
        var id = await _desk.ChengliAsync();

        foreach (var who in new[] { _desk.Convener, _desk.Stakeholder, _desk.Council.Chair })
        {
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Consultations.FileAssessmentAsync(who, id, ConsultationDesk.Assessment()));
            Assert.Equal("Office.Assessor", refused.Code);
        }

        Assert.Null((await _desk.Queries.FindAsync(id))!.Assessment);
        var incomplete = ConsultationDesk.Assessment() with { Risks = "  " };
        Assert.Equal("Assessment.Risks.Required", (await Assert.ThrowsAsync<DomainException>(() => Consultations.FileAssessmentAsync(_desk.Expert, id, incomplete))).Code);
        Assert.Null((await _desk.Queries.FindAsync(id))!.Assessment);
    }

    [Fact]
    public async Task AMemberOfAnotherBlocCannotFileForABlocAndNothingIsStored()
    {
        var c = await _desk.WithBlocsAsync(_desk.Convener, await _desk.ChengliAsync(), _desk.Council.Rep(25), _desk.Council.Rep(26));
        var before = await LogCountAsync(c.Id);

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Consultations.FilePositionAsync(_desk.Stakeholder, c.Owners, Stance.Oppose, "业主不同意。"));
        var outsider = await Assert.ThrowsAsync<ForbiddenException>(() => Consultations.FilePositionAsync(_desk.Convener, c.Owners, Stance.Support, "支持。"));

        Assert.Equal("Consultation.OwnBlocOnly", refused.Code);
        Assert.Equal("Consultation.OwnBlocOnly", outsider.Code);
        Assert.Empty((await _desk.Queries.FindAsync(c.Id))!.Blocs.Single(b => b.Id == c.Owners).Positions);
        Assert.Equal(before, await LogCountAsync(c.Id));
    }

    [Fact]
    public async Task PositionsAreRevisedOnlyBetweenRoundsAndEveryVersionIsKept()
    {
        var c = await _desk.WithBlocsAsync(_desk.Convener, await _desk.ChengliAsync(), _desk.Council.Rep(27), _desk.Council.Rep(28));
        await Consultations.FilePositionAsync(_desk.Stakeholder, c.Property, Stance.Conditional, "物业可以施工,费用由维修资金列支。");
        await Consultations.OpenRoundAsync(_desk.Convener, c.Id);

        var frozen = await Assert.ThrowsAsync<DomainException>(() => Consultations.FilePositionAsync(_desk.Stakeholder, c.Property, Stance.Support, "全力支持。"));
        Assert.Equal("Consultation.PositionsClosed", frozen.Code);

        await Consultations.CloseRoundAsync(_desk.Convener, c.Id);
        await Consultations.FilePositionAsync(_desk.Stakeholder, c.Property, Stance.Support, "物业承担人工费,材料费由维修资金列支。");
        var same = await Assert.ThrowsAsync<DomainException>(() => Consultations.FilePositionAsync(_desk.Stakeholder, c.Property, Stance.Support, "物业承担人工费,材料费由维修资金列支。"));
        Assert.Equal("Consultation.PositionUnchanged", same.Code);

        var bloc = (await _desk.Queries.FindAsync(c.Id))!.Blocs.Single(b => b.Id == c.Property);
        Assert.Equal([(1, 0, Stance.Conditional), (2, 1, Stance.Support)], bloc.Positions.Select(p => (p.Number, p.AfterRound, p.Stance)));
        Assert.Equal("刘玉峰", bloc.Positions[1].By);
        Assert.True(TextDiff.Lines(bloc.Positions[0].Markdown, bloc.Positions[1].Markdown).HasChanges);
    }

    [Fact]
    public async Task EachBlocHasOneVoteCastOnlyByItsSpokesperson()
    {
        var c = await _desk.WithBlocsAsync(_desk.Convener, await _desk.ChengliAsync(important: false), _desk.Council.Rep(31), _desk.Council.Rep(32), ownersMember: _desk.Council.Rep(33));
        await Consultations.OpenRoundAsync(_desk.Convener, c.Id);
        await Consultations.CloseRoundAsync(_desk.Convener, c.Id);
        await Consultations.OpenDecisionAsync(_desk.Convener, c.Id, DecisionMethod.BlocVote);

        var member = await Assert.ThrowsAsync<ForbiddenException>(() => Consultations.CastVoteAsync(_desk.Council.Rep(33), c.Id, BlocChoice.Against, null));
        Assert.Equal("Consultation.SpokespersonOnly", member.Code);
        await Consultations.CastVoteAsync(_desk.Council.Rep(31), c.Id, BlocChoice.For, null);
        var second = await Assert.ThrowsAsync<DomainException>(() => Consultations.CastVoteAsync(_desk.Council.Rep(31), c.Id, BlocChoice.Against, "改主意了"));
        Assert.Equal("Consultation.AlreadyVoted", second.Code);

        await using var db = await _desk.DbAsync();
        var votes = await db.ConsultationVotes.Where(v => v.ConsultationId == c.Id).ToListAsync();
        Assert.Equal(BlocChoice.For, Assert.Single(votes).Choice);

        // The database itself refuses a second row for the bloc: the rule is the unique index, not the service's check.
        db.ConsultationVotes.Add(new BlocVote(c.Id, c.Owners, BlocChoice.Against, null, _desk.Council.Rep(33).UserId, "x", DateTime.UtcNow));
        var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DbErrors.IsUniqueViolation(duplicate));
    }

    [Fact]
    public async Task TwoSpokespersonsVotingAtOnceEachGetTheirOneVote()
    {
        var c = await _desk.DecidingAsync(DecisionMethod.BlocVote);

        await Task.WhenAll(
            Consultations.CastVoteAsync(_desk.Council.Rep(11), c.Id, BlocChoice.For, null),
            Consultations.CastVoteAsync(_desk.Council.Rep(12), c.Id, BlocChoice.Against, "费用分摊不公平"),
            Consultations.CastVoteAsync(_desk.Stakeholder, c.Id, BlocChoice.For, null));

        await using var db = await _desk.DbAsync();
        Assert.Equal(3, await db.ConsultationVotes.CountAsync(v => v.ConsultationId == c.Id));
    }

    [Fact]
    public async Task AVoteOfTheBlocsIsAdoptedByAMajorityOfBlocsWithDissentParticipantsAndLedgerItems()
    {
        var c = await _desk.DecidingAsync(DecisionMethod.BlocVote, important: true);
        await Consultations.CastVoteAsync(_desk.Stakeholder, c.Id, BlocChoice.For, null);
        await Consultations.CastVoteAsync(_desk.Council.Rep(11), c.Id, BlocChoice.For, null);
        await Consultations.CastVoteAsync(_desk.Council.Rep(12), c.Id, BlocChoice.Against, "应由开发商承担费用");

        await Consultations.CloseVoteAsync(_desk.Convener, c.Id, "供暖季前更换老化管道。", [ConsultationDesk.FollowUp(), ConsultationDesk.FollowUp("业委会组织验收")]);

        var view = (await _desk.Queries.FindAsync(c.Id))!;
        Assert.Equal(ConsultationStage.Decided, view.Stage);
        Assert.True(view.Adopted);
        Assert.Equal("应由开发商承担费用", view.Blocs.Single(b => b.Id == c.Residents).Dissent);
        Assert.Equal(3, view.Participants.Count());
        Assert.Equal(["更换清华园小区暖气管道", "业委会组织验收"], view.FollowUps.Select(f => f.Title));
        Assert.All(view.FollowUps, f => Assert.Equal((LedgerSource.Consultation, (int?)c.Id, LedgerStatus.Open), (f.Source, f.SourceId, f.Status)));

        var minutes = await fixture.Database.Services.GetRequiredService<MinutesService>().PreviewAsync(view.SessionId);
        Assert.Contains("## “1+X+1”协商:清华园小区暖气管道修缮", minutes, StringComparison.Ordinal);
        Assert.Contains("表决通过。", minutes, StringComparison.Ordinal);
        Assert.Contains("不同意见:居民代表:应由开发商承担费用", minutes, StringComparison.Ordinal);
        Assert.Contains("| 更换清华园小区暖气管道 | 物业公司 | 2026-10-31 | 清华园小区 |", minutes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVoteWithoutAMajorityOfAllBlocsIsNotAdopted()
    {
        var c = await _desk.DecidingAsync(DecisionMethod.BlocVote);
        await Consultations.CastVoteAsync(_desk.Stakeholder, c.Id, BlocChoice.For, null);
        await Consultations.CastVoteAsync(_desk.Council.Rep(11), c.Id, BlocChoice.Abstain, null);

        await Consultations.CloseVoteAsync(_desk.Convener, c.Id, "暂缓实施,下次再议。", []);

        var view = (await _desk.Queries.FindAsync(c.Id))!;
        Assert.False(view.Adopted);
        Assert.Equal(2, view.Participants.Count());
        Assert.Empty(view.FollowUps);
    }

    [Fact]
    public async Task AConsensusKeepsDissentByBlocAndIsRefusedWhenHalfTheBlocsDissent()
    {
        var c = await _desk.DecidingAsync(DecisionMethod.Consensus);
        var before = await LedgerCountAsync();

        var notConsensus = await Assert.ThrowsAsync<DomainException>(() => Consultations.RecordConsensusAsync(_desk.Convener, c.Id, "更换管道。",
            [(c.Owners, "不同意"), (c.Residents, "不同意")], [ConsultationDesk.FollowUp()]));
        Assert.Equal("Consultation.NoConsensus", notConsensus.Code);
        var noReason = await Assert.ThrowsAsync<DomainException>(() => Consultations.RecordConsensusAsync(_desk.Convener, c.Id, "更换管道。",
            [(c.Owners, " ")], [ConsultationDesk.FollowUp()]));
        Assert.Equal("Consultation.Dissent.Required", noReason.Code);
        var noFollowUp = await Assert.ThrowsAsync<DomainException>(() => Consultations.RecordConsensusAsync(_desk.Convener, c.Id, "更换管道。", [], []));
        Assert.Equal("Consultation.FollowUpRequired", noFollowUp.Code);
        var badItem = await Assert.ThrowsAsync<DomainException>(() => Consultations.RecordConsensusAsync(_desk.Convener, c.Id, "更换管道。", [],
            [ConsultationDesk.FollowUp(), ConsultationDesk.FollowUp(" ")]));
        Assert.Equal("Ledger.Title.Required", badItem.Code);
        Assert.Equal(ConsultationStage.Deciding, (await _desk.Queries.FindAsync(c.Id))!.Stage);
        Assert.Equal(before, await LedgerCountAsync());

        await Consultations.RecordConsensusAsync(_desk.Convener, c.Id, "更换管道,业委会监督。", [(c.Owners, "保留意见:费用分摊另议")], [ConsultationDesk.FollowUp()]);

        var view = (await _desk.Queries.FindAsync(c.Id))!;
        Assert.True(view.Adopted);
        Assert.Equal(DecisionMethod.Consensus, view.Method);
        Assert.Equal("保留意见:费用分摊另议", view.Blocs.Single(b => b.Id == c.Owners).Dissent);
        Assert.Equal(3, view.Participants.Count());
        Assert.Equal(before + 1, await LedgerCountAsync());
    }

    [Fact]
    public async Task OnlyTheConvenerRunsTheConsultationAndOnlyInItsOwnBody()
    {
        var id = await _desk.ChengliAsync();

        foreach (var who in new[] { _desk.Council.Chair, _desk.Stakeholder, _desk.Expert })
        {
            Assert.Equal("Office.Presides", (await Assert.ThrowsAsync<ForbiddenException>(() => Consultations.OpenRoundAsync(who, id))).Code);
        }

        Assert.Equal(0, (await _desk.Queries.FindAsync(id))!.Round);
    }

    [Fact]
    public async Task AConsultationTakesItsTopicFromAResidentsTopicOfItsOwnBodyAndKeepsTheLink()
    {
        var topics = fixture.Database.Services.GetRequiredService<TopicService>();
        var receipt = await topics.SubmitAsync(new TopicInput(await _desk.ChengliIdAsync(), "清华园小区暖气不热", "3号楼暖气管道漏水,屋里不热。", ProposalCategory.Other, "王阿姨", "138-0000-5678"),
            $"consult-{Guid.NewGuid():N}");
        await using var db = await _desk.DbAsync();
        var topicId = await db.TopicSubmissions.Where(t => t.TrackingCode == receipt.TrackingCode).Select(t => t.Id).SingleAsync();
        var otherBodyTopic = await db.TopicSubmissions.Where(t => t.BodyId != db.Bodies.Single(b => b.Key == ConsultationDesk.ChengliKey).Id).Select(t => (int?)t.Id).FirstOrDefaultAsync();

        var id = await _desk.ChengliAsync(source: ConsultationSource.Topic, sourceId: topicId);

        var view = (await _desk.Queries.FindAsync(id))!;
        Assert.Equal((ConsultationSource.Topic, (int?)topicId, "清华园小区暖气不热"), (view.Source, view.SourceId, view.SourceTitle));
        Assert.Equal("Consultation.UnknownSource",
            (await Assert.ThrowsAsync<DomainException>(() => _desk.ChengliAsync(source: ConsultationSource.Topic, sourceId: otherBodyTopic ?? int.MaxValue))).Code);
        Assert.Equal("Consultation.UnknownSource",
            (await Assert.ThrowsAsync<DomainException>(() => _desk.ChengliAsync(source: ConsultationSource.Proposal, sourceId: int.MaxValue))).Code);
    }

    [Fact]
    public async Task BlocsAreOfAConfiguredKindAndAPersonSitsInOneBlocOnly()
    {
        var id = await _desk.ChengliAsync(important: false);

        Assert.Equal("Consultation.UnknownBlocKind",
            (await Assert.ThrowsAsync<DomainException>(() => Consultations.AddBlocAsync(_desk.Convener, id, "Developers", "开发商"))).Code);
        var c = await _desk.WithBlocsAsync(_desk.Convener, id, _desk.Council.Rep(35), _desk.Council.Rep(36));
        Assert.Equal("Consultation.AlreadyInABloc",
            (await Assert.ThrowsAsync<DomainException>(() => Consultations.AddMemberAsync(_desk.Convener, c.Owners, _desk.UserName(_desk.Stakeholder), null, false))).Code);
        Assert.Equal("Consultation.UnknownAccount",
            (await Assert.ThrowsAsync<DomainException>(() => Consultations.AddMemberAsync(_desk.Convener, c.Owners, "nobody-here", null, false))).Code);

        await Consultations.AddMemberAsync(_desk.Convener, c.Owners, null, "赵大姐(无账号)", true);
        var owners = (await _desk.Queries.FindAsync(id))!.Blocs.Single(b => b.Id == c.Owners);
        Assert.Equal("赵大姐(无账号)", Assert.Single(owners.Members, m => m.IsSpokesperson).Name);
        Assert.Equal("Consultation.SpokespersonWithoutAccount", (await OpenVoteAsync(id)).Code);
    }

    [Fact]
    public async Task TheSeededHeatingPipeConsultationIsDecidedAndLinkedToItsClosedOutLedgerItem()
    {
        var seeded = (await _desk.Queries.ListAsync(decidedOnly: true)).Single(c => c.Title == "清华园小区暖气管道修缮" && c.DecidedAtUtc!.Value.Year == 2017);

        var view = (await _desk.Queries.PublicAsync(seeded.Id))!;

        Assert.True(view.IsImportant);
        Assert.NotNull(view.Assessment);
        Assert.Equal(["清华园小区业主委员会", "物业公司", "居民代表"], view.Blocs.Select(b => b.Name));
        var item = Assert.Single(view.FollowUps);
        Assert.Equal(("清华园小区暖气管道修缮", LedgerStatus.ClosedOut), (item.Title, item.Status));
        var minutes = await fixture.Database.Services.GetRequiredService<MinutesService>().PreviewAsync(view.SessionId);
        Assert.Contains("协商一致。由物业公司在供暖季前更换清华园小区老化的暖气管道", minutes, StringComparison.Ordinal);
    }

    private async Task<DomainException> OpenVoteAsync(int id)
    {
        await Consultations.OpenRoundAsync(_desk.Convener, id);
        await Consultations.CloseRoundAsync(_desk.Convener, id);
        return await Assert.ThrowsAsync<DomainException>(() => Consultations.OpenDecisionAsync(_desk.Convener, id, DecisionMethod.BlocVote));
    }

    private async Task<int> LogCountAsync(int consultationId)
    {
        await using var db = await _desk.DbAsync();
        var session = await db.Consultations.Where(c => c.Id == consultationId).Select(c => c.SessionId).SingleAsync();
        return await db.SessionLog.CountAsync(e => e.SessionId == session);
    }

    private async Task<int> LedgerCountAsync()
    {
        await using var db = await _desk.DbAsync();
        return await db.LedgerItems.CountAsync();
    }
}
