using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Issue 3: a proposal with co-sponsors goes on an agenda, an amendment is shown as a diff and adopted by vote.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProposalFlowTests(BrowserFixture fixture)
{
    private const float LiveTimeout = 3_000;

    [Fact]
    public async Task CoSponsoredProposalGoesOnTheAgendaAndAnAdoptedAmendmentMakesANewVersion()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var title = $"关于每季度开展消防安全宣讲的提案 {suffix}";

        // 1. A representative drafts and submits a proposal of two paragraphs.
        var author = await fixture.SignedInPageAsync("rep020", DemoAccounts.MemberPassword);
        var proposalUrl = await CreateProposalAsync(author, title, "驻区单位已与居民区结对。\n\n建议每季度开展一次消防安全宣讲,重点面向高龄独居老人。");
        await Expect(author.GetByTestId("proposal-status")).ToHaveTextAsync("已提交");
        await Expect(author.GetByTestId("cosponsor-count")).ToContainTextAsync("附议 0 人(需 2 人)");
        await Expect(author.GetByTestId("cosponsor-count")).ToContainTextAsync("还需 2 人附议");

        // 2. The chair cannot put it on an agenda yet: two co-sponsors are required.
        var chair = await fixture.SignedInPageAsync("chair", DemoAccounts.PasswordOf("chair"));
        var sessionTitle = $"江川议事会 提案审议 {suffix}";
        var sessionUrl = await LiveVoteFlowTests.CreateAndOpenSessionAsync(chair, sessionTitle);
        await chair.GotoAsync(proposalUrl);
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("agenda-session").SelectOptionAsync(new SelectOptionValue { Label = await SessionOptionLabelAsync(chair, sessionTitle) });
        await chair.GetByTestId("place-on-agenda").ClickAsync();
        await Expect(chair.GetByTestId("proposal-error")).ToContainTextAsync("附议人数不足:还差 2 人");

        // 3. Two other representatives co-sponsor; the author's open page counts them live.
        foreach (var rep in new[] { "rep021", "rep022" })
        {
            var page = await fixture.SignedInPageAsync(rep, DemoAccounts.MemberPassword, width: 360, height: 740);
            await page.GotoAsync(proposalUrl);
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.GetByTestId("cosponsor").ClickAsync();
            await Expect(page.GetByTestId("withdraw-cosponsor")).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, "proposal-detail-360");
            await page.Context.CloseAsync();
        }

        await Expect(author.GetByTestId("cosponsor-count")).ToContainTextAsync("附议 2 人(需 2 人)", new() { Timeout = LiveTimeout });
        await Expect(author.GetByTestId("cosponsor-list").Locator("li")).ToHaveCountAsync(2);

        // 4. Now the chair puts it on the open session's agenda.
        await chair.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("agenda-session").SelectOptionAsync(new SelectOptionValue { Label = await SessionOptionLabelAsync(chair, sessionTitle) });
        await chair.GetByTestId("place-on-agenda").ClickAsync();
        await Expect(chair.GetByTestId("proposal-status")).ToHaveTextAsync("已列入议程");
        await Expect(author.GetByTestId("proposal-status")).ToHaveTextAsync("已列入议程", new() { Timeout = LiveTimeout });
        await Expect(chair.GetByTestId("proposal-agenda")).ToContainTextAsync("第 2 项");

        // 5. A representative proposes an amendment to the second paragraph; the preview and the list show a word diff.
        var amender = await fixture.SignedInPageAsync("rep021", DemoAccounts.MemberPassword);
        await amender.GotoAsync(proposalUrl);
        await BrowserFixture.WaitForInteractiveAsync(amender);
        await amender.GetByTestId("amend-paragraph").Nth(1).ClickAsync();
        await amender.GetByTestId("amend-text").FillAsync("建议每月开展一次消防安全宣讲,重点面向高龄独居老人和残疾人。");
        await Expect(amender.GetByTestId("amend-preview").Locator("del")).ToContainTextAsync("季度");
        await amender.GetByTestId("amend-rationale").FillAsync("冬季火灾多发,一季度一次不够。");
        await amender.GetByTestId("amend-submit").ClickAsync();
        var amendment = amender.GetByTestId("amendment");
        await Expect(amendment).ToHaveCountAsync(1);
        await Expect(amendment.GetByTestId("amendment-diff-text").Locator("del")).ToContainTextAsync("季度");
        await Expect(amendment.GetByTestId("amendment-diff-text").Locator("ins").First).ToContainTextAsync("月");
        await Expect(amendment.GetByTestId("amendment-diff-text").Locator("ins").Last).ToContainTextAsync("和残疾人");
        await Expect(chair.GetByTestId("amendment")).ToHaveCountAsync(1, new() { Timeout = LiveTimeout });
        await BrowserFixture.ScreenshotAsync(amender, "proposal-amendment-diff");

        // The amendment has its own discussion, on the proposal page; the author, following it, sees a comment arrive.
        await author.GetByTestId("amendment").First.GetByTestId("amendment-discuss").ClickAsync();
        await Expect(author.GetByTestId("amendment-discussion").GetByTestId("comment-thread")).ToBeVisibleAsync();
        await amender.GetByTestId("amendment").First.GetByTestId("amendment-discuss").ClickAsync();
        var composer = amender.GetByTestId("amendment-discussion").GetByTestId("comment-composer");
        await composer.GetByTestId("stance-Support").CheckAsync();
        await composer.GetByTestId("comment-input").FillAsync("每月一次,消防中队已经同意。");
        await composer.GetByTestId("comment-submit").ClickAsync();
        await Expect(author.GetByTestId("amendment-discussion").GetByTestId("comment-text")).ToHaveTextAsync("每月一次,消防中队已经同意。", new() { Timeout = LiveTimeout });
        await Expect(author.GetByTestId("proposal-text").GetByTestId("comment-text")).ToHaveCountAsync(0);

        // 6. In the session the chair moves to the proposal's item: it is under deliberation.
        await chair.GotoAsync(sessionUrl);
        await Expect(chair.GetByTestId("live-session")).ToBeVisibleAsync();
        await LiveVoteFlowTests.CheckEveryoneInAsync(chair);
        await chair.GetByTestId("agenda-item").Nth(1).GetByTestId("agenda-move").ClickAsync();
        await Expect(chair.GetByTestId("agenda-item").Nth(1)).ToHaveAttributeAsync("aria-current", "step");
        await Expect(chair.GetByTestId("agenda-detail-proposal")).ToContainTextAsync(title);
        await Expect(chair.GetByTestId("agenda-detail-proposal")).ToContainTextAsync("待处理修正案 1 件");
        await Expect(author.GetByTestId("proposal-status")).ToHaveTextAsync("审议中", new() { Timeout = LiveTimeout });

        // 7. The chair puts the amendment to a vote; the amender votes yes in the session; the chair closes it.
        await chair.GotoAsync(proposalUrl);
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("amendment-vote").ClickAsync();
        await Expect(chair.GetByTestId("amendment-status")).ToHaveTextAsync("表决中");
        await amender.GotoAsync(sessionUrl);
        await Expect(amender.GetByTestId("poll-question")).ToContainTextAsync("修正案 1");
        await amender.GetByTestId("vote-yes").ClickAsync();
        await Expect(amender.GetByTestId("my-ballot")).ToContainTextAsync("赞成");
        await chair.GotoAsync(sessionUrl);
        await chair.GetByTestId("close-poll").ClickAsync();
        await chair.GetByTestId("close-poll-confirm").ClickAsync();
        await Expect(chair.GetByTestId("outcome").First).ToHaveTextAsync("通过");

        // 8. The chair records the result: the amendment is adopted and the proposal has a second version with the new text.
        await chair.GotoAsync(proposalUrl);
        await BrowserFixture.WaitForInteractiveAsync(chair);
        await chair.GetByTestId("amendment-record-vote").ClickAsync();
        await Expect(chair.GetByTestId("amendment-status")).ToHaveTextAsync("表决通过");
        await Expect(chair.GetByTestId("proposal-version")).ToHaveTextAsync("第 2 版");
        await Expect(chair.GetByTestId("paragraph").Nth(1)).ToContainTextAsync("每月开展一次消防安全宣讲");
        await Expect(author.GetByTestId("proposal-version")).ToHaveTextAsync("第 2 版", new() { Timeout = LiveTimeout });

        // 9. Versions 1 and 2 compare as a diff of the changed paragraph.
        await chair.GetByTestId("compare").ClickAsync();
        await Expect(chair.GetByTestId("version-diff").GetByTestId("diff-changed").Locator("del")).ToContainTextAsync("季度");
        await BrowserFixture.ScreenshotAsync(chair, "proposal-adopted-amendment");

        // The same page in English, at phone width.
        var english = await fixture.SignedInPageAsync("rep022", DemoAccounts.MemberPassword, width: 360, height: 740);
        await english.GotoAsync(proposalUrl);
        await english.GetByTestId("language-switch").ClickAsync();
        await Expect(english.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(english.GetByTestId("proposal-status")).ToHaveTextAsync("Under deliberation");
        await Expect(english.GetByTestId("amendment-status")).ToHaveTextAsync("Adopted by vote");
        await Expect(english.GetByTestId("cosponsor-count")).ToContainTextAsync("2 co-sponsors (2 needed)");
        await BrowserFixture.ScreenshotAsync(english, "proposal-english-360");
        await english.GetByTestId("language-switch").ClickAsync();
        await Expect(english.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [Fact]
    public async Task SecondEditorOfTheSameVersionGetsAConflictAndKeepsTheirText()
    {
        var author = await fixture.SignedInPageAsync("rep030", DemoAccounts.MemberPassword);
        var proposalUrl = await CreateProposalAsync(author, "关于楼道照明的提案 " + Guid.NewGuid().ToString("N")[..6], "楼道灯经常坏。\n\n建议物业每月检查一次。");

        // The same author edits in two tabs from version 1.
        var first = author;
        var second = await author.Context.NewPageAsync();
        foreach (var page in new[] { first, second })
        {
            await page.GotoAsync(proposalUrl + "/edit");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(page.GetByTestId("edit-base-version")).ToContainTextAsync("第 1 版");
        }

        await first.GetByTestId("proposal-text").FillAsync("楼道灯经常坏,晚上老人上下楼不安全。\n\n建议物业每月检查一次。");
        await first.GetByTestId("proposal-save").ClickAsync();
        await first.WaitForURLAsync(new Regex(@"/proposals/\d+$"));
        await Expect(first.GetByTestId("proposal-version")).ToHaveTextAsync("第 2 版");

        var mine = "楼道灯经常坏。\n\n建议物业每周检查一次,并公布报修电话。";
        await second.GetByTestId("proposal-text").FillAsync(mine);
        await second.GetByTestId("proposal-save").ClickAsync();
        await Expect(second.GetByTestId("proposal-error")).ToContainTextAsync("您的文字已保留");
        await Expect(second.GetByTestId("edit-conflict")).ToContainTextAsync("第 2 版");
        await Expect(second.GetByTestId("proposal-text")).ToHaveValueAsync(mine);
        await BrowserFixture.ScreenshotAsync(second, "proposal-edit-conflict");

        // Keeping their text after seeing the difference saves version 3 with it; version 2 is kept in the history.
        await second.GetByTestId("conflict-keep-mine").ClickAsync();
        await second.GetByTestId("proposal-save").ClickAsync();
        await second.WaitForURLAsync(new Regex(@"/proposals/\d+$"));
        await Expect(second.GetByTestId("proposal-version")).ToHaveTextAsync("第 3 版");
        await Expect(second.GetByTestId("proposal-text")).ToContainTextAsync("每周检查一次");
        await Expect(second.GetByTestId("version-list").Locator("li")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task ScriptInAProposalIsInertAndOversizedTextIsRefusedWithTheLimit()
    {
        var author = await fixture.SignedInPageAsync("rep031", DemoAccounts.MemberPassword);
        var dialogs = 0;
        author.Dialog += async (_, dialog) => { dialogs++; await dialog.DismissAsync(); };
        var title = "<script>alert(1)</script><img src=x onerror=alert(2)> " + Guid.NewGuid().ToString("N")[..6];
        await CreateProposalAsync(author, title, "<script>alert(3)</script>\n\n<img src=x onerror=alert(4)> [link](javascript:alert(5))");
        await Expect(author.GetByTestId("proposal-heading")).ToHaveTextAsync(title);
        await Expect(author.GetByTestId("proposal-text").Locator("script")).ToHaveCountAsync(0);
        await Expect(author.GetByTestId("proposal-text").Locator("img")).ToHaveCountAsync(0);
        await Expect(author.GetByTestId("proposal-text").Locator("a[href^='javascript']")).ToHaveCountAsync(0);
        await author.GotoAsync("/proposals");
        await Expect(author.GetByTestId("proposal-list")).ToContainTextAsync(title);
        Assert.Equal(0, dialogs);

        // 20,001 characters: the form states the limit and the server refuses with it; nothing is stored.
        await author.GotoAsync("/proposals/new");
        await BrowserFixture.WaitForInteractiveAsync(author);
        await Expect(author.GetByTestId("proposal-form")).ToContainTextAsync("最多 20000 字");
        await author.GetByTestId("proposal-title").FillAsync("超长提案");
        await author.GetByTestId("proposal-text").EvaluateAsync("(el, n) => { el.removeAttribute('maxlength'); el.value = '议'.repeat(n); el.dispatchEvent(new Event('input', { bubbles: true })); }", 20_001);
        await author.GetByTestId("proposal-save-draft").ClickAsync();
        await Expect(author.GetByTestId("proposal-error")).ToContainTextAsync("正文最多 20000 字,现在是 20001 字");
        await author.GotoAsync("/proposals");
        await Expect(author.GetByTestId("proposal-list")).Not.ToContainTextAsync("超长提案");
    }

    [Fact]
    public async Task ResidentSubmitsATopicWithoutAnAccountAndSeesTheSecretariatsAnswer()
    {
        var visitor = await fixture.NewPageAsync(width: 360, height: 740);
        var title = "小区门口人行道积水 " + Guid.NewGuid().ToString("N")[..6];
        await visitor.GotoAsync("/topics/new");
        await visitor.GetByTestId("topic-title").FillAsync(title);
        await visitor.GetByTestId("topic-text").FillAsync("一下雨人行道就积水,老人只能走机动车道。");
        await visitor.GetByTestId("topic-name").FillAsync("张阿姨");
        await visitor.GetByTestId("topic-submit").ClickAsync();
        await Expect(visitor.GetByTestId("topic-error")).ToContainTextAsync("请留下联系方式");
        await visitor.GetByTestId("topic-contact").FillAsync("5号楼102室");
        await visitor.GetByTestId("topic-submit").ClickAsync();
        var code = (await visitor.GetByTestId("topic-code").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-HJ-NP-Z]{10}$", code);
        await BrowserFixture.ScreenshotAsync(visitor, "topic-receipt-360");

        // The secretariat rejects it with a reason (it is a matter for the road authority) ...
        var secretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"));
        await secretary.GotoAsync("/topics");
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        var card = secretary.GetByTestId("topic-card").Filter(new() { HasText = title });
        await Expect(card.GetByTestId("topic-status")).ToHaveTextAsync("待受理");
        await card.GetByTestId("triage-open").ClickAsync();
        await BrowserFixture.ScreenshotAsync(secretary, "topic-triage");
        await card.GetByTestId("triage-reject").ClickAsync();
        await Expect(secretary.GetByTestId("triage-error")).ToContainTextAsync("请填写给居民的理由");
        await card.GetByTestId("triage-reason").FillAsync("人行道属市政道路,已请居委会向街道市政部门反映。");
        await card.GetByTestId("triage-reject").ClickAsync();
        await Expect(secretary.GetByTestId("triage-notice")).ToContainTextAsync("居民可看到理由");

        // ... and the resident reads the answer with the code; the contact is not shown.
        await visitor.GotoAsync($"/topics/track?code={code}");
        await Expect(visitor.GetByTestId("track-status")).ToHaveTextAsync("不予受理");
        await Expect(visitor.GetByTestId("track-reason")).ToContainTextAsync("市政部门");
        await Expect(visitor.GetByTestId("track-result")).Not.ToContainTextAsync("5号楼102室");
        await visitor.GotoAsync("/topics/track?code=NOSUCHCODE");
        await Expect(visitor.GetByTestId("track-unknown")).ToBeVisibleAsync();
    }

    internal static async Task<string> CreateProposalAsync(IPage author, string title, string text)
    {
        await author.GotoAsync("/proposals/new");
        await BrowserFixture.WaitForInteractiveAsync(author);
        await author.GetByTestId("proposal-title").FillAsync(title);
        await author.GetByTestId("proposal-text").FillAsync(text);
        await author.GetByTestId("proposal-submit").ClickAsync();
        await author.WaitForURLAsync(new Regex(@"/proposals/\d+$"));
        await Expect(author.GetByTestId("proposal-status")).ToBeAttachedAsync(); // the new page, not the one being left
        await BrowserFixture.WaitForInteractiveAsync(author);
        return new Uri(author.Url).AbsolutePath;
    }

    private static async Task<string> SessionOptionLabelAsync(IPage page, string sessionTitle)
    {
        var options = await page.GetByTestId("agenda-session").Locator("option").AllInnerTextsAsync();
        return options.Single(o => o.StartsWith(sessionTitle, StringComparison.Ordinal));
    }
}
