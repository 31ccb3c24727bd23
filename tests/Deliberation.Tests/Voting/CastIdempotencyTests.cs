using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>Retried casts (a lost answer, a second tab): the idempotency key confirms, anything else says "already voted".</summary>
public sealed class CastIdempotencyTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    [Fact]
    public async Task SameKeyTwiceIsReplayedAndStoredOnce()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var first = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], "tab-1:ballot-1");
        var second = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.No], "tab-1:ballot-1");

        Assert.Equal(CastOutcome.Accepted, first.Outcome);
        Assert.Equal(CastOutcome.Replayed, second.Outcome);
        Assert.Equal(first.MembershipId, second.MembershipId);
        Assert.Equal([PollSpec.Yes], second.Selections);
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), second.Count);
        Assert.Single(await _council.BallotsAsync(pollId));
        Assert.Equal("tab-1:ballot-1", Assert.Single(await _council.ParticipationsAsync(pollId)).IdempotencyKey);
        Assert.Equal(1, (await _council.LoadPollAsync(pollId)).BallotCount);
    }

    [Fact]
    public async Task AnotherKeyOrNoKeyForTheSameVoterIsAlreadyVoted()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.No], "phone");

        var otherKey = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], "laptop");
        var noKey = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes]);
        var choice = await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);

        Assert.All([otherKey, noKey, choice], r => Assert.Equal(CastOutcome.AlreadyVoted, r.Outcome));
        Assert.All([otherKey, noKey, choice], r => Assert.Equal([PollSpec.No], r.Selections));
        Assert.Single(await _council.BallotsAsync(pollId));
        Assert.Single(await _council.ParticipationsAsync(pollId));
    }

    [Fact]
    public async Task KeyAfterAFirstCastWithoutKeyIsAlreadyVoted()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Abstain]);

        var retry = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Abstain], "late-key");

        Assert.Equal(CastOutcome.AlreadyVoted, retry.Outcome);
        Assert.Null(Assert.Single(await _council.ParticipationsAsync(pollId)).IdempotencyKey);
    }

    [Fact]
    public async Task SameKeyFromTwoVotersDoesNotCollide()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2);

        var a = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], "ballot-1");
        var b = await Voting.CastAsync(_council.Rep(2), pollId, [PollSpec.No], "ballot-1");

        Assert.Equal(CastOutcome.Accepted, a.Outcome);
        Assert.Equal(CastOutcome.Accepted, b.Outcome);
        Assert.Equal(2, await _council.BallotRowsAsync(pollId));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(10_000)]
    [InlineData(0)]
    public async Task KeyOutsideTheLimitsIsRefusedAndNothingIsStored(int length)
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], new string('k', length)));

        Assert.Equal("Ballot.IdempotencyKeyInvalid", ex.Code);
        Assert.Equal([Participation.IdempotencyKeyMax], ex.Arguments);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
        Assert.Empty(await _council.ParticipationsAsync(pollId));
        Assert.Equal(0, (await _council.LoadPollAsync(pollId)).BallotCount);
    }

    [Fact]
    public async Task KeyOfExactlyTheLimitIsAccepted()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        var key = new string('k', Participation.IdempotencyKeyMax);

        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], key)).Outcome);
        Assert.Equal(CastOutcome.Replayed, (await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.Yes], key)).Outcome);
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneKeyStoreOneBallot()
    {
        const int retries = 12;
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, retries).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await Voting.CastAsync(_council.Rep(1), pollId, [i % 3], "double-click");
        })).ToList();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        var accepted = Assert.Single(results, r => r.Outcome == CastOutcome.Accepted);
        Assert.All(results.Where(r => r != accepted), r => Assert.Equal(CastOutcome.Replayed, r.Outcome));
        Assert.All(results, r => Assert.Equal(accepted.Selections, r.Selections));
        var ballot = Assert.Single(await _council.BallotsAsync(pollId));
        Assert.Equal(accepted.Selections, ballot.SelectedOptions);
        Assert.Single(await _council.ParticipationsAsync(pollId));
        Assert.Equal(1, (await _council.LoadPollAsync(pollId)).BallotCount);
    }

    [Fact]
    public async Task SecretReplayConfirmsWithoutRevealingTheChoice()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(item => JiangchuanCouncil.Motion(item, Secrecy.Secret), 1);

        var first = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.No], "secret-1");
        var replay = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.No], "secret-1");

        Assert.Equal(CastOutcome.Accepted, first.Outcome);
        Assert.NotNull(first.ReceiptCode);
        Assert.Equal(CastOutcome.Replayed, replay.Outcome);
        Assert.Null(replay.Selections);
        Assert.Null(replay.ReceiptCode);
        Assert.Null(replay.Count);
        Assert.Equal(1, replay.Ballots);
        Assert.Single(await _council.SealedEnvelopesAsync(pollId));
    }
}
