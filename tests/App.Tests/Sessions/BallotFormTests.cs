using CommunityDeliberation.App.Components.Pages.Sessions;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.App.Tests.Sessions;

/// <summary>The ballot: yes / no / abstain at one tap, choices within the poll's limits, ballots for held proxies.</summary>
public sealed class BallotFormTests : AppTestContext
{
    private readonly List<(IReadOnlyList<int> Selections, int For)> _cast = [];

    [Fact]
    public void YesNoAbstainCastsAtOnceForTheViewer()
    {
        var form = RenderBallot(Polls.YesNo(0, 0, 0), [(7, "本人")]);

        form.Find("[data-testid=vote-no]").Click();

        var cast = Assert.Single(_cast);
        Assert.Equal([PollSpec.No], cast.Selections);
        Assert.Equal(7, cast.For);
        Assert.Empty(form.FindAll("fieldset.ballot-target"));
    }

    [Fact]
    public void DisablesSubmitUntilMinChoicesPicked()
    {
        var form = RenderBallot(Polls.Choice(VoteMethod.MultipleChoice, ["加装电梯", "雨污分流", "停车位", "绿化"], min: 2, max: 3), [(7, "本人")]);

        Assert.True(form.Find("[data-testid=cast]").HasAttribute("disabled"));
        form.Find("[data-testid=option-0]").Change(true);
        Assert.True(form.Find("[data-testid=cast]").HasAttribute("disabled"));
        form.Find("[data-testid=option-2]").Change(true);

        Assert.False(form.Find("[data-testid=cast]").HasAttribute("disabled"));
        Assert.Contains("2", form.Find("[data-testid=ballot-selected]").TextContent, StringComparison.Ordinal);
        form.Find("[data-testid=cast]").Click();
        Assert.Equal([0, 2], Assert.Single(_cast).Selections);
    }

    [Fact]
    public void DisablesSubmitBeyondMaxChoices()
    {
        var form = RenderBallot(Polls.Choice(VoteMethod.MultipleChoice, ["甲", "乙", "丙"], min: 1, max: 2), [(7, "本人")]);

        foreach (var i in new[] { 0, 1, 2 })
        {
            form.Find($"[data-testid=option-{i}]").Change(true);
        }

        Assert.True(form.Find("[data-testid=cast]").HasAttribute("disabled"));
        form.Find("[data-testid=option-1]").Change(false);
        Assert.False(form.Find("[data-testid=cast]").HasAttribute("disabled"));
    }

    [Fact]
    public void SingleChoiceOffersRadioButtonsAndStatesTheLimit()
    {
        var form = RenderBallot(Polls.Choice(VoteMethod.SingleChoice, ["方案一", "方案二"], min: 1, max: 1), [(7, "本人")]);

        Assert.All(form.FindAll("[data-testid^=option-]"), input => Assert.Equal("radio", input.GetAttribute("type")));
        Assert.Equal("选择一项", form.Find("fieldset.ballot-options legend").TextContent.Trim());
        form.Find("[data-testid=option-1]").Change(true);
        form.Find("[data-testid=option-0]").Change(true);
        form.Find("[data-testid=cast]").Click();
        Assert.Equal([0], Assert.Single(_cast).Selections);
    }

    [Fact]
    public void ProxyHolderChoosesWhoseBallotItIs()
    {
        var form = RenderBallot(Polls.YesNo(0, 0, 0), [(7, "本人"), (12, "代 王芳 投票")]);

        var targets = form.FindAll("fieldset.ballot-target input[type=radio]");
        Assert.Equal(2, targets.Count);
        Assert.Contains("代 王芳 投票", form.Find("fieldset.ballot-target").TextContent, StringComparison.Ordinal);
        form.Find("[data-testid=target-12]").Change(true);
        form.Find("[data-testid=vote-yes]").Click();

        Assert.Equal((IReadOnlyList<int>)[PollSpec.Yes], Assert.Single(_cast).Selections);
        Assert.Equal(12, _cast[0].For);
    }

    [Fact]
    public void ElectionSaysHowManyMayBeChosen()
    {
        var form = RenderBallot(Polls.Choice(VoteMethod.Election, ["张伟", "李娜", "陈静"], min: 0, max: 2, seats: 2), [(7, "本人")]);

        Assert.Contains("2", form.Find("fieldset.ballot-options legend").TextContent, StringComparison.Ordinal);
        // No choice at all is a blank ballot, allowed when the minimum is zero, and the button says so.
        Assert.False(form.Find("[data-testid=cast]").HasAttribute("disabled"));
        Assert.Equal("投空白票", form.Find("[data-testid=cast]").TextContent.Trim());
    }

    [Fact]
    public void ButtonsAreDisabledWhileAnActionRuns()
    {
        var form = Render<BallotForm>(p => p
            .Add(b => b.Poll, Polls.YesNo(0, 0, 0))
            .Add(b => b.Targets, new List<(int, string)> { (7, "本人") })
            .Add(b => b.Busy, true)
            .Add(b => b.OnCast, args => _cast.Add(args)));

        Assert.All(form.FindAll(".ballot-buttons button"), b => Assert.True(b.HasAttribute("disabled")));
    }

    private IRenderedComponent<BallotForm> RenderBallot(PollView poll, List<(int, string)> targets) =>
        Render<BallotForm>(p => p
            .Add(b => b.Poll, poll)
            .Add(b => b.Targets, targets)
            .Add(b => b.OnCast, args => _cast.Add(args)));
}
