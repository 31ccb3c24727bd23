namespace CommunityDeliberation.Deliberation.Voting;

public enum BallotChoice
{
    Yes,
    No,
    Abstain,
}

/// <summary>
/// One member's ballot in one poll. "One person, one ballot" is the unique index on (PollId, MembershipId),
/// so concurrent or replayed casts cannot store a second row.
/// </summary>
public sealed class Ballot
{
    private Ballot()
    {
        CastByUserId = string.Empty;
    }

    public Ballot(int pollId, int membershipId, BallotChoice choice, string castByUserId, DateTime nowUtc)
    {
        if (!Enum.IsDefined(choice))
        {
            throw new Common.DomainException("Ballot.InvalidChoice");
        }

        PollId = pollId;
        MembershipId = membershipId;
        Choice = choice;
        CastByUserId = castByUserId;
        CastAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public int PollId { get; private set; }

    public int MembershipId { get; private set; }

    public BallotChoice Choice { get; private set; }

    public string CastByUserId { get; private set; }

    public DateTime CastAtUtc { get; private set; }
}
