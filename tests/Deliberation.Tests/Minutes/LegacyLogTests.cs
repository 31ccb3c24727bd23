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
        Assert.Equal(File.ReadAllText(LegacyLogFile.MinutesPath), MinutesGenerator.Generate(file.Header.ToHeader(), log, Shanghai));
    }
}

/// <summary>The services, run through the fixture's session again, write the same payloads as before, byte for byte.</summary>
public sealed class LegacyLogScenarioTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task TheServicesStillWriteTheFixturesPayloadsByteForByte()
    {
        var (header, log) = await new LegacyLogScenario(fixture).RunAsync();
        if (Environment.GetEnvironmentVariable("CAPTURE_LEGACY_LOG") == "1")
        {
            var file = new LegacyLogFile(
                "Written by the services before the session-log entries were typed (LegacyLogScenario). Never regenerate.",
                header, log.Select(LegacyEntry.Of).ToList());
            Directory.CreateDirectory(Path.GetDirectoryName(LegacyLogFile.LogPath)!);
            File.WriteAllText(LegacyLogFile.LogPath, System.Text.Json.JsonSerializer.Serialize(file, LegacyLogFile.Json) + "\n");
            var stored = LegacyLogFile.Load();
            File.WriteAllText(LegacyLogFile.MinutesPath, MinutesGenerator.Generate(stored.Header.ToHeader(), stored.Log(), Shanghai));
        }

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
