using System.Security.Claims;
using CommunityDeliberation.App.Components.Pages.Discussion;
using CommunityDeliberation.App.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.CommentsBench;

/// <summary>Renders the app's <see cref="CommentThread"/> to an HTML string outside a browser, with the framework's HtmlRenderer.</summary>
public static class Rendering
{
    /// <summary>What the component needs besides the application services: UI strings and the display clock.</summary>
    public static void AddRenderingServices(IServiceCollection services)
    {
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<DisplayClock>();
    }

    /// <summary>The thread's first screen for this viewer, as a fresh request would render it (a new renderer each time).</summary>
    public static async Task<string> RenderThreadAsync(IServiceProvider services, int proposalId, ClaimsPrincipal viewer)
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(ThreadHost.ProposalId)] = proposalId,
                [nameof(ThreadHost.Viewer)] = viewer,
            });
            var output = await renderer.RenderComponentAsync<ThreadHost>(parameters);
            return output.ToHtmlString();
        });
    }

    /// <summary>Gives the thread the signed-in viewer, as the app's cascading authentication state does.</summary>
    public sealed class ThreadHost : ComponentBase
    {
        [Parameter]
        public int ProposalId { get; set; }

        [Parameter]
        public ClaimsPrincipal Viewer { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenComponent<CascadingValue<Task<AuthenticationState>>>(0);
            builder.AddComponentParameter(1, "Value", Task.FromResult(new AuthenticationState(Viewer)));
            builder.AddComponentParameter(2, "ChildContent", (RenderFragment)(child =>
            {
                child.OpenComponent<CommentThread>(0);
                child.AddComponentParameter(1, nameof(CommentThread.ProposalId), ProposalId);
                child.CloseComponent();
            }));
            builder.CloseComponent();
        }
    }
}
