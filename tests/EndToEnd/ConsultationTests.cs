using System.Net;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 13, the "1+X+1" consultation end to end on a phone-sized screen: a resident's intake topic about the heating
/// pipes → the Chengli convener opens a consultation on it in a consultation session, chooses the blocs, holds a round
/// → the property company files its position → the decision is refused until the third-party assessment is filed (the
/// page says so) → the assessor files it → a consensus with its follow-up item → the item's progress and close-out by
/// the secretariat → a resident reads the closed item on /ledger and the decided consultation's record, without
/// signing in and without opening a /_blazor connection.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsultationTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HeatingPipeConsultationFromAResidentsTopicToAClosedOutItemOnThePublicLedger()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var topicTitle = "3号楼暖气不热 " + tag;
        var itemTitle = "更换3号楼暖气管道 " + tag;

        // A resident sends the topic to the Chengli council, without an account.
        var visitor = await fixture.NewPageAsync(360, 740);
        await visitor.GotoAsync("/topics/new");
        var chengli = await visitor.GetByTestId("topic-body").Locator("option", new() { HasTextString = "城里社区" }).First.GetAttributeAsync("value");
        await visitor.GetByTestId("topic-body").SelectOptionAsync(chengli!);
        await visitor.GetByTestId("topic-title").FillAsync(topicTitle);
        await visitor.GetByTestId("topic-text").FillAsync("清华园小区3号楼暖气管道漏水,屋里不热。");
        await visitor.GetByTestId("topic-name").FillAsync("王阿姨");
        await visitor.GetByTestId("topic-contact").FillAsync("3号楼201室");
        await visitor.GetByTestId("topic-submit").ClickAsync();
        await Expect(visitor.GetByTestId("topic-code")).ToBeVisibleAsync();

        // The convener schedules a consultation session ...
        var convener = await fixture.SignedInPageAsync("convener", DemoAccounts.PasswordOf("convener"), 360, 740);
        await convener.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(convener);
        await convener.GetByTestId("kind").SelectOptionAsync("Consultation");
        await convener.GetByTestId("title").FillAsync("暖气管道协商会 " + tag);
        await convener.GetByTestId("place").FillAsync("城里社区党群服务站");
        await convener.GetByTestId("item-title").Nth(0).FillAsync("各方陈述");
        await convener.GetByTestId("create-submit").ClickAsync();
        // A busy CI machine once took longer than the default 15 s here; and if scheduling is refused, say why.
        var created = convener.WaitForURLAsync(url => !url.EndsWith("/sessions/new", StringComparison.Ordinal), new() { Timeout = 30_000 });
        var refused = convener.GetByTestId("create-error").WaitForAsync(new() { Timeout = 30_000 });
        if (await Task.WhenAny(created, refused) == refused && refused.IsCompletedSuccessfully)
        {
            Assert.Fail("scheduling was refused: " + await convener.GetByTestId("create-error").InnerTextAsync());
        }

        await created;

        // ... and opens the consultation from the resident's topic on the topics desk.
        await convener.GotoAsync("/topics");
        await BrowserFixture.WaitForInteractiveAsync(convener);
        await BrowserFixture.FollowLinkAsync(convener, convener.GetByTestId("topic-card").Filter(new() { HasText = topicTitle }).GetByTestId("triage-consult"), "consultation-create");
        await Expect(convener.GetByTestId("consultation-source-kind")).ToHaveValueAsync("Topic");
        await convener.GetByTestId("consultation-session").SelectOptionAsync(new Microsoft.Playwright.SelectOptionValue { Label = await SessionLabelAsync(convener, tag) });
        await convener.GetByTestId("consultation-title-input").FillAsync("清华园小区暖气管道修缮 " + tag);
        await convener.GetByTestId("consultation-topic-input").FillAsync("3号楼暖气管道老化漏水,商议修缮方案和费用分担。");
        await convener.GetByTestId("consultation-important").CheckAsync();
        await convener.GetByTestId("consultation-create").ClickAsync();
        await convener.WaitForURLAsync("**/manage");
        await Expect(convener.GetByTestId("bloc-add")).ToBeAttachedAsync(); // the new page, not the one being left
        await BrowserFixture.WaitForInteractiveAsync(convener);
        var consultationUrl = convener.Url[..^"/manage".Length];

        // The blocs: the property company (the stakeholder's account, spokesperson) and the owners' committee.
        await convener.GetByTestId("bloc-kind").SelectOptionAsync("PropertyCompany");
        await convener.GetByTestId("bloc-name").FillAsync("物业公司");
        await convener.GetByTestId("bloc-add").ClickAsync();
        var property = convener.GetByTestId("manage-bloc").Filter(new() { HasText = "物业公司" });
        await property.GetByTestId("member-user").FillAsync("stakeholder");
        await property.GetByTestId("member-add").ClickAsync();
        await Expect(property).ToContainTextAsync("刘玉峰");
        await convener.GetByTestId("bloc-kind").SelectOptionAsync("OwnersCommittee");
        await convener.GetByTestId("bloc-name").FillAsync("业主委员会");
        await convener.GetByTestId("bloc-add").ClickAsync();
        var owners = convener.GetByTestId("manage-bloc").Filter(new() { HasText = "业主委员会" });
        await owners.GetByTestId("member-name").FillAsync("业委会赵主任");
        await owners.GetByTestId("member-add").ClickAsync();
        await Expect(owners).ToContainTextAsync("业委会赵主任");

        // The property company files its position for its own bloc.
        var stakeholder = await fixture.SignedInPageAsync("stakeholder", DemoAccounts.PasswordOf("stakeholder"), 360, 740);
        await stakeholder.GotoAsync(consultationUrl);
        await BrowserFixture.WaitForInteractiveAsync(stakeholder);
        await stakeholder.GetByTestId("position-stance").SelectOptionAsync("Conditional");
        await stakeholder.GetByTestId("position-text").FillAsync("物业负责施工,材料费由维修资金列支。");
        await stakeholder.GetByTestId("position-file").ClickAsync();
        await Expect(stakeholder.GetByTestId("consultation-bloc").Filter(new() { HasText = "物业公司" }).GetByTestId("bloc-position")).ToContainTextAsync("维修资金");

        // One round; the decision is refused while the assessment of the important topic is missing.
        await convener.GetByTestId("round-open").ClickAsync();
        await convener.GetByTestId("round-close").ClickAsync();
        await Expect(convener.GetByTestId("manage-missing")).ToContainTextAsync("第三方论证");
        await convener.GetByTestId("decision-method").SelectOptionAsync("Consensus");
        await convener.GetByTestId("decision-open").ClickAsync();
        await Expect(convener.GetByTestId("consultation-error")).ToContainTextAsync("重要议题须先提交第三方论证");
        await Expect(convener.GetByTestId("manage-stage")).ToHaveTextAsync("轮次之间");
        await BrowserFixture.ScreenshotAsync(convener, "consultation-manage-360");

        var expert = await fixture.SignedInPageAsync("expert", DemoAccounts.PasswordOf("expert"), 360, 740);
        await expert.GotoAsync(consultationUrl);
        await BrowserFixture.WaitForInteractiveAsync(expert);
        foreach (var part in new[] { "feasibility", "legality", "cost", "risks", "recommendation" })
        {
            await expert.GetByTestId("assess-" + part).FillAsync("论证意见:" + part);
        }

        await expert.GetByTestId("assessment-file").ClickAsync();
        await Expect(expert.GetByTestId("consultation-assessment")).ToContainTextAsync("论证意见:feasibility");

        // The consensus with its follow-up item for the work ledger.
        await convener.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(convener);
        await convener.GetByTestId("decision-method").SelectOptionAsync("Consensus");
        await convener.GetByTestId("decision-open").ClickAsync();
        await convener.GetByTestId("decision-text").FillAsync("由物业公司在供暖季前更换3号楼暖气管道,业委会参与验收。");
        await convener.GetByTestId("followup-title").FillAsync(itemTitle);
        await convener.GetByTestId("followup-owner").FillAsync("物业公司");
        await convener.GetByTestId("followup-area").FillAsync("清华园小区");
        await convener.GetByTestId("followup-due").FillAsync("2027-10-31");
        await convener.GetByTestId("decision-record").ClickAsync();
        await Expect(convener.GetByTestId("consultation-error")).ToHaveCountAsync(0);
        await Expect(convener.GetByTestId("manage-stage")).ToHaveTextAsync("已决定");
        await convener.GotoAsync(consultationUrl);
        await BrowserFixture.WaitForInteractiveAsync(convener);
        await Expect(convener.GetByTestId("consultation-followup")).ToContainTextAsync(itemTitle);
        await BrowserFixture.ScreenshotAsync(convener, "consultation-decided-360");
        await Expect(convener.GetByTestId("consultation-participants")).ToContainTextAsync("刘玉峰");

        // Progress and close-out by the secretariat (the convener chairs Chengli's council).
        await convener.GotoAsync("/ledger/manage");
        await BrowserFixture.WaitForInteractiveAsync(convener);
        var card = convener.GetByTestId("ledger-work-item").Filter(new() { HasText = itemTitle });
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("材料进场,已开工");
        await card.GetByTestId("ledger-progress").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("办理中");
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("管道更换完毕");
        await card.GetByTestId("ledger-done").ClickAsync();
        await card.GetByTestId("ledger-work-open").ClickAsync();
        await card.GetByTestId("ledger-work-note").FillAsync("业委会与居民代表验收:试水打压合格");
        await card.GetByTestId("ledger-close-out").ClickAsync();
        await Expect(card.Locator(".ledger-status")).ToHaveTextAsync("已销号");

        // A resident, never signed in: the public ledger and the consultation's record, no circuit.
        var resident = await fixture.NewPageAsync(360, 740);
        var sockets = 0;
        var blazor = new List<string>();
        resident.WebSocket += (_, _) => sockets++;
        resident.Request += (_, r) =>
        {
            if (r.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                blazor.Add(r.Url);
            }
        };
        var list = await resident.GotoAsync("/ledger?status=ClosedOut");
        Assert.Equal((int)HttpStatusCode.OK, list!.Status);
        var item = resident.GetByTestId("ledger-item").Filter(new() { HasText = itemTitle });
        await Expect(item.GetByTestId("ledger-status")).ToHaveTextAsync("已销号");
        await Expect(item).ToContainTextAsync("试水打压合格");

        var record = await resident.GotoAsync(consultationUrl + "/record");
        Assert.Equal((int)HttpStatusCode.OK, record!.Status);
        await Expect(resident.GetByTestId("consultation-outcome")).ToContainTextAsync("协商一致");
        await Expect(resident.GetByTestId("consultation-source")).ToContainTextAsync(topicTitle);
        await Expect(resident.GetByTestId("consultation-assessment")).ToContainTextAsync("论证意见:recommendation");
        await Expect(resident.GetByTestId("consultation-followup")).ToContainTextAsync("已销号");
        await BrowserFixture.ScreenshotAsync(resident, "consultation-record-360");
        await resident.GetByTestId("consultation-followup").Locator("a").ClickAsync();
        await Expect(resident.GetByTestId("ledger-item-title")).ToHaveTextAsync(itemTitle);

        Assert.Equal(0, sockets);
        Assert.Empty(blazor);
    }

    private static async Task<string> SessionLabelAsync(Microsoft.Playwright.IPage page, string tag) =>
        (await page.GetByTestId("consultation-session").Locator("option", new() { HasTextString = tag }).First.InnerTextAsync()).Trim();
}
