using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Application;
using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CommunityDeliberation.Tests.Application;

/// <summary>
/// Opening, casting and closing votes through the real <see cref="VotingService"/> on a real SQLite file loaded with
/// the seeds: the Jiangchuan council's second term (chair + secretary + rep001..rep150). Every test opens its own
/// session, so tests do not share polls.
/// </summary>
public sealed class VotingServiceTests(SeededDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private const int UnknownId = 987_654_321;

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private Actor Chair => _council.Chair;

    private Actor Rep(int number) => _council.Rep(number);

    [Fact]
    public async Task ChairOpensAPollForTheCheckedInMembers()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1, 2, 3);
        Assert.Equal(CheckInOutcome.CheckedIn, await _council.Sessions.CheckInAsync(_council.ActorFor("secretary", Roles.Secretary), sessionId));

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意改造方案?");

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(sessionId, poll.SessionId);
        Assert.Equal(itemId, poll.AgendaItemId);
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.Equal("是否同意改造方案?", poll.Question);
        Assert.Equal(3, poll.EligibleAtOpen);
        Assert.Equal(0, poll.BallotCount);
        Assert.Equal(_council.UserId("chair"), poll.OpenedByUserId);
    }

    [Fact]
    public async Task PollCannotBeOpenedBeforeAnyoneChecksIn()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "无人到场时的表决"));

        Assert.Equal("Poll.NoEligibleVoters", ex.Code);
        Assert.Equal(0, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task PollCannotBeOpenedInADraftSession()
    {
        var sessionId = await _council.ScheduleAsync("尚未开始的会议");
        var itemId = (await _council.LoadSessionAsync(sessionId)).Agenda.Single(a => a.Position == 1).Id;

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "提前表决"));

        Assert.Equal("Session.NotOpenYet", ex.Code);
    }

    [Fact]
    public async Task PollOnAnItemOfAnotherSessionIsRefused()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        var (_, otherItemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, otherItemId, "别的会议的议题"));

        Assert.Equal("Agenda.UnknownItem", ex.Code);
    }

    [Fact]
    public async Task RejectsBallotAfterClose()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes)).Outcome);
        await Voting.ClosePollAsync(Chair, pollId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(2), pollId, BallotChoice.No));

        Assert.Equal("Poll.Closed", ex.Code);
        Assert.Equal(1, await _council.BallotRowsAsync(pollId));
        var closed = await Voting.FindClosedAsync(pollId);
        Assert.NotNull(closed);
        Assert.Equal(new Tally(1, 0, 0), closed.Poll.Tally);
        Assert.Equal(sessionId, closed.SessionId);
    }

    [Fact]
    public async Task ClosingTwiceIsRefused()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        await Voting.ClosePollAsync(Chair, pollId);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.ClosePollAsync(Chair, pollId));

        Assert.Equal("Poll.Closed", ex.Code);
    }

    [Fact]
    public async Task SecondBallotStoresNothingAndSaysSo()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var first = await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        var second = await Voting.CastAsync(Rep(1), pollId, BallotChoice.No);

        Assert.Equal(CastOutcome.Accepted, first.Outcome);
        Assert.Equal(new Tally(1, 0, 0), first.Tally);
        Assert.Equal(CastOutcome.AlreadyVoted, second.Outcome);
        Assert.Equal(BallotChoice.Yes, second.StoredChoice);
        Assert.Equal(new Tally(1, 0, 0), second.Tally);
        await using var db = await _council.DbAsync();
        var ballot = Assert.Single(await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).ToListAsync());
        Assert.Equal(BallotChoice.Yes, ballot.Choice);
        Assert.Equal(_council.UserId("rep001"), ballot.CastByUserId);
        Assert.Equal(1, (await _council.LoadPollAsync(pollId)).BallotCount);
    }

    [Theory]
    [InlineData("resident", Roles.Resident)]
    [InlineData("expert", Roles.Expert)]
    [InlineData("secretary", Roles.Secretary)]
    public async Task ObserverCannotVote(string userName, string role)
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1);
        var observer = _council.ActorFor(userName, role);
        if (userName == "secretary")
        {
            // The secretary sits on the council and may check in, but has no vote.
            Assert.Equal(CheckInOutcome.CheckedIn, await _council.Sessions.CheckInAsync(observer, sessionId));
        }

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => Voting.CastAsync(observer, pollId, BallotChoice.Yes));

        Assert.Equal("Ballot.NotEligible", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task MemberMustCheckInBeforeVoting()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(2), pollId, BallotChoice.Yes));

        Assert.Equal("Ballot.NotCheckedIn", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task UndefinedChoiceIsRefused()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(1), pollId, (BallotChoice)3));

        Assert.Equal("Ballot.InvalidChoice", ex.Code);
        Assert.Equal(0, await _council.BallotRowsAsync(pollId));
    }

    [Fact]
    public async Task NonChairCannotOpenOrClosePoll()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);

        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.OpenPollAsync(Rep(1), sessionId, itemId, "代表自行发起的表决"));
        Assert.Equal(0, await _council.PollCountAsync(sessionId));

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意?");
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.ClosePollAsync(Rep(1), pollId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.ClosePollAsync(_council.ActorFor("secretary", Roles.Secretary), pollId));

        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
        Assert.Equal(1, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task AdminMayClosePoll()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var closed = await Voting.ClosePollAsync(_council.ActorFor("admin", Roles.Admin), pollId);

        Assert.Equal(PollStatus.Closed, closed.Status);
    }

    [Fact]
    public async Task CannotOpenSecondPollWhileOneIsOpen()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);
        await Voting.OpenPollAsync(Chair, sessionId, itemId, "第一个表决");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.OpenPollAsync(Chair, sessionId, itemId, "第二个表决"));

        Assert.Equal("Poll.AnotherIsOpen", ex.Code);
        Assert.Equal(1, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task NextPollMayOpenOnceThePreviousIsClosed()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);
        await Voting.ClosePollAsync(Chair, await Voting.OpenPollAsync(Chair, sessionId, itemId, "第一个表决"));

        var second = await Voting.OpenPollAsync(Chair, sessionId, itemId, "第二个表决");

        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(second)).Status);
        Assert.Equal(2, await _council.PollCountAsync(sessionId));
    }

    [Fact]
    public async Task UnknownPollIsNotFound()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);

        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.CastAsync(Rep(1), UnknownId, BallotChoice.Yes))).What);
        Assert.Equal("Poll", (await Assert.ThrowsAsync<NotFoundException>(() => Voting.ClosePollAsync(Chair, UnknownId))).What);
        Assert.Null(await Voting.FindClosedAsync(UnknownId));
    }

    [Fact]
    public async Task PollInUnknownSessionIsNotFound()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => Voting.OpenPollAsync(Chair, UnknownId, 1, "?"));

        Assert.Equal("Session", ex.What);
    }

    [Fact]
    public async Task OpenPollHasNoPermalinkYet()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        Assert.Null(await Voting.FindClosedAsync(pollId));
    }

    [Fact]
    public async Task ClosingStoresTheResultAndTheOutcome()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4, 5, 6);
        await CastAllAsync(pollId, (1, BallotChoice.Yes), (2, BallotChoice.Yes), (3, BallotChoice.Yes), (4, BallotChoice.No), (5, BallotChoice.Abstain), (6, BallotChoice.Abstain));

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(PollStatus.Closed, closed.Status);
        Assert.Equal(new Tally(3, 1, 2), closed.Tally);
        Assert.Equal(PollOutcome.Adopted, closed.Outcome);
        Assert.Equal(MajorityRule.SimpleMajorityOfVotesCast, closed.Rule);
        Assert.Equal(6, closed.EligibleAtOpen);
        Assert.NotNull(closed.ClosedAtUtc);

        var stored = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Closed, stored.Status);
        Assert.Equal(new Tally(3, 1, 2), stored.Result);
        Assert.Equal(PollOutcome.Adopted, stored.Outcome);
        Assert.Equal(6, stored.BallotCount);

        var permalink = await Voting.FindClosedAsync(pollId);
        Assert.NotNull(permalink);
        Assert.Equal(closed, permalink.Poll);
        Assert.Equal(sessionId, permalink.SessionId);
        Assert.Equal(JiangchuanCouncil.Question, permalink.Question);
    }

    [Fact]
    public async Task TieIsRejectedOnClose()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4, 5);
        await CastAllAsync(pollId, (1, BallotChoice.Yes), (2, BallotChoice.Yes), (3, BallotChoice.No), (4, BallotChoice.No), (5, BallotChoice.Abstain));

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(new Tally(2, 2, 1), closed.Tally);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
    }

    [Fact]
    public async Task PollWithoutBallotsClosesRejected()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(Tally.Empty, closed.Tally);
        Assert.Equal(PollOutcome.Rejected, closed.Outcome);
    }

    [Fact]
    public async Task PublishesTallyChangedAndPollClosed()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, 1);
        var pollOpened = new TaskCompletionSource<PollOpened>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tallyChanged = new TaskCompletionSource<TallyChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pollClosed = new TaskCompletionSource<PollClosed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var foreign = new ConcurrentQueue<SessionEvent>();
        var subscriber = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>();
        using var subscription = subscriber.Subscribe(sessionId, e =>
        {
            switch (e)
            {
                case PollOpened o: pollOpened.TrySetResult(o); break;
                case TallyChanged t: tallyChanged.TrySetResult(t); break;
                case PollClosed c: pollClosed.TrySetResult(c); break;
            }

            if (e.SessionId != sessionId)
            {
                foreign.Enqueue(e);
            }

            return Task.CompletedTask;
        });

        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, "是否同意?");
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(new PollOpened(sessionId, pollId), await pollOpened.Task.WaitAsync(HangGuard));
        Assert.Equal(new TallyChanged(sessionId, pollId, new Tally(1, 0, 0)), await tallyChanged.Task.WaitAsync(HangGuard));
        Assert.Equal(new PollClosed(sessionId, pollId, new Tally(1, 0, 0), PollOutcome.Adopted), await pollClosed.Task.WaitAsync(HangGuard));
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task StoresExactlyOneBallotPerVoterUnder150ConcurrentVoters()
    {
        const int voters = 150;
        const int votersWithSecondConnection = 30;
        const int attemptsPerConnection = 3;
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(Enumerable.Range(1, voters).ToArray());

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
            Assert.Equal(first.Tried, first.Result!.StoredChoice);
            accepted[group.Key] = first.Tried;
            Assert.All(group.Where(a => a != first), a =>
            {
                Assert.Equal(CastOutcome.AlreadyVoted, a.Result!.Outcome);
                Assert.Equal(first.Tried, a.Result.StoredChoice);
            });
        }

        Assert.Equal(voters, accepted.Count);
        output.WriteLine($"{all.Count} attempts: {accepted.Count} accepted, {all.Count - accepted.Count} already voted");

        var expectedRows = accepted.ToDictionary(a => _council.UserId($"rep{a.Key:000}"), a => a.Value);
        await using (var db = await _council.DbAsync())
        {
            var rows = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).Select(b => new { b.CastByUserId, b.MembershipId, b.Choice }).ToListAsync();
            Assert.Equal(voters, rows.Count);
            Assert.Equal(voters, rows.Select(r => r.MembershipId).Distinct().Count());
            Assert.Equal(expectedRows, rows.ToDictionary(r => r.CastByUserId, r => r.Choice));
        }

        Assert.Equal(voters, (await _council.LoadPollAsync(pollId)).BallotCount);

        var closed = await Voting.ClosePollAsync(Chair, pollId);

        Assert.Equal(TallyOf(accepted.Values), closed.Tally);
        Assert.Equal(voters, closed.EligibleAtOpen);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(sessionId, poll.SessionId);
        Assert.Equal(voters, poll.BallotCount);
        Assert.Equal(TallyOf(accepted.Values), poll.Result);
    }

    [Fact]
    public async Task ClosingWhileBallotsArriveCountsEveryStoredBallot()
    {
        const int voters = 150;
        const int acceptedBeforeClose = 20;
        var (_, pollId) = await _council.OpenPollWithVotersAsync(Enumerable.Range(1, voters).ToArray());

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
        var accepted = attempts.Where(a => a.Result is not null).ToDictionary(a => _council.UserId($"rep{a.Voter:000}"), a => a.Tried);
        Assert.True(accepted.Count >= acceptedBeforeClose, $"only {accepted.Count} ballots were accepted");

        await using var db = await _council.DbAsync();
        var rows = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).ToDictionaryAsync(b => b.CastByUserId, b => b.Choice);
        var poll = await _council.LoadPollAsync(pollId);

        Assert.Equal(PollStatus.Closed, closed.Status);
        Assert.Equal(rows.Count, closed.Tally.Cast);
        Assert.Equal(accepted, rows);
        Assert.Equal(TallyOf(accepted.Values), closed.Tally);
        Assert.Equal(closed.Tally, poll.Result);
        Assert.Equal(rows.Count, poll.BallotCount);
    }

    private static Tally TallyOf(IEnumerable<BallotChoice> choices) =>
        Tally.From(choices.GroupBy(c => c).Select(g => (g.Key, g.Count())));

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

    private async Task CastAllAsync(int pollId, params (int Voter, BallotChoice Choice)[] ballots)
    {
        foreach (var (voter, choice) in ballots)
        {
            Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(voter), pollId, choice)).Outcome);
        }
    }

    private sealed record Attempt(int Voter, BallotChoice Tried, CastResult? Result, Exception? Error);
}
