using CommunityDeliberation.App.Components.Shared;
using CommunityDeliberation.App.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>How every page runs a user action: one at a time, and never from a page whose circuit is not connected.</summary>
public sealed class ActionComponentBaseTests : AppTestContext
{
    [Fact]
    public void ActionButtonsAreDisabledWhileThePageIsOnlyPrerendered()
    {
        // Prerendered HTML reaches a slow phone before its circuit does; a click there would do nothing at all.
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render<OneAction>();

        Assert.True(page.Find("button").HasAttribute("disabled"));
    }

    [Fact]
    public void ActionButtonsAreEnabledOnceInteractiveAndDisabledWhileAnActionRuns()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<OneAction>();
        Assert.False(page.Find("button").HasAttribute("disabled"));

        page.Find("button").Click();

        Assert.True(page.Find("button").HasAttribute("disabled"));
        page.Instance.Finish();
        page.WaitForAssertion(() => Assert.False(page.Find("button").HasAttribute("disabled")), TimeSpan.FromSeconds(10)); // bunit waits 1 s by default: too short on a busy machine
        Assert.Equal(1, page.Instance.Runs);
    }

    private sealed class OneAction : ActionComponentBase
    {
        private readonly TaskCompletionSource _done = new();

        public int Runs { get; private set; }

        public void Finish() => _done.SetResult();

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "disabled", Busy);
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => RunAsync(async () =>
            {
                Runs++;
                await _done.Task;
            })));
            builder.CloseElement();
        }
    }
}
