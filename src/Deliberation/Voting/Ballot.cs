using System.Security.Cryptography;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>Yes / no / abstain as option indexes of a <see cref="VoteMethod.YesNoAbstain"/> vote.</summary>
public enum BallotChoice
{
    Yes = PollSpec.Yes,
    No = PollSpec.No,
    Abstain = PollSpec.Abstain,
}

/// <summary>
/// One ballot. For a named vote it names the member (and the account that cast it) and is stored as it is cast. A secret
/// vote's ballots are stored sealed while it is open (<see cref="Sealing.SealedBallot"/>) and written here only when it
/// closes, shuffled, with the selections alone: no member, no receipt, no time (ADR 0016). Who took part is in
/// <see cref="Participation"/>, with no link back. The id is random, so ballot order reveals nothing either.
/// </summary>
public sealed class Ballot
{
    private Ballot()
    {
        Selections = string.Empty;
    }

    private Ballot(int pollId, IReadOnlyList<int> selections, bool isProxy)
    {
        Id = Guid.NewGuid();
        PollId = pollId;
        Selections = string.Join(',', selections);
        IsProxy = isProxy;
    }

    public Guid Id { get; private set; }

    public int PollId { get; private set; }

    /// <summary>The member, for named votes; null for secret votes.</summary>
    public int? MembershipId { get; private set; }

    /// <summary>The account that cast it, for named votes; null for secret votes.</summary>
    public string? CastByUserId { get; private set; }

    /// <summary>Option indexes, comma-separated and sorted; empty for a blank ballot.</summary>
    public string Selections { get; private set; }

    public bool IsProxy { get; private set; }

    public IReadOnlyList<int> SelectedOptions => Selections.Length == 0 ? [] : Selections.Split(',').Select(int.Parse).ToArray();

    public static Ballot Named(int pollId, int membershipId, string castByUserId, IReadOnlyList<int> selections, bool isProxy) =>
        new(pollId, selections, isProxy) { MembershipId = membershipId, CastByUserId = castByUserId };

    /// <summary>
    /// A counted secret ballot: the selections only. Not even whether it was cast by proxy is kept (the minutes name
    /// who gave a proxy to whom, so a proxy mark would reveal the delegator's choice); <see cref="Participation"/> keeps that.
    /// </summary>
    public static Ballot Secret(int pollId, IReadOnlyList<int> selections) => new(pollId, selections, isProxy: false);

    /// <summary>A secret ballot's receipt: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L): about 50 bits.</summary>
    public static string NewReceiptCode()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return string.Create(10, alphabet, (span, a) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }
}

/// <summary>
/// That a member took part in a vote (in person or by proxy). One row per member and vote: the unique index is the
/// "one person, one ballot" rule, for named and secret votes alike.
/// </summary>
public sealed class Participation
{
    public const int IdempotencyKeyMax = 100;

    private Participation()
    {
        CastByUserId = string.Empty;
    }

    public Participation(int pollId, int membershipId, string castByUserId, bool isProxy, string? idempotencyKey, DateTime nowUtc)
    {
        PollId = pollId;
        MembershipId = membershipId;
        CastByUserId = castByUserId;
        IsProxy = isProxy;
        IdempotencyKey = idempotencyKey;
        CastAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public int PollId { get; private set; }

    public int MembershipId { get; private set; }

    public string CastByUserId { get; private set; }

    public bool IsProxy { get; private set; }

    public string? IdempotencyKey { get; private set; }

    public DateTime CastAtUtc { get; private set; }
}
