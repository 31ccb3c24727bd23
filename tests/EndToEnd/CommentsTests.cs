using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The discussion of a proposal (issue 3): two representatives comment and reply live, script in a comment stays inert,
/// and a moderator hides a comment with a reason that only its author (and the moderators) see.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CommentsTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const float LiveTimeout = 5_000;

    private const string ProposalTitle = "关于沪闵路沿线旧住房成套改造后续管理的提案";

    private const int CommentPageSize = 50;

    private const string DraftTitle = "关于增设老年人助餐点的提案(草稿)";

    [Fact]
    public async Task TwoRepresentativesDiscussLiveAndTheSecretaryHidesAComment()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var rep1 = await fixture.SignedInPageAsync("rep001", DemoAccounts.MemberPassword, width: 360, height: 740);
        var rep2 = await fixture.SignedInPageAsync("rep002", DemoAccounts.MemberPassword);
        var url = await DiscussionUrlAsync(rep1, ProposalTitle);
        await rep2.GotoAsync(url);
        foreach (var page in new[] { rep1, rep2 })
        {
            await Expect(page.GetByTestId("proposal-title")).ToHaveTextAsync(ProposalTitle);
            await Expect(page.GetByTestId("proposal-status")).ToHaveTextAsync("已提交");
            await Expect(page.GetByTestId("comment-composer")).ToBeVisibleAsync();
        }

        // Marks rep002's page: if it reloads, the mark is gone.
        await rep2.EvaluateAsync("() => window.__sameDocument = true");

        // 1. rep001 opposes; the comment appears in rep002's browser without a reload, and is announced.
        var first = $"三个月太长,建议一个月内明确楼道和屋面的维护责任。{tag}";
        var composer = rep1.GetByTestId("comment-composer");
        await composer.GetByTestId("stance-Oppose").CheckAsync();
        await composer.GetByTestId("comment-input").FillAsync(first);
        await Expect(composer.GetByTestId("comment-count")).ToContainTextAsync($"{first.Length} / 5000");
        await composer.GetByTestId("comment-submit").ClickAsync();
        await Expect(composer.GetByTestId("comment-input")).ToHaveValueAsync(string.Empty);
        var firstId = await CommentIdAsync(rep1, first);

        await Expect(Own(rep2, firstId, "comment-text")).ToHaveTextAsync(first, new() { Timeout = LiveTimeout });
        await Expect(Own(rep2, firstId, "comment-stance")).ToHaveTextAsync("反对");
        var rep1Name = await NameOf(rep1);
        await Expect(Own(rep2, firstId, "comment-author")).ToHaveTextAsync(rep1Name);
        await Expect(rep2.GetByTestId("comments-announcer")).ToHaveTextAsync($"{rep1Name} 发表了新评论:{first}");
        Assert.True(await rep2.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        // 2. rep002 replies; the reply appears nested under the comment in rep001's browser.
        await Own(rep2, firstId, "comment-reply").ClickAsync();
        var replyForm = rep2.GetByTestId("comment-reply-form");
        var reply = $"同意先明确责任,但一个月可能来不及召开业主大会。{tag}";
        await replyForm.GetByTestId("comment-input").FillAsync(reply);
        await replyForm.GetByTestId("comment-submit").ClickAsync();
        var replyId = await CommentIdAsync(rep2, reply);
        var nested = $"li[data-comment-id='{firstId}'] > ol.comment-replies > li[data-comment-id='{replyId}'] > article";
        await Expect(rep1.Locator($"{nested} [data-testid=comment-text]")).ToHaveTextAsync(reply, new() { Timeout = LiveTimeout });
        await Expect(rep1.Locator($"{nested} [data-testid=comment-stance]")).ToHaveTextAsync("中立");
        await Expect(rep1.GetByTestId("comments-announcer")).ToContainTextAsync($"{await NameOf(rep2)} 发表了新评论:同意先明确责任");

        // 3. The author edits within ten minutes; everyone sees "edited".
        await Own(rep1, firstId, "comment-edit").ClickAsync();
        var editForm = rep1.GetByTestId("comment-edit-form");
        await editForm.GetByTestId("comment-input").FillAsync(first + "(补充:请物业公司列出清单)");
        await editForm.GetByTestId("comment-submit").ClickAsync();
        await Expect(Own(rep2, firstId, "comment-edited")).ToHaveTextAsync("已编辑", new() { Timeout = LiveTimeout });
        await Expect(Own(rep2, firstId, "comment-text")).ToContainTextAsync("请物业公司列出清单");

        // 4. Script and an image with onerror in a comment are shown as text and never run.
        var hostile = $"<script>window.__pwned=1</script> <img src=x onerror=\"window.__pwned=2\"> 看看这个 {tag}";
        composer = rep1.GetByTestId("comment-composer");
        await composer.GetByTestId("stance-Neutral").CheckAsync();
        await composer.GetByTestId("comment-input").FillAsync(hostile);
        await composer.GetByTestId("comment-submit").ClickAsync();
        var hostileId = await CommentIdAsync(rep1, $"看看这个 {tag}");
        await Expect(Own(rep2, hostileId, "comment-text")).ToHaveTextAsync(hostile, new() { Timeout = LiveTimeout });
        foreach (var page in new[] { rep1, rep2 })
        {
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
            Assert.Equal(0, await page.Locator("img[onerror]").CountAsync());
            Assert.Equal(0, await page.Locator("[data-testid=comment-text] img, [data-testid=comment-text] script").CountAsync());
        }

        // 5. rep002 reports it; the secretary sees the report count and hides the comment (a reason is required).
        await Own(rep2, hostileId, "comment-report").ClickAsync();
        await rep2.GetByTestId("comment-report-form").GetByTestId("comment-reason").FillAsync("含有代码");
        await rep2.GetByTestId("comment-report-form").GetByTestId("comment-reason-submit").ClickAsync();
        await Expect(Own(rep2, hostileId, "comment-reported")).ToHaveTextAsync("已举报");

        var secretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"));
        await secretary.GotoAsync(url);
        await Expect(Own(secretary, hostileId, "comment-report-count")).ToHaveTextAsync("被举报 1 次");
        await Expect(rep2.Locator("[data-testid=comment-report-count]")).ToHaveCountAsync(0);
        await Own(secretary, hostileId, "comment-hide").ClickAsync();
        var hideForm = secretary.GetByTestId("comment-hide-form");
        await hideForm.GetByTestId("comment-reason-submit").ClickAsync();
        await Expect(secretary.GetByTestId("comments-error")).ToHaveTextAsync("隐藏评论必须填写理由。");
        await hideForm.GetByTestId("comment-reason").FillAsync("含有脚本代码,与议题无关");
        await hideForm.GetByTestId("comment-reason-submit").ClickAsync();
        await Expect(Own(secretary, hostileId, "comment-unhide")).ToBeVisibleAsync();

        // rep002 sees the placeholder (no text, no author); rep001, the author, sees the text and the reason.
        await Expect(Own(rep2, hostileId, "comment-hidden")).ToHaveTextAsync("此评论已被管理员隐藏。", new() { Timeout = LiveTimeout });
        await Expect(Own(rep2, hostileId, "comment-text")).ToHaveCountAsync(0);
        await Expect(Own(rep2, hostileId, "comment-author")).ToHaveCountAsync(0);
        await Expect(Own(rep1, hostileId, "comment-hidden-reason")).ToContainTextAsync("含有脚本代码,与议题无关", new() { Timeout = LiveTimeout });
        await Expect(Own(rep1, hostileId, "comment-text")).ToHaveTextAsync(hostile);
        Assert.True(await rep2.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        // After a reload the placeholder keeps its place, and the other comments are unchanged.
        await rep2.ReloadAsync();
        await Expect(Own(rep2, hostileId, "comment-hidden")).ToBeVisibleAsync();
        await Expect(Own(rep2, firstId, "comment-stance")).ToHaveTextAsync("反对");

        Assert.True(await rep1.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the 360 px page scrolls sideways");
        await BrowserFixture.ScreenshotAsync(rep1, "comments-author-360");
        await BrowserFixture.ScreenshotAsync(rep2, "comments-rep-1280");
        await BrowserFixture.ScreenshotAsync(secretary, "comments-secretary-1280");
        var narrowSecretary = await fixture.SignedInPageAsync("secretary", DemoAccounts.PasswordOf("secretary"), width: 360, height: 740);
        await narrowSecretary.GotoAsync(url);
        await Expect(Own(narrowSecretary, hostileId, "comment-unhide")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(narrowSecretary, "comments-secretary-360");
        output.WriteLine($"discussion {url}: comments {firstId}, {replyId}, {hostileId}");
    }

    [Fact]
    public async Task DeepRepliesAreListedFlatWithWhomTheyAnswer()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var rep = await fixture.SignedInPageAsync("rep003", DemoAccounts.MemberPassword, width: 360, height: 740);
        await rep.GotoAsync(await DiscussionUrlAsync(rep, "关于在驻区单位与居民区结对中增加消防安全宣讲的提案"));
        var composer = rep.GetByTestId("comment-composer");
        await composer.GetByTestId("stance-Support").CheckAsync();
        await composer.GetByTestId("comment-input").FillAsync($"第 0 层 {tag}");
        await composer.GetByTestId("comment-submit").ClickAsync();
        var parent = await CommentIdAsync(rep, $"第 0 层 {tag}");
        var ids = new List<string> { parent };
        for (var depth = 1; depth <= 5; depth++)
        {
            await Own(rep, parent, "comment-reply").ClickAsync();
            var form = rep.GetByTestId("comment-reply-form");
            await form.GetByTestId("comment-input").FillAsync($"第 {depth} 层 {tag}");
            await form.GetByTestId("comment-submit").ClickAsync();
            parent = await CommentIdAsync(rep, $"第 {depth} 层 {tag}");
            ids.Add(parent);
        }

        // Depths 1 to 3 are indented under their parent; 4 and 5 sit in the same list as 4, each saying whom it answers.
        for (var depth = 1; depth <= 3; depth++)
        {
            await Expect(rep.Locator($"li[data-comment-id='{ids[depth - 1]}'] > ol > li[data-comment-id='{ids[depth]}']")).ToHaveCountAsync(1);
        }

        var flatList = $"li[data-comment-id='{ids[3]}'] > ol";
        await Expect(rep.Locator($"{flatList} > li")).ToHaveCountAsync(2);
        await Expect(rep.Locator($"{flatList} > li[data-comment-id='{ids[5]}'] > article [data-testid=comment-replying-to]")).ToHaveTextAsync($"回复 {await NameOf(rep)}");
        var indent = await rep.EvaluateAsync<double[]>(
            "ids => ids.map(id => document.querySelector(`li[data-comment-id='${id}'] > article`).getBoundingClientRect().left)", ids.ToArray());
        Assert.True(indent[4] > indent[3] && indent[5] == indent[4], $"indentation {string.Join(", ", indent)}");
        Assert.True(indent[5] < 120, $"deepest reply starts at {indent[5]} px on a 360 px screen");
        await BrowserFixture.ScreenshotAsync(rep, "comments-deep-360");

        // Large text for elderly readers: the thread stays within the screen.
        await rep.GetByTestId("text-size-toggle").ClickAsync();
        await Expect(rep.Locator("html.large-text")).ToHaveCountAsync(1);
        await Expect(rep.Locator($"li[data-comment-id='{ids[5]}']")).ToBeVisibleAsync();
        Assert.True(await rep.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways in large text");
        await BrowserFixture.ScreenshotAsync(rep, "comments-deep-360-large-text");
        await rep.GetByTestId("text-size-toggle").ClickAsync();
    }

    [Fact]
    public async Task LoadMoreBringsTheOlderThreadsInEitherOrder()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var rep = await fixture.SignedInPageAsync("rep004", DemoAccounts.MemberPassword);
        var url = await DiscussionUrlAsync(rep, "关于在驻区单位与居民区结对中增加消防安全宣讲的提案");
        var composer = rep.GetByTestId("comment-composer");
        for (var i = 1; i <= CommentPageSize + 1; i++)
        {
            await composer.GetByTestId("stance-Support").CheckAsync();
            await composer.GetByTestId("comment-input").FillAsync($"分页 {i:00} {tag}");
            await composer.GetByTestId("comment-submit").ClickAsync();
            await Expect(composer.GetByTestId("comment-input")).ToHaveValueAsync(string.Empty);
        }

        // Newest first: the first page holds 50 threads, the oldest of ours comes with "load more".
        await rep.GotoAsync(url);
        var threads = rep.Locator("ol.comment-list > li");
        await Expect(threads).ToHaveCountAsync(CommentPageSize);
        await Expect(threads.First.Locator(":scope > article [data-testid=comment-text]")).ToHaveTextAsync($"分页 {CommentPageSize + 1} {tag}");
        await Expect(rep.GetByTestId("comment-text").Filter(new() { HasText = $"分页 01 {tag}" })).ToHaveCountAsync(0);
        var more = rep.GetByTestId("comments-load-more");
        var remaining = int.Parse(System.Text.RegularExpressions.Regex.Match(await more.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        await more.ClickAsync();
        await Expect(threads).ToHaveCountAsync(CommentPageSize + remaining);
        await Expect(rep.GetByTestId("comment-text").Filter(new() { HasText = $"分页 01 {tag}" })).ToHaveCountAsync(1);
        await Expect(more).ToHaveCountAsync(0);

        // Oldest first, with pages still to load: the viewer's own new thread shows at once and stays last.
        await rep.GetByTestId("order-oldest").ClickAsync();
        await Expect(threads).ToHaveCountAsync(CommentPageSize);
        await composer.GetByTestId("stance-Neutral").CheckAsync();
        await composer.GetByTestId("comment-input").FillAsync($"分页 最新 {tag}");
        await composer.GetByTestId("comment-submit").ClickAsync();
        await Expect(threads.Last.Locator(":scope > article [data-testid=comment-text]")).ToHaveTextAsync($"分页 最新 {tag}");
        await more.ClickAsync();
        await Expect(threads).ToHaveCountAsync(CommentPageSize + remaining + 1);
        await Expect(threads.Last.Locator(":scope > article [data-testid=comment-text]")).ToHaveTextAsync($"分页 最新 {tag}");
        var texts = await rep.Locator("ol.comment-list > li > article [data-testid=comment-text]").AllInnerTextsAsync();
        var ours = texts.Where(t => t.EndsWith(tag, StringComparison.Ordinal)).ToList();
        Assert.Equal([.. Enumerable.Range(1, CommentPageSize + 1).Select(i => $"分页 {i:00} {tag}"), $"分页 最新 {tag}"], ours);
    }

    [Fact]
    public async Task DraftDiscussionIsNotFoundForOthersAndClosedForItsAuthor()
    {
        var author = await fixture.SignedInPageAsync("rep006", DemoAccounts.MemberPassword);
        var url = await DiscussionUrlAsync(author, DraftTitle);
        await Expect(author.GetByTestId("proposal-status")).ToHaveTextAsync("草稿");
        await Expect(author.GetByTestId("comments-closed")).ToHaveTextAsync("提案提交后才能评论。");
        await Expect(author.GetByTestId("comment-composer")).ToHaveCountAsync(0);

        var other = await fixture.SignedInPageAsync("rep007", DemoAccounts.MemberPassword);
        var response = await other.GotoAsync(url);
        Assert.Equal(404, response!.Status);

        var anonymous = await fixture.NewPageAsync();
        await anonymous.GotoAsync(url);
        Assert.Contains("/account/login", anonymous.Url, StringComparison.Ordinal);
    }

    /// <summary>The seeded proposal's discussion address, found by title (ids depend on the seed order).</summary>
    private static async Task<string> DiscussionUrlAsync(IPage page, string title)
    {
        for (var id = 1; id <= 20; id++)
        {
            var url = $"/proposals/{id}/discussion";
            var response = await page.GotoAsync(url);
            if (response?.Status == 200 && await page.GetByTestId("proposal-title").TextContentAsync() == title)
            {
                return url;
            }
        }

        throw new InvalidOperationException($"No discussion page for {title}");
    }

    /// <summary>A part of the comment itself (not of its replies).</summary>
    private static ILocator Own(IPage page, string commentId, string testId) =>
        page.Locator($"li[data-comment-id='{commentId}'] > article [data-testid={testId}]");

    private static async Task<string> CommentIdAsync(IPage page, string text)
    {
        var body = page.GetByTestId("comment-text").Filter(new() { HasText = text }).First;
        await Expect(body).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        return await body.EvaluateAsync<string>("e => e.closest('[data-testid=comment]').dataset.commentId");
    }

    private static async Task<string> NameOf(IPage page)
    {
        var text = await page.GetByTestId("signed-in-as").TextContentAsync();
        return text!.Split(':', ':').Last().Trim();
    }
}
