using System.Diagnostics;
using CommunityDeliberation.Bench;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Deliberation.Voting.Casting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityDeliberation.BallotBench;

/// <summary>
/// A seeded database (the real migration, seeds and services) with the 江川 council's session open, all its voting
/// members checked in and a named yes / no / abstain vote open: what a burst of ballots is written into.
/// </summary>
public sealed class BallotData : IAsyncDisposable
{
    private const string BodyKey = "jiangchuan-council";
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("BALLOT_BENCH_POSTGRES");

    private readonly ServiceProvider _services;
    private readonly string _directory;
    private readonly string? _postgresDatabase;

    private BallotData(ServiceProvider services, string directory, string? postgresDatabase, int pollId, IReadOnlyList<(int MembershipId, string UserId)> voters)
    {
        _services = services;
        _directory = directory;
        _postgresDatabase = postgresDatabase;
        PollId = pollId;
        Voters = voters;
    }

    public static string ProviderName => Postgres is null ? "SQLite file" : "PostgreSQL";

    /// <summary>Built once per process and shared by every benchmark.</summary>
    public static Lazy<Task<BallotData>> Shared { get; } = new(() => CreateAsync(Console.Out));

    public int PollId { get; }

    public IReadOnlyList<(int MembershipId, string UserId)> Voters { get; }

    private IDbContextFactory<DeliberationDbContext> Factory => _services.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();

    public static async Task<BallotData> CreateAsync(TextWriter log)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ballot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string? database = null;
        DatabaseSettings settings;
        if (Postgres is null)
        {
            settings = new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.Combine(directory, "ballots.db") };
        }
        else
        {
            database = "ballot_bench_" + Guid.NewGuid().ToString("N");
            settings = new DatabaseSettings { Provider = DatabaseProvider.PostgreSql, ConnectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ToString() };
        }

        var services = new ServiceCollection();
        services.AddDeliberationPersistence(settings, directory);
        services.AddDeliberation();
        services.AddLogging();
        var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();

        var watch = Stopwatch.StartNew();
        await DatabaseInitializer.MigrateAsync(factory);
        await SeedLoader.LoadAsync(factory, RepositoryRoot.Seeds, TimeProvider.System);
        int bodyId;
        string chairId;
        List<(int, string)> voters;
        await using (var db = await factory.CreateDbContextAsync())
        {
            bodyId = await db.Bodies.Where(b => b.Key == BodyKey).Select(b => b.Id).SingleAsync();
            chairId = await db.Users.Where(u => u.UserName == "chair").Select(u => u.Id).SingleAsync();
            var rows = await db.Memberships.Where(m => m.Term.Body.Key == BodyKey && m.Term.Number == 2 && m.EndedAtUtc == null && m.UserId != null && m.Role == MemberRole.Representative)
                .OrderBy(m => m.Id).Select(m => new { m.Id, UserId = m.UserId! }).ToListAsync();
            voters = rows.Select(r => (r.Id, r.UserId)).ToList();
        }

        var chair = new Actor(chairId, new HashSet<string> { Roles.Chair });
        var sessions = provider.GetRequiredService<SessionService>();
        var sessionId = await sessions.ScheduleAsync(chair, new ScheduleSessionInput(bodyId, SessionKind.CouncilSession, "议事会会议 (benchmark)",
            new DateTime(2026, 12, 4, 6, 0, 0, DateTimeKind.Utc), "江川社区党工委会议室", [new AgendaItemInput("审议旧住房改造方案", 30, null)]));
        await sessions.OpenAsync(chair, sessionId);
        await sessions.CheckInMembersAsync(chair, sessionId, voters.Select(v => v.Item1).ToList());
        int itemId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            itemId = await db.AgendaItems.Where(a => a.SessionId == sessionId).Select(a => a.Id).SingleAsync();
        }

        var pollId = await provider.GetRequiredService<VotingService>().OpenPollAsync(chair, sessionId, itemId, "是否同意旧住房改造方案?");
        log.WriteLine($"{ProviderName}: migrated, seeded, session {sessionId} open with {voters.Count} representatives checked in, vote {pollId} open ({watch.Elapsed.TotalSeconds:F1} s)");
        return new BallotData(provider, directory, database, pollId, voters);
    }

    /// <summary>Writes the rows of a batch of <paramref name="ballots"/> voters, as the writer does, then commits or rolls back.</summary>
    public async Task WriteAsync(int ballots, bool multiRow, bool commit, int skip = 0)
    {
        var now = DateTime.UtcNow;
        var voters = Voters.Skip(skip).Take(ballots).ToList();
        var participations = voters.Select(v => new Participation(PollId, v.MembershipId, v.UserId, isProxy: false, idempotencyKey: Guid.NewGuid().ToString("N"), now)).ToList();
        var rows = voters.Select((v, i) => Ballot.Named(PollId, v.MembershipId, v.UserId, [i % 3], isProxy: false)).ToList();
        await using var db = await Factory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        if (multiRow)
        {
            await InsertAsync(db, participations);
            await InsertAsync(db, rows);
        }
        else
        {
            db.Participations.AddRange(participations);
            db.Ballots.AddRange(rows);
            await db.SaveChangesAsync();
        }

        if (commit)
        {
            await tx.CommitAsync();
        }
        else
        {
            await tx.RollbackAsync();
        }
    }

    /// <summary>
    /// What the writer sends for a named batch while the vote's row is locked, rolled back: before 2026-12-04 evening one
    /// command per statement (the lock, the counter read, an update per distinct option total, an insert per table), now
    /// the counter read with the lock and one command for the option totals and the rows. The guarded counter update and
    /// the commit, the same in both, are left out.
    /// </summary>
    public async Task StoreStatementsAsync(int ballots, bool oneCommand)
    {
        var now = DateTime.UtcNow;
        var voters = Voters.Take(ballots).ToList();
        var participations = voters.Select(v => new Participation(PollId, v.MembershipId, v.UserId, isProxy: false, idempotencyKey: Guid.NewGuid().ToString("N"), now)).ToList();
        var rows = voters.Select((v, i) => Ballot.Named(PollId, v.MembershipId, v.UserId, [i % 3], isProxy: false)).ToList();
        var votes = new int[3];
        for (var i = 0; i < voters.Count; i++)
        {
            votes[i % 3]++;
        }

        var pollId = PollId;
        var postgres = Postgres is not null;
        await using var db = await Factory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        if (oneCommand)
        {
            var polls = postgres ? db.Polls.FromSql($"SELECT * FROM \"Polls\" WHERE \"Id\" = {pollId} FOR UPDATE") : db.Polls;
            await polls.Where(p => p.Id == pollId).Select(p => new { p.Status, p.ClosesAtUtc, p.BallotCount, p.PaperBallots }).SingleAsync();
            using var statements = new BatchStatements(db);
            statements.AddOptionVotes(pollId, Enumerable.Range(0, 3).Where(i => votes[i] > 0).ToDictionary(i => i, i => votes[i]));
            statements.Insert(participations);
            statements.Insert(rows);
            await statements.ExecuteAsync(CancellationToken.None);
        }
        else
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Polls\" WHERE \"Id\" = {pollId} FOR UPDATE");
            }

            await db.Polls.Where(p => p.Id == pollId).Select(p => new { p.Status, p.ClosesAtUtc, p.BallotCount, p.PaperBallots }).SingleAsync();
            foreach (var total in Enumerable.Range(0, 3).Where(i => votes[i] > 0).GroupBy(i => votes[i]))
            {
                var indexes = total.ToList();
                var add = total.Key;
                await db.PollOptions.Where(o => o.PollId == pollId && indexes.Contains(o.Index)).ExecuteUpdateAsync(s => s.SetProperty(o => o.Votes, o => o.Votes + add));
            }

            await InsertAsync(db, participations);
            await InsertAsync(db, rows);
        }

        await tx.RollbackAsync();
    }

    /// <summary>Before timing anything: both ways store the same rows (read back through EF), then the vote is emptied again.</summary>
    public async Task CheckBothWaysStoreTheSameAsync()
    {
        await WriteAsync(3, multiRow: false, commit: true, skip: 0);
        await WriteAsync(3, multiRow: true, commit: true, skip: 3);
        await using var db = await Factory.CreateDbContextAsync();
        var stored = await db.Participations.AsNoTracking().Where(p => p.PollId == PollId).OrderBy(p => p.MembershipId).ToListAsync();
        var ballots = await db.Ballots.AsNoTracking().Where(b => b.PollId == PollId).OrderBy(b => b.MembershipId).ToListAsync();
        var expected = Voters.Take(6).Select(v => v.MembershipId).ToList();
        if (!stored.Select(p => p.MembershipId).SequenceEqual(expected) || !ballots.Select(b => b.MembershipId!.Value).SequenceEqual(expected)
            || stored.Any(p => p.IdempotencyKey is not { Length: 32 } || Math.Abs((DateTime.UtcNow - p.CastAtUtc).TotalMinutes) > 5)
            || !ballots.Select(b => b.Selections).SequenceEqual(["0", "1", "2", "0", "1", "2"]))
        {
            throw new InvalidOperationException("SaveChanges and the multi-row inserts did not store the same rows");
        }

        await db.Ballots.Where(b => b.PollId == PollId).ExecuteDeleteAsync();
        await db.Participations.Where(p => p.PollId == PollId).ExecuteDeleteAsync();
        Console.WriteLine("both ways store the same rows; the vote is empty again");
    }

    /// <summary>One table's rows in a command of their own (multi-row inserts, as the writer made them before joining).</summary>
    private static async Task InsertAsync<T>(DeliberationDbContext db, IReadOnlyList<T> rows)
        where T : class
    {
        using var statements = new BatchStatements(db, join: false);
        statements.Insert(rows);
        await statements.ExecuteAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
