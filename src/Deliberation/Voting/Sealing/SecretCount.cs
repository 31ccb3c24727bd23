using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Voting.Sealing;

/// <summary>
/// Counting a secret vote at its close (ADR 0016): the sealed ballots are opened, shuffled and written as plain ballots
/// without receipts, the receipts apart in order of their code, and the sealed ballots deleted, all in the closing
/// transaction; nothing of a choice existed in readable form before.
/// </summary>
internal sealed class SecretCount
{
    private readonly List<SealedBallot> _sealed;
    private readonly List<OpenedBallot> _opened;

    private SecretCount(List<SealedBallot> @sealed, List<OpenedBallot> opened, VoteCount count)
    {
        _sealed = @sealed;
        _opened = opened;
        Count = count;
    }

    /// <summary>The electronic count of the opened ballots.</summary>
    public VoteCount Count { get; }

    /// <summary>
    /// Opens every sealed ballot of <paramref name="poll"/> (tracked, so <see cref="Record"/> can delete them). Ballots of
    /// the vote already stored in plain form (cast before ballots were sealed) are counted with them.
    /// </summary>
    public static async Task<SecretCount> OpenAsync(DeliberationDbContext db, BallotSeal seal, Poll poll, CancellationToken ct)
    {
        var options = poll.Options.Count;
        var @sealed = await db.SealedBallots.Where(b => b.PollId == poll.Id).ToListAsync(ct);
        var opened = @sealed.Select(b => seal.Open(poll.Id, options, b.Envelope)).ToList();
        var earlier = await db.Ballots.AsNoTracking().Where(b => b.PollId == poll.Id).Select(b => b.Selections).ToListAsync(ct);

        var votes = new int[options];
        var blank = 0;
        foreach (var selections in opened.Select(o => o.Selections).Concat(earlier.Select(Parse)))
        {
            blank += selections.Count == 0 ? 1 : 0;
            foreach (var index in selections)
            {
                votes[index]++;
            }
        }

        return new SecretCount(@sealed, opened, new VoteCount(votes, opened.Count + earlier.Count) { BlankBallots = blank });
    }

    /// <summary>Writes the opened ballots in a random order, their receipts by code, and deletes the sealed ballots.</summary>
    public void Record(DeliberationDbContext db, int pollId)
    {
        var shuffled = _opened.Select(o => o.Selections).ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        db.Ballots.AddRange(shuffled.Select(s => Ballot.Secret(pollId, s)));

        // Receipts prove that a ballot was counted, not what it said; two equal codes (one chance in 2^50) are one row.
        db.CountedReceipts.AddRange(_opened.Select(o => o.Receipt).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(code => new CountedReceipt(pollId, code)));
        db.SealedBallots.RemoveRange(_sealed);
    }

    private static IReadOnlyList<int> Parse(string selections) =>
        selections.Length == 0 ? [] : selections.Split(',').Select(i => int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
