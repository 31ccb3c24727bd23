using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CommunityDeliberation.BallotBench;

// Usage: dotnet run -c Release --project bench/BallotBench [-- BenchmarkDotNet arguments]
// PostgreSQL instead of a SQLite file: BALLOT_BENCH_POSTGRES="Host=127.0.0.1;Port=55432;Username=postgres" (a new
// database is created on that server and dropped afterwards).
Console.WriteLine($"BallotBench · .NET {Environment.Version} · {Environment.ProcessorCount} logical CPUs · {BallotData.ProviderName}");
var data = await BallotData.Shared.Value;
try
{
    await data.CheckBothWaysStoreTheSameAsync();
    var config = ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20).WithId("in-process"))
        .WithOptions(ConfigOptions.JoinSummary);
    var summaries = BenchmarkSwitcher.FromTypes([typeof(BallotRowBenchmarks), typeof(BatchCommandBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
finally
{
    await data.DisposeAsync();
}
