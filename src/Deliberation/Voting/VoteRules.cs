namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>How a tally becomes a decision.</summary>
public static class VoteRules
{
    public static PollOutcome Decide(Tally tally, MajorityRule rule) => rule switch
    {
        // Simple majority of votes cast: more yes than no. A tie, or nothing but abstentions, is not adopted.
        MajorityRule.SimpleMajorityOfVotesCast => tally.Yes > tally.No ? PollOutcome.Adopted : PollOutcome.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };
}
