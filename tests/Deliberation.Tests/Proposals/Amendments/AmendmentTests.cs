using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Proposals.Amendments;

/// <summary>Amendments to one paragraph of a proposal: proposing, accepting, voting, and amendments that went out of date.</summary>
public sealed class AmendmentTests
{
    private const string Author = "user-author";
    private const string Member = "user-member";
    private const string Chair = "user-chair";
    private const string Text = "第一段:现状。\n\n第二段:建议每季度宣讲一次。\n\n第三段:落实。";

    private static readonly DateTime T0 = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private static Proposal Submitted(string text = Text)
    {
        var p = Proposal.Draft(1, "关于消防安全宣讲的提案", text, ProposalCategory.Safety, null, Author, "杨宇航", T0);
        p.Submit(Author, T0);
        return p;
    }

    private static Amendment Propose(Proposal p, int paragraph, string? proposed, int number = 1) =>
        Amendment.Propose(p, number, paragraph, proposed, "频次太低", Member, "陆学军", T0.AddMinutes(number));

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    [Fact]
    public void AnAmendmentRemembersTheParagraphAndTheVersionItWasWrittenAgainst()
    {
        var p = Submitted();

        var a = Propose(p, 1, "第二段:建议每月宣讲一次。");

        Assert.Equal((1, 1, "第二段:建议每季度宣讲一次。", "第二段:建议每月宣讲一次。"), (a.ParagraphIndex, a.BaseVersion, a.OriginalText, a.ProposedText));
        Assert.Equal(AmendmentStatus.Proposed, a.Status);
        Assert.True(a.IsOpen);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void AnAmendmentToAParagraphThatDoesNotExistIsRefused(int paragraph)
    {
        var ex = Refused(() => Propose(Submitted(), paragraph, "新内容"));

        Assert.Equal("Amendment.UnknownParagraph", ex.Code);
        Assert.Equal([3], ex.Arguments);
    }

    [Fact]
    public void AnAmendmentThatChangesNothingIsRefused()
    {
        Assert.Equal("Amendment.NoChange", Refused(() => Propose(Submitted(), 1, "  第二段:建议每季度宣讲一次。\r\n")).Code);
    }

    [Theory]
    [InlineData("新的第二段。\n\n另起一段。")]
    [InlineData("新的第二段。\r\n  \r\n另起一段。")]
    public void AnAmendmentSpanningSeveralParagraphsIsRefused(string proposed)
    {
        Assert.Equal("Amendment.OneParagraph", Refused(() => Propose(Submitted(), 1, proposed)).Code);
    }

    [Fact]
    public void ADraftCannotBeAmended()
    {
        var draft = Proposal.Draft(1, "草稿", Text, ProposalCategory.Safety, null, Author, "杨宇航", T0);

        Assert.Equal("Proposal.NotAmendable", Refused(() => Propose(draft, 0, "新内容")).Code);
    }

    [Fact]
    public void AcceptingReplacesTheParagraphInANewVersionThatNamesTheAmendment()
    {
        var p = Submitted();
        var a = Propose(p, 1, "第二段:建议每月宣讲一次。", number: 4);

        var version = a.Accept(p, Chair, "顾建民", T0.AddHours(1));

        Assert.Equal(2, version.Number);
        Assert.Equal(4, version.AmendmentNumber);
        Assert.Equal("顾建民", version.AuthorName);
        Assert.Equal("第一段:现状。\n\n第二段:建议每月宣讲一次。\n\n第三段:落实。", p.Text);
        Assert.Equal(2, p.Version);
        Assert.Equal((AmendmentStatus.Accepted, (int?)2, Chair, (DateTime?)T0.AddHours(1)), (a.Status, a.ResultVersion, a.DecidedByUserId, a.DecidedAtUtc));
        Assert.False(a.IsOpen);
    }

    [Fact]
    public void AnEmptyProposedTextDeletesTheParagraph()
    {
        var p = Submitted();

        Propose(p, 1, "   ").Accept(p, Chair, "顾建民", T0);

        Assert.Equal("第一段:现状。\n\n第三段:落实。", p.Text);
    }

    [Fact]
    public void AnAmendmentStillAppliesWhenItsParagraphMovedUnchanged()
    {
        var p = Submitted();
        var a = Propose(p, 1, "第二段:建议每月宣讲一次。");
        p.Edit(Author, "杨宇航", p.Title, "第零段:背景。\n\n" + Text, p.Version, T0.AddMinutes(30));

        a.Accept(p, Chair, "顾建民", T0.AddHours(1));

        Assert.Equal(["第零段:背景。", "第一段:现状。", "第二段:建议每月宣讲一次。", "第三段:落实。"], Paragraphs.Split(p.Text));
    }

    [Fact]
    public void AnAmendmentWhoseParagraphChangedMeanwhileIsOutdated()
    {
        var p = Submitted();
        var a = Propose(p, 1, "第二段:建议每月宣讲一次。", number: 2);
        p.Edit(Author, "杨宇航", p.Title, Text.Replace("每季度", "每半年", StringComparison.Ordinal), p.Version, T0.AddMinutes(30));

        var ex = Refused(() => a.Accept(p, Chair, "顾建民", T0.AddHours(1)));

        Assert.Equal("Amendment.Outdated", ex.Code);
        Assert.Equal([2], ex.Arguments);
        Assert.Equal(AmendmentStatus.Proposed, a.Status);
        Assert.Equal(2, p.Version);
        Assert.Contains("每半年", p.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptingOneOfTwoCompetingAmendmentsOutdatesTheOther()
    {
        var p = Submitted();
        var monthly = Propose(p, 1, "第二段:建议每月宣讲一次。", number: 1);
        var weekly = Propose(p, 1, "第二段:建议每周宣讲一次。", number: 2);

        monthly.Accept(p, Chair, "顾建民", T0.AddHours(1));

        Assert.Equal("Amendment.Outdated", Refused(() => weekly.Accept(p, Chair, "顾建民", T0.AddHours(2))).Code);
        Assert.Equal(2, p.Version);
    }

    [Fact]
    public void ADecidedAmendmentCannotBeDecidedAgain()
    {
        var p = Submitted();
        var a = Propose(p, 0, "第一段:新的现状。");
        a.Reject(Chair, T0, "  与事实不符 ");

        Assert.Equal("与事实不符", a.DecisionNote);
        var ex = Refused(() => a.Accept(p, Chair, "顾建民", T0));
        Assert.Equal("Amendment.AlreadyDecided", ex.Code);
        Assert.Equal(["Rejected"], ex.Arguments);
        Assert.Equal(1, p.Version);
    }

    [Fact]
    public void AnAdoptedVoteChangesTheTextAndADefeatedOneDoesNot()
    {
        var p = Submitted();
        var adopted = Propose(p, 0, "第一段:新的现状。", number: 1);
        var defeated = Propose(p, 2, "第三段:由居委会落实。", number: 2);
        adopted.PutToVote(11);
        defeated.PutToVote(12);

        var version = adopted.RecordVote(p, adopted: true, Chair, "顾建民", T0);
        var none = defeated.RecordVote(p, adopted: false, Chair, "顾建民", T0);

        Assert.Equal(2, version!.Number);
        Assert.Equal(1, version.AmendmentNumber);
        Assert.Null(none);
        Assert.Equal((AmendmentStatus.Adopted, (int?)11, (int?)2), (adopted.Status, adopted.PollId, adopted.ResultVersion));
        Assert.Equal((AmendmentStatus.Defeated, (int?)null), (defeated.Status, defeated.ResultVersion));
        Assert.Equal("第一段:新的现状。\n\n第二段:建议每季度宣讲一次。\n\n第三段:落实。", p.Text);
    }

    [Fact]
    public void AVoteCanOnlyBeRecordedForAnAmendmentPutToVote()
    {
        var p = Submitted();
        var a = Propose(p, 0, "第一段:新的现状。");

        Assert.Equal("Amendment.NotVoting", Refused(() => a.RecordVote(p, true, Chair, "顾建民", T0)).Code);
        a.PutToVote(5);
        Assert.Equal("Amendment.AlreadyDecided", Refused(() => a.Accept(p, Chair, "顾建民", T0)).Code);
        Assert.Equal(1, p.Version);
    }

    [Fact]
    public void OnlyItsAuthorWithdrawsAnAmendment()
    {
        var a = Propose(Submitted(), 0, "第一段:新的现状。");

        Assert.Equal("Amendment.NotAuthor", Refused(() => a.Withdraw(Chair, T0)).Code);
        a.Withdraw(Member, T0);
        Assert.Equal(AmendmentStatus.Withdrawn, a.Status);
    }
}
