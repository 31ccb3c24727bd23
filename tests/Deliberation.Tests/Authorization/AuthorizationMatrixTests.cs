using System.Diagnostics;
using System.Reflection;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Xunit.Abstractions;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>
/// Tries every row of the <see cref="AuthorizationMatrix"/> with every <see cref="ActorKind"/> through the real services
/// on one seeded SQLite file. Refused actors go first, on a fresh target: each must meet the row's refusal, and a
/// fingerprint of every table shows that nothing was stored. Then every allowed actor gets a fresh target of its own
/// and must not be refused (and a query must show it what the row says). A failure names the row and the actor.
/// </summary>
public class AuthorizationMatrixTests(SeededDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<SeededDatabaseFixture>, IDisposable
{
    private readonly Fingerprinter _fingerprints = new(fixture.Database);
    private readonly Stopwatch _settingUp = new();
    private readonly Stopwatch _fingerprinting = new();

    /// <summary>The rows of the first sheet (this class's database); <see cref="AuthorizationMatrixSecondSheetTests"/> runs the rest.</summary>
    public static TheoryData<string> Rows => new(AuthorizationMatrix.Rows.Where(r => r.Sheet == 0).Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Rows))]
    public Task EveryActorIsAllowedOrRefusedAsTheRowStatesAndARefusalStoresNothing(string row) => TryRowAsync(row);

    /// <summary>Runs one row on this class's database (also for the second sheet's class).</summary>
    internal Task RunRowAsync(string row) => TryRowAsync(row);

    private async Task TryRowAsync(string row)
    {
        var matrixRow = AuthorizationMatrix.Find(row);
        var stage = new MatrixStage(fixture, matrixRow.MemberRep);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        object? target = null;
        DatabaseFingerprint? before = null;
        foreach (var kind in ActorKinds.All.Where(k => !matrixRow.Allowed.Contains(k)))
        {
            var expected = matrixRow.RefusalFor(kind);
            if (expected is null)
            {
                failures.Add($"{row} [{kind}]: refused, but the row states no refusal for it");
                continue;
            }

            target ??= await SetUpAsync(matrixRow, stage, kind);
            before ??= Fingerprint();
            var (error, _) = await CallAsync(matrixRow, stage, target, kind);
            var after = Fingerprint();
            var stored = before.Differences(after);
            if (error is null)
            {
                failures.Add($"{row} [{kind}]: expected {expected}, but the call was allowed");
            }
            else if (!expected.Matches(error))
            {
                failures.Add($"{row} [{kind}]: expected {expected}, got {Refusal.Describe(error)}");
            }

            if (stored.Count > 0)
            {
                failures.Add($"{row} [{kind}]: refused, but stored something in {string.Join(", ", stored)}");
            }

            output.WriteLine($"{kind,-12} refused: {(error is null ? "nothing (allowed!)" : Refusal.Describe(error))}{(stored.Count > 0 ? " — STORED" : string.Empty)}");

            // A target the refused call changed is no longer fresh: the next actor gets a new one.
            (target, before) = error is null || stored.Count > 0 ? (null, null) : (target, after);
        }

        foreach (var kind in ActorKinds.All.Where(k => matrixRow.Allowed.Contains(k)))
        {
            // A command changes its target, so each allowed actor gets a fresh one; a query stores nothing, so it can share.
            if (!matrixRow.ReadOnly || target is null)
            {
                target = await SetUpAsync(matrixRow, stage, kind);
                before = null;
            }

            before ??= matrixRow.ReadOnly ? Fingerprint() : null;
            var (error, check) = await CallAsync(matrixRow, stage, target, kind);
            switch (error)
            {
                case null:
                    try
                    {
                        check?.Invoke();
                    }
                    catch (Exception ex)
                    {
                        failures.Add($"{row} [{kind}]: allowed, but saw the wrong thing: {ex.Message}");
                    }

                    break;
                case ForbiddenException or NotFoundException:
                    failures.Add($"{row} [{kind}]: should be allowed, but was refused: {Refusal.Describe(error)}");
                    break;
                case DomainException domain when matrixRow.ToleratesState(domain.Code):
                    break;
                default:
                    failures.Add($"{row} [{kind}]: should be allowed, but failed: {Refusal.Describe(error)}");
                    break;
            }

            if (before is not null)
            {
                var after = Fingerprint();
                var stored = before.Differences(after);
                if (stored.Count > 0)
                {
                    failures.Add($"{row} [{kind}]: a query stored something in {string.Join(", ", stored)}");
                }

                before = after;
            }

            output.WriteLine($"{kind,-12} allowed: {(error is null ? "done" : Refusal.Describe(error))}");
        }

        output.WriteLine($"{row}: {clock.ElapsedMilliseconds} ms (setting up {_settingUp.ElapsedMilliseconds} ms, fingerprints {_fingerprinting.ElapsedMilliseconds} ms, {_fingerprints.Hashed} hashed)");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void EveryServiceCommandHasARowInTheMatrix()
    {
        var missing = ServiceCommands()
            .Where(method => !AuthorizationMatrix.Rows.Any(row => Names(row.Command, method)))
            .Select(Describe)
            .ToList();

        Assert.True(missing.Count == 0,
            $"Service commands that take an actor but have no row in {nameof(AuthorizationMatrix)}:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    [Fact]
    public void EveryRowNamesOneServiceCommandAndStatesHowEveryOtherActorIsRefused()
    {
        var commands = ServiceCommands();
        var problems = new List<string>();
        foreach (var row in AuthorizationMatrix.Rows)
        {
            var named = commands.Where(method => Names(row.Command, method)).ToList();
            if (named.Count != 1)
            {
                problems.Add($"{row.Name}: names {named.Count} service commands ({string.Join("; ", named.Select(Describe))})");
            }

            if (!row.HasCall)
            {
                problems.Add($"{row.Name}: no call");
            }

            problems.AddRange(ActorKinds.All.Where(k => !row.Allowed.Contains(k) && row.RefusalFor(k) is null).Select(k => $"{row.Name}: no refusal stated for {k}"));
        }

        problems.AddRange(AuthorizationMatrix.Rows.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {g.Count()} rows of that name"));
        foreach (var sheet in AuthorizationMatrix.Rows.GroupBy(r => r.Sheet))
        {
            var members = sheet.Select(r => r.MemberRep).ToList();
            Assert.Equal(members.Count, members.Distinct().Count());
            Assert.True(members.Max() < MatrixStage.Author, $"rows play Member with representatives up to rep{members.Max():000}, into those the setups use");
        }

        Assert.True(AuthorizationMatrix.Rows.Max(r => r.Sheet) <= 1, "more rows than two sheets hold: add a sheet class");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    public void Dispose() => _fingerprints.Dispose();

    /// <summary>Every public instance method of a public <c>*Service</c> type of the app that takes an <see cref="Actor"/>.</summary>
    private static List<MethodInfo> ServiceCommands() =>
        typeof(SessionService).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Name.EndsWith("Service", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Actor)))
            .OrderBy(Describe, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Whether a row's command names the method: "Service.Method" names every overload of it (a row must then name one),
    /// "Service.Method(a, b)" the overloads whose parameters include a and b.
    /// </summary>
    private static bool Names(string command, MethodInfo method)
    {
        var open = command.IndexOf('(', StringComparison.Ordinal);
        var name = open < 0 ? command : command[..open];
        if (name != $"{method.ReflectedType!.Name}.{method.Name}")
        {
            return false;
        }

        var parameters = open < 0
            ? []
            : command[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parameters.All(p => method.GetParameters().Any(q => q.Name == p));
    }

    private static string Describe(MethodInfo method) =>
        $"{method.ReflectedType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.Name))})";

    private async Task<object> SetUpAsync(MatrixRow row, MatrixStage stage, ActorKind kind)
    {
        _settingUp.Start();
        try
        {
            return await row.SetUpAsync(stage);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{row.Name} [{kind}]: setting up the target failed", ex);
        }
        finally
        {
            _settingUp.Stop();
        }
    }

    private static async Task<(Exception? Error, Action? Check)> CallAsync(MatrixRow row, MatrixStage stage, object target, ActorKind kind)
    {
        try
        {
            return (null, await row.CallAsync(stage, target, stage.CallerFor(kind)));
        }
        catch (Exception ex)
        {
            return (ex, null);
        }
    }

    private DatabaseFingerprint Fingerprint()
    {
        _fingerprinting.Start();
        try
        {
            return _fingerprints.Take();
        }
        finally
        {
            _fingerprinting.Stop();
        }
    }
}

/// <summary>The matrix rows beyond the first sheet, on a seeded database of their own (each row needs a fresh member).</summary>
public sealed class AuthorizationMatrixSecondSheetTests(SecondSheetDatabase fixture, ITestOutputHelper output)
    : IClassFixture<SecondSheetDatabase>, IDisposable
{
    private readonly AuthorizationMatrixTests _sheet = new(fixture, output);

    public static TheoryData<string> Rows => new(AuthorizationMatrix.Rows.Where(r => r.Sheet == 1).Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Rows))]
    public Task EveryActorIsAllowedOrRefusedAsTheRowStatesAndARefusalStoresNothing(string row) => _sheet.RunRowAsync(row);

    public void Dispose() => _sheet.Dispose();
}

/// <summary>A second seeded database, for the second sheet of the matrix.</summary>
public sealed class SecondSheetDatabase : SeededDatabaseFixture;
