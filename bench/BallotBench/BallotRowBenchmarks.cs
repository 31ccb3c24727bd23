using BenchmarkDotNet.Attributes;

namespace CommunityDeliberation.BallotBench;

/// <summary>
/// The rows of one ballot batch of a named vote (a participation and a ballot per voter), written in a transaction that
/// is rolled back, so every iteration writes into the same open vote: through <c>SaveChanges</c> (before 2026-12-04) and
/// through the multi-row <c>INSERT</c> of <c>BallotRows</c> (now). What the vote's row lock waits for, without the lock.
/// </summary>
[MemoryDiagnoser]
public class BallotRowBenchmarks
{
    private BallotData _data = default!;

    [Params(1, 10, 75, 150)]
    public int Ballots { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _data = await BallotData.Shared.Value;

    [Benchmark(Baseline = true, Description = "SaveChanges")]
    public Task SaveChanges() => _data.WriteAsync(Ballots, multiRow: false, commit: false);

    [Benchmark(Description = "BallotRows (multi-row INSERT)")]
    public Task MultiRowInsert() => _data.WriteAsync(Ballots, multiRow: true, commit: false);
}

/// <summary>
/// The statements a named batch sends while the vote's row is locked (ADR 0008, "Round trips of a batch"), rolled back:
/// one command per statement (before) against the counter read with the lock and one command for the option totals and
/// the rows (now). Each command is a round trip on PostgreSQL; SQLite is in the process.
/// </summary>
[MemoryDiagnoser]
public class BatchCommandBenchmarks
{
    private BallotData _data = default!;

    [Params(1, 10, 75, 150)]
    public int Ballots { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _data = await BallotData.Shared.Value;

    [Benchmark(Baseline = true, Description = "a command per statement")]
    public Task CommandPerStatement() => _data.StoreStatementsAsync(Ballots, oneCommand: false);

    [Benchmark(Description = "BatchStatements (one command)")]
    public Task OneCommand() => _data.StoreStatementsAsync(Ballots, oneCommand: true);
}
