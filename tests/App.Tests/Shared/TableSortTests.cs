using CommunityDeliberation.App.Components.Shared;
using CommunityDeliberation.App.Tests.Support;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>Column sorting of the roster and member tables, by keyboard-reachable header buttons.</summary>
public sealed class TableSortTests : AppTestContext
{
    private static readonly (string Name, int Age)[] People = [("王芳", 70), ("陈静", 45), ("张伟", 58), ("李娜", 45)];

    [Fact]
    public void KeepsTheServicesOrderUntilAColumnIsChosen()
    {
        var sort = new TableSort<(string Name, int Age)>(("name", p => p.Name), ("age", p => p.Age));

        Assert.Equal(People, sort.Apply(People));
        Assert.Null(sort.AriaSort("name"));
    }

    [Fact]
    public void ChoosingAColumnSortsUpAndAgainSortsDown()
    {
        var sort = new TableSort<(string Name, int Age)>(("name", p => p.Name), ("age", p => p.Age));

        sort.Toggle("age");
        Assert.Equal([45, 45, 58, 70], sort.Apply(People).Select(p => p.Age));
        Assert.Equal("ascending", sort.AriaSort("age"));
        Assert.Null(sort.AriaSort("name"));

        sort.Toggle("age");
        Assert.Equal([70, 58, 45, 45], sort.Apply(People).Select(p => p.Age));
        Assert.Equal("descending", sort.AriaSort("age"));

        sort.Toggle("name");
        Assert.Equal("ascending", sort.AriaSort("name"));
    }

    [Fact]
    public void HeaderIsAButtonThatSaysItsDirectionOnlyThroughAriaSort()
    {
        var clicks = 0;
        var header = Render<SortHeader>(p => p.Add(h => h.Label, "姓名").Add(h => h.Direction, "descending").Add(h => h.OnSort, () => clicks++));

        var button = header.Find("button");
        Assert.Equal("button", button.GetAttribute("type"));
        Assert.StartsWith("姓名", button.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("true", button.QuerySelector(".sort-icon")!.GetAttribute("aria-hidden"));
        button.Click();
        Assert.Equal(1, clicks);
    }
}
