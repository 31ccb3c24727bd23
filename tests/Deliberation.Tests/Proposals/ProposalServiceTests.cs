using System.Text.Json;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>
/// Proposals through the real <see cref="ProposalService"/> on the seeded SQLite file: drafting, submitting,
/// co-sponsoring, the agenda, amendments, decisions and referral. The Jiangchuan council needs two co-sponsors.
/// </summary>
public sealed class ProposalServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const string SeededDraftTitle = "关于增设老年人助餐点的提案(草稿)";

    private readonly ProposalDesk _desk = new(fixture);

    private ProposalService Proposals => _desk.Proposals;

    private AmendmentService Amendments => _desk.Amendments;

    private VotingService Voting => _desk.Council.Voting;

    private static JsonElement Payload(SessionLogEntry entry) => JsonDocument.Parse(entry.PayloadJson).RootElement;

    // ---- drafting and visibility ----

    [Fact]
    public async Task SomeoneWithoutASeatCannotCreateAProposal()
    {
        var bodyId = await _desk.Council.BodyIdAsync();
        await using var db = await _desk.Council.DbAsync();
        var before = await db.Proposals.CountAsync();

        foreach (var outsider in new[] { _desk.Resident, _desk.Secretary })
        {
            var ex = await Assert.ThrowsAsync<ForbiddenException>(() =>
                Proposals.CreateAsync(outsider, new ProposalInput(bodyId, "外部提案", "内容", ProposalCategory.Other, null)));
            Assert.Equal("Proposal.NotAMember", ex.Code);
        }

        Assert.Equal(before, await db.Proposals.CountAsync());
    }

    [Fact]
    public async Task AMemberCreatesADraftAndSubmitsIt()
    {
        var id = await _desk.DraftAsync(10);

        var draft = await _desk.LoadAsync(id);
        Assert.Equal((ProposalStatus.Draft, 1, _desk.Council.UserId("rep010")), (draft.Status, draft.Version, draft.AuthorUserId));
        await using (var db = await _desk.Council.DbAsync())
        {
            var seat = await db.Memberships.AsNoTracking().SingleAsync(m => m.UserId == draft.AuthorUserId && m.Term.Body.Key == JiangchuanCouncil.BodyKey);
            var displayName = await db.Users.Where(u => u.Id == draft.AuthorUserId).Select(u => u.DisplayName).SingleAsync();
            Assert.Equal(seat.OrganisationId, draft.OrganisationId);
            Assert.Equal(displayName, draft.AuthorName);
        }

        await Proposals.SubmitAsync(_desk.Rep(10), id);

        var submitted = await _desk.LoadAsync(id);
        Assert.Equal(ProposalStatus.Submitted, submitted.Status);
        Assert.NotNull(submitted.SubmittedAtUtc);
        Assert.Equal([ProposalStatus.Draft, ProposalStatus.Submitted], submitted.History.OrderBy(h => h.Id).Select(h => h.To));
        Assert.All(submitted.History, h => Assert.Equal(submitted.AuthorUserId, h.ByUserId));
    }

    [Fact]
    public async Task OnlyTheAuthorSubmitsEditsOrWithdraws()
    {
        var id = await _desk.DraftAsync(11);

        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.SubmitAsync(_desk.Rep(12), id));
        await Proposals.SubmitAsync(_desk.Rep(11), id);
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.EditAsync(_desk.Rep(12), id, "改标题", ProposalDesk.Text, 1));
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.WithdrawAsync(_desk.Chair, id, "主持人撤回"));

        var stored = await _desk.LoadAsync(id);
        Assert.Equal((ProposalStatus.Submitted, 1), (stored.Status, stored.Version));
        await Proposals.WithdrawAsync(_desk.Rep(11), id, "已解决");
        Assert.Equal(ProposalStatus.Withdrawn, (await _desk.LoadAsync(id)).Status);
    }

    [Fact]
    public async Task DraftsAreInvisibleToEveryoneButTheirAuthor()
    {
        await using var db = await _desk.Council.DbAsync();
        var draftId = await db.Proposals.Where(p => p.Title == SeededDraftTitle).Select(p => p.Id).SingleAsync();
        var author = _desk.Rep(6);

        await Assert.ThrowsAsync<NotFoundException>(() => Proposals.GetAsync(_desk.Rep(10), draftId));
        await Assert.ThrowsAsync<NotFoundException>(() => Proposals.GetAsync(_desk.Chair, draftId));
        await Assert.ThrowsAsync<NotFoundException>(() => Proposals.CompareAsync(_desk.Rep(10), draftId, 1, 1));
        Assert.DoesNotContain(await Proposals.ListAsync(_desk.Rep(10)), p => p.Id == draftId);
        Assert.DoesNotContain(await Proposals.ListAsync(null), p => p.Id == draftId);
        Assert.DoesNotContain(await Proposals.ListAsync(_desk.Chair, status: ProposalStatus.Draft), p => p.Id == draftId);

        Assert.Equal(SeededDraftTitle, (await Proposals.GetAsync(author, draftId)).Title);
        Assert.Contains(await Proposals.ListAsync(author), p => p.Id == draftId && p.Status == ProposalStatus.Draft);
    }

    [Fact]
    public async Task SeededSubmittedProposalsAreListedWithTheirCoSponsors()
    {
        var listed = await Proposals.ListAsync(null, await _desk.Council.BodyIdAsync(), ProposalStatus.Submitted);

        var housing = Assert.Single(listed, p => p.Title == "关于沪闵路沿线旧住房成套改造后续管理的提案");
        var safety = Assert.Single(listed, p => p.Title == "关于在驻区单位与居民区结对中增加消防安全宣讲的提案");
        Assert.Equal((2, 2), (housing.CoSponsors, housing.Threshold));
        Assert.Equal((1, 2), (safety.CoSponsors, safety.Threshold));
        Assert.All(listed, p => Assert.Equal(ProposalStatus.Submitted, p.Status));
    }

    // ---- editing ----

    [Fact]
    public async Task OfTwoEditorsStartingFromTheSameVersionTheFirstWins()
    {
        var id = await _desk.SubmittedAsync(13);
        var author = _desk.Rep(13);
        var first = ProposalDesk.Text.Replace("三个月", "两个月", StringComparison.Ordinal);
        var second = ProposalDesk.Text.Replace("三个月", "半年", StringComparison.Ordinal);

        Assert.Equal(2, await Proposals.EditAsync(author, id, "关于楼道加装扶手的提案", first, expectedVersion: 1));
        var ex = await Assert.ThrowsAsync<DomainException>(() => Proposals.EditAsync(author, id, "关于楼道加装扶手的提案", second, expectedVersion: 1));

        Assert.Equal("Proposal.EditConflict", ex.Code);
        Assert.Equal(2, ex.Arguments[0]);
        Assert.Equal((await _desk.LoadAsync(id)).AuthorName, ex.Arguments[1]);
        var stored = await _desk.LoadAsync(id);
        Assert.Equal((2, first), (stored.Version, stored.Text));
        Assert.Equal([1, 2], stored.Versions.Select(v => v.Number).Order());
    }

    [Fact]
    public async Task ConcurrentEditsFromTheSameVersionStoreExactlyOne()
    {
        var id = await _desk.SubmittedAsync(14);
        var author = _desk.Rep(14);
        var texts = new[] { "两个月", "半年", "一个月", "一年" }.Select(t => ProposalDesk.Text.Replace("三个月", t, StringComparison.Ordinal)).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = texts.Select(text => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await Proposals.EditAsync(author, id, "关于楼道加装扶手的提案", text, expectedVersion: 1);
                return (Text: text, Code: (string?)null);
            }
            catch (DomainException ex)
            {
                return (Text: text, Code: ex.Code);
            }
        })).ToList();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        var winner = Assert.Single(results, r => r.Code is null);
        Assert.All(results.Where(r => r.Code is not null), r => Assert.Equal("Proposal.EditConflict", r.Code));
        var stored = await _desk.LoadAsync(id);
        Assert.Equal((2, winner.Text), (stored.Version, stored.Text));
        Assert.Equal(2, stored.Versions.Count);
    }

    [Fact]
    public async Task VersionsCanBeCompared()
    {
        var id = await _desk.SubmittedAsync(15);
        await Proposals.EditAsync(_desk.Rep(15), id, "关于楼道加装扶手的提案(修改稿)", ProposalDesk.Text.Replace("三个月", "两个月", StringComparison.Ordinal), 1);

        var comparison = await Proposals.CompareAsync(_desk.Rep(40), id, 1, 2);

        Assert.Equal(("关于楼道加装扶手的提案", "关于楼道加装扶手的提案(修改稿)"), (comparison.FromTitle, comparison.ToTitle));
        var changed = Assert.Single(comparison.Lines.Lines, l => l.Kind != DiffLineKind.Unchanged);
        Assert.Equal(DiffLineKind.Changed, changed.Kind);
        Assert.Contains(new DiffSegment(DiffSegmentKind.Inserted, "两"), changed.Segments!);
        var ex = await Assert.ThrowsAsync<DomainException>(() => Proposals.CompareAsync(_desk.Rep(40), id, 1, 3));
        Assert.Equal(("Proposal.UnknownVersion", 3), (ex.Code, ex.Arguments[0]));
    }

    // ---- co-sponsors and the agenda ----

    [Fact]
    public async Task CoSponsoredByTwoMembersTheChairPutsItOnASessionsAgenda()
    {
        var id = await _desk.CoSponsoredAsync(16, 17, 18);
        var sessionId = await _desk.Council.ScheduleAsync("提案审议会");

        var itemId = await Proposals.PlaceOnAgendaAsync(_desk.Chair, id, sessionId, 20);

        var proposal = await _desk.LoadAsync(id);
        Assert.Equal((ProposalStatus.OnAgenda, (int?)itemId), (proposal.Status, proposal.AgendaItemId));
        Assert.Equal(_desk.Council.UserId("chair"), proposal.History.OrderBy(h => h.Id).Last().ByUserId);
        var session = await _desk.Council.LoadSessionAsync(sessionId);
        var item = Assert.Single(session.Agenda, a => a.Id == itemId);
        Assert.Equal((3, proposal.Title, 20), (item.Position, item.Title, item.PlannedMinutes));

        var entry = Assert.Single(await _desk.LogAsync(sessionId, ProposalOnAgendaEntry.Kind));
        Assert.Equal(_desk.Council.UserId("chair"), entry.ActorUserId);
        var payload = Payload(entry);
        Assert.Equal(id, payload.GetProperty("proposalId").GetInt32());
        Assert.Equal(itemId, payload.GetProperty("agendaItemId").GetInt32());
        Assert.Equal(proposal.CoSponsors.Select(c => c.Name).Order(), payload.GetProperty("coSponsors").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.True(await _desk.LogChainIsIntactAsync(sessionId));
        Assert.Equal(ProposalStatus.OnAgenda, (await Proposals.GetAsync(_desk.Rep(40), id)).Status);
    }

    [Fact]
    public async Task WithTooFewCoSponsorsTheAgendaStaysAsItWas()
    {
        var id = await _desk.SubmittedAsync(19);
        await Proposals.CoSponsorAsync(_desk.Rep(20), id);
        var sessionId = await _desk.Council.ScheduleAsync("提案审议会");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Proposals.PlaceOnAgendaAsync(_desk.Chair, id, sessionId, 20));

        Assert.Equal("Proposal.CoSponsorsMissing", ex.Code);
        Assert.Equal([1, 2], ex.Arguments);
        Assert.Equal(2, (await _desk.Council.LoadSessionAsync(sessionId)).Agenda.Count);
        Assert.Empty(await _desk.LogAsync(sessionId, ProposalOnAgendaEntry.Kind));
        Assert.Equal(ProposalStatus.Submitted, (await _desk.LoadAsync(id)).Status);
    }

    [Fact]
    public async Task OnlyTheChairOfAnOpenOrScheduledSessionPlacesOnItsAgenda()
    {
        var id = await _desk.CoSponsoredAsync(21, 22, 23);
        var sessionId = await _desk.Council.ScheduleAsync("提案审议会");
        var closedId = await _desk.Council.ScheduleAsync("已结束的会议");
        await _desk.Council.Sessions.OpenAsync(_desk.Chair, closedId);
        await _desk.Council.Sessions.CloseAsync(_desk.Chair, closedId);

        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.PlaceOnAgendaAsync(_desk.Rep(22), id, sessionId, 20));
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.PlaceOnAgendaAsync(_desk.Secretary, id, sessionId, 20));
        Assert.Equal("Session.AlreadyClosed", (await Assert.ThrowsAsync<DomainException>(() => Proposals.PlaceOnAgendaAsync(_desk.Chair, id, closedId, 20))).Code);

        Assert.Equal(ProposalStatus.Submitted, (await _desk.LoadAsync(id)).Status);
        Assert.Equal(2, (await _desk.Council.LoadSessionAsync(sessionId)).Agenda.Count);
    }

    [Fact]
    public async Task TheAuthorAndOutsidersCannotCoSponsor()
    {
        var id = await _desk.SubmittedAsync(24);

        Assert.Equal("Proposal.CoSponsorOwn", (await Assert.ThrowsAsync<DomainException>(() => Proposals.CoSponsorAsync(_desk.Rep(24), id))).Code);
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.CoSponsorAsync(_desk.Resident, id));
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.CoSponsorAsync(_desk.Secretary, id));
        await Proposals.CoSponsorAsync(_desk.Rep(25), id);
        Assert.Equal("Proposal.AlreadyCoSponsored", (await Assert.ThrowsAsync<DomainException>(() => Proposals.CoSponsorAsync(_desk.Rep(25), id))).Code);

        Assert.Equal([_desk.Council.UserId("rep025")], (await _desk.LoadAsync(id)).CoSponsors.Select(c => c.UserId));
    }

    [Fact]
    public async Task ConcurrentCoSponsoringByOneMemberStoresOneRow()
    {
        var id = await _desk.SubmittedAsync(26);
        var members = Enumerable.Range(27, 6).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = members.SelectMany(n => new[] { n, n }).Select(n => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await Proposals.CoSponsorAsync(_desk.Rep(n), id);
                return (Member: n, Code: (string?)null);
            }
            catch (DomainException ex)
            {
                return (Member: n, Code: ex.Code);
            }
        })).ToList();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.All(results.GroupBy(r => r.Member), g => Assert.Equal([null, "Proposal.AlreadyCoSponsored"], g.Select(r => r.Code).Order()));
        await using var db = await _desk.Council.DbAsync();
        var rows = await db.CoSponsorships.Where(c => c.ProposalId == id).Select(c => c.UserId).ToListAsync();
        Assert.Equal(members.Count, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public async Task ReachingTheProposalsItemPutsItUnderDeliberation()
    {
        var id = await _desk.CoSponsoredAsync(33, 34, 35);
        var sessionId = await _desk.Council.ScheduleAsync("提案审议会");
        var itemId = await Proposals.PlaceOnAgendaAsync(_desk.Chair, id, sessionId, 20);

        await _desk.Council.Sessions.OpenAsync(_desk.Chair, sessionId);
        Assert.Equal(ProposalStatus.OnAgenda, (await _desk.LoadAsync(id)).Status);

        await _desk.Council.Sessions.MoveToAgendaItemAsync(_desk.Chair, sessionId, itemId);

        var proposal = await _desk.LoadAsync(id);
        Assert.Equal(ProposalStatus.UnderDeliberation, proposal.Status);
        var last = proposal.History.OrderBy(h => h.Id).Last();
        Assert.Equal((ProposalStatus.OnAgenda, ProposalStatus.UnderDeliberation, _desk.Council.UserId("chair")), (last.From!.Value, last.To, last.ByUserId));

        var first = (await _desk.Council.LoadSessionAsync(sessionId)).Agenda.Single(a => a.Position == 1).Id;
        await _desk.Council.Sessions.MoveToAgendaItemAsync(_desk.Chair, sessionId, first);
        await _desk.Council.Sessions.MoveToAgendaItemAsync(_desk.Chair, sessionId, itemId);
        Assert.Equal(proposal.History.Count, (await _desk.LoadAsync(id)).History.Count);
    }

    // ---- amendments ----

    [Fact]
    public async Task TheChairAcceptsAnAmendmentIntoANewVersion()
    {
        var id = await _desk.SubmittedAsync(36);
        var amendmentId = await Amendments.ProposeAmendmentAsync(_desk.Rep(37), id, 1, "建议在两个月内为所有楼道加装扶手。", "时间太长");

        await Amendments.AcceptAmendmentAsync(_desk.Chair, amendmentId);

        var proposal = await _desk.LoadAsync(id);
        var amendment = await _desk.AmendmentAsync(amendmentId);
        Assert.Equal(2, proposal.Version);
        Assert.Equal("建议在两个月内为所有楼道加装扶手。", Paragraphs.Split(proposal.Text)[1]);
        Assert.Equal((int?)amendment.Number, proposal.Versions.Single(v => v.Number == 2).AmendmentNumber);
        Assert.Equal((AmendmentStatus.Accepted, (int?)2, _desk.Council.UserId("chair")), (amendment.Status, amendment.ResultVersion, amendment.DecidedByUserId));
    }

    [Fact]
    public async Task OnlyTheChairDecidesOnAnAmendment()
    {
        var id = await _desk.SubmittedAsync(38);
        var amendmentId = await Amendments.ProposeAmendmentAsync(_desk.Rep(39), id, 0, "部分楼道没有扶手。", null);

        await Assert.ThrowsAsync<ForbiddenException>(() => Amendments.AcceptAmendmentAsync(_desk.Rep(39), amendmentId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Amendments.AcceptAmendmentAsync(_desk.Rep(38), amendmentId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Amendments.RejectAmendmentAsync(_desk.Secretary, amendmentId, "不采纳"));

        Assert.Equal(AmendmentStatus.Proposed, (await _desk.AmendmentAsync(amendmentId)).Status);
        Assert.Equal(1, (await _desk.LoadAsync(id)).Version);
    }

    [Fact]
    public async Task AnAmendmentOutdatedByAnEditIsRefusedAndShownAsNoLongerApplying()
    {
        var id = await _desk.SubmittedAsync(41);
        var amendmentId = await Amendments.ProposeAmendmentAsync(_desk.Rep(42), id, 1, "建议在一个月内加装扶手。", null);
        await Proposals.EditAsync(_desk.Rep(41), id, "关于楼道加装扶手的提案", ProposalDesk.Text.Replace("三个月", "两个月", StringComparison.Ordinal), 1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Amendments.AcceptAmendmentAsync(_desk.Chair, amendmentId));

        Assert.Equal("Amendment.Outdated", ex.Code);
        Assert.Equal(2, (await _desk.LoadAsync(id)).Version);
        var view = Assert.Single((await Proposals.GetAsync(_desk.Rep(42), id)).Amendments);
        Assert.Equal((amendmentId, AmendmentStatus.Proposed, false), (view.Id, view.Status, view.StillApplies));
    }

    [Fact]
    public async Task AnAmendmentAdoptedByVoteBecomesANewVersion()
    {
        var (id, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(43, 50, 51);
        var amendmentId = await Amendments.ProposeAmendmentAsync(_desk.Rep(50), id, 2, "所需经费由街道专项资金列支。", "公益基金不足");

        var pollId = await Amendments.PutAmendmentToVoteAsync(_desk.Chair, amendmentId);

        var poll = await _desk.Council.LoadPollAsync(pollId);
        Assert.Equal((itemId, PollStatus.Open), (poll.AgendaItemId, poll.Status));
        Assert.Equal((AmendmentStatus.Voting, (int?)pollId), ((await _desk.AmendmentAsync(amendmentId)).Status, (await _desk.AmendmentAsync(amendmentId)).PollId));
        Assert.Equal("Amendment.VoteNotClosed", (await Assert.ThrowsAsync<DomainException>(() => Amendments.RecordAmendmentVoteAsync(_desk.Chair, amendmentId))).Code);

        await Voting.CastAsync(_desk.Rep(50), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_desk.Rep(51), pollId, BallotChoice.Yes);
        Assert.Equal(PollOutcome.Adopted, (await Voting.ClosePollAsync(_desk.Chair, pollId)).Outcome);
        await Amendments.RecordAmendmentVoteAsync(_desk.Chair, amendmentId);

        var proposal = await _desk.LoadAsync(id);
        Assert.Equal((2, ProposalStatus.UnderDeliberation), (proposal.Version, proposal.Status));
        Assert.Equal("所需经费由街道专项资金列支。", Paragraphs.Split(proposal.Text)[2]);
        var amendment = await _desk.AmendmentAsync(amendmentId);
        Assert.Equal((AmendmentStatus.Adopted, (int?)2), (amendment.Status, amendment.ResultVersion));
        var decisions = await _desk.LogAsync(sessionId, AmendmentDecisions.Kind);
        Assert.Equal(["putToVote", "adopted"], decisions.Select(e => Payload(e).GetProperty("decision").GetString()));
        Assert.True(await _desk.LogChainIsIntactAsync(sessionId));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Proposals.RecordDecisionAsync(_desk.Chair, id, pollId));
        Assert.Equal("Proposal.PollIsAmendmentVote", ex.Code);
        Assert.Equal(ProposalStatus.UnderDeliberation, (await _desk.LoadAsync(id)).Status);
    }

    // ---- decisions ----

    [Theory]
    [InlineData(BallotChoice.Yes, ProposalStatus.Adopted)]
    [InlineData(BallotChoice.No, ProposalStatus.Rejected)]
    public async Task TheClosedVoteOnItsItemDecidesTheProposal(BallotChoice choice, ProposalStatus expected)
    {
        var (id, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(choice == BallotChoice.Yes ? 44 : 47, 52, 53);
        var pollId = await Voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await Voting.CastAsync(_desk.Rep(52), pollId, choice);
        await Voting.CastAsync(_desk.Rep(53), pollId, choice);
        await Voting.ClosePollAsync(_desk.Chair, pollId);

        await Proposals.RecordDecisionAsync(_desk.Chair, id, pollId);

        var proposal = await _desk.LoadAsync(id);
        Assert.Equal((expected, (int?)pollId), (proposal.Status, proposal.DecidedByPollId));
        var entry = Assert.Single(await _desk.LogAsync(sessionId, ProposalDecidedEntry.Kind));
        Assert.Equal((id, pollId, expected.ToString()), (Payload(entry).GetProperty("proposalId").GetInt32(), Payload(entry).GetProperty("pollId").GetInt32(), Payload(entry).GetProperty("outcome").GetString()));
        Assert.True(await _desk.LogChainIsIntactAsync(sessionId));
    }

    [Fact]
    public async Task ADecisionNeedsAClosedVoteOnTheProposalsOwnItem()
    {
        var (id, sessionId, itemId, firstItemId) = await _desk.UnderDeliberationAsync(55, 58, 59);
        var otherPoll = await Voting.OpenPollAsync(_desk.Chair, sessionId, firstItemId, "其他事项表决");
        await Voting.CastAsync(_desk.Rep(58), otherPoll, BallotChoice.Yes);
        await Voting.ClosePollAsync(_desk.Chair, otherPoll);
        var ownPoll = await Voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await Voting.CastAsync(_desk.Rep(58), ownPoll, BallotChoice.Yes);

        Assert.Equal("Proposal.PollOnOtherItem", (await Assert.ThrowsAsync<DomainException>(() => Proposals.RecordDecisionAsync(_desk.Chair, id, otherPoll))).Code);
        Assert.Equal("Proposal.PollNotClosed", (await Assert.ThrowsAsync<DomainException>(() => Proposals.RecordDecisionAsync(_desk.Chair, id, ownPoll))).Code);
        Assert.Equal(ProposalStatus.UnderDeliberation, (await _desk.LoadAsync(id)).Status);
        Assert.Empty(await _desk.LogAsync(sessionId, ProposalDecidedEntry.Kind));
    }

    [Fact]
    public async Task OnlyThePresidingChairRecordsTheDecision()
    {
        var (id, sessionId, itemId, _) = await _desk.UnderDeliberationAsync(60, 63, 64);
        var pollId = await Voting.OpenPollAsync(_desk.Chair, sessionId, itemId, "是否通过该提案?");
        await Voting.CastAsync(_desk.Rep(63), pollId, BallotChoice.No);
        await Voting.ClosePollAsync(_desk.Chair, pollId);

        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.RecordDecisionAsync(_desk.Rep(60), id, pollId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.RecordDecisionAsync(_desk.Resident, id, pollId));

        Assert.Equal(ProposalStatus.UnderDeliberation, (await _desk.LoadAsync(id)).Status);
        Assert.Empty(await _desk.LogAsync(sessionId, ProposalDecidedEntry.Kind));
    }

    // ---- referral ----

    [Fact]
    public async Task ReferralToAnotherBodyLeavesALinkedCopyThere()
    {
        var id = await _desk.SubmittedAsync(65);
        var otherBody = await _desk.BodyIdAsync(ProposalDesk.OtherBodyKey);

        var copyId = await Proposals.ReferAsync(_desk.Secretary, id, otherBody, null, "涉及多个社区,由城立议事会协商");

        var original = await _desk.LoadAsync(id);
        Assert.Equal((ProposalStatus.Referred, (int?)otherBody), (original.Status, original.ReferredToBodyId));
        await using (var db = await _desk.Council.DbAsync())
        {
            Assert.Equal(await db.Bodies.Where(b => b.Id == otherBody).Select(b => b.Name).SingleAsync(), original.ReferredToName);
        }

        Assert.Equal("涉及多个社区,由城立议事会协商", original.History.OrderBy(h => h.Id).Last().Note);
        Assert.NotNull(copyId);
        var copy = await _desk.LoadAsync(copyId.Value);
        Assert.Equal((otherBody, (int?)id, ProposalStatus.Submitted), (copy.BodyId, copy.ReferredFromProposalId, copy.Status));
        Assert.Equal((original.Title, original.Text, 1), (copy.Title, copy.Text, copy.Version));
        Assert.Equal(_desk.Council.UserId("secretary"), copy.AuthorUserId);
        Assert.Equal(copyId, (await Proposals.GetAsync(_desk.Rep(1), copyId.Value)).Id);
    }

    [Fact]
    public async Task ReferralOutsideTheSystemMakesNoCopyAndOnlyTheSecretariatRefers()
    {
        var id = await _desk.SubmittedAsync(66);
        await using var db = await _desk.Council.DbAsync();
        var before = await db.Proposals.CountAsync();

        var ownBody = (await _desk.LoadAsync(id)).BodyId;

        await Assert.ThrowsAsync<ForbiddenException>(() => Proposals.ReferAsync(_desk.Rep(66), id, null, "江川路街道", "理由"));
        Assert.Equal("Proposal.ReferToSelf", (await Assert.ThrowsAsync<DomainException>(() => Proposals.ReferAsync(_desk.Secretary, id, ownBody, null, "理由"))).Code);
        var copyId = await Proposals.ReferAsync(_desk.Chair, id, null, "江川路街道", "需街道层面统筹");

        Assert.Null(copyId);
        Assert.Equal(before, await db.Proposals.CountAsync());
        var referred = await _desk.LoadAsync(id);
        Assert.Equal((ProposalStatus.Referred, (int?)null, "江川路街道"), (referred.Status, referred.ReferredToBodyId, referred.ReferredToName));
    }
}
