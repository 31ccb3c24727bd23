using System.Text.RegularExpressions;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Tests.Support;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>A log written before the entries were typed (Fixtures/) still verifies and gives the same minutes.</summary>
public sealed class LegacyLogTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void AChainWrittenBeforeTypedEntriesStillVerifies()
    {
        var file = LegacyLogFile.Load();
        var log = file.Log();

        Assert.Equal(file.Entries.Select(e => e.Hash), log.Select(e => e.Hash));
        var chain = SessionLogChain.Verify(log);
        Assert.True(chain.IsValid, chain.Problem);
        Assert.Equal(file.Entries[^1].Hash, chain.LastHash);
        // The old code's minutes, line for line, but for the attendance sentence, reworded on 2026-12-05 (voting members
        // and those attending without a vote told apart, "代为登记"): the same numbers in it, nothing else changed.
        var old = File.ReadAllLines(LegacyLogFile.MinutesPath);
        var now = MinutesGenerator.Generate(file.Header.ToHeader(), log, Shanghai).Split('\n');
        Assert.Equal(old.Length, now.Length - 1); // the generated text ends with a newline
        var attendance = Array.FindIndex(old, l => l.StartsWith("应到 ", StringComparison.Ordinal));
        Assert.Equal("应到 150 人,实到 76 人。其中本人签到 1 人,记录员代为签到 75 人。法定人数为有表决权成员 76 人,每项表决结束时的出席情况见下。", old[attendance]);
        Assert.Equal("应到(有表决权成员)150 人,实到 76 人,其中本人签到 1 人,代为登记 75 人。法定人数为有表决权成员 76 人,每项表决结束时的出席情况见下。", now[attendance]);
        Assert.Equal(old.Where((_, i) => i != attendance), now.SkipLast(1).Where((_, i) => i != attendance));
    }

    [Fact]
    public void EveryEntryOfTheOldChainReadsAsItsTypedRecordAndWritesTheSamePayload()
    {
        var log = LegacyLogFile.Load().Log();

        var typed = log.Select(SessionLog.Read).ToList();

        Assert.Equal(log.Select(e => e.Kind), typed.Select(SessionLogTypes.KindOf));
        Assert.Equal(log.Select(e => e.PayloadJson), typed.Select(SessionLogTypes.Serialize));
        // Every record there was when the log was written (the hearings' and consultations' records came later).
        Assert.Equal(
            SessionLogTypes.Types.Where(t => t.Namespace != typeof(Deliberation.Hearings.Hearing).Namespace && t.Namespace != typeof(Deliberation.Consultations.Consultation).Namespace)
                .Select(t => t.Name).Order(),
            typed.Select(t => t.GetType().Name).Distinct().Order());
    }

    [Fact]
    public void TheHandMadeLogOfTheGoldenMinutesReads() =>
        Assert.All(RecordedSession.Log(), e => Assert.NotNull(SessionLog.Read(e)));
}

/// <summary>The services, run through the fixture's session again, write the same payloads as before, byte for byte.</summary>
/// <remarks>
/// The fixture was captured from this scenario on the commit before the entries were typed; it is not rewritten from
/// here, so the typed code can only be compared with it.
/// </remarks>
public sealed class LegacyLogScenarioTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    [Fact]
    public async Task TheServicesStillWriteTheFixturesPayloadsByteForByte()
    {
        var (_, log) = await new LegacyLogScenario(fixture).RunAsync();

        var expected = LegacyLogFile.Load().Entries;
        Assert.Equal(expected.Select(e => (e.Kind, Comparable(e.PayloadJson))), log.Select(e => (e.Kind, Comparable(e.PayloadJson))));
    }

    /// <summary>
    /// The payload with its co-sponsors in name order: the services list them in the order the database returns them
    /// (by user id, which each seeding draws anew), so only that order may differ between two runs.
    /// </summary>
    private static string Comparable(string payloadJson) =>
        Regex.Replace(payloadJson, "\"coSponsors\":\\[([^\\]]*)\\]", m =>
            "\"coSponsors\":[" + string.Join(',', m.Groups[1].Value.Split(',').Order(StringComparer.Ordinal)) + "]");
}
