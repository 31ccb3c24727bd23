using System.Data.Common;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Casting;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// The statements of a ballot batch (<see cref="BatchStatements"/>, ADR 0008 "Rows of a batch"): what they store reads
/// back through EF exactly as written, however many statements a batch takes, and a member twice is the unique
/// violation the writer falls back on, with nothing stored. On SQLite and, in the PostgreSQL suite, on PostgreSQL.
/// </summary>
public sealed class BallotRowsTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    /// <summary>Microseconds: PostgreSQL's timestamp precision, so the value must come back unchanged on both.</summary>
    private static readonly DateTime CastAt = new DateTime(2026, 12, 4, 16, 5, 7, DateTimeKind.Utc).AddTicks(1_234_560);

    [Theory]
    [InlineData(BatchStatements.MaxParameters)] // one statement per table
    [InlineData(13)] // two rows per statement (6 columns): three statements for five rows
    [InlineData(1)] // one row per statement, whatever the columns
    public async Task RowsReadBackThroughTheModelExactlyAsWrittenInAnyNumberOfStatements(int maxParameters)
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3, 4, 5);
        var members = new Dictionary<int, int>();
        foreach (var rep in new[] { 1, 2, 3, 4, 5 })
        {
            members[rep] = await _council.RepMembershipIdAsync(rep);
        }

        var participations = members.Select(m => new Participation(pollId, m.Value, _council.UserId(JiangchuanCouncil.RepUserName(m.Key)),
            isProxy: m.Key == 2, idempotencyKey: m.Key % 2 == 0 ? null : $"key-{m.Key}-'\"; --", CastAt)).ToList();
        var ballots = members.Select(m => Ballot.Named(pollId, m.Value, _council.UserId(JiangchuanCouncil.RepUserName(m.Key)),
            m.Key == 3 ? [] : [0, m.Key % 3], isProxy: m.Key == 2)).ToList();
        var sealedBallots = Enumerable.Range(0, 5).Select(i => new SealedBallot(pollId, Enumerable.Range(i, 48).Select(b => (byte)b).ToArray())).ToList();

        await using (var db = await _council.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using var statements = new BatchStatements(db, maxParameters);
            statements.Insert(participations);
            statements.Insert(ballots);
            statements.Insert(sealedBallots);
            await statements.ExecuteAsync(default);
            await tx.CommitAsync();
        }

        var storedParticipations = (await _council.ParticipationsAsync(pollId)).OrderBy(p => p.MembershipId).ToList();
        Assert.Equal(
            participations.OrderBy(p => p.MembershipId).Select(p => (p.PollId, p.MembershipId, p.CastByUserId, p.IsProxy, p.IdempotencyKey, p.CastAtUtc)),
            storedParticipations.Select(p => (p.PollId, p.MembershipId, p.CastByUserId, p.IsProxy, p.IdempotencyKey, p.CastAtUtc)));
        Assert.All(storedParticipations, p => Assert.True(p.Id > 0));
        Assert.Equal(5, storedParticipations.Select(p => p.Id).Distinct().Count());

        var storedBallots = await _council.BallotsAsync(pollId);
        Assert.Equal(
            ballots.OrderBy(b => b.Id).Select(b => (b.Id, b.PollId, b.MembershipId, b.CastByUserId, b.Selections, b.IsProxy)),
            storedBallots.OrderBy(b => b.Id).Select(b => (b.Id, b.PollId, b.MembershipId, b.CastByUserId, b.Selections, b.IsProxy)));
        Assert.Equal(
            sealedBallots.Select(b => Convert.ToHexString(b.Envelope)).Order(),
            (await _council.SealedEnvelopesAsync(pollId)).Select(Convert.ToHexString).Order());
    }

    [Fact]
    public async Task MemberTwiceInOneInsertIsAUniqueViolationAndNothingOfItIsStored()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(6, 7);
        var six = await _council.RepMembershipIdAsync(6);
        var seven = await _council.RepMembershipIdAsync(7);
        var user = _council.UserId(JiangchuanCouncil.RepUserName(6));
        Participation Row(int member) => new(pollId, member, user, false, null, CastAt);

        await using (var db = await _council.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using var statements = new BatchStatements(db);
            statements.Insert([Row(six), Row(seven), Row(six)]);
            var error = await Assert.ThrowsAnyAsync<DbException>(() => statements.ExecuteAsync(default));
            Assert.True(DbErrors.IsUniqueViolation(error));
            await tx.RollbackAsync();
        }

        Assert.Empty(await _council.ParticipationsAsync(pollId));
    }

    [Fact]
    public async Task OptionTotalsAndTheRowsOfABatchGoInOneCommand()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(8, 9, 10);
        var members = new List<(int Member, string User)>();
        foreach (var rep in new[] { 8, 9, 10 })
        {
            members.Add((await _council.RepMembershipIdAsync(rep), _council.UserId(JiangchuanCouncil.RepUserName(rep))));
        }

        await using (var db = await _council.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using var statements = new BatchStatements(db, join: true); // the default on PostgreSQL; SQLite runs it too
            statements.AddOptionVotes(pollId, new Dictionary<int, int> { [0] = 2, [2] = 1 });
            statements.Insert(members.Select(m => new Participation(pollId, m.Member, m.User, false, null, CastAt)).ToList());
            statements.Insert(members.Select((m, i) => Ballot.Named(pollId, m.Member, m.User, [i == 2 ? 2 : 0], false)).ToList());

            Assert.Equal(1, statements.Commands);
            await statements.ExecuteAsync(default);
            await tx.CommitAsync();
        }

        var (_, votes) = await _council.CountersAsync(pollId);
        Assert.Equal(new[] { 2, 0, 1 }, votes);
        Assert.Equal(members.Select(m => m.Member).Order(), (await _council.ParticipationsAsync(pollId)).Select(p => p.MembershipId).Order());
        Assert.Equal(["0", "0", "2"], (await _council.BallotsAsync(pollId)).Select(b => b.Selections).Order());
    }

    [Fact]
    public async Task ACommandEndsWhereTheNextStatementWouldPassTheParameterLimit()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(11, 12, 13, 14, 15);
        var participations = new List<Participation>();
        foreach (var rep in new[] { 11, 12, 13, 14, 15 })
        {
            participations.Add(new Participation(pollId, await _council.RepMembershipIdAsync(rep), _council.UserId(JiangchuanCouncil.RepUserName(rep)), false, null, CastAt));
        }

        await using (var db = await _council.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using var statements = new BatchStatements(db, maxParameters: 13, join: true);
            statements.Insert(participations); // 6 columns: statements of 2, 2 and 1 rows (12, 12 and 6 parameters)
            statements.AddOptionVotes(pollId, new Dictionary<int, int> { [1] = 5 }); // 4 parameters: joins the last

            Assert.Equal(3, statements.Commands);
            await statements.ExecuteAsync(default);
            await tx.CommitAsync();
        }

        var (_, votes) = await _council.CountersAsync(pollId);
        Assert.Equal(new[] { 0, 5, 0 }, votes);
        Assert.Equal(5, (await _council.ParticipationsAsync(pollId)).Count);
    }

    [Fact]
    public async Task UnjoinedEveryStatementIsACommandOfItsOwnAndStoresTheSame()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(16, 17);
        var members = new List<(int Member, string User)>();
        foreach (var rep in new[] { 16, 17 })
        {
            members.Add((await _council.RepMembershipIdAsync(rep), _council.UserId(JiangchuanCouncil.RepUserName(rep))));
        }

        await using (var db = await _council.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using var statements = new BatchStatements(db, join: false); // the default on SQLite
            statements.AddOptionVotes(pollId, new Dictionary<int, int> { [1] = 2 });
            statements.Insert(members.Select(m => new Participation(pollId, m.Member, m.User, false, null, CastAt)).ToList());
            statements.Insert(members.Select(m => Ballot.Named(pollId, m.Member, m.User, [1], false)).ToList());

            Assert.Equal(3, statements.Commands);
            await statements.ExecuteAsync(default);
            await tx.CommitAsync();
        }

        var (_, votes) = await _council.CountersAsync(pollId);
        Assert.Equal(new[] { 0, 2, 0 }, votes);
        Assert.Equal(["1", "1"], (await _council.BallotsAsync(pollId)).Select(b => b.Selections));
    }
}
