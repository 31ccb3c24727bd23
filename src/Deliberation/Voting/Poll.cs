using CommunityDeliberation.Deliberation.Common;

namespace CommunityDeliberation.Deliberation.Voting;

public enum PollStatus
{
    Open,
    Closed,
}

public enum PollOutcome
{
    Adopted,
    Rejected,
}

public enum MajorityRule
{
    /// <summary>Yes &gt; No among votes cast; abstentions do not count either way.</summary>
    SimpleMajorityOfVotesCast,
}

/// <summary>A yes / no / abstain vote on an agenda item. Ballots are separate rows, one per member (unique index).</summary>
public sealed class Poll
{
    private Poll()
    {
        Question = OpenedByUserId = string.Empty;
    }

    private Poll(int sessionId, int agendaItemId, string question, string openedByUserId, DateTime nowUtc)
    {
        SessionId = sessionId;
        AgendaItemId = agendaItemId;
        Question = Guard.RequiredText(question, Limits.Question, "Poll.Question");
        OpenedByUserId = openedByUserId;
        OpenedAtUtc = nowUtc;
        Status = PollStatus.Open;
        Rule = MajorityRule.SimpleMajorityOfVotesCast;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int AgendaItemId { get; private set; }

    public string Question { get; private set; }

    public MajorityRule Rule { get; private set; }

    public PollStatus Status { get; private set; }

    public string OpenedByUserId { get; private set; }

    public DateTime OpenedAtUtc { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    /// <summary>Members eligible to vote when the poll opened (checked-in voting members).</summary>
    public int EligibleAtOpen { get; private set; }

    /// <summary>
    /// Ballots stored so far. Each cast increments it in the same transaction as its ballot, only while the poll is
    /// open; closing checks it as a concurrency token, so a ballot cannot slip in between the count and the close.
    /// </summary>
    public int BallotCount { get; private set; }

    /// <summary>The final count, fixed when the poll closes.</summary>
    public Tally? Result { get; private set; }

    public PollOutcome? Outcome { get; private set; }

    public static Poll Open(int sessionId, int agendaItemId, string question, int eligible, string openedByUserId, DateTime nowUtc)
    {
        if (eligible <= 0)
        {
            throw new DomainException("Poll.NoEligibleVoters");
        }

        return new Poll(sessionId, agendaItemId, question, openedByUserId, nowUtc) { EligibleAtOpen = eligible };
    }

    public void EnsureAcceptsBallots()
    {
        if (Status != PollStatus.Open)
        {
            throw new DomainException("Poll.Closed");
        }
    }

    /// <summary>Closes the poll with the final tally counted from the stored ballots, and decides the outcome.</summary>
    public PollOutcome Close(Tally finalTally, DateTime nowUtc)
    {
        EnsureAcceptsBallots();
        if (finalTally.Cast != BallotCount)
        {
            throw new InvalidOperationException($"Poll {Id}: counted {finalTally.Cast} ballots but {BallotCount} were recorded");
        }

        Status = PollStatus.Closed;
        ClosedAtUtc = nowUtc;
        Result = finalTally;
        Outcome = VoteRules.Decide(finalTally, Rule);
        return Outcome.Value;
    }
}
