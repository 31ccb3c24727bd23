using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Secret and named votes through the real services (issue 4): what is stored, what the live view and the events show
/// while the vote is open, and what the permanent result lists afterwards.
/// </summary>
public sealed class VoteSecrecyTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private static Func<int, PollInput> SecretMotion => item => JiangchuanCouncil.Motion(item, Secrecy.Secret);

    [Fact]
    public async Task SecretBallotIsNotLinkedToTheVoter()
    {
        var (sessionId, itemId) = await _council.OpenSessionWithQuorumAsync(1, 2, 3);
        var tallies = new ConcurrentQueue<TallyChanged>();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            if (e is TallyChanged tally)
            {
                tallies.Enqueue(tally);
                if (tally.Ballots == 3)
                {
                    allIn.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        var pollId = await Voting.CreatePollAsync(_council.Chair, sessionId, SecretMotion(itemId));
        await Voting.OpenPollAsync(_council.Chair, pollId);

        var choices = new Dictionary<int, int> { [1] = PollSpec.Yes, [2] = PollSpec.No, [3] = PollSpec.Yes };
        var receipts = new Dictionary<int, string>();
        foreach (var (voter, choice) in choices)
        {
            var result = await Voting.CastAsync(_council.Rep(voter), pollId, [choice]);
            Assert.Equal(CastOutcome.Accepted, result.Outcome);
            Assert.Equal(await _council.RepMembershipIdAsync(voter), result.MembershipId);
            Assert.Null(result.Count);
            Assert.NotNull(result.ReceiptCode);
            Assert.Equal(10, result.ReceiptCode.Length);
            receipts[voter] = result.ReceiptCode;
        }

        // Stored while open: no ballot in readable form, and no count of any option (not even of blank ballots): only
        // sealed envelopes, which carry no receipt in clear either; participations name the voters.
        Assert.Empty(await _council.BallotsAsync(pollId));
        var envelopes = await _council.SealedEnvelopesAsync(pollId);
        Assert.Equal(3, envelopes.Count);
        Assert.All(envelopes, e => Assert.All(receipts.Values, r => Assert.DoesNotContain(r, System.Text.Encoding.ASCII.GetString(e), StringComparison.Ordinal)));
        var (blankCounter, optionCounters) = await _council.CountersAsync(pollId);
        Assert.Equal(0, blankCounter);
        Assert.Equal([0, 0, 0], optionCounters);
        var participations = await _council.ParticipationsAsync(pollId);
        Assert.Equal(
            [await _council.RepMembershipIdAsync(1), await _council.RepMembershipIdAsync(2), await _council.RepMembershipIdAsync(3)],
            participations.Select(p => p.MembershipId).Order());
        Assert.Equal(
            new[] { _council.UserId("rep001"), _council.UserId("rep002"), _council.UserId("rep003") }.Order(StringComparer.Ordinal),
            participations.Select(p => p.CastByUserId).Order(StringComparer.Ordinal));

        // While open: participation is visible, the count is not (not even to the chair), nor the voter's own choice.
        foreach (var viewer in new[] { _council.Rep(1), _council.Chair })
        {
            var live = await _council.Sessions.GetLiveViewAsync(viewer, sessionId);
            Assert.NotNull(live.OpenPoll);
            Assert.Equal(3, live.OpenPoll.Ballots);
            Assert.Null(live.OpenPoll.Count);
            Assert.Null(live.OpenPoll.Outcome);
        }

        var mine = (await _council.Sessions.GetLiveViewAsync(_council.Rep(1), sessionId)).Viewer;
        Assert.True(mine.VotedInOpenPoll);
        Assert.Null(mine.MySelectionsInOpenPoll);

        await allIn.Task.WaitAsync(HangGuard);
        Assert.All(tallies, t => Assert.Null(t.Count));
        Assert.All(tallies, t => Assert.Equal(pollId, t.PollId));

        // A second attempt reveals nothing either.
        var again = await Voting.CastAsync(_council.Rep(2), pollId, [PollSpec.Yes]);
        Assert.Equal(CastOutcome.AlreadyVoted, again.Outcome);
        Assert.Null(again.Selections);
        Assert.Null(again.ReceiptCode);
        Assert.Null(again.Count);

        // Before close there is no ballot list; after close each receipt finds its ballot.
        Assert.Null(await Voting.FindFinishedAsync(pollId));
        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);
        VoteAssert.Equal(VoteAssert.Count([2, 1, 0], 3), closed.Count);
        Assert.Equal(PollOutcome.Adopted, closed.Outcome);

        // Counted: the ballots are written without receipts, the receipts apart, the envelopes gone.
        var ballots = await _council.BallotsAsync(pollId);
        Assert.Equal(3, ballots.Count);
        Assert.All(ballots, b => Assert.Null(b.MembershipId));
        Assert.All(ballots, b => Assert.Null(b.CastByUserId));
        Assert.All(ballots, b => Assert.False(b.IsProxy));
        Assert.Empty(await _council.SealedEnvelopesAsync(pollId));
        Assert.Equal(receipts.Values.Order(StringComparer.Ordinal), await _council.CountedReceiptsAsync(pollId));

        // Published: the choices grouped, the receipts apart; a receipt proves it was counted, not what it said.
        var permalink = await Voting.FindFinishedAsync(pollId);
        Assert.NotNull(permalink);
        Assert.Empty(permalink.NamedVotes);
        Assert.Equal(3, permalink.SecretBallots.Ballots);
        Assert.Equal(["0×2", "1×1"], permalink.SecretBallots.Choices.Select(c => string.Join(',', c.Selections) + "×" + c.Ballots));
        Assert.Equal(receipts.Values.Order(StringComparer.Ordinal), permalink.SecretBallots.Receipts);
        Assert.All(receipts.Values, r => Assert.True(permalink.SecretBallots.Counted(r.ToLowerInvariant() + " ")));
        Assert.False(permalink.SecretBallots.Counted("ZZZZZZZZZZ"));
    }

    [SqliteOnly] // reads the rowid order of the SQLite file
    [Fact]
    public async Task SecretBallotsAreStoredWithoutCastingOrderOrTime()
    {
        using var connection = fixture.Database.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'Ballots'";
        var sql = (string)(await command.ExecuteScalarAsync())!;

        command.CommandText = "SELECT name FROM pragma_table_info('Ballots') ORDER BY name";
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Contains("WITHOUT ROWID", sql, StringComparison.Ordinal);
        Assert.Equal(["CastByUserId", "Id", "IsProxy", "MembershipId", "PollId", "Selections"], columns);
    }

    [Fact]
    public async Task SecretBlankBallotIsCountedAndItsReceiptListed()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(
            item => new PollInput(item, "选择改造方案", VoteMethod.SingleChoice, ["方案甲", "方案乙"], 0, 1, 0, Secrecy.Secret, MajorityKind.Simple, MajorityBase.VotesCast, false),
            1, 2);
        var blank = await Voting.CastAsync(_council.Rep(1), pollId, []);
        await Voting.CastAsync(_council.Rep(2), pollId, [1]);

        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);
        var permalink = await Voting.FindFinishedAsync(pollId);

        VoteAssert.Equal(VoteAssert.Count([0, 1], 2, blank: 1), closed.Count);
        Assert.Equal(PollOutcome.Decided, closed.Outcome);
        Assert.NotNull(permalink);
        Assert.Empty(Assert.Single(permalink.SecretBallots.Choices, c => c.Ballots == 1 && c.Selections.Count == 0).Selections);
        Assert.True(permalink.SecretBallots.Counted(blank.ReceiptCode));
    }

    [Fact]
    public async Task NamedVoteShowsTheCountLiveAndNamesTheVoters()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        var allIn = new TaskCompletionSource<TallyChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            if (e is TallyChanged { Ballots: 3 } tally)
            {
                allIn.TrySetResult(tally);
            }

            return Task.CompletedTask;
        });
        var choices = new Dictionary<int, BallotChoice> { [1] = BallotChoice.Yes, [2] = BallotChoice.No, [3] = BallotChoice.Abstain };
        foreach (var (voter, choice) in choices)
        {
            var result = await Voting.CastAsync(_council.Rep(voter), pollId, choice);
            Assert.Equal(CastOutcome.Accepted, result.Outcome);
            Assert.Null(result.ReceiptCode);
            Assert.NotNull(result.Count);
        }

        var live = await _council.Sessions.GetLiveViewAsync(_council.Rep(3), sessionId);
        Assert.NotNull(live.OpenPoll);
        VoteAssert.Equal(VoteAssert.Count([1, 1, 1], 3), live.OpenPoll.Count);
        Assert.Equal([PollSpec.Abstain], live.Viewer.MySelectionsInOpenPoll);
        VoteAssert.Equal(VoteAssert.Count([1, 1, 1], 3), (await allIn.Task.WaitAsync(HangGuard)).Count);

        var ballots = await _council.BallotsAsync(pollId);
        Assert.All(ballots, b => Assert.NotNull(b.MembershipId));

        await Voting.ClosePollAsync(_council.Chair, pollId);
        var permalink = await Voting.FindFinishedAsync(pollId);

        Assert.NotNull(permalink);
        Assert.Empty(permalink.SecretBallots.Choices);
        Assert.Empty(permalink.SecretBallots.Receipts);
        var expected = new List<(string Name, int Choice)>();
        foreach (var (voter, choice) in choices)
        {
            expected.Add((await _council.MemberNameAsync(await _council.RepMembershipIdAsync(voter)), (int)choice));
        }

        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), permalink.NamedVotes.Select(v => v.Name));
        foreach (var (name, choice) in expected)
        {
            var vote = Assert.Single(permalink.NamedVotes, v => v.Name == name);
            Assert.Equal([choice], vote.Selections);
            Assert.False(vote.IsProxy);
        }
    }

    [Fact]
    public async Task SecretElectionPublishesEveryBallotAndNoName()
    {
        var voters = Enumerable.Range(1, 6).ToArray();
        var (_, pollId) = await _council.OpenPollWithVotersAsync(
            item => new PollInput(item, "选举两名居民小组长", VoteMethod.Election, ["张伟", "王芳", "李娜", "刘洋"], 0, 0, 2, Secrecy.Secret, MajorityKind.Simple, MajorityBase.VotesCast, false),
            voters);
        int[][] marks = [[0, 1], [0], [1, 2], [0, 1], [3], []];
        var receipts = new List<(string Receipt, int[] Marks)>();
        for (var i = 0; i < voters.Length; i++)
        {
            receipts.Add(((await Voting.CastAsync(_council.Rep(voters[i]), pollId, marks[i])).ReceiptCode!, marks[i]));
        }

        var closed = await Voting.ClosePollAsync(_council.Chair, pollId);
        var permalink = await Voting.FindFinishedAsync(pollId);

        VoteAssert.Equal(VoteAssert.Count([3, 3, 1, 1], 6, blank: 1), closed.Count);
        Assert.Equal(PollOutcome.Decided, closed.Outcome);
        Assert.NotNull(closed.Decision);
        Assert.Equal([0, 1], closed.Decision.Winners);
        Assert.NotNull(permalink);
        Assert.Empty(permalink.NamedVotes);
        Assert.Equal(receipts.Count, permalink.SecretBallots.Ballots);
        Assert.Equal(
            ["0×1", "0,1×2", "1,2×1", "3×1", "×1"],
            permalink.SecretBallots.Choices.Select(c => string.Join(',', c.Selections) + "×" + c.Ballots));
        Assert.All(receipts, r => Assert.True(permalink.SecretBallots.Counted(r.Receipt)));
    }

    [Fact]
    public async Task SecretProxyBallotCannotBeSingledOut()
    {
        // rep001 gives rep002 the proxy: the minutes say so by name ("… 委托 … 代为表决"), and participations record it.
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        var delegator = await _council.RepMembershipIdAsync(1);
        await _council.Sessions.DelegateAsync(_council.Rep(1), sessionId, await _council.RepMembershipIdAsync(2));
        await _council.CheckInAsync(sessionId, 2, 3);
        await _council.EnsureQuorumAsync(sessionId);
        var pollId = await Voting.CreatePollAsync(_council.Chair, sessionId, SecretMotion(itemId));
        await Voting.OpenPollAsync(_council.Chair, pollId);
        await Voting.CastAsync(_council.Rep(2), pollId, [PollSpec.No], onBehalfOfMembershipId: delegator);
        await Voting.CastAsync(_council.Rep(2), pollId, [PollSpec.Yes]);
        await Voting.CastAsync(_council.Rep(3), pollId, [PollSpec.Yes]);
        await Voting.ClosePollAsync(_council.Chair, pollId);

        var permalink = await Voting.FindFinishedAsync(pollId);
        var ballots = await _council.BallotsAsync(pollId);

        // With the one proxy of the session known, a ballot marked as cast by proxy is rep001's ballot.
        Assert.NotNull(permalink);
        Assert.Equal(3, permalink.SecretBallots.Ballots);
        // The published ballots have no proxy mark at all (PublishedChoice carries selections and a number only),
        // and the stored secret ballots none either: the proxy fact lives in the participation only.
        Assert.All(ballots, b => Assert.False(b.IsProxy));
        Assert.True(Assert.Single(await _council.ParticipationsAsync(pollId), p => p.MembershipId == delegator).IsProxy);
    }
}
