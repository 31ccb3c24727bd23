using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The speakers' queue of issue 3 across browsers: a representative asks to speak, the chair gives the floor, every screen
/// (another representative, the projector, a hub client) counts down from the server's start instant; the chair extends
/// and ends the turn, and the time spoken is recorded.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SpeakersTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const float LiveTimeout = 3_000;

    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RepresentativeAsksToSpeakChairGivesTheFloorAndEveryScreenCountsDown()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "发言排队测试 " + Guid.NewGuid().ToString("N")[..6]);
        var sessionId = int.Parse(sessionUrl.Split('/').Last(), CultureInfo.InvariantCulture);

        // Browser A: a representative who will speak against; browser C: another representative who asks a question.
        var speaker = await fixture.SignedInPageAsync("rep020", DemoAccounts.MemberPassword);
        var other = await fixture.SignedInPageAsync("rep021", DemoAccounts.MemberPassword, width: 360, height: 780);
        foreach (var page in new[] { speaker, other })
        {
            await page.GotoAsync(sessionUrl);
            await Expect(page.GetByTestId("request-check-in-first")).ToBeVisibleAsync();
            await page.GetByTestId("check-in").ClickAsync();
            await Expect(page.GetByTestId("checked-in")).ToBeVisibleAsync();
        }

        var projector = await chair.Context.NewPageAsync();
        await projector.GotoAsync(sessionUrl + "/projector");
        await Expect(projector.GetByTestId("projector")).ToBeVisibleAsync();

        // A hub client (a projector script) follows the session too.
        await using var hub = await HubClient.ConnectAsync(fixture.Server.BaseUrl, await HubClient.LoginAsync(fixture.Server.BaseUrl, "resident", DemoAccounts.PasswordOf("resident")));
        var joined = (await hub.InvokeAsync("JoinSession", sessionId))!;
        Assert.Null(joined["speakers"]!["floor"]);
        Assert.Equal(180, joined["speakers"]!["defaultSeconds"]!.GetValue<int>());

        // 1. Browser A asks to speak, against; C asks a question. The chair sees both, with their marks, in order.
        var speakerName = await NameOfAsync(speaker);
        var otherName = await NameOfAsync(other);
        await speaker.GetByTestId("request-contra").ClickAsync();
        await Expect(speaker.GetByTestId("my-request")).ToContainTextAsync("反对");
        await Expect(speaker.GetByTestId("my-request")).ToContainTextAsync("第 1 位");
        await other.GetByTestId("request-question").ClickAsync();
        await Expect(other.GetByTestId("my-request")).ToContainTextAsync("第 2 位");

        var queue = chair.GetByTestId("queue-entry");
        await Expect(queue).ToHaveCountAsync(2, new() { Timeout = LiveTimeout });
        await Expect(queue.Nth(0)).ToContainTextAsync(speakerName);
        await Expect(queue.Nth(0).GetByTestId("queue-mark")).ToHaveTextAsync("反对");
        await Expect(queue.Nth(1)).ToContainTextAsync(otherName);
        await Expect(queue.Nth(1).GetByTestId("queue-mark")).ToHaveTextAsync("提问");
        await Expect(chair.GetByTestId("agenda-queue-count")).ToHaveTextAsync("等待发言 2 人");
        await BrowserFixture.ScreenshotAsync(chair, "speakers-queue-chair-1280");
        await hub.WaitForEventAsync("speakerQueue", e => e["sessionId"]!.GetValue<int>() == sessionId, EventTimeout);

        // 2. The chair gives the floor to A. C (another rep), A, the projector and the hub client all see who speaks.
        await queue.Nth(0).GetByTestId("grant-speaker").ClickAsync();
        foreach (var page in new[] { chair, speaker, other })
        {
            await Expect(page.GetByTestId("floor-name")).ToHaveTextAsync(speakerName, new() { Timeout = LiveTimeout });
            await Expect(page.GetByTestId("floor-mark")).ToHaveTextAsync("反对");
        }

        await Expect(projector.GetByTestId("projector-speaker-name")).ToHaveTextAsync(speakerName, new() { Timeout = LiveTimeout });
        await Expect(other.GetByTestId("live-announcer")).ToContainTextAsync($"现在发言:{speakerName}(反对),限时 3 分钟");
        await Expect(other.GetByTestId("my-request")).ToContainTextAsync("第 1 位");
        await Expect(chair.GetByTestId("queue-entry").GetByTestId("grant-speaker")).ToBeDisabledAsync();
        var started = await hub.WaitForEventAsync("speakerStarted", e => e["sessionId"]!.GetValue<int>() == sessionId, EventTimeout);
        Assert.Equal(speakerName, started["name"]!.GetValue<string>());
        Assert.Equal("Contra", started["mark"]!.GetValue<string>());
        Assert.Equal(180, started["allowedSeconds"]!.GetValue<int>());
        var startedAt = started["startedAtUtc"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(DateTime.UtcNow - startedAt, TimeSpan.Zero - TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

        // The countdown is visible and decreasing in the third browser and on the projector, counted locally.
        var otherTimer = other.GetByTestId("speaker-timer");
        var projectorTimer = projector.GetByTestId("projector-timer");
        await Expect(otherTimer).ToHaveTextAsync(Clock(), new() { Timeout = LiveTimeout });
        await Expect(projectorTimer).ToHaveTextAsync(Clock(), new() { Timeout = LiveTimeout });
        var otherFirst = await SecondsAsync(otherTimer);
        var projectorFirst = await SecondsAsync(projectorTimer);
        Assert.InRange(otherFirst, 160, 180);
        Assert.InRange(projectorFirst, 160, 180);
        await Expect(otherTimer).Not.ToHaveTextAsync(SpeakerClock(otherFirst), new() { Timeout = 4_000 });
        await Expect(projectorTimer).Not.ToHaveTextAsync(SpeakerClock(projectorFirst), new() { Timeout = 4_000 });
        var otherLater = await SecondsAsync(otherTimer);
        var projectorLater = await SecondsAsync(projectorTimer);
        output.WriteLine($"rep timer {otherFirst} → {otherLater}; projector {projectorFirst} → {projectorLater}");
        Assert.True(otherLater < otherFirst, $"the rep's timer went from {otherFirst} to {otherLater}");
        Assert.True(projectorLater < projectorFirst, $"the projector's timer went from {projectorFirst} to {projectorLater}");
        Assert.Equal("timer", await otherTimer.GetAttributeAsync("role")); // not read out every second

        await BrowserFixture.ScreenshotAsync(chair, "speakers-floor-chair-1280");
        await BrowserFixture.ScreenshotAsync(other, "speakers-floor-rep-360");
        await BrowserFixture.ScreenshotAsync(projector, "speakers-projector-1280");
        await projector.SetViewportSizeAsync(360, 740);
        await BrowserFixture.ScreenshotAsync(projector, "speakers-projector-360");
        await projector.SetViewportSizeAsync(1280, 720);

        // A screen that loads the page while the turn runs picks the countdown up from the snapshot (here: large text).
        await other.GetByTestId("text-size-toggle").ClickAsync();
        await Expect(other.Locator("html.large-text")).ToHaveCountAsync(1);
        await Expect(otherTimer).ToHaveTextAsync(Clock());
        Assert.InRange(await SecondsAsync(otherTimer), 150, otherLater);
        await BrowserFixture.ScreenshotAsync(other, "speakers-floor-rep-360-large-text");

        // 3. The chair adds a minute: the timer grows on every screen, and the hub hears the new allowance.
        var beforeExtension = await SecondsAsync(otherTimer);
        await chair.GetByTestId("extend-60").ClickAsync();
        await Expect(other.GetByTestId("floor-allowed")).ToHaveTextAsync("限时 04:00", new() { Timeout = LiveTimeout });
        var afterExtension = await SecondsAsync(otherTimer);
        Assert.InRange(afterExtension, beforeExtension + 50, beforeExtension + 60);
        await Expect(projectorTimer).ToHaveTextAsync(new Regex("^0[34]:"), new() { Timeout = LiveTimeout });
        Assert.True(await SecondsAsync(projectorTimer) > 180, "the projector's timer did not grow");
        var extended = await hub.WaitForEventAsync("speakerExtended", e => e["sessionId"]!.GetValue<int>() == sessionId, EventTimeout);
        Assert.Equal(240, extended["allowedSeconds"]!.GetValue<int>());
        Assert.Equal(startedAt, extended["startedAtUtc"]!.GetValue<DateTime>().ToUniversalTime());

        // 4. The chair ends the turn: the floor is free everywhere and the time spoken is recorded and shown.
        await chair.GetByTestId("end-turn").ClickAsync();
        foreach (var page in new[] { chair, speaker, other })
        {
            await Expect(page.GetByTestId("speaker-floor")).ToHaveCountAsync(0, new() { Timeout = LiveTimeout });
        }

        await Expect(projector.GetByTestId("projector-speaker")).ToHaveCountAsync(0, new() { Timeout = LiveTimeout });
        var ended = await hub.WaitForEventAsync("speakerEnded", e => e["sessionId"]!.GetValue<int>() == sessionId, EventTimeout);
        var spoke = ended["spokeSeconds"]!.GetValue<int>();
        Assert.InRange(spoke, 3, 120);
        Assert.Equal(240, ended["allowedSeconds"]!.GetValue<int>());
        var spokenEntry = other.GetByTestId("spoken-entry");
        await Expect(spokenEntry).ToContainTextAsync(speakerName);
        await Expect(spokenEntry.GetByTestId("spoke-time")).ToHaveTextAsync($"用时 {SpeakerClock(spoke)}");
        await Expect(other.GetByTestId("live-announcer")).ToContainTextAsync($"{speakerName} 发言结束");
        var after = (await hub.InvokeAsync("JoinSession", sessionId))!;
        Assert.Null(after["speakers"]!["floor"]);
        var recorded = after["speakers"]!["spoken"]!.AsArray().Single()!;
        Assert.Equal(spoke, recorded["spokeSeconds"]!.GetValue<int>());
        Assert.Equal("Contra", recorded["mark"]!.GetValue<string>());

        // C is next; C withdraws, and the queue is empty on the chair's screen.
        await Expect(chair.GetByTestId("queue-entry")).ToHaveCountAsync(1);
        await other.GetByTestId("withdraw-request").ClickAsync();
        await Expect(chair.GetByTestId("queue-empty")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(other.GetByTestId("my-request")).ToHaveCountAsync(0);
        await Expect(other.GetByTestId("request-question")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(other, "speakers-spoken-rep-360");
    }

    [Fact]
    public async Task ChairReordersAndRemovesRequestsAndAnOverrunShowsNegative()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, "发言顺序测试 " + Guid.NewGuid().ToString("N")[..6]);
        var reps = new List<(IPage Page, string Name)>();
        foreach (var (user, mark) in new[] { ("rep022", "pro"), ("rep023", "contra"), ("rep024", "question") })
        {
            var page = await fixture.SignedInPageAsync(user, DemoAccounts.MemberPassword);
            await page.GotoAsync(sessionUrl);
            await page.GetByTestId("check-in").ClickAsync();
            await Expect(page.GetByTestId("checked-in")).ToBeVisibleAsync();
            await page.GetByTestId("request-" + mark).ClickAsync();
            await Expect(page.GetByTestId("my-request")).ToBeVisibleAsync();
            reps.Add((page, await NameOfAsync(page)));
        }

        var queue = chair.GetByTestId("queue-entry");
        await Expect(queue).ToHaveCountAsync(3, new() { Timeout = LiveTimeout });
        await Expect(queue.Nth(0).GetByTestId("move-up")).ToBeDisabledAsync();
        await Expect(queue.Nth(2).GetByTestId("move-down")).ToBeDisabledAsync();

        // The third moves up twice and speaks first; the representative sees their new place.
        await queue.Nth(2).GetByTestId("move-up").ClickAsync();
        await Expect(queue.Nth(1)).ToContainTextAsync(reps[2].Name);
        await queue.Nth(1).GetByTestId("move-up").ClickAsync();
        await Expect(queue.Nth(0)).ToContainTextAsync(reps[2].Name);
        await Expect(reps[2].Page.GetByTestId("my-request")).ToContainTextAsync("第 1 位", new() { Timeout = LiveTimeout });
        await Expect(reps[0].Page.GetByTestId("my-request")).ToContainTextAsync("第 2 位", new() { Timeout = LiveTimeout });

        // The chair removes the second with a reason (by keyboard, confirmed in a dialog); the representative can ask again.
        await queue.Nth(2).GetByTestId("remove-speaker").FocusAsync();
        await chair.Keyboard.PressAsync("Enter");
        await chair.GetByTestId("remove-reason").FillAsync("已提交书面意见");
        await chair.GetByTestId("remove-confirm").ClickAsync();
        await Expect(queue).ToHaveCountAsync(2);
        await Expect(reps[1].Page.GetByTestId("request-pro")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });

        // The first in the queue gets the floor; the chair cannot give it to a second speaker at the same time.
        await queue.Nth(0).GetByTestId("grant-speaker").ClickAsync();
        await Expect(reps[2].Page.GetByTestId("floor-name")).ToHaveTextAsync(reps[2].Name, new() { Timeout = LiveTimeout });
        await Expect(reps[2].Page.GetByTestId("speaker-timer")).ToHaveAttributeAsync("data-state", "ok");
        // The speaker's screen may show the floor before the chair's queue has dropped them: wait for the one left.
        await Expect(queue).ToHaveCountAsync(1, new() { Timeout = LiveTimeout });
        await Expect(chair.GetByTestId("queue-entry").GetByTestId("grant-speaker")).ToBeDisabledAsync();
        await chair.GetByTestId("end-turn").ClickAsync();
        await Expect(reps[2].Page.GetByTestId("spoken-entry")).ToHaveCountAsync(1, new() { Timeout = LiveTimeout });
        await Expect(chair.GetByTestId("queue-entry").GetByTestId("grant-speaker")).ToBeEnabledAsync();
    }

    /// <summary>
    /// The countdown script on its own (it is on every page), with turns placed in time so nothing waits minutes: an
    /// overrun shows negative and "over"; crossing 30 s left and reaching zero are announced once each; a turn already
    /// below 30 s when it appears is not announced; a browser whose clock is an hour off still counts right.
    /// </summary>
    [Fact]
    public async Task CountdownShowsOverrunsAndAnnouncesOnlyThirtySecondsLeftAndTimeUp()
    {
        var page = await fixture.NewPageAsync(360, 740);
        await page.GotoAsync("/account/login");
        await page.EvaluateAsync("""
            () => {
                const now = Date.now();
                const turn = (id, announcer, serverNow, start, allowed) =>
                    `<div id="${announcer}" aria-live="polite"></div>` +
                    `<span id="${id}" data-countdown data-turn="${id}" data-start="${start}" data-allowed="${allowed}" data-server-now="${serverNow}"` +
                    ` data-announcer="${announcer}" data-msg-low="30 left" data-msg-up="time up"></span>`;
                document.body.insertAdjacentHTML('beforeend',
                    turn('over', 'a-over', now, now - 200_000, 180) +
                    turn('low', 'a-low', now, now - 148_500, 180) +
                    turn('up', 'a-up', now, now - 178_500, 180) +
                    turn('late', 'a-late', now, now - 170_000, 180) +
                    turn('skew', 'a-skew', now + 3_600_000, now + 3_600_000 - 10_000, 60));
                // Every sentence each live region receives, in order.
                window.said = {};
                for (const region of document.querySelectorAll('[aria-live]')) {
                    window.said[region.id] = [];
                    new MutationObserver(() => { if (region.textContent) window.said[region.id].push(region.textContent); })
                        .observe(region, { childList: true, characterData: true, subtree: true });
                }
            }
            """);

        await Expect(page.Locator("#over")).ToHaveTextAsync(new Regex("^−00:(19|20|21)$"));
        await Expect(page.Locator("#over")).ToHaveAttributeAsync("data-state", "over");
        await Expect(page.Locator("#skew")).ToHaveTextAsync(new Regex("^00:(48|49|50)$"));
        await Expect(page.Locator("#skew")).ToHaveAttributeAsync("data-state", "ok");

        await Expect(page.Locator("#a-low")).ToHaveTextAsync("30 left", new() { Timeout = 5_000 });
        await Expect(page.Locator("#low")).ToHaveAttributeAsync("data-state", "low");
        await Expect(page.Locator("#a-up")).ToHaveTextAsync("time up", new() { Timeout = 5_000 });
        await Expect(page.Locator("#up")).ToHaveTextAsync(new Regex("^(00:00|−00:0\\d)$"));
        await page.WaitForTimeoutAsync(1_500);
        await Expect(page.Locator("#a-late")).ToHaveTextAsync(string.Empty);
        await Expect(page.Locator("#a-over")).ToHaveTextAsync(string.Empty);
        await Expect(page.Locator("#a-skew")).ToHaveTextAsync(string.Empty);
        var said = await page.EvaluateAsync<Dictionary<string, string[]>>("() => window.said");
        Assert.Equal(["30 left"], said["a-low"]); // once, not every second
        Assert.Equal(["time up"], said["a-up"]);
        Assert.Empty(said["a-late"]);
        Assert.Empty(said["a-over"]);
    }

    [GeneratedRegex(@"^−?\d\d:\d\d$")]
    private static partial Regex Clock();

    private static string SpeakerClock(int seconds)
    {
        var abs = Math.Abs(seconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"{abs / 60:00}:{abs % 60:00}");
        return seconds < 0 ? "\u2212" + text : text;
    }

    private static async Task<int> SecondsAsync(ILocator timer)
    {
        var text = (await timer.TextContentAsync())!.Trim();
        var negative = text.StartsWith('\u2212');
        var parts = text.TrimStart('\u2212').Split(':');
        var seconds = int.Parse(parts[0], CultureInfo.InvariantCulture) * 60 + int.Parse(parts[1], CultureInfo.InvariantCulture);
        return negative ? -seconds : seconds;
    }

    internal static async Task<string> NameOfAsync(IPage page)
    {
        var text = await page.GetByTestId("signed-in-as").InnerTextAsync();
        return text.Split(':', ':').Last().Trim();
    }
}
