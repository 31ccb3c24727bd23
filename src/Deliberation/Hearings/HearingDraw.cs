namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// A fair draw as it was made, kept so that anyone can reproduce it (<see cref="FairDraw.Reproduce"/>): the seed, the
/// candidates (registration ids, ascending), the free seats and the order drawn.
/// </summary>
public sealed class HearingDraw
{
    private HearingDraw()
    {
        Seed = string.Empty;
        Candidates = Order = [];
    }

    internal HearingDraw(int hearingId, ParticipantCategory category, FairDraw.Result result, string userId, DateTime nowUtc)
    {
        HearingId = hearingId;
        Category = category;
        Seed = result.SeedHex;
        Candidates = [.. result.Candidates];
        Order = [.. result.Order];
        Seats = result.Seats;
        DrawnByUserId = userId;
        DrawnAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int HearingId { get; private set; }

    public ParticipantCategory Category { get; private set; }

    /// <summary>64 hexadecimal characters: the 32 random bytes the shuffle ran on.</summary>
    public string Seed { get; private set; }

    public int[] Candidates { get; private set; }

    public int[] Order { get; private set; }

    public int Seats { get; private set; }

    public string? DrawnByUserId { get; private set; }

    public DateTime DrawnAtUtc { get; private set; }
}
