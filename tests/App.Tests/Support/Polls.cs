using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Sessions;

namespace CommunityDeliberation.App.Tests.Support;

/// <summary>Poll views as the services hand them to the UI, decided by the real counting rules.</summary>
public static class Polls
{
    public static PollView YesNo(int yes, int no, int abstain, MajorityRule? rule = null, PollStatus status = PollStatus.Open,
        Secrecy secrecy = Secrecy.Named, int present = 100, int members = 151)
    {
        rule ??= MajorityRule.SimpleOfVotesCast;
        var spec = PollSpec.YesNoAbstain(secrecy, rule);
        var count = new VoteCount([yes, no, abstain], yes + no + abstain);
        var finished = status is PollStatus.Closed or PollStatus.Published or PollStatus.Annulled;
        var decision = finished ? VoteCounting.Decide(spec, count, present, members) : null;
        var visible = finished || secrecy == Secrecy.Named;
        return new PollView(1, 1, "是否同意加装电梯方案?", VoteMethod.YesNoAbstain, secrecy, rule, 1, 1, 0, status, spec.Options,
            count.Ballots, 0, present, visible ? count : null, decision?.Outcome, decision, Start, null, finished ? Start.AddMinutes(5) : null,
            present, members, null, false);
    }

    public static PollView Choice(VoteMethod method, IReadOnlyList<string> options, int min, int max, int seats = 0, PollStatus status = PollStatus.Open)
    {
        var count = VoteCount.Empty(options.Count);
        return new PollView(2, 1, "选择小区改造的优先项目", method, Secrecy.Named, MajorityRule.SimpleOfVotesCast, min, max, seats, status, options,
            0, 0, 100, count, null, null, Start, null, null, 0, 0, null, false);
    }

    /// <summary>A closed election of <paramref name="seats"/> seats with these votes per candidate, decided by the real rules.</summary>
    public static PollView ClosedElection(IReadOnlyList<string> candidates, int seats, int[] votes, int ballots, int present = 100, int members = 151)
    {
        var spec = new PollSpec(VoteMethod.Election, candidates, 0, seats, seats, Secrecy.Named, MajorityRule.SimpleOfVotesCast);
        var count = new VoteCount(votes, ballots);
        var decision = VoteCounting.Decide(spec, count, present, members);
        return new PollView(3, 1, "增补议事会委员(2 名)", VoteMethod.Election, Secrecy.Named, spec.Rule, 0, seats, seats, PollStatus.Closed, candidates,
            ballots, 0, present, count, decision.Outcome, decision, Start, null, Start.AddMinutes(5), present, members, null, false);
    }

    private static DateTime Start => AppTestContext.Start.UtcDateTime;
}
