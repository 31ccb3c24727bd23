using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// ADR 0015 through the real app: a restart on the same database keeps the browser signed in (the Data Protection key
/// ring is in the database, encrypted), and <c>verify-log</c> exits 0 with a summary, or 1 naming the first bad entry.
/// </summary>
public sealed class TamperLogTests
{
    [Fact]
    public async Task ARestartOnTheSameDatabaseKeepsTheBrowserSignedIn()
    {
        var server = await AppServer.StartAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BrowserFixture.LaunchAsync(playwright);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, "admin", DemoAccounts.PasswordOf("admin"));
            await page.GotoAsync("/bodies");
            await Expect(page.GetByTestId("new-body")).ToBeVisibleAsync();

            server = await server.RestartAsync();
            await page.GotoAsync("/bodies");
            Assert.DoesNotContain("/account/login", page.Url, StringComparison.Ordinal);
            await Expect(page.GetByTestId("new-body")).ToBeVisibleAsync();

            var keys = StoredKeyXml(server);
            Assert.NotEmpty(keys);
            Assert.All(keys, xml => Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task VerifyLogExitsZeroOnAnIntactLogAndOneNamingTheFirstBadEntry()
    {
        await using var server = await AppServer.StartAsync();
        var (exit, output) = await server.RunCommandAsync(string.Empty, "verify-log");
        Assert.True(exit == 0, output);
        Assert.Contains("verify-log: OK: ", output, StringComparison.Ordinal);

        // An entry appended by SQL, by someone with the database but not the signing key: a valid hash, no signature.
        long sessionId;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT MIN(Id) FROM Sessions WHERE Id NOT IN (SELECT SessionId FROM SessionLog)";
            sessionId = (long)command.ExecuteScalar()!;
            command.CommandText = $"""
                INSERT INTO SessionLog (SessionId, Sequence, AtUtc, Kind, ActorUserId, PayloadJson, PreviousHash, Hash)
                VALUES ({sessionId}, 1, '2026-03-08 09:00:00', 'SessionOpened', NULL, '{"{}"}', '{new string('0', 64)}', '{new string('a', 64)}')
                """;
            command.ExecuteNonQuery();
        }

        (exit, output) = await server.RunCommandAsync(string.Empty, "verify-log");
        Assert.True(exit == 1, output);
        Assert.Contains($"verify-log: FAILED at session {sessionId}, entry 1: the entry's contents do not match its hash", output, StringComparison.Ordinal);
    }

    private static List<string> StoredKeyXml(AppServer server)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM DataProtectionKeys";
        using var reader = command.ExecuteReader();
        var xml = new List<string>();
        while (reader.Read())
        {
            xml.Add(reader.GetString(0));
        }

        return xml;
    }
}
