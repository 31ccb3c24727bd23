using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>The proposal's state machine, versions and co-sponsorship, without a database.</summary>
public sealed class ProposalTests
{
    private const string Author = "user-author";
    private const string Chair = "user-chair";
    private const string Text = "第一段:现状。\n\n第二段:建议。\n\n第三段:落实。";

    private static readonly DateTime T0 = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private static Proposal NewDraft() =>
        Proposal.Draft(1, "关于楼道加装扶手的提案", Text, ProposalCategory.Facilities, null, Author, "吴若冰", T0);

    private static Proposal Submitted()
    {
        var p = NewDraft();
        p.Submit(Author, T0.AddMinutes(1));
        return p;
    }

    private static Proposal OnAgenda(int threshold = 0)
    {
        var p = Submitted();
        p.PlaceOnAgenda(42, threshold, Chair, T0.AddMinutes(2));
        return p;
    }

    private static Proposal UnderDeliberation()
    {
        var p = OnAgenda();
        Assert.True(p.BeginDeliberation(Chair, T0.AddMinutes(3)));
        return p;
    }

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    [Fact]
    public void ANewDraftIsVersionOneWithItsCreationInTheHistory()
    {
        var p = NewDraft();

        Assert.Equal(ProposalStatus.Draft, p.Status);
        Assert.Equal(1, p.Version);
        var version = Assert.Single(p.Versions);
        Assert.Equal((1, "关于楼道加装扶手的提案", Text, "吴若冰", (int?)null), (version.Number, version.Title, version.Text, version.AuthorName, version.AmendmentNumber));
        var created = Assert.Single(p.History);
        Assert.Equal(((ProposalStatus?)null, ProposalStatus.Draft, Author, T0), (created.From, created.To, created.ByUserId, created.AtUtc));
        Assert.Null(p.SubmittedAtUtc);
    }

    [Fact]
    public void EveryStepToAdoptionIsRecordedWithWhoAndWhen()
    {
        var p = UnderDeliberation();
        p.RecordDecision(7, adopted: true, Chair, T0.AddMinutes(4));

        Assert.Equal(ProposalStatus.Adopted, p.Status);
        Assert.True(p.IsClosed);
        Assert.Equal(7, p.DecidedByPollId);
        Assert.Equal(42, p.AgendaItemId);
        Assert.Equal(T0.AddMinutes(1), p.SubmittedAtUtc);
        Assert.Equal(
            [
                (null, ProposalStatus.Draft, Author, T0),
                (ProposalStatus.Draft, ProposalStatus.Submitted, Author, T0.AddMinutes(1)),
                (ProposalStatus.Submitted, ProposalStatus.OnAgenda, Chair, T0.AddMinutes(2)),
                (ProposalStatus.OnAgenda, ProposalStatus.UnderDeliberation, Chair, T0.AddMinutes(3)),
                ((ProposalStatus?)ProposalStatus.UnderDeliberation, ProposalStatus.Adopted, Chair, T0.AddMinutes(4)),
            ],
            p.History.Select(h => (h.From, h.To, h.ByUserId, h.AtUtc)));
    }

    [Fact]
    public void ADefeatingVoteRejectsTheProposalStraightFromTheAgenda()
    {
        var p = OnAgenda();

        p.RecordDecision(8, adopted: false, Chair, T0.AddMinutes(5));

        Assert.Equal(ProposalStatus.Rejected, p.Status);
        Assert.Equal(8, p.DecidedByPollId);
        Assert.Equal((ProposalStatus.OnAgenda, ProposalStatus.Rejected), (p.History[^1].From!.Value, p.History[^1].To));
    }

    [Fact]
    public void SubmittingTwiceIsRefusedAndNamesTheCurrentState()
    {
        var p = Submitted();

        var ex = Refused(() => p.Submit(Author, T0.AddMinutes(9)));

        Assert.Equal("Proposal.WrongState", ex.Code);
        Assert.Equal(["Submitted"], ex.Arguments);
        Assert.Equal(2, p.History.Count);
    }

    [Fact]
    public void ADraftCannotBePlacedOnTheAgenda()
    {
        var p = NewDraft();

        var ex = Refused(() => p.PlaceOnAgenda(42, 0, Chair, T0));

        Assert.Equal("Proposal.WrongState", ex.Code);
        Assert.Equal(["Draft"], ex.Arguments);
        Assert.Null(p.AgendaItemId);
    }

    [Fact]
    public void NoDecisionCanBeRecordedBeforeTheProposalIsOnAnAgenda()
    {
        var p = Submitted();

        Assert.Equal("Proposal.NotUnderDeliberation", Refused(() => p.RecordDecision(1, true, Chair, T0)).Code);
        Assert.Equal(ProposalStatus.Submitted, p.Status);
        Assert.Null(p.DecidedByPollId);
    }

    [Fact]
    public void DeliberationBeginsOnlyForAProposalOnTheAgenda()
    {
        var submitted = Submitted();
        var deliberating = UnderDeliberation();

        Assert.False(submitted.BeginDeliberation(Chair, T0));
        Assert.False(deliberating.BeginDeliberation(Chair, T0));
        Assert.Equal(ProposalStatus.Submitted, submitted.Status);
        Assert.Equal(2, submitted.History.Count);
        Assert.Equal(4, deliberating.History.Count);
    }

    [Fact]
    public void AuthorWithdrawsWithAReasonBeforeDeliberation()
    {
        var p = OnAgenda();

        p.Withdraw(Author, T0.AddMinutes(6), "  已与物业协商解决  ");

        Assert.Equal(ProposalStatus.Withdrawn, p.Status);
        var last = p.History[^1];
        Assert.Equal((ProposalStatus.OnAgenda, ProposalStatus.Withdrawn, Author, "已与物业协商解决"), (last.From!.Value, last.To, last.ByUserId, last.Note));
    }

    [Fact]
    public void AProposalUnderDeliberationCannotBeWithdrawn()
    {
        var p = UnderDeliberation();

        Assert.Equal("Proposal.CannotWithdraw", Refused(() => p.Withdraw(Author, T0, null)).Code);
        Assert.Equal(ProposalStatus.UnderDeliberation, p.Status);
    }

    [Theory]
    [InlineData(ProposalStatus.Adopted)]
    [InlineData(ProposalStatus.Rejected)]
    [InlineData(ProposalStatus.Withdrawn)]
    [InlineData(ProposalStatus.Referred)]
    public void AClosedProposalRefusesEveryFurtherTransition(ProposalStatus closedAs)
    {
        var p = Closed(closedAs);
        var history = p.History.Count;

        Assert.Equal("Proposal.WrongState", Refused(() => p.Submit(Author, T0)).Code);
        Assert.Equal("Proposal.WrongState", Refused(() => p.PlaceOnAgenda(43, 0, Chair, T0)).Code);
        Assert.Equal("Proposal.NotUnderDeliberation", Refused(() => p.RecordDecision(9, true, Chair, T0)).Code);
        Assert.Equal("Proposal.CannotWithdraw", Refused(() => p.Withdraw(Author, T0, null)).Code);
        Assert.Equal("Proposal.AlreadyClosed", Refused(() => p.Refer(2, "街道", "理由", Chair, T0)).Code);
        Assert.Equal("Proposal.NotEditable", Refused(() => p.Edit(Author, "吴若冰", "新标题", Text, p.Version, T0)).Code);
        Assert.False(p.BeginDeliberation(Chair, T0));
        Assert.Equal(closedAs, p.Status);
        Assert.Equal(history, p.History.Count);
    }

    [Fact]
    public void ReferralRecordsTheTargetAndTheReason()
    {
        var p = Submitted();

        p.Refer(2, " 江川路街道 ", "涉及多个社区,需街道统筹", Chair, T0.AddMinutes(7));

        Assert.Equal(ProposalStatus.Referred, p.Status);
        Assert.Equal((int?)2, p.ReferredToBodyId);
        Assert.Equal("江川路街道", p.ReferredToName);
        Assert.Equal("涉及多个社区,需街道统筹", p.History[^1].Note);
    }

    [Fact]
    public void ReferralNeedsAReasonAndAnotherBody()
    {
        var p = Submitted();

        Assert.Equal("Proposal.Reason.Required", Refused(() => p.Refer(2, "江川路街道", "  ", Chair, T0)).Code);
        Assert.Equal("Proposal.ReferToSelf", Refused(() => p.Refer(1, "本议事会", "理由", Chair, T0)).Code);
        Assert.Equal("Proposal.ReferredTo.Required", Refused(() => p.Refer(null, "", "理由", Chair, T0)).Code);
        Assert.Equal(ProposalStatus.Submitted, p.Status);
        Assert.Null(p.ReferredToName);
    }

    [Fact]
    public void AnEditIsANewVersionByTheEditor()
    {
        var p = Submitted();

        var version = p.Edit(Author, "吴若冰", "关于楼道加装扶手和照明的提案", Text + "\n\n第四段:照明。", 1, T0.AddHours(1));

        Assert.Equal(2, version.Number);
        Assert.Equal(2, p.Version);
        Assert.Equal("关于楼道加装扶手和照明的提案", p.Title);
        Assert.EndsWith("第四段:照明。", p.Text, StringComparison.Ordinal);
        Assert.Equal([1, 2], p.Versions.Select(v => v.Number));
        Assert.Equal(Text, p.Versions[0].Text);
        Assert.Equal((p.Text, T0.AddHours(1), (int?)null), (version.Text, version.CreatedAtUtc, version.AmendmentNumber));
    }

    [Fact]
    public void AnEditFromAnOlderVersionIsAConflictNamingTheCurrentVersionAndItsEditor()
    {
        var p = Submitted();
        p.Edit(Author, "第一位编辑", "标题二", Text, 1, T0.AddHours(1));

        var ex = Refused(() => p.Edit(Author, "第二位编辑", "标题三", Text, 1, T0.AddHours(2)));

        Assert.Equal("Proposal.EditConflict", ex.Code);
        Assert.Equal([2, "第一位编辑"], ex.Arguments);
        Assert.Equal("标题二", p.Title);
        Assert.Equal(2, p.Versions.Count);
    }

    [Fact]
    public void AnEditThatChangesNothingIsRefused()
    {
        var p = Submitted();

        var ex = Refused(() => p.Edit(Author, "吴若冰", "  关于楼道加装扶手的提案 ", Text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\n", 1, T0));

        Assert.Equal("Proposal.NothingChanged", ex.Code);
        Assert.Equal(1, p.Version);
        Assert.Single(p.Versions);
    }

    [Fact]
    public void OnlyDraftsAndSubmittedProposalsCanBeEdited()
    {
        var p = OnAgenda();

        Assert.Equal("Proposal.NotEditable", Refused(() => p.Edit(Author, "吴若冰", "新标题", Text, 1, T0)).Code);
        Assert.Equal(1, p.Version);
    }

    [Fact]
    public void TheAuthorCannotCoSponsorTheirOwnProposal()
    {
        var p = Submitted();

        Assert.Equal("Proposal.CoSponsorOwn", Refused(() => p.CoSponsor(Author, "吴若冰", T0)).Code);
        Assert.Empty(p.CoSponsors);
    }

    [Fact]
    public void AMemberCoSponsorsOnlyOnce()
    {
        var p = Submitted();
        p.CoSponsor("user-2", "顾蓉", T0);

        Assert.Equal("Proposal.AlreadyCoSponsored", Refused(() => p.CoSponsor("user-2", "顾蓉", T0)).Code);
        Assert.Single(p.CoSponsors);
    }

    [Fact]
    public void CoSponsoringIsOpenOnlyWhileSubmitted()
    {
        var draft = NewDraft();
        var onAgenda = OnAgenda();

        Assert.Equal("Proposal.CoSponsorClosed", Refused(() => draft.CoSponsor("user-2", "顾蓉", T0)).Code);
        Assert.Equal("Proposal.CoSponsorClosed", Refused(() => onAgenda.CoSponsor("user-2", "顾蓉", T0)).Code);
        Assert.Empty(draft.CoSponsors);
        Assert.Empty(onAgenda.CoSponsors);
    }

    [Theory]
    [InlineData(0, 2, 2)]
    [InlineData(1, 2, 1)]
    [InlineData(2, 3, 1)]
    public void PlacingOnTheAgendaWithTooFewCoSponsorsSaysHowManyAreMissing(int sponsors, int threshold, int missing)
    {
        var p = Submitted();
        for (var i = 0; i < sponsors; i++)
        {
            p.CoSponsor($"user-{i}", $"代表{i}", T0);
        }

        var ex = Refused(() => p.PlaceOnAgenda(42, threshold, Chair, T0));

        Assert.Equal("Proposal.CoSponsorsMissing", ex.Code);
        Assert.Equal([missing, threshold], ex.Arguments);
        Assert.Equal(ProposalStatus.Submitted, p.Status);
        Assert.Null(p.AgendaItemId);
    }

    [Fact]
    public void AWithdrawnCoSponsorshipNoLongerCountsTowardsTheThreshold()
    {
        var p = Submitted();
        p.CoSponsor("user-2", "顾蓉", T0);
        p.CoSponsor("user-3", "钱秀英", T0);
        p.WithdrawCoSponsorship("user-3");

        Assert.Equal("Proposal.CoSponsorsMissing", Refused(() => p.PlaceOnAgenda(42, 2, Chair, T0)).Code);
        Assert.Equal("Proposal.NotCoSponsored", Refused(() => p.WithdrawCoSponsorship("user-3")).Code);

        p.CoSponsor("user-4", "杨宇航", T0);
        p.PlaceOnAgenda(42, 2, Chair, T0);
        Assert.Equal(ProposalStatus.OnAgenda, p.Status);
    }

    private static Proposal Closed(ProposalStatus status)
    {
        switch (status)
        {
            case ProposalStatus.Adopted:
            case ProposalStatus.Rejected:
                var decided = UnderDeliberation();
                decided.RecordDecision(1, status == ProposalStatus.Adopted, Chair, T0.AddMinutes(4));
                return decided;
            case ProposalStatus.Withdrawn:
                var withdrawn = Submitted();
                withdrawn.Withdraw(Author, T0.AddMinutes(4), null);
                return withdrawn;
            default:
                var referred = Submitted();
                referred.Refer(null, "江川路街道", "由街道统筹", Chair, T0.AddMinutes(4));
                return referred;
        }
    }
}
