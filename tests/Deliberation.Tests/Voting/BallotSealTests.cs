using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Tests.Voting;

public sealed class BallotSealTests
{
    private static readonly BallotSeal Seal = With("a-sealing-key-for-the-tests-only-0123456789");

    [Fact]
    public void OpensWhatItSealed()
    {
        var receipt = Ballot.NewReceiptCode();

        var opened = Seal.Open(42, 12, Seal.Seal(42, 12, [0, 9, 11], receipt));

        Assert.Equal([0, 9, 11], opened.Selections);
        Assert.Equal(receipt, opened.Receipt);
        Assert.Empty(Seal.Open(42, 12, Seal.Seal(42, 12, [], receipt)).Selections);
    }

    [Fact]
    public void EveryChoiceOfAVoteSealsToTheSameLengthAndNeverTheSameBytes()
    {
        var envelopes = new int[][] { [], [0], [1], [2] }.Select(s => Seal.Seal(7, 3, s, Ballot.NewReceiptCode())).ToList();
        var again = Seal.Seal(7, 3, [1], "ABCDEFGHJK");
        var same = Seal.Seal(7, 3, [1], "ABCDEFGHJK");

        Assert.Single(envelopes.Select(e => e.Length).Distinct());
        Assert.NotEqual(again, same);
    }

    [Fact]
    public void RefusesAnEnvelopeOfAnotherVoteOrKey()
    {
        var envelope = Seal.Seal(7, 3, [0], Ballot.NewReceiptCode());

        Assert.ThrowsAny<CryptographicException>(() => Seal.Open(8, 3, envelope));
        Assert.ThrowsAny<CryptographicException>(() => With("another-sealing-key-for-the-tests-only-987654").Open(7, 3, envelope));
        envelope[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => Seal.Open(7, 3, envelope));
    }

    [Fact]
    public void RefusesAnOptionOutsideTheVote() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Seal.Seal(7, 3, [3], Ballot.NewReceiptCode()));

    private static BallotSeal With(string key) => new(Options.Create(new BallotSealOptions { BallotSealingKey = key }));
}
