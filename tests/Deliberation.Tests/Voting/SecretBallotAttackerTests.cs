using System.Collections.Concurrent;
using System.Text;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// Issue 11, ADR 0016: an attacker who can read the database file, its write-ahead log, a backup taken during the vote
/// and everything the server logged — everything but the sealing key the server keeps outside the database — after
/// secret votes of 1, 2 and 150 voters. The attacker copies the files after every commit (which is replaying the log one
/// commit at a time) and reads each copy with SQLite itself.
/// </summary>
[SqliteOnly] // reads the SQLite file, its WAL and online backups byte by byte
public sealed class SecretBallotAttackerTests(SecretBallotAttackerTests.LoggedDatabase fixture) : IClassFixture<SecretBallotAttackerTests.LoggedDatabase>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    [Fact]
    public async Task LoneSecretBallotIsUnreadableInEveryCopyUntilTheVoteCloses()
    {
        var (pollId, attacker) = await OpenSecretVoteAsync(1);
        var cast = await Voting.CastAsync(_council.Rep(1), pollId, [PollSpec.No]);
        var afterCast = attacker.Snapshot();
        var backup = attacker.Backup();

        foreach (var copy in new[] { afterCast, backup })
        {
            var view = copy.Read(pollId);
            AssertNothingOfAChoice(view);
            Assert.Single(view.Participations);
            var envelope = Assert.Single(view.Envelopes);
            Assert.DoesNotContain(cast.ReceiptCode!, Encoding.ASCII.GetString(envelope), StringComparison.Ordinal);
        }

        AssertLogsHoldNo(cast.ReceiptCode!);
        var envelopeBytes = afterCast.Read(pollId).Envelopes.Single();

        await Voting.ClosePollAsync(_council.Chair, pollId);
        var closed = attacker.Snapshot().Read(pollId);

        // Counted (a vote of one tells its choice through the result, as on paper); the envelope is gone from the
        // database and the log, overwritten rather than left in free pages.
        Assert.Equal([0, 1, 0], closed.OptionVotes);
        Assert.Equal(["1"], closed.Ballots);
        Assert.Empty(closed.Envelopes);
        Assert.Equal([cast.ReceiptCode!], closed.Receipts);
        Assert.False(attacker.FilesContain(envelopeBytes.AsSpan(12, 16).ToArray()), "the sealed ballot lingers in the database or its log");
    }

    [Fact]
    public async Task TwoSecretBallotsCannotBeToldApartBeforeTheClose()
    {
        var (pollId, attacker) = await OpenSecretVoteAsync(1, 2);
        var copies = new List<FileAttacker.Copy>();
        var receipts = new List<string>();
        foreach (var (voter, choice) in new[] { (1, PollSpec.Yes), (2, PollSpec.No) })
        {
            receipts.Add((await Voting.CastAsync(_council.Rep(voter), pollId, [choice])).ReceiptCode!);
            copies.Add(attacker.Snapshot());
            copies.Add(attacker.Backup());
        }

        foreach (var copy in copies)
        {
            var view = copy.Read(pollId);
            AssertNothingOfAChoice(view);
            Assert.Equal(view.Participations.Count, view.Envelopes.Count);
            Assert.Single(view.Envelopes.Select(e => e.Length).Distinct());
        }

        receipts.ForEach(AssertLogsHoldNo);
        await Voting.ClosePollAsync(_council.Chair, pollId);
        var closed = attacker.Snapshot().Read(pollId);

        Assert.Equal([1, 1, 0], closed.OptionVotes);
        Assert.Empty(closed.Envelopes);
        Assert.Equal(receipts.Order(StringComparer.Ordinal), closed.Receipts);
    }

    /// <summary>
    /// 150 voters whose choices alternate in the order they vote (yes, no, yes, …): any order the database kept would
    /// give the attacker every choice. Matched by every order the copies offer, the attacker does no better than
    /// guessing (50 % here; more than 70 % by chance has a probability below one in a million).
    /// </summary>
    [Fact]
    public async Task HundredFiftySecretBallotsLinkToNobodyBetterThanChance()
    {
        var voters = Enumerable.Range(1, 150).ToArray();
        var (pollId, attacker) = await OpenSecretVoteAsync(voters);
        var choiceOf = new Dictionary<int, int>();
        var receipts = new ConcurrentBag<string>();
        var copies = new List<FileAttacker.Copy>();
        foreach (var batch in voters.Chunk(10))
        {
            var casts = batch.Select(v => (_council.Rep(v), (IReadOnlyList<int>?)[v % 2 == 1 ? PollSpec.Yes : PollSpec.No], (string?)null, (int?)null)).ToArray();
            foreach (var result in await Task.WhenAll(Voting.CastTogether(pollId, casts)))
            {
                Assert.Equal(CastOutcome.Accepted, result.Outcome);
                receipts.Add(result.ReceiptCode!);
            }

            foreach (var v in batch)
            {
                choiceOf[await _council.RepMembershipIdAsync(v)] = v % 2 == 1 ? PollSpec.Yes : PollSpec.No;
            }

            copies.Add(attacker.Snapshot());
            if (copies.Count == 7)
            {
                copies.Add(attacker.Backup());
            }
        }

        foreach (var copy in copies)
        {
            var view = copy.Read(pollId);
            AssertNothingOfAChoice(view);
            Assert.Equal(view.Participations.Count, view.Envelopes.Count);
            Assert.Single(view.Envelopes.Select(e => e.Length).Distinct());
        }

        foreach (var receipt in receipts)
        {
            AssertLogsHoldNo(receipt);
        }

        await Voting.ClosePollAsync(_council.Chair, pollId);
        var closed = attacker.Snapshot().Read(pollId);
        Assert.Equal([75, 75, 0], closed.OptionVotes);
        Assert.Equal(150, closed.Ballots.Count);
        Assert.Empty(closed.Envelopes);
        Assert.Equal(receipts.Order(StringComparer.Ordinal), closed.Receipts);

        // Participations in the order they were stored, ballots in every order the file offers: as stored, by id.
        var inCastOrder = closed.Participations.Select(m => choiceOf[m]).ToList();
        foreach (var (order, ballots) in new[] { ("as stored", closed.Ballots), ("by id", closed.BallotsById) })
        {
            var matched = inCastOrder.Zip(ballots, (choice, ballot) => ballot == choice.ToString(System.Globalization.CultureInfo.InvariantCulture)).Count(m => m);
            Assert.True(matched <= 105, $"the attacker matched {matched} of 150 choices by the ballots' order {order}");
        }
    }

    private async Task<(int PollId, FileAttacker Attacker)> OpenSecretVoteAsync(params int[] voters)
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(item => JiangchuanCouncil.Motion(item, Secrecy.Secret), voters);
        return (pollId, new FileAttacker(fixture.Database.FilePath));
    }

    /// <summary>While the vote is open: no option or blank count above zero, no ballot in readable form.</summary>
    private static void AssertNothingOfAChoice(FileAttacker.View view)
    {
        Assert.All(view.OptionVotes, v => Assert.Equal(0, v));
        Assert.Equal(0, view.BlankBallots);
        Assert.Empty(view.Ballots);
        Assert.NotEmpty(view.Participations);
    }

    private void AssertLogsHoldNo(string receipt) =>
        Assert.DoesNotContain(fixture.Logs, line => line.Contains(receipt, StringComparison.Ordinal));

    /// <summary>The seeded database with every log line of its services kept, at every level.</summary>
    public sealed class LoggedDatabase : SeededDatabaseFixture
    {
        private static readonly ConcurrentQueue<string> Lines = new();

        public LoggedDatabase()
            : base(null, services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new KeepingProvider())))
        {
        }

        public IReadOnlyCollection<string> Logs => Lines;

        private sealed class KeepingProvider : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Keeping(categoryName);

            public void Dispose()
            {
            }
        }

        private sealed class Keeping(string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                Lines.Enqueue($"{category} {formatter(state, exception)} {exception}");
        }
    }
}

/// <summary>Reads what a database-only attacker can read: copies of the SQLite file and its write-ahead log, and backups.</summary>
internal sealed class FileAttacker(string databasePath)
{
    private readonly string _folder = Path.Combine(Path.GetDirectoryName(databasePath)!, "attacker-" + Guid.NewGuid().ToString("N")[..8]);
    private int _copies;

    /// <summary>The file and its -wal as they are on disk now (what a copy of the folder gets).</summary>
    public Copy Snapshot()
    {
        var target = NextFolder();
        File.Copy(databasePath, Path.Combine(target, "copy.db"));
        if (File.Exists(databasePath + "-wal"))
        {
            File.Copy(databasePath + "-wal", Path.Combine(target, "copy.db-wal"));
        }

        return new Copy(Path.Combine(target, "copy.db"));
    }

    /// <summary>A backup through SQLite's online backup, as an operator's backup job takes it during the vote.</summary>
    public Copy Backup()
    {
        var target = Path.Combine(NextFolder(), "backup.db");
        using var source = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        using var destination = new SqliteConnection($"Data Source={target};Pooling=False");
        source.Open();
        source.BackupDatabase(destination);
        return new Copy(target);
    }

    /// <summary>Whether the database file or its -wal holds these bytes anywhere (free pages and old frames included).</summary>
    public bool FilesContain(byte[] bytes) =>
        new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Any(f => ReadShared(f).AsSpan().IndexOf(bytes) >= 0);

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private string NextFolder()
    {
        var target = Path.Combine(_folder, (++_copies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(target);
        return target;
    }

    public sealed record View(
        IReadOnlyList<int> OptionVotes, int BlankBallots, IReadOnlyList<string> Ballots, IReadOnlyList<string> BallotsById,
        IReadOnlyList<int> Participations, IReadOnlyList<byte[]> Envelopes, IReadOnlyList<string> Receipts);

    public sealed class Copy(string path)
    {
        /// <summary>Everything the copy says about one vote, read with plain SQL.</summary>
        public View Read(int pollId)
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            return new View(
                Query(connection, $"SELECT Votes FROM PollOptions WHERE PollId = {pollId} ORDER BY \"Index\"", r => r.GetInt32(0)),
                Query(connection, $"SELECT BlankBallots FROM Polls WHERE Id = {pollId}", r => r.GetInt32(0)).Single(),
                Query(connection, $"SELECT Selections FROM Ballots WHERE PollId = {pollId}", r => r.GetString(0)),
                Query(connection, $"SELECT Selections FROM Ballots WHERE PollId = {pollId} ORDER BY Id", r => r.GetString(0)),
                Query(connection, $"SELECT MembershipId FROM Participations WHERE PollId = {pollId} ORDER BY Id", r => r.GetInt32(0)),
                Query(connection, $"SELECT Envelope FROM SealedBallots WHERE PollId = {pollId} ORDER BY Id", r => (byte[])r.GetValue(0)),
                Query(connection, $"SELECT Code FROM CountedReceipts WHERE PollId = {pollId} ORDER BY Id", r => r.GetString(0)));
        }

        private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }
}
