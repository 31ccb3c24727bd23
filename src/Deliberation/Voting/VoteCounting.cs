namespace CommunityDeliberation.Deliberation.Voting;

public enum PollOutcome
{
    Adopted,
    Rejected,

    /// <summary>Choices and elections: the winning options (or all seats) are decided.</summary>
    Decided,

    /// <summary>A tie decides nothing (or leaves seats open); the tied options are reported, never broken silently.</summary>
    Tie,

    /// <summary>The quorum was lost before the vote closed: the vote is not valid.</summary>
    QuorumLost,
}

/// <summary>The counts of a vote: votes per option and the number of ballots (electronic and paper together).</summary>
public sealed record VoteCount(IReadOnlyList<int> OptionVotes, int Ballots)
{
    public static VoteCount Empty(int options) => new(new int[options], 0);

    /// <summary>Ballots with no option marked (single / multiple choice and elections).</summary>
    public int BlankBallots { get; init; }

    public VoteCount Add(VoteCount other) =>
        new(OptionVotes.Zip(other.OptionVotes, (a, b) => a + b).ToArray(), Ballots + other.Ballots) { BlankBallots = BlankBallots + other.BlankBallots };

    public int this[int option] => OptionVotes[option];

    public bool ValueEquals(VoteCount other) =>
        Ballots == other.Ballots && BlankBallots == other.BlankBallots && OptionVotes.SequenceEqual(other.OptionVotes);
}

/// <summary>The decision with its arithmetic: enough to state the rule and the numbers on the result screen.</summary>
public sealed record PollDecision(
    PollOutcome Outcome,
    int Base,
    int Threshold,
    IReadOnlyList<int> Winners,
    IReadOnlyList<int> Tied,
    IReadOnlyList<int> Ranking);

/// <summary>Decides votes. Pure arithmetic on exact integers; no I/O.</summary>
public static class VoteCounting
{
    /// <param name="present">Voting members present (checked in) when the vote closes.</param>
    /// <param name="members">All voting members of the term.</param>
    public static PollDecision Decide(PollSpec spec, VoteCount count, int present, int members, bool quorumMet = true)
    {
        var ranking = Enumerable.Range(0, count.OptionVotes.Count).OrderByDescending(i => count[i]).ThenBy(i => i).ToList();
        if (!quorumMet)
        {
            return new PollDecision(PollOutcome.QuorumLost, 0, 0, [], [], ranking);
        }

        return spec.Method == VoteMethod.YesNoAbstain
            ? DecideMotion(spec.Rule, count, present, members, ranking)
            : DecideChoice(spec, count, present, members, ranking);
    }

    /// <summary>The base of the rule: votes cast (with or without abstentions), members present, or all members.</summary>
    public static int BaseOf(MajorityRule rule, int votesCastWithoutAbstentions, int abstentions, int present, int members) => rule.Base switch
    {
        MajorityBase.MembersPresent => present,
        MajorityBase.AllMembers => members,
        _ => votesCastWithoutAbstentions + (rule.AbstentionsCount ? abstentions : 0),
    };

    private static PollDecision DecideMotion(MajorityRule rule, VoteCount count, int present, int members, List<int> ranking)
    {
        int yes = count[PollSpec.Yes], no = count[PollSpec.No], abstain = count[PollSpec.Abstain];
        var @base = BaseOf(rule, yes + no, abstain, present, members);
        bool adopted;
        int threshold;
        if (rule.Kind == MajorityKind.Simple)
        {
            // More yes than no; when abstentions count as votes cast, more yes than no and abstentions together.
            var against = no + (rule.AbstentionsCount ? abstain : 0);
            threshold = against + 1;
            adopted = yes > against;
        }
        else
        {
            threshold = rule.Threshold(@base);
            adopted = rule.Meets(yes, @base);
        }

        return new PollDecision(adopted ? PollOutcome.Adopted : PollOutcome.Rejected, @base, threshold, adopted ? [PollSpec.Yes] : [], [], ranking);
    }

    private static PollDecision DecideChoice(PollSpec spec, VoteCount count, int present, int members, List<int> ranking)
    {
        var nonBlank = count.Ballots - count.BlankBallots;
        var @base = BaseOf(spec.Rule, nonBlank, count.BlankBallots, present, members);
        var simple = spec.Rule.Kind == MajorityKind.Simple;
        var threshold = simple ? 1 : Math.Max(1, spec.Rule.Threshold(@base));

        // Options that may win at all: at least one vote and, under a threshold rule, meeting it.
        var qualified = ranking.Where(i => count[i] >= threshold && (simple || spec.Rule.Meets(count[i], @base))).ToList();

        if (spec.Method == VoteMethod.MultipleChoice)
        {
            // Each option stands on its own: adopted when it meets the rule (simple: more than half of the non-blank ballots).
            var adopted = simple
                ? ranking.Where(i => 2L * count[i] > nonBlank + (spec.Rule.AbstentionsCount ? count.BlankBallots : 0)).ToList()
                : qualified;
            var simpleThreshold = ((nonBlank + (spec.Rule.AbstentionsCount ? count.BlankBallots : 0)) / 2) + 1;
            return new PollDecision(adopted.Count > 0 ? PollOutcome.Decided : PollOutcome.Rejected, @base, simple ? simpleThreshold : threshold, adopted, [], ranking);
        }

        var seats = spec.Method == VoteMethod.Election ? spec.Seats : 1;
        if (qualified.Count == 0)
        {
            return new PollDecision(PollOutcome.Rejected, @base, threshold, [], [], ranking);
        }

        if (qualified.Count <= seats)
        {
            return new PollDecision(PollOutcome.Decided, @base, threshold, qualified, [], ranking);
        }

        // More qualified options than seats: the last seat's vote count decides; a tie across that line is reported.
        var line = count[qualified[seats - 1]];
        var winners = qualified.Where(i => count[i] > line).ToList();
        var atLine = qualified.Where(i => count[i] == line).ToList();
        if (winners.Count + atLine.Count == seats)
        {
            return new PollDecision(PollOutcome.Decided, @base, threshold, winners.Concat(atLine).ToList(), [], ranking);
        }

        return new PollDecision(PollOutcome.Tie, @base, threshold, winners, atLine, ranking);
    }
}
