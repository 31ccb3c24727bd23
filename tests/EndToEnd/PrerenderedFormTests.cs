using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// An interactive page is first sent as prerendered HTML; until its circuit connects (seconds on a slow phone) nothing on
/// it runs, and text typed into its fields is replaced when the circuit renders the page. So every field and button in
/// the page's main region is disabled until then (<c>UntilInteractive</c>, <c>ActionComponentBase.Busy</c>). Here the
/// circuit never connects: the browser's request to <c>/_blazor/negotiate</c> is aborted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PrerenderedFormTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>The enabled fields and buttons of the main region, described for the failure message.</summary>
    private const string EnabledControls = """
        () => [...document.querySelectorAll('main input, main textarea, main select, main button')]
            .filter(e => e.type !== 'hidden' && !e.matches(':disabled'))
            .map(e => `${e.tagName.toLowerCase()}#${e.id || ''}[${e.getAttribute('data-testid') || e.name || ''}]`)
        """;

    [Fact]
    public async Task StaffPagesKeepTheirFieldsDisabledUntilTheCircuitConnects()
    {
        string[][] pages =
        [
            ["admin", "/bodies", "/bodies/1", "/admin/accounts"],
            ["chair", "/ledger/manage", "/topics"],
            ["wjc-secretary", "/projects/manage"],
        ];
        var checkedPages = 0;
        foreach (var entry in pages)
        {
            var page = await fixture.NewPageAsync(360, 780);
            await BrowserFixture.SignInAsync(page, entry[0], DemoAccounts.PasswordOf(entry[0]));
            await page.Context.RouteAsync("**/_blazor/negotiate**", route => route.AbortAsync());
            foreach (var path in entry.Skip(1))
            {
                await page.GotoAsync(path);
                await Expect(page.Locator("main h1").First).ToBeVisibleAsync();
                var fields = await page.Locator("main input, main textarea, main select").CountAsync();
                var enabled = await page.EvaluateAsync<string[]>(EnabledControls);
                output.WriteLine($"{entry[0]} {path}: {fields} field(s); enabled before the circuit: {string.Join(", ", enabled)}");
                Assert.True(fields > 0, $"{path} shows no field to check");
                Assert.Empty(enabled);
                Assert.Equal(0, await page.Locator("[data-interactive]").CountAsync()); // still prerendered
                checkedPages++;
            }

            if (entry[0] == "admin")
            {
                // The same page with its circuit: the fields and the create button come alive.
                await page.Context.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });
                await page.GotoAsync("/bodies");
                await Expect(page.GetByTestId("body-create")).ToBeEnabledAsync();
                Assert.NotEmpty(await page.EvaluateAsync<string[]>(EnabledControls));
            }

            await page.Context.CloseAsync();
        }

        Assert.Equal(6, checkedPages);
    }
}
