using CommunityDeliberation.App.Components.Shared;
using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>The tally: every count as text with a bar of its share under it, participation, and a closed vote's arithmetic.</summary>
public sealed class PollTallyTests : AppTestContext
{
    [Fact]
    public void ShowsEveryCountAsTextWithABarOfItsShareHiddenFromScreenReaders()
    {
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(61, 30, 9)));

        Assert.Equal("61", tally.Find("[data-testid=tally-yes]").TextContent);
        Assert.Equal("30", tally.Find("[data-testid=tally-no]").TextContent);
        Assert.Equal("9", tally.Find("[data-testid=tally-abstain]").TextContent);
        var bars = tally.FindAll("[data-testid=tally-bar]");
        Assert.All(bars, bar => Assert.Equal("true", bar.GetAttribute("aria-hidden")));
        Assert.Equal(["width:61%;background:#1b5e20", "width:30%;background:#b71c1c", "width:9%;background:#546e7a"], bars.Select(b => b.FirstElementChild!.GetAttribute("style")));
        Assert.Empty(tally.FindAll("svg"));
        Assert.Equal(["赞成", "反对", "弃权"], tally.FindAll("[role=rowheader]").Select(h => h.TextContent.Trim()));
        Assert.Equal("已投 100 票 / 开始时出席 100 人", tally.Find("[data-testid=tally-cast]").TextContent);
    }

    [Fact]
    public void NoBallotYetDrawsEmptyBarsAndZeroes()
    {
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(0, 0, 0)));

        Assert.Equal(["0", "0", "0"], tally.FindAll("[role=cell]").Select(c => c.TextContent));
        Assert.All(tally.FindAll("[data-testid=tally-bar] > span"), bar => Assert.StartsWith("width:0%;", bar.GetAttribute("style"), StringComparison.Ordinal));
    }

    [Fact]
    public void ElectionBarsAreSharesOfTheBallotsNotOfTheVotes()
    {
        // Two ballots marking two candidates each: 张建国 is on both (100 %), the others on one each (50 %).
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.ClosedElection(["张建国", "李秀英", "王志强"], seats: 2, votes: [2, 1, 1], ballots: 2)));

        Assert.Equal(["width:100%", "width:50%", "width:50%"], tally.FindAll("[data-testid=tally-bar] > span").Select(b => b.GetAttribute("style")!.Split(';')[0]));
    }

    [Fact]
    public void SecretVoteShowsParticipationOnlyUntilItCloses()
    {
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(10, 5, 1, secrecy: Secrecy.Secret)));

        Assert.NotNull(tally.Find("[data-testid=counts-hidden]"));
        Assert.Empty(tally.FindAll("[data-testid=tally-bar]"));
        Assert.Empty(tally.FindAll("[data-testid=tally-yes]"));
        Assert.Contains("16", tally.Find("[data-testid=tally-cast]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SimpleMajorityStatesYesAgainstNoWithAbstentionsSetAside()
    {
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(61, 30, 9, status: PollStatus.Closed)));

        Assert.Equal("通过", tally.Find("[data-testid=outcome]").TextContent.Trim());
        Assert.Equal("简单多数:赞成 61 > 反对 30(弃权 9 不计)", tally.Find("[data-testid=arithmetic]").TextContent);
        Assert.Contains("✓", tally.Find(".tally-yes .tally-label").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoThirdsOfAllMembersStatesTheThresholdItMissed()
    {
        var rule = new MajorityRule(MajorityKind.TwoThirds, MajorityBase.AllMembers, abstentionsCount: false);
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(90, 20, 5, rule, PollStatus.Closed, members: 151)));

        Assert.Equal("未通过", tally.Find("[data-testid=outcome]").TextContent.Trim());
        // ⌈151 × 2/3⌉ = 101 votes needed; 90 is fewer.
        Assert.StartsWith("赞成 90 < 所需 101 票(基数 151", tally.Find("[data-testid=arithmetic]").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Moved down from the end-to-end suite: the tally's wording of a tie for the last seat.</summary>
    [Fact]
    public void ElectionTieForTheLastSeatIsReportedNotBroken()
    {
        // 张建国 2, 李秀英 and 王志强 1 each, two seats: the second seat is tied.
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.ClosedElection(["张建国", "李秀英", "王志强"], seats: 2, votes: [2, 1, 1], ballots: 2)));

        Assert.Equal("票数相同,未决", tally.Find("[data-testid=outcome]").TextContent.Trim());
        var arithmetic = tally.Find("[data-testid=arithmetic]").TextContent;
        Assert.Contains("当选 张建国", arithmetic, StringComparison.Ordinal);
        Assert.Contains("李秀英、王志强 票数相同", arithmetic, StringComparison.Ordinal);
        Assert.Equal(["2", "1", "1"], tally.FindAll("[data-testid^=tally-option-]").Select(c => c.TextContent));
        Assert.Contains(" =", tally.FindAll(".tally-row")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EnglishResultReadsInEnglish()
    {
        UseCulture(Cultures.English);
        var tally = Render<PollTally>(p => p.Add(t => t.Poll, Polls.YesNo(3, 3, 0, status: PollStatus.Closed)));

        Assert.Equal("Not adopted", tally.Find("[data-testid=outcome]").TextContent.Trim());
        Assert.Equal("Simple majority: yes 3 ≤ no 3 (abstentions 0 not counted)", tally.Find("[data-testid=arithmetic]").TextContent);
    }
}
