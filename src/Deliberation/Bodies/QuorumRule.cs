using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>
/// A body's quorum: present members must be strictly more than <see cref="Numerator"/>/<see cref="Denominator"/>
/// of the eligible members (default 1/2: "more than half"). Stored as two integers, so arithmetic is exact.
/// </summary>
public sealed record QuorumRule
{
    public static readonly QuorumRule MoreThanHalf = new(1, 2);

    public QuorumRule(int numerator, int denominator)
    {
        if (denominator <= 0 || numerator < 0 || numerator >= denominator)
        {
            throw new DomainException("Quorum.InvalidFraction");
        }

        Numerator = numerator;
        Denominator = denominator;
    }

    public int Numerator { get; }

    public int Denominator { get; }

    /// <summary>The smallest number present that satisfies the rule for <paramref name="eligible"/> members.</summary>
    public int Required(int eligible)
    {
        if (eligible <= 0)
        {
            return 1;
        }

        // present * D > eligible * N  <=>  present > eligible*N/D
        return (int)((long)eligible * Numerator / Denominator) + 1;
    }

    public bool IsMet(int present, int eligible) => eligible > 0 && present >= Required(eligible);

    /// <summary>How many more members must be present; 0 when the quorum is met.</summary>
    public int Missing(int present, int eligible) => Math.Max(0, Required(eligible) - present);
}
