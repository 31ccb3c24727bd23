using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Scheduling is scoped to the bodies where a person holds office (ADR 0012): the Jiangchuan chair's create page offers
/// only Jiangchuan, Chengli's convener's only Chengli, and a request crafted in the browser for the other body is
/// refused with a sentence that says who may, and stores nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SchedulingTests(BrowserFixture fixture)
{
    private const string Jiangchuan = "江川社区党员代表议事会";

    [Fact]
    public async Task CreatePageOffersOnlyTheBodiesWhereTheChairHoldsOffice()
    {
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync("/sessions/new");
        var options = await chair.GetByTestId("body").Locator("option").AllInnerTextsAsync();
        Assert.Single(options);
        Assert.StartsWith(Jiangchuan, options[0]);

        var convener = await fixture.SignedInPageAsync("convener", DemoAccounts.PasswordOf("convener"));
        await convener.GotoAsync("/sessions/new");
        var theirs = await convener.GetByTestId("body").Locator("option").AllInnerTextsAsync();
        Assert.Single(theirs);
        Assert.DoesNotContain(Jiangchuan, theirs[0]);

        // A representative holds no office: no link, and the page says why instead of offering a form.
        var rep = await fixture.SignedInPageAsync("rep010", DemoAccounts.MemberPassword);
        await rep.GotoAsync("/sessions");
        await Expect(rep.GetByTestId("new-session")).ToHaveCountAsync(0);
        await rep.GotoAsync("/sessions/new");
        await Expect(rep.GetByTestId("no-schedulable-body")).ToBeVisibleAsync();
        await Expect(rep.GetByTestId("create-session-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ACraftedRequestForAnotherBodysSessionIsRefusedAndNothingIsStored()
    {
        // The Chengli council's id, as any visitor can read it from the public topic form.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync("/topics/new");
        var chengliId = await visitor.GetByTestId("topic-body").Locator("option", new() { HasTextString = "城里社区" }).First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(chengliId));

        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        await chair.GotoAsync("/sessions/new");
        await BrowserFixture.WaitForInteractiveAsync(chair);
        var title = "越权安排的会议 " + Guid.NewGuid().ToString("N")[..6];
        await chair.GetByTestId("title").FillAsync(title);
        await chair.GetByTestId("place").FillAsync("城里社区会议室");
        await chair.GetByTestId("item-title").Nth(0).FillAsync("暖气管道修缮");

        // Add the other body to the select in the page, choose it, and submit: the server decides.
        await chair.GetByTestId("body").EvaluateAsync(
            "(select, id) => { const o = document.createElement('option'); o.value = id; o.text = 'crafted'; select.add(o); }", chengliId);
        await chair.GetByTestId("body").SelectOptionAsync(chengliId!);
        await chair.GetByTestId("create-submit").ClickAsync();

        await Expect(chair.GetByTestId("create-error")).ToContainTextAsync("只有本机构本届的主席(主任)、副主席(副主任)或秘书可以这样做。");
        Assert.EndsWith("/sessions/new", chair.Url);
        await BrowserFixture.ScreenshotAsync(chair, "create-session-refused-other-body");

        await chair.GotoAsync("/sessions");
        await Expect(chair.GetByTestId("session-list")).Not.ToContainTextAsync(title);
    }
}
