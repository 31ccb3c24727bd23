using BenchmarkDotNet.Attributes;

namespace CommunityDeliberation.BallotBench;

/// <summary>A batch of each size written into the shared seeded vote (<see cref="BallotData"/>).</summary>
[MemoryDiagnoser]
public abstract class BallotBatchBenchmarks
{
    [Params(1, 10, 75, 150)]
    public int Ballots { get; set; }

    protected BallotData Data { get; private set; } = default!;

    [GlobalSetup]
    public async Task SetupAsync() => Data = await BallotData.Shared.Value;
}

/// <summary>
/// The rows of one ballot batch of a named vote (a participation and a ballot per voter), written in a transaction that
/// is rolled back, so every iteration writes into the same open vote: through <c>SaveChanges</c> (before 2026-12-04) and
/// through multi-row <c>INSERT</c>s (now <c>BatchStatements</c>; the benchmark keeps the name it was first reported
/// under). What the vote's row lock waits for, without the lock.
/// </summary>
public class BallotRowBenchmarks : BallotBatchBenchmarks
{
    [Benchmark(Baseline = true, Description = "SaveChanges")]
    public Task SaveChanges() => Data.WriteAsync(Ballots, multiRow: false, commit: false);

    [Benchmark(Description = "BallotRows (multi-row INSERT)")]
    public Task MultiRowInsert() => Data.WriteAsync(Ballots, multiRow: true, commit: false);
}

/// <summary>
/// The statements a named batch sends while the vote's row is locked (ADR 0008, "Round trips of a batch"), rolled back:
/// one command per statement (before) against the counter read with the lock and one command for the option totals and
/// the rows (now). Each command is a round trip on PostgreSQL; SQLite is in the process.
/// </summary>
public class BatchCommandBenchmarks : BallotBatchBenchmarks
{
    [Benchmark(Baseline = true, Description = "a command per statement")]
    public Task CommandPerStatement() => Data.StoreStatementsAsync(Ballots, oneCommand: false);

    [Benchmark(Description = "BatchStatements (one command)")]
    public Task OneCommand() => Data.StoreStatementsAsync(Ballots, oneCommand: true);
}
