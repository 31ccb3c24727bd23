using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies;

public enum BodyKind
{
    Council,
    CommunityCommittee,
    JointConference,
    ConsultationCouncil,
}

/// <summary>
/// A deliberating body: a member-representative council, a community committee, a joint conference or a
/// consultation council. Sub-bodies (professional committees, sub-conferences) point at their parent.
/// </summary>
public sealed class Body
{
    private readonly List<Term> _terms = [];

    private Body()
    {
        Key = Name = NameEn = string.Empty;
        Quorum = QuorumRule.MoreThanHalf;
    }

    public Body(string key, string name, string nameEn, BodyKind kind, Body? parent = null)
    {
        Key = Guard.RequiredText(key, Limits.BodyKey, "Body.Key");
        if (!Key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || Key[0] == '-')
        {
            throw new DomainException("Body.Key.Invalid");
        }

        if (!Enum.IsDefined(kind))
        {
            throw new DomainException("Body.UnknownKind");
        }

        Name = Guard.RequiredText(name, Limits.Title, "Body.Name");
        NameEn = Guard.RequiredText(nameEn, Limits.Title, "Body.Name");
        Kind = kind;
        Parent = parent;
        ParentId = parent?.Id;
        Quorum = QuorumRule.MoreThanHalf;
        SpeakingTimeSeconds = 180;
    }

    public int Id { get; private set; }

    /// <summary>Stable key used by seeds and imports.</summary>
    public string Key { get; private set; }

    public string Name { get; private set; }

    public string NameEn { get; private set; }

    public string? Description { get; private set; }

    public string? DescriptionEn { get; private set; }

    public BodyKind Kind { get; private set; }

    public int? ParentId { get; private set; }

    public Body? Parent { get; private set; }

    public QuorumRule Quorum { get; private set; }

    public int SpeakingTimeSeconds { get; private set; }

    /// <summary>How many proxies one member may hold in a session (default 1).</summary>
    public int ProxyCapPerHolder { get; private set; } = 1;

    public void SetProxyCap(int cap)
    {
        if (cap is < 0 or > 10)
        {
            throw new DomainException("Body.ProxyCapOutOfRange", 0, 10);
        }

        ProxyCapPerHolder = cap;
    }

    /// <summary>How many co-sponsors (附议) a proposal needs before it can go on an agenda (default 2).</summary>
    public int CoSponsorThreshold { get; private set; } = 2;

    public void SetCoSponsorThreshold(int threshold)
    {
        if (threshold is < 0 or > 50)
        {
            throw new DomainException("Body.CoSponsorThresholdOutOfRange", 0, 50);
        }

        CoSponsorThreshold = threshold;
    }

    public IReadOnlyList<Term> Terms => _terms;

    public string DisplayName(bool english) => english ? NameEn : Name;

    public void Rename(string name, string nameEn)
    {
        Name = Guard.RequiredText(name, Limits.Title, "Body.Name");
        NameEn = Guard.RequiredText(nameEn, Limits.Title, "Body.Name");
    }

    /// <summary>A professional committee, a sub-conference…: a body of its own (terms, members, rules) under this one.</summary>
    public Body AddSubBody(string key, string name, string nameEn, BodyKind kind) => new(key, name, nameEn, kind, this);

    public void Describe(string? description, string? descriptionEn)
    {
        Description = Guard.OptionalText(description, 4000, "Body.Description");
        DescriptionEn = Guard.OptionalText(descriptionEn, 4000, "Body.Description");
    }

    public void SetRules(QuorumRule quorum, int speakingTimeSeconds)
    {
        if (speakingTimeSeconds is < 10 or > 3600)
        {
            throw new DomainException("Body.SpeakingTimeOutOfRange", 10, 3600);
        }

        Quorum = quorum;
        SpeakingTimeSeconds = speakingTimeSeconds;
    }

    public Term AddTerm(int number, string name, string nameEn, DateOnly startsOn, DateOnly? endsOn)
    {
        if (_terms.Any(t => t.Number == number))
        {
            throw new DomainException("Term.DuplicateNumber", number);
        }

        var term = new Term(this, number, name, nameEn, startsOn, endsOn);
        _terms.Add(term);
        return term;
    }
}
