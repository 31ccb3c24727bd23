using CommunityDeliberation.App.Components.Pages.Topics;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Tests.Topics;

/// <summary>The residents' topic form says everything that needs fixing at once, each message at its field.</summary>
public sealed class TopicFormTests : AppTestContext
{
    [Fact]
    public async Task EmptyFormNamesEveryMissingFieldAtItsPlace()
    {
        await UseDatabaseAsync();
        var page = RenderSubmitPage();

        await page.Find("[data-testid=topic-form]").SubmitAsync();

        Assert.Equal("请用一句话写下议题。", page.Find("#topic-title-error").TextContent);
        Assert.Equal("请写下具体情况。", page.Find("#topic-text-error").TextContent);
        Assert.Equal("请留下您的称呼。", page.Find("#topic-name-error").TextContent);
        Assert.Equal("请留下联系方式,秘书处需要时可以联系您。", page.Find("#topic-contact-error").TextContent);
        Assert.StartsWith("请修改以下 4 处后再提交", page.Find("[data-testid=topic-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-testid=topic-title]").GetAttribute("aria-invalid"));
        Assert.Empty(page.FindAll("[data-testid=topic-receipt]"));
    }

    [Fact]
    public async Task OnlyTheFieldStillWrongKeepsItsMessage()
    {
        await UseDatabaseAsync();
        var page = RenderSubmitPage();
        page.Find("[data-testid=topic-title]").Change("小区东门路灯不亮");
        page.Find("[data-testid=topic-text]").Change("东门外三盏路灯坏了两周。");
        page.Find("[data-testid=topic-name]").Change("李阿姨");

        await page.Find("[data-testid=topic-form]").SubmitAsync();

        Assert.Empty(page.FindAll("#topic-title-error"));
        Assert.Empty(page.FindAll("#topic-name-error"));
        Assert.Equal("请留下联系方式,秘书处需要时可以联系您。", page.Find("#topic-contact-error").TextContent);
        Assert.Null(page.Find("[data-testid=topic-title]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void CheckAppliesTheServicesLimits()
    {
        var form = new TopicForm { Title = new string('长', 201), Text = "情况", Name = "王", Contact = "13800000000" };

        var problem = Assert.Single(form.Check(Services.GetRequiredService<IStringLocalizer<SharedResource>>()));

        Assert.Equal(nameof(TopicForm.Title), problem.Field);
        Assert.Equal("议题最多 200 字,现在是 201 字。", problem.Message);
    }

    private IRenderedComponent<Submit> RenderSubmitPage() =>
        Render<Submit>(p => p.AddCascadingValue(new DefaultHttpContext() as HttpContext));
}
