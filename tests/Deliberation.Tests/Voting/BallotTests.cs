using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Voting;

public sealed class BallotTests
{
    private const string ReceiptAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    [Fact]
    public void NamedBallotNamesTheMemberAndTheAccount()
    {
        var ballot = Ballot.Named(7, 11, "rep-user-id", [0, 2], isProxy: false);

        Assert.Equal(7, ballot.PollId);
        Assert.Equal(11, ballot.MembershipId);
        Assert.Equal("rep-user-id", ballot.CastByUserId);
        Assert.Equal("0,2", ballot.Selections);
        Assert.Equal([0, 2], ballot.SelectedOptions);
        Assert.False(ballot.IsProxy);
        Assert.NotEqual(Guid.Empty, ballot.Id);
    }

    [Fact]
    public void CountedSecretBallotCarriesNoVoterAndNoReceipt()
    {
        var ballot = Ballot.Secret(7, [1]);

        Assert.Null(ballot.MembershipId);
        Assert.Null(ballot.CastByUserId);
        Assert.Equal([1], ballot.SelectedOptions);
        Assert.False(ballot.IsProxy);
        Assert.DoesNotContain(typeof(Ballot).GetProperties(), p => p.Name.Contains("Receipt", StringComparison.Ordinal));
    }

    [Fact]
    public void BlankBallotHasNoSelections()
    {
        var ballot = Ballot.Secret(7, []);

        Assert.Equal(string.Empty, ballot.Selections);
        Assert.Empty(ballot.SelectedOptions);
    }

    [Fact]
    public void BallotIdsAreRandomNotSequential()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ballot.Secret(1, [0]).Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(4, id.Version));
    }

    [Fact]
    public void ReceiptCodeHasTenCharactersFromTheStatedAlphabet()
    {
        for (var i = 0; i < 2000; i++)
        {
            var code = Ballot.NewReceiptCode();

            Assert.Equal(10, code.Length);
            Assert.True(code.All(ReceiptAlphabet.Contains), code);
        }
    }

    [Fact]
    public void ReceiptAlphabetHasNoLookAlikes()
    {
        Assert.Equal(31, ReceiptAlphabet.Distinct().Count());
        Assert.DoesNotContain(ReceiptAlphabet, c => "01OIL".Contains(c));
    }

    [Fact]
    public void ReceiptCodesUseTheWholeAlphabet()
    {
        var seen = Enumerable.Range(0, 200).SelectMany(_ => Ballot.NewReceiptCode()).ToHashSet();

        Assert.Equal(ReceiptAlphabet.ToHashSet(), seen);
    }

    [Fact]
    public void ManyReceiptCodesAreDistinct()
    {
        const int codes = 10_000;

        var distinct = Enumerable.Range(0, codes).Select(_ => Ballot.NewReceiptCode()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(codes, distinct.Count);
    }

    [Fact]
    public void ParticipationRecordsWhoTookPart()
    {
        var at = new DateTime(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc);

        var participation = new Participation(7, 11, "holder-user-id", isProxy: true, "key-1", at);

        Assert.Equal((7, 11, "holder-user-id", true, "key-1", at), (participation.PollId, participation.MembershipId, participation.CastByUserId, participation.IsProxy, participation.IdempotencyKey, participation.CastAtUtc));
        Assert.Equal(100, Participation.IdempotencyKeyMax);
    }
}
