using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>A bloc's stance on the topic.</summary>
public enum Stance
{
    Support,

    /// <summary>Supports with conditions (stated in the position).</summary>
    Conditional,
    Oppose,
    Undecided,
}

/// <summary>
/// One stakeholder bloc (the "X") of a consultation: owners' committee, resident representatives, property company…
/// with its members and exactly one spokesperson (the first member added, until another is made spokesperson). Its
/// positions are versioned: each filing is a new version, none is changed.
/// </summary>
public sealed class ConsultationBloc
{
    public const int KindMax = 50;
    public const int NameMax = Limits.Name;
    public const int MaxMembers = 30;

    private readonly List<BlocMember> _members = [];
    private readonly List<BlocPosition> _positions = [];

    private ConsultationBloc()
    {
        Kind = Name = string.Empty;
    }

    internal ConsultationBloc(string kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public int Id { get; private set; }

    public int ConsultationId { get; private set; }

    /// <summary>The configured bloc kind (<see cref="ConsultationOptions.BlocKinds"/>), e.g. <c>OwnersCommittee</c>.</summary>
    public string Kind { get; private set; }

    /// <summary>The bloc as residents read it, e.g. 清华园小区业主委员会.</summary>
    public string Name { get; private set; }

    public IReadOnlyList<BlocMember> Members => _members;

    public IReadOnlyList<BlocPosition> Positions => _positions;

    public BlocMember? Spokesperson => _members.FirstOrDefault(m => m.IsSpokesperson);

    public BlocPosition? Current => _positions.OrderByDescending(p => p.Number).FirstOrDefault();

    public bool HasMember(string? userId) => userId is not null && _members.Any(m => m.UserId == userId);

    internal void AddMember(string? userId, string? name, bool spokesperson)
    {
        if (_members.Count >= MaxMembers)
        {
            throw new DomainException("Consultation.TooManyMembers", MaxMembers);
        }

        var member = new BlocMember(userId, Guard.RequiredText(name, NameMax, "Consultation.MemberName"), _members.Count == 0 || spokesperson);
        if (member.IsSpokesperson)
        {
            _members.ForEach(m => m.Step(false));
        }

        _members.Add(member);
    }

    internal void RemoveMember(int memberId)
    {
        var member = _members.FirstOrDefault(m => m.Id == memberId) ?? throw new NotFoundException("BlocMember", memberId);
        if (member.IsSpokesperson && _members.Count > 1)
        {
            throw new DomainException("Consultation.SpokespersonStays");
        }

        _members.Remove(member);
    }

    internal void MakeSpokesperson(int memberId)
    {
        var member = _members.FirstOrDefault(m => m.Id == memberId) ?? throw new NotFoundException("BlocMember", memberId);
        _members.ForEach(m => m.Step(m == member));
    }

    /// <summary>The demo seed's position of a bloc whose members have no account (<see cref="ConsultationSeeder"/>).</summary>
    internal void Seed(BlocPosition position) => _positions.Add(position);

    internal BlocPosition File(string userId, Stance stance, string? markdown, int afterRound, DateTime nowUtc)
    {
        if (!HasMember(userId))
        {
            throw new ForbiddenException("Consultation.OwnBlocOnly");
        }

        if (!Enum.IsDefined(stance))
        {
            throw new DomainException("Consultation.Stance");
        }

        var text = Guard.RequiredMultilineText(markdown, BlocPosition.TextMax, "Consultation.Position");
        if (Current is { } current && current.Stance == stance && current.Markdown == text)
        {
            throw new DomainException("Consultation.PositionUnchanged");
        }

        var position = new BlocPosition((Current?.Number ?? 0) + 1, afterRound, stance, text, userId, nowUtc);
        _positions.Add(position);
        return position;
    }
}

/// <summary>A member of a bloc: an account (who may file for the bloc, and vote if spokesperson) or a person named only.</summary>
public sealed class BlocMember
{
    private BlocMember()
    {
        Name = string.Empty;
    }

    internal BlocMember(string? userId, string name, bool spokesperson)
    {
        UserId = userId;
        Name = name;
        IsSpokesperson = spokesperson;
    }

    public int Id { get; private set; }

    public int BlocId { get; private set; }

    /// <summary>The member's account; null for a person named without one (they cannot file or vote on the platform).</summary>
    public string? UserId { get; private set; }

    public string Name { get; private set; }

    public bool IsSpokesperson { get; private set; }

    internal void Step(bool spokesperson) => IsSpokesperson = spokesperson;
}

/// <summary>One version of a bloc's position; never changed, a revision is a new version.</summary>
public sealed class BlocPosition
{
    public const int TextMax = Limits.TopicText;

    private BlocPosition()
    {
        Markdown = ByUserId = string.Empty;
    }

    internal BlocPosition(int number, int afterRound, Stance stance, string markdown, string byUserId, DateTime atUtc)
    {
        Number = number;
        AfterRound = afterRound;
        Stance = stance;
        Markdown = markdown;
        ByUserId = byUserId;
        FiledAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int BlocId { get; private set; }

    /// <summary>Version number within the bloc, from 1.</summary>
    public int Number { get; private set; }

    /// <summary>The rounds held when it was filed (0: before the first round).</summary>
    public int AfterRound { get; private set; }

    public Stance Stance { get; private set; }

    public string Markdown { get; private set; }

    public string ByUserId { get; private set; }

    public DateTime FiledAtUtc { get; private set; }
}
