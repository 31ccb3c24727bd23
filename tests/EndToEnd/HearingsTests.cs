using System.Globalization;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Public hearings: the secretary prepares a hearing for a public-hearing session and opens registration; a resident
/// without an account finds it on the home page, registers on the notice page (a plain POST form), gets a tracking code
/// and looks it up through the status page's POST form. The public pages open no Blazor circuit.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HearingsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AResidentWithoutAnAccountRegistersAndLooksUpTheTrackingCodeWithoutACircuit()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var title = $"沪闵路旧住房改造听证会 {suffix}";
        var hearingUrl = await PrepareOpenHearingAsync(fixture, title);

        var resident = await fixture.NewPageAsync(360, 740);
        var blazor = new List<string>();
        resident.Request += (_, request) => Record(blazor, request.Url);
        resident.WebSocket += (_, socket) => Record(blazor, socket.Url);

        await resident.GotoAsync("/");
        await resident.GetByTestId("home-hearing").Filter(new() { HasText = title }).ClickAsync();
        await Expect(resident.GetByTestId("hearing-topic")).ToHaveTextAsync(title);
        Assert.EndsWith(hearingUrl, new Uri(resident.Url).AbsolutePath, StringComparison.Ordinal);

        await resident.GetByTestId("reg-name").FillAsync("王阿姨");
        await resident.GetByTestId("reg-category").SelectOptionAsync("Resident");
        await resident.GetByTestId("reg-affiliation").FillAsync("沪闵路 12 号 3 单元");
        await resident.GetByTestId("reg-contact").FillAsync("139 0000 " + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
        await resident.GetByTestId("reg-position-Oppose").CheckAsync();
        await resident.GetByTestId("reg-testimony").FillAsync("<script>alert(1)</script> 希望先解决**过渡安置**。");
        await resident.GetByTestId("reg-submit").ClickAsync();
        var code = (await resident.GetByTestId("hearing-code").InnerTextAsync()).Trim();
        Assert.Matches("^H[2-9A-HJ-NP-Z]{10}$", code);

        await resident.GetByTestId("hearing-status-link").ClickAsync();
        await resident.GetByTestId("status-code").FillAsync(code.ToLowerInvariant());
        await resident.GetByTestId("status-submit").ClickAsync();
        await Expect(resident.GetByTestId("status-value")).ToHaveTextAsync("已报名");
        await Expect(resident.GetByTestId("status-result")).ToContainTextAsync(title);
        Assert.DoesNotContain(code, resident.Url, StringComparison.OrdinalIgnoreCase);

        Assert.Empty(blazor);
        await resident.Context.CloseAsync();
    }

    [Fact]
    public async Task ASecondRegistrationWithTheSameContactIsRefusedWithASentence()
    {
        var hearingUrl = await PrepareOpenHearingAsync(fixture, $"居民区党组织换届选举工作听证会 {Guid.NewGuid().ToString("N")[..6]}");
        var resident = await fixture.NewPageAsync(360, 740);
        var phone = "138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        foreach (var (contact, done) in new[] { (phone, "hearing-receipt"), ($"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}", "hearing-error") })
        {
            await resident.GotoAsync(hearingUrl);
            await resident.GetByTestId("reg-name").FillAsync("李师傅");
            await resident.GetByTestId("reg-affiliation").FillAsync("7 号楼");
            await resident.GetByTestId("reg-contact").FillAsync(contact);
            await resident.GetByTestId("reg-submit").ClickAsync();
            await Expect(resident.GetByTestId(done)).ToBeVisibleAsync();
        }

        await Expect(resident.GetByTestId("hearing-error")).ToContainTextAsync("已经报名过");
        await resident.Context.CloseAsync();
    }

    [Fact]
    public async Task AnObserverOnAPhoneFollowsTheFloorLiveWithoutACircuit()
    {
        var hearingUrl = await PrepareOpenHearingAsync(fixture, $"直播听证会 {Guid.NewGuid().ToString("N")[..6]}");
        var resident = await fixture.NewPageAsync(360, 740);
        foreach (var (name, position) in new[] { ("王阿姨", "Support"), ("李师傅", "Oppose") })
        {
            await resident.GotoAsync(hearingUrl);
            await resident.GetByTestId("reg-name").FillAsync(name);
            await resident.GetByTestId("reg-affiliation").FillAsync("12 号楼");
            await resident.GetByTestId("reg-contact").FillAsync("137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture));
            await resident.GetByTestId($"reg-position-{position}").CheckAsync();
            await resident.GetByTestId("reg-submit").ClickAsync();
            await Expect(resident.GetByTestId("hearing-receipt")).ToBeVisibleAsync();
        }

        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync(hearingUrl.Replace("/hearings/", "/hearings/manage/", StringComparison.Ordinal));
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("step-close-registration").ClickAsync();
        await Expect(chair.GetByTestId("reg-select")).ToHaveCountAsync(2);
        await chair.GetByTestId("reg-select").First.ClickAsync();
        await Expect(chair.GetByTestId("manage-registration-status").First).ToHaveTextAsync("已入选");
        await chair.GetByTestId("reg-select").Nth(1).ClickAsync();
        await Expect(chair.GetByTestId("manage-registration-status").Nth(1)).ToHaveTextAsync("已入选");
        // One at a time: a second click sent before the first check-in re-rendered the list would land on the same button.
        foreach (var present in Enumerable.Range(1, 2))
        {
            await chair.GetByTestId("reg-check-in").First.ClickAsync();
            await Expect(chair.GetByTestId("manage-registration-present")).ToHaveCountAsync(present);
        }

        await Expect(chair.GetByTestId("manage-registration-present")).ToHaveCountAsync(2);
        await chair.GetByTestId("step-go-live").ClickAsync();
        await Expect(chair.GetByTestId("manage-order").Locator("li")).ToHaveCountAsync(2);

        var observer = await fixture.NewPageAsync(360, 740);
        var blazor = new List<string>();
        observer.Request += (_, request) => Record(blazor, request.Url);
        observer.WebSocket += (_, socket) => Record(blazor, socket.Url);
        await observer.GotoAsync(hearingUrl + "/live");
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言");
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(2);

        await chair.GetByTestId("floor-give").First.ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToContainTextAsync("居民", new() { Timeout = 5_000 });
        await Expect(observer.GetByTestId("live-countdown")).ToBeVisibleAsync();
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(1);
        await chair.GetByTestId("floor-end").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言", new() { Timeout = 5_000 });

        Assert.Empty(blazor);
        await observer.Context.CloseAsync();
        await chair.Context.CloseAsync();
        await resident.Context.CloseAsync();
    }

    /// <summary>The secretary schedules a public-hearing session, creates its hearing, publishes the notice and opens registration. Returns the notice's path.</summary>
    internal static async Task<string> PrepareOpenHearingAsync(BrowserFixture fixture, string title)
    {
        var secretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"));
        await secretary.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        await secretary.GetByTestId("kind").SelectOptionAsync("PublicHearing");
        await secretary.GetByTestId("title").FillAsync(title);
        await secretary.GetByTestId("place").FillAsync("江川社区党工委会议室");
        await secretary.GetByTestId("item-title").Nth(0).FillAsync("听取意见");
        await secretary.GetByTestId("create-submit").ClickAsync();
        await secretary.WaitForURLAsync(new Regex(@"/sessions/\d+$"));

        await secretary.GotoAsync("/hearings/manage");
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        var card = secretary.GetByTestId("manage-session").Filter(new() { HasText = title });
        await card.GetByTestId("manage-create-start").ClickAsync();
        var start = DateTime.Now.AddDays(10);
        await card.GetByTestId("n-background").FillAsync("## 背景\n\n沪闵路沿线 12 幢旧住房成套改造方案。");
        await card.GetByTestId("n-starts").FillAsync(start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await card.GetByTestId("n-deadline").FillAsync(start.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await card.GetByTestId("n-create").ClickAsync();
        await secretary.WaitForURLAsync(new Regex(@"/hearings/manage/\d+$"));
        await secretary.GetByTestId("step-publish-notice").ClickAsync();
        await secretary.GetByTestId("step-open-registration").ClickAsync();
        await Expect(secretary.GetByTestId("manage-stage")).ToHaveTextAsync("报名中");
        var href = await secretary.GetByTestId("manage-public-link").GetAttributeAsync("href");
        await secretary.Context.CloseAsync();
        return "/" + href!.TrimStart('/');
    }

    private static void Record(List<string> blazor, string url)
    {
        if (url.Contains("/_blazor", StringComparison.Ordinal))
        {
            blazor.Add(url);
        }
    }
}
