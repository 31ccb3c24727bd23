using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>
/// A proxy for one session: <see cref="FromMembershipId"/> lets <see cref="ToMembershipId"/> vote for them.
/// Revocable until a vote opens; at most one active delegation per delegator (filtered unique index).
/// </summary>
public sealed class Delegation
{
    private Delegation()
    {
    }

    public Delegation(int sessionId, int fromMembershipId, int toMembershipId, DateTime nowUtc)
    {
        if (fromMembershipId == toMembershipId)
        {
            throw new DomainException("Proxy.ToSelf");
        }

        SessionId = sessionId;
        FromMembershipId = fromMembershipId;
        ToMembershipId = toMembershipId;
        CreatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int FromMembershipId { get; private set; }

    public int ToMembershipId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? RevokedAtUtc { get; private set; }

    public bool IsActive => RevokedAtUtc is null;

    public void Revoke(DateTime nowUtc) => RevokedAtUtc ??= nowUtc;
}
