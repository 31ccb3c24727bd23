namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>Counts of a yes / no / abstain vote. An owned value: stored on the poll when it closes.</summary>
public sealed record Tally(int Yes, int No, int Abstain)
{
    public static readonly Tally Empty = new(0, 0, 0);

    public int Cast => Yes + No + Abstain;

    public static Tally From(IEnumerable<(BallotChoice Choice, int Count)> counts)
    {
        int yes = 0, no = 0, abstain = 0;
        foreach (var (choice, count) in counts)
        {
            switch (choice)
            {
                case BallotChoice.Yes: yes += count; break;
                case BallotChoice.No: no += count; break;
                case BallotChoice.Abstain: abstain += count; break;
            }
        }

        return new Tally(yes, no, abstain);
    }
}
