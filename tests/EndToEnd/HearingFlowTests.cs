using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 12, done when: a whole public hearing in the browser. The secretary publishes the notice and opens registration;
/// a resident without an account (on a phone) and the expert (signed in) register on the public form in different
/// categories; the secretary selects both while the balance changes; the moderator runs the hearing while an observer on
/// a 360 px page follows the speaker, the countdown and the upcoming order; the resident adds a written comment; the
/// secretary writes summaries, groups the issues and answers them (the page lists what is missing), drafts the report;
/// the report goes through the minutes workflow (generate, approve, publish) and a resident who never signs in finds it
/// in the archive search. The observer page opens no <c>/_blazor</c> connection at any point.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HearingFlowTests(BrowserFixture fixture)
{
    private const string TokenAlphabet = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥梅兰竹菊松柏";

    [Fact]
    public async Task AWholeHearingEndsWithItsReportInThePublicArchive()
    {
        var token = string.Concat(Enumerable.Range(0, 4).Select(_ => TokenAlphabet[Random.Shared.Next(TokenAlphabet.Length)]));
        var title = $"沪闵路{token}旧住房改造听证会";

        // 1. Notice: the secretary creates the hearing, publishes the notice and opens registration.
        var noticeUrl = await HearingsTests.PrepareOpenHearingAsync(fixture, title);
        var manageUrl = noticeUrl.Replace("/hearings/", "/hearings/manage/", StringComparison.Ordinal);

        //    The notice is in the archive's Atom feed and in the body's calendar, linked to the notice page.
        var hearingId = noticeUrl.Split('/').Last();
        using (var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) })
        {
            var atom = XDocument.Parse(await http.GetStringAsync("/archive/feed.atom"));
            XNamespace a = "http://www.w3.org/2005/Atom";
            var entry = Assert.Single(atom.Root!.Elements(a + "entry"), e => e.Element(a + "title")!.Value == $"听证公告:{title}");
            Assert.EndsWith($"/hearings/{hearingId}", entry.Element(a + "link")!.Attribute("href")!.Value, StringComparison.Ordinal);
            var calendar = Ical.Net.Calendar.Load(await http.GetStringAsync("/bodies/jiangchuan-council/calendar.ics"))!;
            var e = Assert.Single(calendar.Events, ev => ev.Summary == title);
            Assert.EndsWith($"/hearings/{hearingId}", e.Url!.ToString(), StringComparison.Ordinal);
            Assert.Contains("报名进行中", e.Description, StringComparison.Ordinal);
        }

        // 2. Registration: a resident without an account, on a phone, finds the notice on the home page.
        var resident = await fixture.NewPageAsync(360, 740);
        await resident.GotoAsync("/");
        await resident.GetByTestId("home-hearing").Filter(new() { HasText = title }).ClickAsync();
        await Expect(resident.GetByTestId("hearing-topic")).ToHaveTextAsync(title);
        var residentCode = await RegisterAsync(resident, "王阿姨", "Resident", "沪闵路 12 号 3 单元", "Oppose", "希望先解决**过渡安置**,再谈改造。");

        //    The expert registers on the same public form, signed in, as an expert.
        var expert = await fixture.SignedInPageAsync("expert", DemoAccounts.PasswordOf("expert"), 360, 740);
        await expert.GotoAsync(noticeUrl);
        await RegisterAsync(expert, "陈工", "Expert", "同济大学建筑设计研究院", "Support", null);

        // 3. Selection: the secretary closes registration and selects both; the balance shows each choice.
        var secretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"));
        await secretary.GotoAsync(manageUrl);
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        await secretary.GetByTestId("step-close-registration").ClickAsync();
        await Expect(secretary.GetByTestId("manage-stage")).ToHaveTextAsync("报名截止,遴选中");
        var balance = secretary.GetByTestId("manage-balance");
        foreach (var name in new[] { "王阿姨", "陈工" })
        {
            var card = secretary.GetByTestId("manage-registration").Filter(new() { HasText = name });
            await card.GetByTestId("reg-select").ClickAsync();
            await Expect(card.GetByTestId("manage-registration-status")).ToHaveTextAsync("已入选");
        }

        await Expect(balance.Locator("tr").Filter(new() { HasText = "居民" }).Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(balance.Locator("tr").Filter(new() { HasText = "专家" }).Locator("td").Nth(2)).ToHaveTextAsync("1");

        //    On the day, the secretary checks the resident in at the door (no account); the expert arrives later.
        var residentCard = secretary.GetByTestId("manage-registration").Filter(new() { HasText = "王阿姨" });
        await residentCard.GetByTestId("reg-check-in").ClickAsync();
        await Expect(residentCard.GetByTestId("manage-registration-present")).ToBeVisibleAsync();

        // 4. Live: the moderator starts; an observer on a phone follows without a circuit.
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync(manageUrl);
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("step-go-live").ClickAsync();
        var order = chair.GetByTestId("manage-order").Locator("li");
        await Expect(order).ToHaveCountAsync(1);
        await Expect(chair.GetByTestId("manage-not-present")).ToContainTextAsync("陈工");
        var expertCard = secretary.GetByTestId("manage-registration").Filter(new() { HasText = "陈工" });
        await expertCard.GetByTestId("reg-check-in").ClickAsync();
        await Expect(expertCard.GetByTestId("manage-registration-present")).ToBeVisibleAsync();
        await Expect(order).ToHaveCountAsync(2);
        await Expect(chair.GetByTestId("manage-not-present")).ToHaveCountAsync(0);

        var observer = await fixture.NewPageAsync(360, 740);
        var blazor = new List<string>();
        observer.Request += (_, request) => Record(blazor, request.Url);
        observer.WebSocket += (_, socket) => Record(blazor, socket.Url);
        await observer.GotoAsync(noticeUrl);
        await observer.GetByTestId("hearing-live-link").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言");
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(2);

        //    The first in the suggested order gets the floor; the observer sees who, the countdown running, one upcoming.
        var first = (await order.First.InnerTextAsync()).Split('·')[0].Trim();
        var second = first == "王阿姨" ? "陈工" : "王阿姨";
        await order.First.GetByTestId("floor-give").ClickAsync();
        await Expect(chair.GetByTestId("manage-current")).ToContainTextAsync(first);
        await Expect(observer.GetByTestId("live-speaker")).ToContainTextAsync(first, new() { Timeout = 5_000 });
        var countdown = observer.GetByTestId("live-countdown");
        await Expect(countdown).ToHaveTextAsync(new Regex(@"^0[45]:\d\d$"));
        var before = await countdown.InnerTextAsync();
        await Expect(countdown).Not.ToHaveTextAsync(before, new() { Timeout = 3_000 });
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(1);
        await Expect(observer.GetByTestId("live-upcoming")).ToContainTextAsync(second);
        await BrowserFixture.ScreenshotAsync(observer, "hearing-flow-observer-360");

        //    One more minute, seen by the observer; then the speech ends and the second speaker has the floor.
        await chair.GetByTestId("floor-extend").ClickAsync();
        await Expect(countdown).ToHaveTextAsync(new Regex(@"^0[56]:\d\d$"), new() { Timeout = 5_000 });
        await chair.GetByTestId("floor-end").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言", new() { Timeout = 5_000 });
        await Expect(order).ToHaveCountAsync(1);

        //    A panel question: a panel expert asks the first speaker; the observer sees who asks whom, with its countdown.
        await chair.GetByTestId("question-asker").FillAsync("评议组 刘教授");
        await chair.GetByTestId("question-to").SelectOptionAsync(new SelectOptionValue { Label = first + " · " + (first == "王阿姨" ? "居民" : "专家") });
        await chair.GetByTestId("question-give").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync($"提问:评议组 刘教授 → {first}", new() { Timeout = 5_000 });
        await Expect(countdown).ToHaveTextAsync(new Regex(@"^0[23]:\d\d$"));
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(1);
        await chair.GetByTestId("floor-end").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言", new() { Timeout = 5_000 });
        await order.First.GetByTestId("floor-give").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToContainTextAsync(second, new() { Timeout = 5_000 });
        await Expect(observer.GetByTestId("live-upcoming").Locator("li")).ToHaveCountAsync(0);
        await chair.GetByTestId("floor-end").ClickAsync();
        await Expect(observer.GetByTestId("live-speaker")).ToHaveTextAsync("暂无人发言", new() { Timeout = 5_000 });
        await chair.GetByTestId("step-open-comments").ClickAsync();
        await Expect(chair.GetByTestId("manage-stage")).ToHaveTextAsync("征集书面意见");
        await Expect(observer.GetByTestId("live-stage")).ToHaveTextAsync("征集书面意见", new() { Timeout = 5_000 });

        // 5. Written comments: the resident adds one with the tracking code.
        await resident.GotoAsync("/hearings/status");
        await resident.GetByTestId("status-code").FillAsync(residentCode);
        await resident.GetByTestId("status-submit").ClickAsync();
        await Expect(resident.GetByTestId("status-value")).ToHaveTextAsync("已入选");
        await resident.GetByTestId("comment-text").FillAsync("过渡期间的租房补贴应按实际租金计算。<script>alert(1)</script>");
        await resident.GetByTestId("comment-submit").ClickAsync();
        await Expect(resident.GetByTestId("comment-sent")).ToBeVisibleAsync();

        // 6. The report: summaries, issues grouped and answered (what is missing is listed), report drafted.
        await secretary.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        var speeches = secretary.GetByTestId("manage-speeches").Locator("li");
        await Expect(speeches).ToHaveCountAsync(3);
        foreach (var (name, summary) in new[] { ("王阿姨", "要求先落实过渡安置方案。"), ("陈工", "成套改造在结构上可行,建议分两期施工。") })
        {
            var speech = speeches.Filter(new() { HasText = name + " · " });
            await speech.GetByTestId("speech-summary").FillAsync(summary);
            await speech.GetByTestId("speech-summary-save").ClickAsync();
            await Expect(secretary.GetByTestId("manage-notice")).ToBeVisibleAsync();
        }

        await speeches.Filter(new() { HasText = "王阿姨 · " }).GetByTestId("speech-pick").CheckAsync();
        await secretary.GetByTestId("comment-pick").First.CheckAsync();
        await secretary.GetByTestId("issue-title").FillAsync("过渡安置与租房补贴");
        await secretary.GetByTestId("issue-raise").ClickAsync();
        await Expect(secretary.GetByTestId("manage-issue")).ToHaveCountAsync(1);
        await speeches.Filter(new() { HasText = "陈工 · " }).GetByTestId("speech-pick").CheckAsync();
        await secretary.GetByTestId("issue-title").FillAsync("分期施工");
        await secretary.GetByTestId("issue-raise").ClickAsync();
        await Expect(secretary.GetByTestId("manage-issue")).ToHaveCountAsync(2);
        var firstIssue = secretary.GetByTestId("manage-issue").Filter(new() { HasText = "过渡安置与租房补贴" });
        await firstIssue.GetByTestId("issue-response").FillAsync("街道将按实际租金发放过渡期补贴,上限每月 3000 元。");
        await firstIssue.GetByTestId("issue-respond").ClickAsync();
        await Expect(firstIssue.GetByTestId("issue-response")).ToHaveValueAsync(new Regex("按实际租金"));

        await secretary.GetByTestId("step-draft-report").ClickAsync();
        await Expect(secretary.GetByTestId("manage-stage")).ToHaveTextAsync("报告草稿");
        await Expect(secretary.GetByTestId("manage-missing")).ToContainTextAsync("分期施工");
        await Expect(secretary.GetByTestId("manage-report")).ToContainTextAsync("成套改造在结构上可行");
        await BrowserFixture.ScreenshotAsync(secretary, "hearing-flow-manage-report");

        //    The chair cannot approve it yet: one issue has no response.
        var minutesUrl = await secretary.GetByTestId("step-publish-report").GetAttributeAsync("href");
        await BrowserFixture.FollowLinkAsync(secretary, secretary.GetByTestId("step-publish-report"), "minutes-generate");
        await secretary.GetByTestId("minutes-generate").ClickAsync();
        await Expect(secretary.GetByTestId("minutes-status")).ToHaveTextAsync("草稿");
        await Expect(secretary.GetByTestId("minutes-preview")).ToContainTextAsync("意见归纳与回应");

        await chair.GotoAsync("/" + minutesUrl!.TrimStart('/'));
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("minutes-approve").ClickAsync();
        await Expect(chair.GetByTestId("minutes-error")).ToContainTextAsync("分期施工");
        await Expect(chair.GetByTestId("minutes-status")).ToHaveTextAsync("草稿");

        //    The secretary answers the second issue; the list of what is missing is gone; the report is regenerated.
        await secretary.GotoAsync(manageUrl);
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        var secondIssue = secretary.GetByTestId("manage-issue").Filter(new() { HasText = "分期施工" });
        await secondIssue.GetByTestId("issue-response").FillAsync("施工分两期,第一期 2026 年 9 月开工;施工时间 7:00–18:00。");
        await secondIssue.GetByTestId("issue-respond").ClickAsync();
        await Expect(secretary.GetByTestId("manage-missing")).ToHaveCountAsync(0);
        await secretary.GotoAsync("/" + minutesUrl.TrimStart('/'));
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        await secretary.GetByTestId("minutes-regenerate").ClickAsync();
        await Expect(secretary.GetByTestId("minutes-preview")).ToContainTextAsync("第一期 2026 年 9 月开工");

        // 7. Review → approve → publish.
        await chair.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("minutes-approve").ClickAsync();
        await Expect(chair.GetByTestId("minutes-status")).ToHaveTextAsync("已批准");
        await secretary.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        await secretary.GetByTestId("minutes-publish").ClickAsync();
        await secretary.GetByTestId("minutes-publish-confirm").ClickAsync();
        await Expect(secretary.GetByTestId("minutes-status")).ToHaveTextAsync("已发布");

        // 8. A resident who never signs in finds the published report in the archive search.
        var reader = await fixture.NewPageAsync(360, 740);
        var search = await reader.GotoAsync($"/archive/search?q={Uri.EscapeDataString(token + "旧住房改造")}");
        Assert.Equal((int)HttpStatusCode.OK, search!.Status);
        await Expect(reader.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        var hit = reader.GetByTestId("search-hit").Filter(new() { HasText = title });
        await Expect(hit).ToHaveCountAsync(1);
        await hit.Locator("a.archive-title").ClickAsync();
        var text = reader.GetByTestId("archive-minutes-text");
        await Expect(text).ToContainTextAsync("听证报告:" + title);
        await Expect(text).ToContainTextAsync("要求先落实过渡安置方案");
        await Expect(text).ToContainTextAsync("上限每月 3000 元");
        await Expect(text).ToContainTextAsync("过渡期间的租房补贴应按实际租金计算");
        await Expect(text).ToContainTextAsync($"评议组 刘教授 向 {first} 提问");
        await Expect(text).ToContainTextAsync("现场签到:2 人");
        Assert.Equal(0, await reader.Locator("script:text('alert(1)')").CountAsync());
        await BrowserFixture.ScreenshotAsync(reader, "hearing-flow-archive-360");

        //    The notice page shows the published report too; the observer page never held a circuit.
        await observer.GotoAsync(noticeUrl);
        await Expect(observer.GetByTestId("hearing-stage")).ToHaveTextAsync("报告已发布");
        await Expect(observer.GetByTestId("hearing-report-text")).ToContainTextAsync("分期施工");
        Assert.Empty(blazor);

        foreach (var page in new[] { resident, expert, secretary, chair, observer, reader })
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Fills the public registration form on the notice page and returns the tracking code.</summary>
    private static async Task<string> RegisterAsync(IPage page, string name, string category, string affiliation, string position, string? testimony)
    {
        await page.GetByTestId("reg-name").FillAsync(name);
        await page.GetByTestId("reg-category").SelectOptionAsync(category);
        await page.GetByTestId("reg-affiliation").FillAsync(affiliation);
        await page.GetByTestId("reg-contact").FillAsync("136" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId($"reg-position-{position}").CheckAsync();
        if (testimony is not null)
        {
            await page.GetByTestId("reg-testimony").FillAsync(testimony);
        }

        await page.GetByTestId("reg-submit").ClickAsync();
        return (await page.GetByTestId("hearing-code").InnerTextAsync()).Trim();
    }

    private static void Record(List<string> blazor, string url)
    {
        if (url.Contains("/_blazor", StringComparison.Ordinal))
        {
            blazor.Add(url);
        }
    }
}
