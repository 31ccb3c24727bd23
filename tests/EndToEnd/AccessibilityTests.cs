using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Every route, at 360 and 1280 px, in Chinese, in English and in large-text mode (and English in large text at 360 px), checked by axe-core (WCAG 2.1 A and
/// AA rules) injected into the real page: no serious or critical violation, and no sideways scrolling at 360 px.
/// Screenshots of every page at both widths land in artifacts/screenshots/ (page-*.png).
/// axe-core comes from npm (tests/EndToEnd/a11y, installed by .ci/run with npm ci).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly string AxePath = Path.Combine(AppServer.RepositoryRoot, "tests", "EndToEnd", "a11y", "node_modules", "axe-core", "axe.min.js");
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IReadOnlyList<Route>? routes;

    /// <summary>English in large text is the widest text there is (long words, big type): checked at 360 px only.</summary>
    public static TheoryData<string> Modes => new() { "zh-CN", "en", "large-text", "en+large-text" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EveryRouteHasNoSeriousOrCriticalViolations(string mode)
    {
        Assert.True(File.Exists(AxePath), $"axe-core is missing: run `npm ci` in tests/EndToEnd/a11y ({AxePath})");
        var all = await RoutesAsync();
        var problems = new List<string>();
        foreach (var width in mode == "en+large-text" ? new[] { 360 } : new[] { 360, 1280 })
        {
            // Each route is visited by someone who may see it (ADR 0012): the chair for the council's pages, the
            // platform admin for bodies and seats.
            var pages = new Dictionary<string, IPage>();
            foreach (var route in all)
            {
                if (!pages.TryGetValue(route.User, out var page))
                {
                    var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
                    {
                        BaseURL = fixture.Server.BaseUrl,
                        ViewportSize = new ViewportSize { Width = width, Height = 800 },
                        Locale = "zh-CN",
                        // axe-core is injected as an inline script, which the site's CSP (nonce-only scripts) refuses; the
                        // policy itself is tested by SecurityHeadersTests.
                        BypassCSP = true,
                    });
                    context.SetDefaultTimeout(15_000);
                    await context.AddCookiesAsync(Cookies(mode));
                    page = await context.NewPageAsync();
                    await BrowserFixture.SignInAsync(page, route.User, DemoAccounts.PasswordOf(route.User));
                    pages[route.User] = page;
                }

                await page.GotoAsync(route.Path);
                if (route.Ready is { } ready)
                {
                    await Expect(page.Locator(ready).First).ToBeAttachedAsync();
                }

                await page.WaitForTimeoutAsync(200); // transitions (snackbars, expanding panels) settle
                if (mode == "zh-CN")
                {
                    await BrowserFixture.ScreenshotAsync(page, $"page-{route.Name}-{width}");
                }

                foreach (var violation in await AxeAsync(page))
                {
                    problems.Add($"{mode} {width}px {route.Path}: {violation}");
                }

                if (width == 360)
                {
                    var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
                    if (overflow > 0)
                    {
                        // Name the widest elements and text runs that stick out, so the fix need not be guessed (a long word
                        // overflows as text: its element's box stays inside the page). Page coordinates, in case it scrolled.
                        var culprits = await page.EvaluateAsync<string[]>("""
                            () => {
                                const name = e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`;
                                const found = [...document.querySelectorAll('body *')]
                                    .map(e => ({ what: name(e), right: e.getBoundingClientRect().right + window.scrollX }));
                                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                                for (let node; (node = walker.nextNode());) {
                                    const range = document.createRange();
                                    range.selectNodeContents(node);
                                    found.push({ what: `text "${node.textContent.trim().slice(0, 40)}" in ${name(node.parentElement)}`, right: range.getBoundingClientRect().right + window.scrollX });
                                }
                                return found.filter(f => f.right > window.innerWidth)
                                    .sort((a, b) => b.right - a.right)
                                    .slice(0, 3)
                                    .map(f => `${f.what} (${Math.round(f.right)} px)`);
                            }
                            """);
                        problems.Add($"{mode} {width}px {route.Path}: scrolls sideways by {overflow} px: {string.Join(", ", culprits)}");
                    }
                }
            }

            foreach (var page in pages.Values)
            {
                await page.Context.CloseAsync();
            }
        }

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }

        Assert.True(problems.Count == 0, $"{problems.Count} accessibility problems:\n{string.Join("\n", problems)}");
    }

    /// <summary>The same cookies the language and text-size switches set.</summary>
    private static List<Cookie> Cookies(string mode) => mode switch
    {
        "en" => [new Cookie { Name = ".AspNetCore.Culture", Value = "c=en|uic=en", Domain = "127.0.0.1", Path = "/" }],
        "large-text" => [new Cookie { Name = "cd.textsize", Value = "large", Domain = "127.0.0.1", Path = "/" }],
        "en+large-text" => [.. Cookies("en"), .. Cookies("large-text")],
        _ => [],
    };

    /// <summary>Injects axe-core and runs the WCAG 2.0 / 2.1 A and AA rules; returns serious and critical violations in words.</summary>
    private static async Task<IReadOnlyList<string>> AxeAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath });
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
                return r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id} (${v.help}): ` + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 220)).join(' | '));
            }
            """);
        return result.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
    }

    /// <summary>
    /// The routes with real ids: the chair holds one session to its published minutes (a closed vote, a result page, an
    /// archive entry) and leaves another open with a vote running; proposals, bodies and terms come from the demo data.
    /// Made once for all modes.
    /// </summary>
    private async Task<IReadOnlyList<Route>> RoutesAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return routes ??= await MakeRoutesAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<IReadOnlyList<Route>> MakeRoutesAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));

        // A session through to published minutes.
        var closedTitle = $"无障碍检查 已结束 {suffix}";
        var closedUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, closedTitle);
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("poll-question-input").FillAsync("是否同意加装电梯方案?");
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await VoteAsync(closedUrl, ("rep001", "vote-yes"), ("rep002", "vote-yes"), ("rep003", "vote-no"));
        await chair.GetByTestId("close-poll").ClickAsync();
        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await Expect(chair.GetByTestId("outcome")).ToBeVisibleAsync();
        var pollId = await chair.GetByTestId("closed-poll").First.GetAttributeAsync("data-poll-id");
        await chair.GetByTestId("close-session").ClickAsync();
        await chair.GetByTestId("close-session-confirm").ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("已结束");
        await chair.GotoAsync(closedUrl + "/minutes");
        await chair.GetByTestId("minutes-generate").ClickAsync();
        await chair.GetByTestId("minutes-approve").ClickAsync();
        await Expect(chair.GetByTestId("minutes-status")).ToHaveTextAsync("已批准");
        await chair.GetByTestId("minutes-publish").ClickAsync();
        await chair.GetByTestId("minutes-publish-confirm").ClickAsync();
        await Expect(chair.GetByTestId("minutes-status")).ToHaveTextAsync("已发布");
        await chair.GotoAsync("/archive");
        var minutesHref = await chair.GetByTestId("archive-item").Filter(new() { HasText = closedTitle }).Locator("a.archive-title").GetAttributeAsync("href");

        // A session left open with a vote running.
        var openUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, $"无障碍检查 进行中 {suffix}");
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("poll-question-input").FillAsync("是否同意增设非机动车停放点?");
        await chair.GetByTestId("open-poll-button").ClickAsync();
        await Expect(chair.GetByTestId("open-poll")).ToBeVisibleAsync();
        await VoteAsync(openUrl, ("rep004", "vote-yes"), ("rep005", "vote-abstain"));

        await chair.GotoAsync("/proposals");
        var proposalHref = await chair.GetByTestId("proposal-card").First.Locator("a.session-title").GetAttributeAsync("href");
        var admin = await fixture.SignedInPageAsync("admin", DemoAccounts.PasswordOf("admin"));
        await admin.GotoAsync("/bodies");
        var bodyHref = await admin.Locator("[data-testid=body-node] .body-node-name").First.GetAttributeAsync("href");
        await admin.GotoAsync("/" + bodyHref!.TrimStart('/'));
        var termHref = await admin.GetByTestId("term-link").First.GetAttributeAsync("href");
        await chair.Context.CloseAsync();
        await admin.Context.CloseAsync();
        var hearingUrl = await HearingsTests.PrepareOpenHearingAsync(fixture, $"无障碍检查 听证会 {suffix}");
        output.WriteLine($"closed {closedUrl}, open {openUrl}, poll {pollId}, minutes {minutesHref}, proposal {proposalHref}, body {bodyHref}, term {termHref}");

        var proposal = "/" + proposalHref!.TrimStart('/');
        var minutes = "/" + minutesHref!.TrimStart('/');
        const string interactiveForm = "form[data-interactive]";
        return
        [
            new("home", "/"),
            new("sessions", "/sessions"),
            new("session-new", "/sessions/new", interactiveForm),
            new("session-live", openUrl, "[data-testid=open-poll]"),
            new("session-closed", closedUrl, "[data-testid=closed-poll]"),
            new("projector", openUrl + "/projector", "[data-testid=projector-vote]"),
            new("minutes-work", closedUrl + "/minutes", "[data-testid=minutes-status]"),
            new("poll-result", $"/polls/{pollId}", "[data-testid=outcome]"),
            new("proposals", "/proposals"),
            new("proposal-new", "/proposals/new", "h1"),
            new("proposal", proposal, "[data-testid=proposal-heading][data-interactive]"),
            new("proposal-edit", proposal + "/edit", "h1"),
            new("discussion", proposal + "/discussion", "h1"),
            new("topic-new", "/topics/new", "[data-testid=topic-form]"),
            new("topic-track", "/topics/track?code=ABCD2345", "[data-testid=track-unknown]"),
            new("triage", "/topics", "h1[data-interactive]"),
            new("hearings", "/hearings", "[data-testid=hearing-list]"),
            new("hearing-notice", hearingUrl, "[data-testid=hearing-form]"),
            new("hearing-live", hearingUrl + "/live", "[data-testid=live-root]"),
            new("hearing-status", "/hearings/status", "[data-testid=status-form]"),
            new("hearing-manage", "/hearings/manage", "h1[data-interactive]"),
            new("hearing-manage-one", hearingUrl.Replace("/hearings/", "/hearings/manage/", StringComparison.Ordinal), "h1[data-interactive]"),
            new("archive", "/archive", "[data-testid=archive-list]"),
            new("ledger", "/ledger", "[data-testid=ledger-list]"),
            new("ledger-item", "/ledger/1", "[data-testid=ledger-history]"),
            new("ledger-manage", "/ledger/manage", "h1[data-interactive]"),
            new("notices", "/notices", "[data-testid=notices-summary]"),
            new("consultations", "/consultations", "[data-testid=consultation-list]"),
            new("consultation-record", "/consultations/1/record", "[data-testid=consultation-followups]"),
            new("consultation", "/consultations/1", "h1[data-interactive]", "convener"),
            new("consultation-manage", "/consultations/1/manage", "h1[data-interactive]", "convener"),
            new("consultation-new", "/consultations/new", "h1[data-interactive]", "convener"),
            new("projects", "/projects", "[data-testid=projects-list]"),
            new("project", "/projects/1", "[data-testid=project-claims]"),
            new("projects-manage", "/projects/manage", "h1[data-interactive]", "wjc-secretary"),
            new("projects-manage-unit", "/projects/manage", "h1[data-interactive]", "changhai"),
            new("archive-search", "/archive/search?q=" + Uri.EscapeDataString("会议"), "[data-testid=search-count]"),
            new("archive-minutes", minutes, "[data-testid=archive-minutes-text]"),
            new("archive-verify", minutes + "/verify", "h1"),
            new("bodies", "/bodies", interactiveForm, "admin"),
            new("body", "/" + bodyHref.TrimStart('/'), interactiveForm, "admin"),
            new("term", "/" + termHref!.TrimStart('/'), interactiveForm, "admin"),
            new("accounts", "/admin/accounts", interactiveForm, "admin"),
            new("accounts-secretariat", "/admin/accounts", interactiveForm),
            new("audit", "/admin/audit", "h1", "admin"),
            new("password", "/account/password", "[data-testid=password-submit]"),
            new("reset", "/account/reset?user=unknown&token=unknown", "[data-testid=reset-submit]"),
            new("login", "/account/login", "[data-testid=login-submit]"),
            new("denied", "/account/denied", "[data-testid=access-denied]"),
            new("not-found", "/not-found", "h1"),
        ];
    }

    /// <summary>Representatives (checked in by the chair) cast ballots, so results and live tallies have bars to show.</summary>
    private async Task VoteAsync(string sessionUrl, params (string User, string Choice)[] ballots)
    {
        foreach (var (user, choice) in ballots)
        {
            var rep = await fixture.SignedInPageAsync(user, DemoAccounts.MemberPassword);
            await rep.GotoAsync(sessionUrl);
            await rep.GetByTestId(choice).ClickAsync();
            await Expect(rep.GetByTestId("my-ballot")).ToBeVisibleAsync();
            await rep.Context.CloseAsync();
        }
    }

    private sealed record Route(string Name, string Path, string? Ready = null, string User = "chair");
}
