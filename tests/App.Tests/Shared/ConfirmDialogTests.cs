using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>The confirmation in front of destructive actions (ending a seat, closing a vote, annulling).</summary>
public sealed class ConfirmDialogTests : AppTestContext
{
    [Fact]
    public async Task ConfirmReturnsTheReasonTyped()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();

        Task<Confirmation> answer = null!;
        await provider.InvokeAsync(() =>
        {
            answer = dialogs.ConfirmAsync("结束 赵强 的任期?", "任期结束后保留其出席和表决记录。", "确认结束", danger: true,
            reasonLabel: "理由", testIdPrefix: "end");
        });
        await provider.WaitForAssertionAsync(() => Assert.NotNull(provider.Find("[data-testid=end-confirm]")));
        Assert.Equal("任期结束后保留其出席和表决记录。", provider.Find("[data-testid=confirm-message]").TextContent);
        provider.Find("[data-testid=end-reason]").Input("调往其他社区工作");
        provider.Find("[data-testid=end-confirm]").Click();

        var result = await answer;
        Assert.True(result.Confirmed);
        Assert.Equal("调往其他社区工作", result.Reason);
        Assert.Empty(provider.FindAll("[data-testid=end-confirm]"));
    }

    [Fact]
    public async Task RequiredReasonKeepsTheDialogOpenUntilGiven()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();

        Task<Confirmation> answer = null!;
        await provider.InvokeAsync(() =>
        {
            answer = dialogs.ConfirmAsync("申请宣布表决无效", "须由主持人和记录员两人确认。", "申请宣布无效", danger: true,
            reasonLabel: "理由", reasonRequired: true, testIdPrefix: "annul");
        });
        await provider.WaitForAssertionAsync(() => Assert.NotNull(provider.Find("[data-testid=annul-confirm]")));
        provider.Find("[data-testid=annul-confirm]").Click();

        Assert.False(answer.IsCompleted);
        Assert.Contains("请填写理由。", provider.Markup, StringComparison.Ordinal);
        provider.Find("[data-testid=confirm-cancel]").Click();
        Assert.False((await answer).Confirmed);
    }
}
