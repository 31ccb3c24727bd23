using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Group commit (ADR 0008): the casts waiting for a vote's writer are checked one by one and stored in one transaction,
/// and every caller gets the answer a cast of its own would have got. <see cref="VotingService.CastTogether"/> queues
/// several casts at once, so a test knows they form one batch; the batches are written to a real SQLite file.
/// </summary>
public sealed class GroupCommitTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited answers, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private Actor Rep(int number) => _council.Rep(number);

    private static (Actor, IReadOnlyList<int>?, string?, int?) Cast(Actor actor, int choice, string? key = null, int? onBehalfOf = null) =>
        (actor, [choice], key, onBehalfOf);

    [Fact]
    public async Task DuplicateInBatchGetsOwnAnswerOthersLand()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        var checkedBefore = Voting.Counters.BatchesChecked;
        var fallbacksBefore = Voting.Counters.Fallbacks;

        var answers = await AnswersAsync(Voting.CastTogether(pollId,
            Cast(Rep(1), PollSpec.Yes, "phone"), Cast(Rep(2), PollSpec.No, "b"), Cast(Rep(1), PollSpec.No, "laptop"), Cast(Rep(3), PollSpec.Abstain, "c")));

        var (first, other, second, third) = (answers[0].Result!, answers[1].Result!, answers[2].Result!, answers[3].Result!);
        Assert.Equal((CastOutcome.Accepted, await _council.RepMembershipIdAsync(1)), (first.Outcome, first.MembershipId));
        Assert.Equal([PollSpec.Yes], first.Selections);
        Assert.Equal(CastOutcome.AlreadyVoted, second.Outcome);
        Assert.Equal(first.MembershipId, second.MembershipId);
        Assert.Equal([PollSpec.Yes], second.Selections);
        Assert.Null(second.ReceiptCode);
        Assert.Equal(CastOutcome.Accepted, other.Outcome);
        Assert.Equal(CastOutcome.Accepted, third.Outcome);
        Assert.All([first, other, second, third], r => Assert.Equal(3, r.Ballots));
        Assert.All([first, other, second, third], r => VoteAssert.Equal(VoteAssert.Count([1, 1, 1], 3), r.Count));

        // One batch, one transaction (the repeat never reached the unique index); one ballot and one participation per
        // member, counters equal to the ballots.
        Assert.Equal(checkedBefore + 1, Voting.Counters.BatchesChecked);
        Assert.Equal(fallbacksBefore, Voting.Counters.Fallbacks);
        await AssertStoredAsync(pollId, new() { [1] = "0", [2] = "1", [3] = "2" });
        Assert.Equal("phone", (await _council.ParticipationsAsync(pollId)).Single(p => p.MembershipId == first.MembershipId).IdempotencyKey);
    }

    [Fact]
    public async Task SameKeyTwiceInOneBatchIsReplayedAndStoredOnce()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var answers = await AnswersAsync(Voting.CastTogether(pollId, Cast(Rep(1), PollSpec.No, "tab-1"), Cast(Rep(1), PollSpec.Yes, "tab-1")));

        Assert.Equal(CastOutcome.Accepted, answers[0].Result!.Outcome);
        Assert.Equal(CastOutcome.Replayed, answers[1].Result!.Outcome);
        Assert.Equal([PollSpec.No], answers[1].Result!.Selections);
        await AssertStoredAsync(pollId, new() { [1] = "1" });
    }

    [Fact]
    public async Task ReplayInALaterBatchConfirmsTheFirstCastAlongsideNewBallots()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        var first = (await AnswersAsync(Voting.CastTogether(pollId, Cast(Rep(1), PollSpec.Abstain, "key-1"))))[0].Result!;

        var later = await AnswersAsync(Voting.CastTogether(pollId,
            Cast(Rep(1), PollSpec.Yes, "key-1"), Cast(Rep(2), PollSpec.Yes, "key-2"), Cast(Rep(1), PollSpec.Yes, "key-3"), Cast(Rep(1), PollSpec.No)));

        Assert.Equal(CastOutcome.Accepted, first.Outcome);
        Assert.Equal(CastOutcome.Replayed, later[0].Result!.Outcome);
        Assert.Equal([PollSpec.Abstain], later[0].Result!.Selections);
        Assert.Equal(CastOutcome.Accepted, later[1].Result!.Outcome);
        Assert.Equal(CastOutcome.AlreadyVoted, later[2].Result!.Outcome);
        Assert.Equal(CastOutcome.AlreadyVoted, later[3].Result!.Outcome);
        Assert.All(later, a => Assert.Equal(2, a.Result!.Ballots));
        await AssertStoredAsync(pollId, new() { [1] = "2", [2] = "0" });
    }

    [Fact]
    public async Task SecretBatchGivesEachVoterTheirOwnReceiptOnce()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(item => JiangchuanCouncil.Motion(item, Secrecy.Secret), 1, 2);

        var answers = await AnswersAsync(Voting.CastTogether(pollId,
            Cast(Rep(1), PollSpec.Yes, "s-1"), Cast(Rep(2), PollSpec.No, "s-2"), Cast(Rep(1), PollSpec.Yes, "s-1")));

        var (one, two, replay) = (answers[0].Result!, answers[1].Result!, answers[2].Result!);
        Assert.Equal(CastOutcome.Accepted, one.Outcome);
        Assert.Equal(CastOutcome.Accepted, two.Outcome);
        Assert.NotNull(one.ReceiptCode);
        Assert.NotNull(two.ReceiptCode);
        Assert.NotEqual(one.ReceiptCode, two.ReceiptCode);
        Assert.Equal(CastOutcome.Replayed, replay.Outcome);
        Assert.Null(replay.Selections);
        Assert.Null(replay.ReceiptCode);
        Assert.All([one, two, replay], r => Assert.Null(r.Count));

        // Sealed until the close; then both counted, both receipts listed.
        Assert.Equal(2, (await _council.SealedEnvelopesAsync(pollId)).Count);
        Assert.Empty(await _council.BallotsAsync(pollId));
        await Voting.ClosePollAsync(_council.Chair, pollId);
        var ballots = await _council.BallotsAsync(pollId);
        Assert.Equal(["0", "1"], ballots.Select(b => b.Selections).Order(StringComparer.Ordinal));
        Assert.All(ballots, b => Assert.Null(b.MembershipId));
        Assert.Equal(new[] { one.ReceiptCode!, two.ReceiptCode! }.Order(StringComparer.Ordinal), await _council.CountedReceiptsAsync(pollId));
    }

    [Fact]
    public async Task InvalidBallotInABatchIsRefusedAloneOthersLand()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4);
        var secretary = _council.Secretary;
        await _council.Sessions.CheckInAsync(secretary, sessionId);

        var answers = await AnswersAsync(Voting.CastTogether(pollId,
            Cast(Rep(1), PollSpec.Yes),
            (Rep(2), [PollSpec.Yes, PollSpec.No], null, null),
            Cast(_council.ActorFor("resident", Roles.Resident), PollSpec.Yes),
            Cast(secretary, PollSpec.No),
            Cast(Rep(5), PollSpec.No),
            Cast(Rep(3), 7),
            (Rep(3), null, null, null),
            Cast(Rep(4), PollSpec.No)));

        Assert.Equal(CastOutcome.Accepted, answers[0].Result!.Outcome);
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.IsType<DomainException>(answers[1].Error).Code);
        Assert.Equal("Ballot.NotEligible", Assert.IsType<ForbiddenException>(answers[2].Error).Code);
        Assert.Equal("Ballot.NotEligible", Assert.IsType<ForbiddenException>(answers[3].Error).Code);
        Assert.Equal("Ballot.NotCheckedIn", Assert.IsType<DomainException>(answers[4].Error).Code);
        Assert.Equal("Ballot.UnknownOption", Assert.IsType<DomainException>(answers[5].Error).Code);
        Assert.Equal("Ballot.WrongNumberOfChoices", Assert.IsType<DomainException>(answers[6].Error).Code);
        Assert.Equal(CastOutcome.Accepted, answers[7].Result!.Outcome);
        VoteAssert.Equal(VoteAssert.Count([1, 1, 0], 2), answers[7].Result!.Count);
        await AssertStoredAsync(pollId, new() { [1] = "0", [4] = "1" });
    }

    [Fact]
    public async Task RefusedFirstCastDoesNotBlockAValidOneOfTheSameMemberInTheBatch()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        var answers = await AnswersAsync(Voting.CastTogether(pollId,
            (Rep(1), [PollSpec.Yes, PollSpec.Yes], "k-1", null), Cast(Rep(1), PollSpec.No, "k-2"), Cast(Rep(1), PollSpec.Yes, "k-2")));

        Assert.Equal("Ballot.DuplicateOption", Assert.IsType<DomainException>(answers[0].Error).Code);
        Assert.Equal(CastOutcome.Accepted, answers[1].Result!.Outcome);
        Assert.Equal(CastOutcome.Replayed, answers[2].Result!.Outcome);
        Assert.Equal([PollSpec.No], answers[2].Result!.Selections);
        await AssertStoredAsync(pollId, new() { [1] = "1" });
    }

    [Fact]
    public async Task ProxyAndOwnBallotOfOneHolderLandInOneBatch()
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        var (a, b) = (await _council.RepMembershipIdAsync(1), await _council.RepMembershipIdAsync(2));
        await _council.Sessions.DelegateAsync(Rep(1), sessionId, b);
        await _council.CheckInAsync(sessionId, 2);
        await _council.EnsureQuorumAsync(sessionId);
        var pollId = await Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);

        var answers = await AnswersAsync(Voting.CastTogether(pollId,
            Cast(Rep(2), PollSpec.Yes, "for-a", a), Cast(Rep(2), PollSpec.No, "own"), Cast(Rep(2), PollSpec.No, "again-for-a", a)));

        Assert.Equal((CastOutcome.Accepted, a), (answers[0].Result!.Outcome, answers[0].Result!.MembershipId));
        Assert.Equal((CastOutcome.Accepted, b), (answers[1].Result!.Outcome, answers[1].Result!.MembershipId));
        Assert.Equal((CastOutcome.AlreadyVoted, a), (answers[2].Result!.Outcome, answers[2].Result!.MembershipId));
        var participations = await _council.ParticipationsAsync(pollId);
        Assert.True(participations.Single(p => p.MembershipId == a).IsProxy);
        Assert.False(participations.Single(p => p.MembershipId == b).IsProxy);
        Assert.All(participations, p => Assert.Equal(_council.UserId("rep002"), p.CastByUserId));
        await AssertStoredAsync(pollId, new() { [1] = "0", [2] = "1" });
    }

    [Fact]
    public async Task BatchLargerThanTheRoomLeftByAPaperCountStoresOnlyWhatFitsInArrivalOrder()
    {
        // 76 present (rep001..rep004 and 72 others), no proxies: 76 ballots are possible.
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4);
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        await Voting.RecordPaperCountAsync(_council.Chair, pollId, 73, [0, 73, 0]);

        var answers = await AnswersAsync(Voting.CastTogether(pollId, Cast(Rep(4), PollSpec.No), Cast(Rep(2), PollSpec.Yes), Cast(Rep(3), PollSpec.Yes)));

        Assert.Equal(CastOutcome.Accepted, answers[0].Result!.Outcome);
        Assert.Equal(CastOutcome.Accepted, answers[1].Result!.Outcome);
        var refused = Assert.IsType<DomainException>(answers[2].Error);
        Assert.Equal("Paper.ExceedsEligible", refused.Code);
        Assert.Equal([3, 73, 76], refused.Arguments);
        await AssertStoredAsync(pollId, new() { [1] = "0", [2] = "0", [4] = "1" });
        Assert.Equal(76, (await Voting.ClosePollAsync(_council.Chair, pollId)).Ballots);
    }

    [Fact]
    public async Task BatchOnAClosedVoteIsRefusedWholeWithTheVotesReason()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        await Voting.ClosePollAsync(_council.Chair, pollId);

        var answers = await AnswersAsync(Voting.CastTogether(pollId, Cast(Rep(2), PollSpec.No), Cast(Rep(1), PollSpec.No, "retry")));

        Assert.All(answers, a => Assert.Equal("Poll.Closed", Assert.IsType<DomainException>(a.Error).Code));
        await AssertStoredAsync(pollId, new() { [1] = "0" });
    }

    [Fact]
    public async Task VoteClosedByAnotherInstanceRefusesAWholeBatchCheckedAgainstTheOpenVote()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        // This instance has seen the vote open (its checks keep it); the other closes it, and no event tells this one.
        await Voting.CastAsync(Rep(1), pollId, BallotChoice.Yes);
        await using (var other = new SecondInstance(fixture.Database))
        {
            await other.Voting.ClosePollAsync(_council.Chair, pollId);
        }

        var answers = await AnswersAsync(Voting.CastTogether(pollId, Cast(Rep(2), PollSpec.No), Cast(Rep(3), PollSpec.Abstain)));

        Assert.All(answers, a => Assert.Equal("Poll.Closed", Assert.IsType<DomainException>(a.Error).Code));
        await AssertStoredAsync(pollId, new() { [1] = "0" });
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Closed, poll.Status);
        VoteAssert.Equal(VoteAssert.Count([1, 0, 0], 1), poll.TotalCount());

        // The refused write dropped the stale entry: the next cast reads the vote again and hears the same.
        var late = await Assert.ThrowsAsync<DomainException>(() => Voting.CastAsync(Rep(3), pollId, BallotChoice.No));
        Assert.Equal("Poll.Closed", late.Code);
    }

    [Fact]
    public async Task BatchesRacingWithACloseStoreNoBallotAfterIt()
    {
        // At least 8 rounds, and more (up to 40) until a ballot has met the close: on a busy machine the whole burst may
        // land before the close in the first rounds, which would leave the race untried.
        const int rounds = 8;
        const int maxRounds = 40;
        const int voters = 30;
        var refusedInSomeRound = false;
        var round = 0;
        for (; round < maxRounds && (round < rounds || !refusedInSomeRound); round++)
        {
            var (sessionId, itemId) = await _council.OpenSessionAsync();
            await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
            await _council.EnsureQuorumAsync(sessionId);
            var pollId = await Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Even rounds let a part of the burst in before the close; odd rounds start the close first and let the burst
            // follow it a little later (on PostgreSQL a close takes longer than a whole group-committed burst, so without
            // these rounds every ballot could land before the close and the race would go untried).
            var phase = round % rounds;
            var castDelay = phase % 2 == 1 ? phase : 0;
            var closeDelay = phase % 2 == 0 ? phase * 3 : 0;
            var casts = Enumerable.Range(1, voters).Select(v => Task.Run(async () =>
            {
                await gate.Task;
                await Task.Delay(castDelay + v % 3);
                return await AnswerAsync(Voting.CastAsync(Rep(v), pollId, (BallotChoice)(v % 3)));
            })).ToList();
            var close = Task.Run(async () =>
            {
                await gate.Task;
                await Task.Delay(closeDelay);
                return await Voting.ClosePollAsync(_council.Chair, pollId);
            });

            gate.SetResult();
            var closed = await close.WaitAsync(HangGuard);
            var answers = await Task.WhenAll(casts).WaitAsync(HangGuard);

            Assert.Empty(answers.Where(a => a.Error is not null and not DomainException { Code: "Poll.Closed" }).Select(a => a.Error!.Message));
            refusedInSomeRound |= answers.Any(a => a.Error is not null);
            var accepted = Enumerable.Range(1, voters).Where(v => answers[v - 1].Result is { Outcome: CastOutcome.Accepted })
                .ToDictionary(v => v, v => $"{v % 3}");
            await AssertStoredAsync(pollId, accepted);

            // The result is exactly the accepted ballots: none was counted after the close, none is stored without its count.
            Assert.Equal(accepted.Count, closed.Ballots);
            VoteAssert.Equal(VoteAssert.CountOf(3, accepted.Values.Select(s => new[] { int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) })), closed.Count);
        }

        Assert.True(refusedInSomeRound, $"in {round} rounds no ballot arrived after the close: the race was not exercised");
    }

    [Fact]
    public async Task UniqueViolationFromAnotherWriterFallsBackAndEveryCallerGetsItsOwnAnswer()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        var x = await _council.RepMembershipIdAsync(1);
        var fallbacksBefore = Voting.Counters.Fallbacks;
        var checkedBefore = Voting.Counters.BatchesChecked;

        // Another writer (a second connection, as another instance would be) holds SQLite's write lock and has stored
        // rep001's ballot from their phone, not yet committed: the batch's reads cannot see it.
        await using var other = await _council.DbAsync();
        await using var tx = await other.Database.BeginTransactionAsync();
        other.Participations.Add(new Participation(pollId, x, _council.UserId("rep001"), false, "phone", DateTime.UtcNow));
        other.Ballots.Add(Ballot.Named(pollId, x, _council.UserId("rep001"), [PollSpec.No], false));
        await other.SaveChangesAsync();
        await other.Polls.Where(p => p.Id == pollId).ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + 1));
        await other.PollOptions.Where(o => o.PollId == pollId && o.Index == PollSpec.No).ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + 1));

        var batch = Voting.CastTogether(pollId, Cast(Rep(1), PollSpec.Yes, "tablet"), Cast(Rep(2), PollSpec.No, "b"), Cast(Rep(3), PollSpec.Abstain, "c"));
        await WaitUntilAsync(() => Voting.Counters.BatchesChecked > checkedBefore);
        await tx.CommitAsync();
        var answers = await AnswersAsync(batch);

        Assert.Equal(fallbacksBefore + 1, Voting.Counters.Fallbacks);
        var mine = answers[0].Result!;
        Assert.Equal((CastOutcome.AlreadyVoted, x), (mine.Outcome, mine.MembershipId));
        Assert.Equal([PollSpec.No], mine.Selections);
        Assert.Equal(CastOutcome.Accepted, answers[1].Result!.Outcome);
        Assert.Equal(CastOutcome.Accepted, answers[2].Result!.Outcome);
        await AssertStoredAsync(pollId, new() { [1] = "1", [2] = "1", [3] = "2" });
        Assert.Equal("phone", (await _council.ParticipationsAsync(pollId)).Single(p => p.MembershipId == x).IdempotencyKey);
    }

    [Fact]
    public async Task TwoInstancesCastingForTheSameMembersStoreOneBallotEach()
    {
        const int voters = 60;
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
        await _council.EnsureQuorumAsync(sessionId);
        var pollId = await Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);
        await using var other = new SecondInstance(fixture.Database);

        // Every member casts on both instances at once (two devices on two servers), each with its own key and choice.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var casts = Enumerable.Range(1, voters).SelectMany(v => new[] { (Voter: v, Service: Voting, Key: "a"), (Voter: v, Service: other.Voting, Key: "b") })
            .Select(c => Task.Run(async () =>
            {
                await gate.Task;
                var choice = c.Key == "a" ? c.Voter % 3 : (c.Voter + 1) % 3;
                return (c.Voter, Answer: await AnswerAsync(c.Service.CastAsync(Rep(c.Voter), pollId, [choice], c.Key + c.Voter)));
            })).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(casts).WaitAsync(HangGuard);

        Assert.Empty(answers.Where(a => a.Answer.Error is not null).Select(a => $"rep{a.Voter:000}: {a.Answer.Error}"));
        var accepted = new Dictionary<int, string>();
        foreach (var member in answers.GroupBy(a => a.Voter))
        {
            var results = member.Select(a => a.Answer.Result!).ToList();
            var first = Assert.Single(results, r => r.Outcome == CastOutcome.Accepted);
            Assert.Equal(CastOutcome.AlreadyVoted, Assert.Single(results, r => r != first).Outcome);
            Assert.All(results, r => Assert.Equal(first.Selections, r.Selections));
            accepted[member.Key] = string.Join(',', first.Selections!);
        }

        await AssertStoredAsync(pollId, accepted);
    }

    [Fact]
    public async Task TwoInstancesTakingABurstForTheSameVoteWaitForEachOtherInsteadOfCastingOneByOne()
    {
        // Half the room on each instance behind nginx, all at once: each instance's writer commits its batches; the
        // vote's row decides the order (SQLite's write lock, PostgreSQL's row lock), so no batch loses the race on the
        // counters and falls back to one transaction per ballot (which made a two-instance burst take two seconds).
        const int voters = 80;
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
        await _council.EnsureQuorumAsync(sessionId);
        var pollId = await Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);
        await using var other = new SecondInstance(fixture.Database);
        var fallbacksHere = Voting.Counters.Fallbacks;
        var fallbacksThere = other.Voting.Counters.Fallbacks;

        for (var wave = 0; wave < 2; wave++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var casts = Enumerable.Range(1, voters).Where(v => v % 2 == wave).Select(v => Task.Run(async () =>
            {
                await gate.Task;
                var service = v % 4 < 2 ? Voting : other.Voting;
                return (Voter: v, Answer: await AnswerAsync(service.CastAsync(Rep(v), pollId, (BallotChoice)(v % 3))));
            })).ToList();
            gate.SetResult();
            var answers = await Task.WhenAll(casts).WaitAsync(HangGuard);
            Assert.All(answers, a => Assert.Equal(CastOutcome.Accepted, a.Answer.Result?.Outcome));
        }

        await AssertStoredAsync(pollId, Enumerable.Range(1, voters).ToDictionary(v => v, v => $"{v % 3}"));
        Assert.Equal(fallbacksHere, Voting.Counters.Fallbacks);
        Assert.Equal(fallbacksThere, other.Voting.Counters.Fallbacks);
    }

    [Fact]
    public async Task ConcurrentCastsShareTransactions()
    {
        const int voters = 100;
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInByChairAsync(sessionId, Enumerable.Range(1, voters));
        var pollId = await Voting.OpenPollAsync(_council.Chair, sessionId, itemId, JiangchuanCouncil.Question);
        var checkedBefore = Voting.Counters.BatchesChecked;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var casts = Enumerable.Range(1, voters).Select(v => Task.Run(async () =>
        {
            await gate.Task;
            return await AnswerAsync(Voting.CastAsync(Rep(v), pollId, (BallotChoice)(v % 3)));
        })).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(casts).WaitAsync(HangGuard);

        Assert.All(answers, a => Assert.Equal(CastOutcome.Accepted, a.Result?.Outcome));
        await AssertStoredAsync(pollId, Enumerable.Range(1, voters).ToDictionary(v => v, v => $"{v % 3}"));
        var batches = Voting.Counters.BatchesChecked - checkedBefore;
        Assert.True(batches < voters, $"{voters} concurrent casts took {batches} transactions");
    }

    [Fact]
    public async Task CastCancelledWhileWaitingIsWithdrawnAndStoresNothing()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        var checkedBefore = Voting.Counters.BatchesChecked;

        // Another connection holds SQLite's write lock and the vote's row (PostgreSQL), so the vote's writer waits in its
        // first batch (rep001's cast) while rep002's cast waits behind it in the queue.
        await using var other = await _council.DbAsync();
        var writeLock = await HoldVoteAsync(other, pollId);
        var first = Voting.CastTogether(pollId, Cast(Rep(1), PollSpec.Yes))[0];
        await WaitUntilAsync(() => Voting.Counters.BatchesChecked > checkedBefore);
        using var cancel = new CancellationTokenSource();
        var waiting = Voting.CastAsync(Rep(2), pollId, [PollSpec.No], "rep002-key", null, cancel.Token);

        await cancel.CancelAsync();
        var withdrawn = await Record.ExceptionAsync(() => waiting.WaitAsync(HangGuard));
        await writeLock.RollbackAsync();
        await writeLock.DisposeAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(withdrawn);
        Assert.Equal(CastOutcome.Accepted, (await first.WaitAsync(HangGuard)).Outcome);
        // The same key again is a first cast, not a replay: the withdrawn cast left nothing behind.
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(2), pollId, [PollSpec.Abstain], "rep002-key")).Outcome);
        await AssertStoredAsync(pollId, new() { [1] = "0", [2] = "2" });
    }

    [Fact]
    public async Task CancellingAfterTheWriterTookTheCastStillStoresItAndAnswers()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);
        var checkedBefore = Voting.Counters.BatchesChecked;
        await using var other = await _council.DbAsync();
        var writeLock = await HoldVoteAsync(other, pollId);
        using var cancel = new CancellationTokenSource();
        var cast = Voting.CastAsync(Rep(1), pollId, [PollSpec.No], "k", null, cancel.Token);
        await WaitUntilAsync(() => Voting.Counters.BatchesChecked > checkedBefore);

        await cancel.CancelAsync();
        await writeLock.RollbackAsync();
        await writeLock.DisposeAsync();

        // Once taken, a cast is stored or refused whole, and the caller learns which.
        Assert.Equal(CastOutcome.Accepted, (await cast.WaitAsync(HangGuard)).Outcome);
        await AssertStoredAsync(pollId, new() { [1] = "1" });
    }

    [Fact]
    public async Task CastWithAnAlreadyCancelledTokenStoresNothing()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Voting.CastAsync(Rep(1), pollId, [PollSpec.Yes], "k", null, new CancellationToken(canceled: true)));

        await AssertStoredAsync(pollId, []);
        Assert.Equal(CastOutcome.Accepted, (await Voting.CastAsync(Rep(1), pollId, [PollSpec.Yes], "k")).Outcome);
    }

    /// <summary>
    /// Opens a transaction on another connection that the vote's writer must wait for: on SQLite the transaction holds
    /// the write lock; on PostgreSQL it must also hold the vote's row, which the writer reads <c>FOR UPDATE</c>
    /// (a transaction that holds nothing let the writer through, and CI caught the race).
    /// </summary>
    private static async Task<IDbContextTransaction> HoldVoteAsync(DeliberationDbContext other, int pollId)
    {
        var tx = await other.Database.BeginTransactionAsync();
        await other.Polls.Where(p => p.Id == pollId).ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount));
        return tx;
    }

    /// <summary>
    /// Exactly these ballots are stored (representative number → selections), one participation each, and the vote's
    /// counters equal the stored ballots.
    /// </summary>
    private async Task AssertStoredAsync(int pollId, Dictionary<int, string> expected)
    {
        var seats = new Dictionary<int, int>();
        foreach (var rep in expected.Keys)
        {
            seats[await _council.RepMembershipIdAsync(rep)] = rep;
        }

        var ballots = await _council.BallotsAsync(pollId);
        var participations = await _council.ParticipationsAsync(pollId);
        var poll = await _council.LoadPollAsync(pollId);
        if (poll.Secrecy == Secrecy.Named)
        {
            Assert.Equal(expected.OrderBy(e => e.Key), ballots.Select(b => KeyValuePair.Create(seats[b.MembershipId!.Value], b.Selections)).OrderBy(e => e.Key));
        }

        Assert.Equal(expected.Count, ballots.Count);
        Assert.Equal(seats.Keys.Order(), participations.Select(p => p.MembershipId).Order());
        Assert.Equal(expected.Count, poll.BallotCount);
        VoteAssert.Equal(VoteAssert.CountOf(poll.Options.Count, ballots.Select(b => b.SelectedOptions)), poll.ElectronicCount());
    }

    private static async Task<Answer[]> AnswersAsync(IEnumerable<Task<CastResult>> casts) =>
        await Task.WhenAll(casts.Select(AnswerAsync)).WaitAsync(HangGuard);

    private static async Task<Answer> AnswerAsync(Task<CastResult> cast)
    {
        try
        {
            return new Answer(await cast, null);
        }
        catch (Exception ex)
        {
            return new Answer(null, ex);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            await Task.Delay(5);
        }
    }

    private sealed record Answer(CastResult? Result, Exception? Error);
}
