using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CommunityDeliberation.Bench;

namespace CommunityDeliberation.CommentsBench;

/// <summary>
/// Usage: dotnet run -c Release --project bench/CommentsBench [-- BenchmarkDotNet arguments, e.g. --filter *Render*]
/// Builds the 1,000-comment discussion once, checks and times one cold first screen, then runs the benchmarks in this
/// process (in-process toolchain: no generated project to restore, and the data is built once).
/// </summary>
public static partial class EntryPoint
{
    /// <summary>The data, built once per process and shared by every benchmark.</summary>
    public static readonly Lazy<Task<CommentsData>> Data = new(() => CommentsData.CreateAsync(RepositoryRoot.Seeds, Console.Out));

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        Console.WriteLine($"CommentsBench · .NET {Environment.Version} · {Environment.ProcessorCount} logical CPUs");
        var data = await Data.Value;
        try
        {
            // A cold first screen (nothing JIT-compiled or cached yet), and a look at what it contains.
            var watch = Stopwatch.StartNew();
            var html = await Rendering.RenderThreadAsync(data.Services, data.ProposalId, CommentsData.Principal(data.Member));
            var cold = watch.Elapsed.TotalMilliseconds;
            var comments = CommentCount().Matches(html).Count;
            var placeholders = HiddenCount().Matches(html).Count;
            Console.WriteLine($"cold first screen: {cold:F0} ms; {html.Length / 1024.0:F0} KB of HTML with {comments} comments ({placeholders} hidden placeholders), "
                + $"{(html.Contains("<script", StringComparison.OrdinalIgnoreCase) ? "CONTAINS <script" : "no <script>")}");
            if (comments < 50)
            {
                Console.Error.WriteLine("The rendered thread is missing comments:\n" + html[..Math.Min(html.Length, 2000)]);
                return 1;
            }

            var config = ManualConfig.Create(DefaultConfig.Instance)
                .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20).WithId("in-process"))
                .WithOptions(ConfigOptions.JoinSummary);
            var summaries = BenchmarkSwitcher.FromTypes([typeof(CommentBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }
        finally
        {
            await data.DisposeAsync();
        }
    }

    [GeneratedRegex("data-testid=\"comment\"")]
    private static partial Regex CommentCount();

    [GeneratedRegex("data-testid=\"comment-hidden\"")]
    private static partial Regex HiddenCount();
}
