using CommunityDeliberation.App.Components.Shared;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>A form's fields wait for the page's circuit, so nothing typed into the prerendered page is thrown away.</summary>
public sealed class UntilInteractiveTests : AppTestContext
{
    [Fact]
    public void FieldsAreDisabledWhileThePageIsOnlyPrerendered()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var form = Render<UntilInteractive>(p => p.AddChildContent("<input id=\"title\" />"));

        Assert.True(form.Find("fieldset").HasAttribute("disabled"));
        Assert.NotNull(form.Find("fieldset #title"));
    }

    [Fact]
    public void FieldsAreEnabledOnceInteractive()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var form = Render<UntilInteractive>(p => p.AddChildContent("<input id=\"title\" />"));

        Assert.False(form.Find("fieldset").HasAttribute("disabled"));
    }
}
