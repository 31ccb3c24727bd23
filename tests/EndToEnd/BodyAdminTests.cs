using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>Administration of bodies, terms and members: CSV import with every bad line reported, and no way in for others.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BodyAdminTests(BrowserFixture fixture)
{
    private const string BadFile =
        "name,role,organisation,user\r\n" +
        "张伟,代表,jc-org-001,\r\n" +
        "\"李娜, 副主任\",副主任,,\r\n" +
        ",代表,,\r\n" +
        "王芳,部长,,\r\n" +
        "赵强,记录员,,\r\n";

    private const string FixedFile =
        "name,role,organisation,user\r\n" +
        "张伟,代表,jc-org-001,\r\n" +
        "\"李娜, 副主任\",副主任,,\r\n" +
        "陈静,代表,,\r\n" +
        "王芳,委员,,\r\n" +
        "赵强,记录员,,\r\n";

    [Fact]
    public async Task AdminImportsAMemberListOnlyOnceItIsClean()
    {
        var admin = await fixture.SignedInPageAsync("admin", DemoAccounts.PasswordOf("admin"));

        // The nav leads an admin to the bodies, shown as a tree with the sub-bodies under their parent.
        await admin.GetByTestId("nav-bodies").ClickAsync();
        await admin.WaitForURLAsync(url => url.EndsWith("/bodies", StringComparison.Ordinal));
        var weifang = admin.Locator("[data-testid=body-node][data-key=weifang-committee]");
        await Expect(weifang.Locator("[data-testid=body-node]")).ToHaveCountAsync(6);
        await BrowserFixture.ScreenshotAsync(admin, "bodies-index-1280");

        // A new body and its first term.
        var key = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await InteractiveAsync(admin);
        await admin.GetByTestId("new-body").Locator("summary").ClickAsync();
        await admin.GetByTestId("body-key").FillAsync(key);
        await admin.GetByTestId("body-name").FillAsync("南京东路社区协商议事会");
        await admin.GetByTestId("body-name-en").FillAsync("Nanjing East Road Consultation Council");
        await admin.GetByTestId("body-kind").SelectOptionAsync("ConsultationCouncil");
        await admin.GetByTestId("body-create").ClickAsync();
        await Expect(admin.GetByTestId("body-title")).ToHaveTextAsync("南京东路社区协商议事会");
        await InteractiveAsync(admin);
        await admin.GetByTestId("add-term").Locator("summary").ClickAsync();
        await Expect(admin.GetByTestId("term-name")).ToHaveValueAsync("第一届");
        await admin.GetByTestId("term-add").ClickAsync();
        await Expect(admin.GetByTestId("term-title")).ToHaveTextAsync("南京东路社区协商议事会 · 第一届");
        await Expect(admin.GetByTestId("no-members")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("import-limits")).ToContainTextAsync("1 MB");
        await Expect(admin.GetByTestId("import-limits")).ToContainTextAsync("2,000");

        // A file with two bad lines: both are reported with their line numbers and reasons, and no one is imported.
        await InteractiveAsync(admin);
        await ChooseFileAsync(admin, BadFile);
        await admin.GetByTestId("import-run").ClickAsync();
        await Expect(admin.GetByTestId("import-problems-summary")).ToContainTextAsync("发现 2 处问题,未导入任何成员");
        var problems = admin.GetByTestId("import-problem");
        await Expect(problems).ToHaveCountAsync(2);
        await Expect(problems.Nth(0)).ToHaveAttributeAsync("data-line", "4");
        await Expect(problems.Nth(0)).ToContainTextAsync("姓名为空");
        await Expect(problems.Nth(1)).ToHaveAttributeAsync("data-line", "5");
        await Expect(problems.Nth(1)).ToContainTextAsync("未知的角色“部长”");
        await Expect(admin.GetByTestId("no-members")).ToBeVisibleAsync();
        await admin.GetByTestId("import").Locator("summary").ClickAsync(); // open the format description for the screenshot
        await BrowserFixture.ScreenshotAsync(admin, "bodies-import-errors-1280");

        // The fixed file is imported at once.
        await ChooseFileAsync(admin, FixedFile);
        await admin.GetByTestId("import-run").ClickAsync();
        await Expect(admin.GetByTestId("import-done")).ToHaveTextAsync("已导入 5 名成员。");
        await Expect(admin.Locator("[data-testid=member-table] tr.member-row")).ToHaveCountAsync(5);
        await Expect(admin.GetByTestId("member-name")).ToHaveTextAsync(["张伟", "李娜, 副主任", "陈静", "王芳", "赵强"]);
        await Expect(admin.GetByTestId("member-role")).ToHaveTextAsync(["代表", "副主任", "代表", "委员", "记录员"]);

        // Editing a seat: role and account (linked by user name).
        await admin.GetByRole(AriaRole.Button, new() { Name = "编辑 陈静" }).ClickAsync();
        await Expect(admin.GetByTestId("edit-panel").Locator("h2")).ToBeFocusedAsync();
        await admin.GetByTestId("edit-role").SelectOptionAsync("Member");
        await admin.GetByTestId("edit-user").FillAsync("rep149");
        await BrowserFixture.ScreenshotAsync(admin, "bodies-edit-1280");
        await admin.GetByTestId("edit-save").ClickAsync();
        await Expect(admin.GetByTestId("term-notice")).ToHaveTextAsync("已保存 陈静。");
        await Expect(admin.GetByTestId("member-role").Nth(2)).ToHaveTextAsync("委员");
        await Expect(admin.GetByTestId("member-user").Nth(2)).ToHaveTextAsync("rep149");

        // Ending a seat keeps the row, marked as ended.
        await admin.GetByRole(AriaRole.Button, new() { Name = "结束任期:赵强" }).ClickAsync();
        await admin.GetByTestId("end-reason").FillAsync("调往其他社区工作");
        await admin.GetByTestId("end-confirm").ClickAsync();
        await Expect(admin.GetByTestId("term-notice")).ToHaveTextAsync("赵强 的任期已结束。");
        await Expect(admin.GetByTestId("members-count")).ToHaveTextAsync("在任 4 人,已离任 1 人");
        await Expect(admin.Locator("[data-testid=member-table] tr.member-row").Last).ToContainTextAsync("调往其他社区工作");
        await BrowserFixture.ScreenshotAsync(admin, "bodies-term-1280");

        await admin.SetViewportSizeAsync(360, 740);
        await BrowserFixture.ScreenshotAsync(admin, "bodies-term-360");
        var termUrl = admin.Url;

        await admin.GotoAsync("/bodies");
        await BrowserFixture.ScreenshotAsync(admin, "bodies-index-360");
        await admin.Locator("[data-testid=body-node][data-key=weifang-committee] > .body-node a").ClickAsync();
        await Expect(admin.GetByTestId("sub-bodies").Locator("li")).ToHaveCountAsync(6);
        await BrowserFixture.ScreenshotAsync(admin, "bodies-detail-360");
        await admin.SetViewportSizeAsync(1280, 900);
        await BrowserFixture.ScreenshotAsync(admin, "bodies-detail-1280");

        // The same page for a representative: refused.
        var rep = await fixture.SignedInPageAsync("rep001", DemoAccounts.MemberPassword);
        await Expect(rep.GetByTestId("nav-bodies")).ToHaveCountAsync(0);
        await rep.GotoAsync(termUrl);
        await Expect(rep).ToHaveURLAsync(DeniedUrl());
        await Expect(rep.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(rep.GetByTestId("member-table")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("/bodies")]
    [InlineData("/bodies/1")]
    public async Task RepresentativeCannotReachTheAdminPages(string path)
    {
        var rep = await fixture.SignedInPageAsync("rep002", DemoAccounts.MemberPassword);

        await Expect(rep.GetByTestId("nav-bodies")).ToHaveCountAsync(0);
        await rep.GotoAsync(path);

        await Expect(rep).ToHaveURLAsync(DeniedUrl());
        await Expect(rep.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(rep.GetByTestId("body-tree")).ToHaveCountAsync(0);
    }

    /// <summary>These pages have several forms; all are enabled once the circuit is connected.</summary>
    private static Task InteractiveAsync(IPage page) => Expect(page.Locator("form[data-interactive]").First).ToBeAttachedAsync();

    private static async Task ChooseFileAsync(IPage page, string csv)
    {
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "members.csv",
            MimeType = "text/csv",
            Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)],
        });
        await Expect(page.GetByTestId("import-selected")).ToContainTextAsync("members.csv");
    }

    [GeneratedRegex(@"/account/denied(\?|$)")]
    private static partial Regex DeniedUrl();
}
