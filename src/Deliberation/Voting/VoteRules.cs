using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Voting;

public enum VoteMethod
{
    /// <summary>Yes / no / abstain on a motion. Options 0 = yes, 1 = no, 2 = abstain.</summary>
    YesNoAbstain,

    /// <summary>Exactly one option (or a blank ballot when the minimum is 0).</summary>
    SingleChoice,

    /// <summary>Between a minimum and a maximum number of options.</summary>
    MultipleChoice,

    /// <summary>Election of N seats by approval: each ballot marks up to N candidates.</summary>
    Election,
}

public enum Secrecy
{
    /// <summary>Who voted what is visible and goes into the minutes.</summary>
    Named,

    /// <summary>The ballot is stored with no link to the voter; participation is stored separately.</summary>
    Secret,
}

public enum MajorityKind
{
    /// <summary>Yes / no: more yes than no (than no + abstain when abstentions count). Choices: the most votes, no tie.</summary>
    Simple,

    /// <summary>More than half of the base.</summary>
    Absolute,

    /// <summary>At least two thirds of the base.</summary>
    TwoThirds,

    /// <summary>At least Numerator/Denominator of the base.</summary>
    Custom,
}

public enum MajorityBase
{
    VotesCast,
    MembersPresent,
    AllMembers,
}

/// <summary>How a vote is decided. Chosen when the vote is created and shown with the result.</summary>
public sealed record MajorityRule
{
    public static readonly MajorityRule SimpleOfVotesCast = new(MajorityKind.Simple, MajorityBase.VotesCast, abstentionsCount: false);

    public MajorityRule(MajorityKind kind, MajorityBase @base, bool abstentionsCount, int numerator = 0, int denominator = 0)
    {
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(@base))
        {
            throw new DomainException("Rule.Invalid");
        }

        (numerator, denominator) = kind switch
        {
            MajorityKind.Simple => (1, 2),
            MajorityKind.Absolute => (1, 2),
            MajorityKind.TwoThirds => (2, 3),
            _ => (numerator, denominator),
        };
        if (denominator <= 0 || numerator <= 0 || numerator > denominator || denominator > 1000)
        {
            throw new DomainException("Rule.InvalidFraction");
        }

        Kind = kind;
        Base = kind == MajorityKind.Simple ? MajorityBase.VotesCast : @base;
        AbstentionsCount = abstentionsCount;
        Numerator = numerator;
        Denominator = denominator;
    }

    public MajorityKind Kind { get; }

    public MajorityBase Base { get; }

    /// <summary>Whether abstentions (the abstain option, blank ballots) count as votes cast.</summary>
    public bool AbstentionsCount { get; }

    public int Numerator { get; }

    public int Denominator { get; }

    /// <summary>True when <paramref name="votes"/> meets the threshold for <paramref name="base"/> (not used by Simple).</summary>
    public bool Meets(int votes, int @base) => @base > 0 && Kind switch
    {
        MajorityKind.Absolute => 2L * votes > @base,
        _ => (long)votes * Denominator >= (long)@base * Numerator,
    };

    /// <summary>The smallest number of votes that meets the threshold for <paramref name="base"/>.</summary>
    public int Threshold(int @base) => Kind switch
    {
        MajorityKind.Simple => 0,
        MajorityKind.Absolute => (@base / 2) + 1,
        _ => (int)(((long)@base * Numerator + Denominator - 1) / Denominator),
    };
}

/// <summary>What is put to the vote: method, options, choice limits, seats and rule. Validated on creation.</summary>
public sealed record PollSpec(VoteMethod Method, IReadOnlyList<string> Options, int MinChoices, int MaxChoices, int Seats, Secrecy Secrecy, MajorityRule Rule)
{
    public const int MaxOptions = 50;
    public const int OptionLabelMax = 200;

    public const int Yes = 0;
    public const int No = 1;
    public const int Abstain = 2;

    public static PollSpec YesNoAbstain(Secrecy secrecy, MajorityRule rule) =>
        new(VoteMethod.YesNoAbstain, ["Yes", "No", "Abstain"], 1, 1, 0, secrecy, rule);

    /// <summary>Checks the spec and returns it with trimmed option labels.</summary>
    public PollSpec Validated()
    {
        if (!Enum.IsDefined(Method) || !Enum.IsDefined(Secrecy))
        {
            throw new DomainException("Poll.InvalidMethod");
        }

        if (Method == VoteMethod.YesNoAbstain)
        {
            return YesNoAbstain(Secrecy, Rule);
        }

        var labels = Options.Select(o => Guard.RequiredText(o, OptionLabelMax, "Poll.Option")).ToList();
        if (labels.Count < 2)
        {
            throw new DomainException("Poll.TooFewOptions", 2);
        }

        if (labels.Count > MaxOptions)
        {
            throw new DomainException("Poll.TooManyOptions", MaxOptions);
        }

        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            throw new DomainException("Poll.DuplicateOption");
        }

        var (min, max, seats) = Method switch
        {
            VoteMethod.SingleChoice => (Math.Clamp(MinChoices, 0, 1), 1, 0),
            VoteMethod.Election => (0, Seats, Seats),
            _ => (MinChoices, MaxChoices, 0),
        };
        if (Method == VoteMethod.Election && (seats < 1 || seats >= labels.Count))
        {
            throw new DomainException("Poll.SeatsOutOfRange", 1, labels.Count - 1);
        }

        if (min < 0 || max < 1 || min > max || max > labels.Count)
        {
            throw new DomainException("Poll.ChoiceLimitsInvalid", labels.Count);
        }

        return this with { Options = labels, MinChoices = min, MaxChoices = max, Seats = seats };
    }

    /// <summary>Checks one ballot's selections (option indexes) against the spec; returns them sorted.</summary>
    public IReadOnlyList<int> ValidateSelections(IReadOnlyCollection<int>? selections)
    {
        var chosen = (selections ?? []).ToList();
        if (chosen.Any(i => i < 0 || i >= Options.Count))
        {
            throw new DomainException("Ballot.UnknownOption");
        }

        if (chosen.Distinct().Count() != chosen.Count)
        {
            throw new DomainException("Ballot.DuplicateOption");
        }

        if (chosen.Count < MinChoices || chosen.Count > MaxChoices)
        {
            throw new DomainException("Ballot.WrongNumberOfChoices", MinChoices, MaxChoices, chosen.Count);
        }

        chosen.Sort();
        return chosen;
    }
}
