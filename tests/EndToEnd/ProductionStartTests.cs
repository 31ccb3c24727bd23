using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// A production start on a fresh database creates no accounts and no demo data, even with the seed folder configured;
/// the first administrator comes from <c>create-admin</c>, whose password is read from standard input.
/// </summary>
public sealed class ProductionStartTests
{
    private const string Password = "Stadt#Rat2026";

    [Fact]
    public async Task AProductionStartHasNoAccountsUntilCreateAdminMakesOne()
    {
        // Production, the seed folder set (as in appsettings.json), demo data not asked for.
        await using var server = await AppServer.StartAsync(new Dictionary<string, string> { ["Database__LoadDemoData"] = "" });
        Assert.Equal((0L, 0L), (Count(server, "AspNetUsers"), Count(server, "Bodies")));
        using var http = new HttpClient();
        using (var demo = await http.PostAsJsonAsync(server.BaseUrl + "/api/auth/login", new { userName = "admin", password = DemoAccounts.PasswordOf("admin") }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        }

        // A weak password: refused with the reasons, exit code 1, nothing stored.
        var (weakExit, weakOutput) = await server.RunCommandAsync("password\n", "create-admin", "zhang.wei");
        Assert.True(weakExit == 1, weakOutput);
        Assert.Contains("was not changed", weakOutput, StringComparison.Ordinal);
        Assert.Equal(0L, Count(server, "AspNetUsers"));

        var (exit, output) = await server.RunCommandAsync(Password + "\n", "create-admin", "zhang.wei");
        Assert.True(exit == 0, output);
        Assert.Contains("created the administrator 'zhang.wei'", output, StringComparison.Ordinal);
        Assert.Equal(1L, Count(server, "AspNetUsers"));

        // The running server signs the new administrator in, and the bodies page (admins only) opens.
        using (var login = await http.PostAsJsonAsync(server.BaseUrl + "/api/auth/login", new { userName = "zhang.wei", password = Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
        await BrowserFixture.SignInAsync(page, "zhang.wei", Password);
        await page.GotoAsync("/bodies");
        await Expect(page.GetByTestId("new-body")).ToBeVisibleAsync();
    }

    private static long Count(AppServer server, string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }
}
