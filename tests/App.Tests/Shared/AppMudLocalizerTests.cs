using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>MudBlazor's own words (the pager's buttons) in the page's language: a screen reader on the Chinese pages heard "First page".</summary>
public sealed class AppMudLocalizerTests : AppTestContext
{
    [Fact]
    public void TablePagerButtonsAreNamedInChinese()
    {
        var table = RenderPagedTable();

        var names = table.FindAll("button[aria-label]").Select(b => b.GetAttribute("aria-label")).ToList();
        Assert.Equal(["第一页", "上一页", "下一页", "最后一页"], names);
    }

    [Fact]
    public void TablePagerButtonsAreNamedInEnglishOnTheEnglishPages()
    {
        UseCulture(Cultures.English);
        var table = RenderPagedTable();

        Assert.Equal(["First page", "Previous page", "Next page", "Last page"], table.FindAll("button[aria-label]").Select(b => b.GetAttribute("aria-label")));
    }

    [Fact]
    public void AKeyTheResourcesLackFallsBackToMudBlazorsEnglish()
    {
        var localizer = Services.GetRequiredService<MudLocalizer>();

        Assert.IsType<AppMudLocalizer>(localizer);
        Assert.True(localizer["MudColorPicker_Hue"].ResourceNotFound);
        Assert.Equal("关闭", localizer["MudDialog_Close"].Value);
    }

    private IRenderedComponent<IComponent> RenderPagedTable() =>
        Render(builder =>
        {
            builder.OpenComponent<MudTable<string>>(0);
            builder.AddAttribute(1, nameof(MudTable<string>.Items), new[] { "甲", "乙", "丙", "丁", "戊" });
            builder.AddAttribute(2, nameof(MudTable<string>.RowsPerPage), 2);
            builder.AddAttribute(3, nameof(MudTable<string>.RowTemplate), (RenderFragment<string>)(item => row => row.AddContent(0, item)));
            builder.AddAttribute(4, nameof(MudTable<string>.PagerContent), (RenderFragment)(pager =>
            {
                pager.OpenComponent<MudTablePager>(0);
                pager.AddAttribute(1, nameof(MudTablePager.HideRowsPerPage), true);
                pager.CloseComponent();
            }));
            builder.CloseComponent();
        });
}
