using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>A body's term of office (届). Membership belongs to a term.</summary>
public sealed class Term
{
    private readonly List<Membership> _members = [];

    private Term()
    {
        Name = NameEn = string.Empty;
        Body = null!;
    }

    internal Term(Body body, int number, string name, string nameEn, DateOnly startsOn, DateOnly? endsOn)
    {
        if (number <= 0)
        {
            throw new DomainException("Term.NumberInvalid");
        }

        if (endsOn is { } end && end < startsOn)
        {
            throw new DomainException("Term.EndsBeforeStart");
        }

        Body = body;
        Number = number;
        Name = Guard.RequiredText(name, Limits.Name, "Body.TermName");
        NameEn = Guard.RequiredText(nameEn, Limits.Name, "Body.TermName");
        StartsOn = startsOn;
        EndsOn = endsOn;
    }

    public int Id { get; private set; }

    public int BodyId { get; private set; }

    public Body Body { get; private set; }

    public int Number { get; private set; }

    public string Name { get; private set; }

    public string NameEn { get; private set; }

    public DateOnly StartsOn { get; private set; }

    public DateOnly? EndsOn { get; private set; }

    public IReadOnlyList<Membership> Members => _members;

    /// <summary>Adds a seat. An account holds at most one seat per term, ended seats included (reinstate those instead).</summary>
    public Membership AddMember(string name, MemberRole role, Organisation? organisation, string? userId)
    {
        EnsureNoSeatFor(userId, except: null);
        var member = new Membership(this, name, role, organisation, userId);
        _members.Add(member);
        return member;
    }

    /// <summary>Links one of this term's seats to an account (null unlinks it).</summary>
    public void LinkUser(Membership member, string? userId)
    {
        if (!_members.Contains(member))
        {
            throw new DomainException("Membership.NotFound");
        }

        EnsureNoSeatFor(userId, except: member);
        member.LinkUser(userId);
    }

    private void EnsureNoSeatFor(string? userId, Membership? except)
    {
        if (userId is not null && _members.Any(m => m.UserId == userId && !ReferenceEquals(m, except)))
        {
            throw new DomainException("Membership.DuplicateUser");
        }
    }
}
