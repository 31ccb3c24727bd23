using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The security headers on the shared server, the pages working under the Content-Security-Policy in Chromium (no
/// violation reported, interactive pages connected), host filtering, and sign-out only by POST with antiforgery.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/archive")]
    [InlineData("/css/app.css")]
    [InlineData("/no-such-page")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(fixture.Server.BaseUrl + path);

        var csp = Header(response, "Content-Security-Policy");
        output.WriteLine(csp);
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Matches(@"^script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'$", directives["script-src"]);
        Assert.Equal("img-src 'self' data:", directives["img-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("camera=(), microphone=(), geolocation=()", Header(response, "Permissions-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        // Plain HTTP on loopback: no HSTS, which browsers would only honour over HTTPS anyway.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ThePagesWorkUnderThePolicyWithoutASingleViolation()
    {
        var violations = new List<string>();
        var visitor = await fixture.NewPageAsync();
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var admin = await fixture.SignedInPageAsync("admin", DemoAccounts.PasswordOf("admin"));
        foreach (var page in new[] { visitor, chair, admin })
        {
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    lock (violations)
                    {
                        violations.Add($"{page.Url}: {message.Text}");
                    }
                }
            };
        }

        try
        {
            await VisitAsync(visitor, chair, admin);
        }
        finally
        {
            output.WriteLine(string.Join("\n", violations));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static async Task VisitAsync(IPage visitor, IPage chair, IPage admin)
    {
        foreach (var path in new[] { "/", "/account/login", "/archive", "/archive/search?q=%E5%81%9C%E8%BD%A6", "/topics/new", "/sessions", "/proposals" })
        {
            await visitor.GotoAsync(path);
            await visitor.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        // Interactive pages: the circuit connects (its WebSocket is allowed) and the Radzen components render.
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "安全策略测试 " + Guid.NewGuid().ToString("N")[..6]);
        await chair.GotoAsync(sessionUrl);
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("进行中");
        await Expect(chair.GetByTestId("open-poll-button")).ToBeEnabledAsync();
        await chair.GotoAsync("/proposals");
        await admin.GotoAsync("/bodies");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await admin.GetByTestId("new-body").Locator("summary").ClickAsync();
        await Expect(admin.GetByTestId("body-key")).ToBeVisibleAsync();
        await chair.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    [Fact]
    public async Task AnUnknownHostIsRefusedSoTheFeedNeverEchoesIt()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Server.BaseUrl + "/archive/feed.atom");
        request.Headers.Host = "evil.example";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOutIsAPostWithAnAntiforgeryTokenAndAGetOrAForgedPostSignsNobodyOut()
    {
        var page = await fixture.SignedInPageAsync("rep136", DemoAccounts.MemberPassword);

        var get = await page.APIRequest.GetAsync("/account/logout");
        Assert.NotEqual(200, get.Status);
        // A post from another site's form carries no antiforgery token.
        var forged = await page.APIRequest.PostAsync("/account/logout", new() { Form = page.APIRequest.CreateFormData().Set("returnUrl", "/") });
        Assert.Equal(400, forged.Status);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("signed-in-as")).ToBeAttachedAsync();

        await page.GetByTestId("logout").ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : string.Empty;
}
