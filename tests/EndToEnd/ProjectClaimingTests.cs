using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Issue 13, project claiming (项目认领) on the Wujiaochang joint conference: its secretary publishes a project, Changhai
/// Hospital's seat claims it, the secretary confirms, the hospital reports progress, and a resident on a phone sees the
/// unit and the report on the public board without signing in and without a circuit.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProjectClaimingTests(BrowserFixture fixture)
{
    [Fact]
    public async Task UnitClaimsSecretariatConfirmsUnitReportsAndTheBoardShowsItWithoutACircuit()
    {
        var title = "社区义诊进楼组 " + Guid.NewGuid().ToString("N")[..6];

        var secretary = await fixture.SignedInPageAsync("wjc-secretary", DemoAccounts.PasswordOf("wjc-secretary"), 360, 740);
        await secretary.GotoAsync("/projects/manage");
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        await secretary.GetByTestId("project-new-title").FillAsync(title);
        await secretary.GetByTestId("project-new-category").SelectOptionAsync("ServiceGuidance");
        await secretary.GetByTestId("project-new-units").FillAsync("1");
        await secretary.GetByTestId("project-publish").ClickAsync();
        await Expect(secretary.GetByRole(Microsoft.Playwright.AriaRole.Status).Filter(new() { HasText = "项目已发布" }).First).ToBeAttachedAsync();

        var unit = await fixture.SignedInPageAsync("changhai", DemoAccounts.PasswordOf("changhai"), 360, 740);
        await unit.GotoAsync("/projects/manage");
        await BrowserFixture.WaitForInteractiveAsync(unit);
        var open = unit.GetByTestId("project-open").Filter(new() { HasText = title });
        await Expect(open).ToHaveCountAsync(1);
        await open.GetByTestId("project-claim").ClickAsync();
        var mine = unit.GetByTestId("project-mine").Filter(new() { HasText = title });
        await Expect(mine.GetByTestId("project-my-claim")).ToHaveTextAsync("待确认");

        // A second unit cannot take the place held by the claim awaiting confirmation: a sentence, nothing stored.
        var other = await fixture.SignedInPageAsync("dongfang", DemoAccounts.PasswordOf("dongfang"), 1280, 900);
        await other.GotoAsync("/projects/manage");
        await BrowserFixture.WaitForInteractiveAsync(other);
        await Expect(other.GetByTestId("project-open").Filter(new() { HasText = title })).ToHaveCountAsync(0);

        await secretary.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(secretary);
        var pending = secretary.GetByTestId("project-pending-claim").Filter(new() { HasText = title });
        await Expect(pending).ToContainTextAsync("长海医院");
        await BrowserFixture.ScreenshotAsync(secretary, "projects-manage-360");
        await pending.GetByTestId("project-confirm").ClickAsync();
        await Expect(secretary.GetByTestId("project-in-work").Filter(new() { HasText = title })).ToHaveCountAsync(1);

        await unit.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(unit);
        mine = unit.GetByTestId("project-mine").Filter(new() { HasText = title });
        await Expect(mine.GetByTestId("project-my-claim")).ToHaveTextAsync("已确认");
        await mine.GetByTestId("project-report").ClickAsync();
        await Expect(unit.GetByTestId("projects-error")).ToContainTextAsync("请填写进展报告");
        await mine.GetByTestId("project-report-text").FillAsync("已在翔殷路491弄开展第一次义诊,服务居民 45 人次。");
        await mine.GetByTestId("project-report").ClickAsync();
        await Expect(unit.GetByRole(Microsoft.Playwright.AriaRole.Status).Filter(new() { HasText = "进展已提交" }).First).ToBeAttachedAsync();
        await BrowserFixture.ScreenshotAsync(unit, "projects-unit-360");

        // The public board and the project's page, never signed in, on a phone: no circuit.
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
        var board = await resident.GotoAsync("/projects?category=ServiceGuidance&state=Claimed");
        Assert.Equal((int)HttpStatusCode.OK, board!.Status);
        await Expect(resident.GetByTestId("projects-count")).ToContainTextAsync("项目");
        await BrowserFixture.ScreenshotAsync(resident, "projects-board-360");
        var card = resident.GetByTestId("project-card").Filter(new() { HasText = title });
        var pageNumber = 1;
        while (await card.CountAsync() == 0 && await resident.GetByTestId("projects-next").CountAsync() > 0)
        {
            // One page at a time: the next click waits until the page it leads to has arrived (a click sent while the
            // previous page was still being swapped in met a detached link and timed out on a loaded CI machine).
            pageNumber++;
            await resident.GetByTestId("projects-next").ClickAsync();
            await resident.WaitForURLAsync(url => url.Contains("page=" + pageNumber, StringComparison.Ordinal));
            await resident.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        await Expect(card).ToHaveCountAsync(1);
        await Expect(card.GetByTestId("project-units")).ToContainTextAsync("长海医院");
        await Expect(card.GetByTestId("project-state")).ToContainTextAsync("已认领满");
        await card.Locator("a.archive-title").ClickAsync();
        await Expect(resident.GetByTestId("project-title")).ToHaveTextAsync(title);
        await Expect(resident.GetByTestId("project-reports")).ToContainTextAsync("服务居民 45 人次");
        await BrowserFixture.ScreenshotAsync(resident, "project-360");

        Assert.Equal(0, sockets);
        Assert.Empty(blazor);
    }
}
