using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Xunit.Abstractions;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Many members casting at once, and a close while ballots arrive, through the real <see cref="VotingService"/> on a
/// real SQLite file: one person, one ballot, and a result that is exactly the stored ballots.
/// </summary>
public sealed class ConcurrentVotingTests(SeededDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private Actor Chair => _council.Chair;

    private Actor Rep(int number) => _council.Rep(number);

    [Fact]
    public async Task StoresExactlyOneBallotPerVoterUnder150ConcurrentVoters()
    {
        const int voters = 150;
        const int votersWithSecondConnection = 30;
        const int attemptsPerConnection = 3;
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, JiangchuanCouncil.Question);
        var members = await RepMembershipIdsAsync(voters);

        // Every voter on one connection; every fifth voter also on a second connection (another tab, another device).
        var connections = Enumerable.Range(1, voters).Select(v => (Voter: v, Connection: 0))
            .Concat(Enumerable.Range(1, votersWithSecondConnection).Select(i => (Voter: i * (voters / votersWithSecondConnection), Connection: 1)))
            .ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = connections.Select(c => Task.Run(async () =>
        {
            await gate.Task;
            var attempts = new List<Attempt>();
            for (var i = 0; i < attemptsPerConnection; i++)
            {
                // Retries, sometimes with a changed mind: the choice differs per voter, connection and attempt.
                var choice = (BallotChoice)((c.Voter + c.Connection + i) % 3);
                attempts.Add(await AttemptAsync(c.Voter, pollId, choice));
            }

            return attempts;
        })).ToList();

        gate.SetResult();
        var all = (await Task.WhenAll(tasks)).SelectMany(a => a).ToList();

        Assert.Equal((voters + votersWithSecondConnection) * attemptsPerConnection, all.Count);
        Assert.Empty(all.Where(a => a.Error is not null).Select(a => $"rep{a.Voter:000}: {a.Error}"));

        var accepted = new Dictionary<int, BallotChoice>();
        foreach (var group in all.GroupBy(a => a.Voter))
        {
            var acceptedAttempts = group.Where(a => a.Result!.Outcome == CastOutcome.Accepted).ToList();
            Assert.True(acceptedAttempts.Count == 1, $"rep{group.Key:000} was accepted {acceptedAttempts.Count} times");
            var first = acceptedAttempts[0];
            Assert.Equal([(int)first.Tried], first.Result!.Selections);
            Assert.Equal(members[group.Key], first.Result.MembershipId);
            accepted[group.Key] = first.Tried;
            Assert.All(group.Where(a => a != first), a =>
            {
                Assert.Equal(CastOutcome.AlreadyVoted, a.Result!.Outcome);
                Assert.Equal([(int)first.Tried], a.Result.Selections);
            });
        }

        Assert.Equal(voters, accepted.Count);
        output.WriteLine($"{all.Count} attempts: {accepted.Count} accepted, {all.Count - accepted.Count} already voted");

        // Exactly one participation and one ballot per voter, each naming the voter's seat and account.
        var expectedBallots = accepted.ToDictionary(a => members[a.Key], a => $"{(int)a.Value}");
        var ballots = await _council.BallotsAsync(pollId);
        var participations = await _council.ParticipationsAsync(pollId);
        Assert.Equal(voters, ballots.Count);
        Assert.Equal(voters, participations.Count);
        Assert.Equal(expectedBallots, ballots.ToDictionary(b => b.MembershipId!.Value, b => b.Selections));
        Assert.All(ballots, b => Assert.Equal(_council.UserId(UserNameOf(members, b.MembershipId!.Value)), b.CastByUserId));
        Assert.Equal(members.Values.Order(), participations.Select(p => p.MembershipId).Order());
        Assert.All(participations, p => Assert.Equal(_council.UserId(UserNameOf(members, p.MembershipId)), p.CastByUserId));
        Assert.All(participations, p => Assert.False(p.IsProxy));

        // The counters equal the stored ballots.
        var expectedCount = CountOf(accepted.Values);
        var open = await _council.LoadPollAsync(pollId);
        Assert.Equal(voters, open.BallotCount);
        VoteAssert.Equal(expectedCount, open.ElectronicCount());
        VoteAssert.Equal(VoteAssert.CountOf(3, ballots.Select(b => b.SelectedOptions)), open.ElectronicCount());

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        VoteAssert.Equal(expectedCount, closed.Count);
        Assert.Equal(voters, closed.Ballots);
        Assert.Equal(voters, closed.EligibleAtOpen);
        Assert.Equal(VoteCounting.Decide(open.Spec, expectedCount, voters, JiangchuanCouncil.VotingMembers).Outcome, closed.Outcome);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(sessionId, poll.SessionId);
        Assert.Equal(voters, poll.BallotCount);
        VoteAssert.Equal(expectedCount, poll.TotalCount());
    }

    [Fact]
    public async Task ClosingWhileBallotsArriveCountsEveryStoredBallot()
    {
        const int voters = 150;
        const int acceptedBeforeClose = 20;
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, JiangchuanCouncil.Question);
        var members = await RepMembershipIdsAsync(voters);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closeNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acceptedSoFar = 0;
        var casts = Enumerable.Range(1, voters).Select(v => Task.Run(async () =>
        {
            await gate.Task;
            var attempt = await AttemptAsync(v, pollId, (BallotChoice)(v % 3));
            if (attempt.Result?.Outcome == CastOutcome.Accepted && Interlocked.Increment(ref acceptedSoFar) == acceptedBeforeClose)
            {
                // The close starts once some ballots are in, while the rest are still arriving.
                closeNow.TrySetResult();
            }

            return attempt;
        })).ToList();
        var close = Task.Run(async () =>
        {
            await gate.Task;
            await closeNow.Task;
            return await Voting.ClosePollAsync(Chair, pollId);
        });

        gate.SetResult();
        var attempts = await Task.WhenAll(casts);
        closeNow.TrySetResult();
        var closed = await close;

        output.WriteLine($"{attempts.Count(a => a.Result is not null)} accepted, {attempts.Count(a => a.Error is DomainException)} refused as closed");
        Assert.Empty(attempts.Where(a => a.Error is not null and not DomainException { Code: "Poll.Closed" }).Select(a => $"rep{a.Voter:000}: {a.Error}"));
        Assert.All(attempts.Where(a => a.Result is not null), a => Assert.Equal(CastOutcome.Accepted, a.Result!.Outcome));
        var accepted = attempts.Where(a => a.Result is not null).ToDictionary(a => members[a.Voter], a => a.Tried);
        Assert.True(accepted.Count >= acceptedBeforeClose, $"only {accepted.Count} ballots were accepted");

        var ballots = await _council.BallotsAsync(pollId);
        var participations = await _council.ParticipationsAsync(pollId);
        var poll = await _council.LoadPollAsync(pollId);

        // Every accepted ballot, and nothing else, is stored once, with its participation; the counters agree.
        Assert.Equal(PollStatus.Closed, closed.Status);
        Assert.Equal(accepted.ToDictionary(a => a.Key, a => $"{(int)a.Value}"), ballots.ToDictionary(b => b.MembershipId!.Value, b => b.Selections));
        Assert.Equal(accepted.Keys.Order(), participations.Select(p => p.MembershipId).Order());
        Assert.Equal(ballots.Count, poll.BallotCount);
        VoteAssert.Equal(VoteAssert.CountOf(3, ballots.Select(b => b.SelectedOptions)), poll.ElectronicCount());

        // The result is exactly the accepted choices.
        var expected = CountOf(accepted.Values);
        Assert.Equal(ballots.Count, closed.Ballots);
        VoteAssert.Equal(expected, closed.Count);
        VoteAssert.Equal(expected, poll.TotalCount());
        Assert.Equal(VoteCounting.Decide(poll.Spec, expected, voters, JiangchuanCouncil.VotingMembers).Outcome, closed.Outcome);
    }

    private static VoteCount CountOf(IEnumerable<BallotChoice> choices) =>
        VoteAssert.CountOf(3, choices.Select(c => new[] { (int)c }));

    private static string UserNameOf(Dictionary<int, int> members, int membershipId) =>
        JiangchuanCouncil.RepUserName(members.Single(m => m.Value == membershipId).Key);

    /// <summary>Membership id by representative number.</summary>
    private async Task<Dictionary<int, int>> RepMembershipIdsAsync(int count)
    {
        var members = new Dictionary<int, int>();
        for (var i = 1; i <= count; i++)
        {
            members[i] = await _council.RepMembershipIdAsync(i);
        }

        return members;
    }

    private async Task<Attempt> AttemptAsync(int voter, int pollId, BallotChoice choice)
    {
        try
        {
            return new Attempt(voter, choice, await Voting.CastAsync(Rep(voter), pollId, choice), null);
        }
        catch (Exception ex)
        {
            return new Attempt(voter, choice, null, ex);
        }
    }

    private sealed record Attempt(int Voter, BallotChoice Tried, CastResult? Result, Exception? Error);
}
