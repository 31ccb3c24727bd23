using CommunityDeliberation.App.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;

namespace CommunityDeliberation.App.Hubs;

/// <summary>
/// The live API for clients other than the Blazor UI (projectors, scripted clients, load tests): bearer sign-in at
/// <c>/api/auth/login</c> and the SignalR hub at <c>/hubs/live</c>. Documented in docs/realtime-api.md.
/// </summary>
public static class HubSetup
{
    public const string HubPath = "/hubs/live";

    public const string LoginPath = "/api/auth/login";

    public const string RefreshPath = "/api/auth/refresh";

    /// <summary>Cookie (the Blazor UI's browser) or bearer token (scripted clients): either signs a connection in.</summary>
    public const string PolicyName = "LiveApi";

    /// <summary>64 KB: a ballot is a few hundred bytes; anything near a megabyte is refused by SignalR before it is read.</summary>
    public const int MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>The default access token lifetime; <c>Accounts:HubTokenLifetime</c> sets it (AccountSetup), refresh tokens renew it.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddLiveApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddBearerToken(IdentityConstants.BearerScheme, options =>
        {
            options.BearerTokenExpiration = TokenLifetime;
            options.Events.OnMessageReceived = context =>
            {
                // Browsers cannot set headers on a WebSocket, so SignalR clients send the token in the query string.
                // Only the hub reads it from there; every other path needs the Authorization header.
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser());

        // The UI cookie redirects an anonymous browser to the login page; a hub or API client must get a plain 401 / 403.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, options =>
        {
            var toLogin = options.Events.OnRedirectToLogin;
            var toDenied = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToLogin = context => IsApi(context.Request) ? Status(context.Response, StatusCodes.Status401Unauthorized) : toLogin(context);
            options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request) ? Status(context.Response, StatusCodes.Status403Forbidden) : toDenied(context);
        });

        services.AddSignalR().AddHubOptions<LiveHub>(options =>
        {
            options.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
            // Every hub method's exceptions pass through LiveHubFilter, which turns them into HubException with a code
            // (never a stack trace). Detailed errors then only add SignalR's own reasons — "The maximum message size of
            // 65536B was exceeded", "Error binding arguments" — which a scripted client needs to see.
            options.EnableDetailedErrors = true;
            options.AddFilter<LiveHubFilter>();
        });
        services.AddSingleton<LiveHubFilter>();
        services.AddSingleton<HubEventRelay>();
        return services;
    }

    public static WebApplication MapLiveApi(this WebApplication app)
    {
        // SkipStatusCodePages: the app re-executes empty error responses as its HTML "not found" page; an API client
        // must get the bare 400 / 401 (or the JSON error) instead.
        app.MapPost(LoginPath, LoginEndpoint.HandleAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignIn)
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());
        app.MapPost(RefreshPath, LoginEndpoint.RefreshAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignIn)
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());
        // A connection ends when its token does (15 minutes by default): the client refreshes and reconnects, and the
        // refresh is where a disabled account or a changed password is refused.
        app.MapHub<LiveHub>(HubPath, options => options.CloseOnAuthenticationExpiration = true)
            .RequireAuthorization(PolicyName)
            .RequireRateLimiting(RateLimits.HubConnections)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .Finally(endpoint => AcceptWithoutCompression(app, endpoint));
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/api");

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    internal static BearerTokenOptions BearerOptions(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);

    /// <summary>
    /// No per-message deflate on the hub's WebSockets. Its messages are a few hundred bytes of JSON, and a compressor per
    /// connection made every tally cost 1,000 deflates on the server and 1,000 inflates in the clients (issue 14's load
    /// profile). The hub never asks for compression, but SignalR accepts with ASP.NET Core's shared default accept context,
    /// on which the Blazor circuit's accept turns compression on (the framework's default for /_blazor): once one circuit
    /// has connected, every hub socket was compressed. The hub's endpoint therefore accepts with a context of its own,
    /// wrapped the way the framework wraps its circuit endpoint (WebSockets middleware, then the feature).
    /// </summary>
    private static void AcceptWithoutCompression(IEndpointRouteBuilder endpoints, EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.Any(m => m is Microsoft.AspNetCore.Http.Connections.NegotiateMetadata) || !endpoint.Metadata.Any(m => m is HubMetadata))
        {
            return;
        }

        var original = endpoint.RequestDelegate!;
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature>() is { IsWebSocketRequest: true } socket)
            {
                context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature>(new UncompressedWebSocketFeature(socket));
            }

            return next(context);
        });
        pipeline.Run(original);
        endpoint.RequestDelegate = pipeline.Build();
    }

    /// <summary>Accepts with a fresh context without permessage-deflate; the shared one it was given is left untouched.</summary>
    private sealed class UncompressedWebSocketFeature(Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature inner) : Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => inner.IsWebSocketRequest;

        public Task<System.Net.WebSockets.WebSocket> AcceptAsync(WebSocketAcceptContext context) =>
            inner.AcceptAsync(new WebSocketAcceptContext
            {
                SubProtocol = context.SubProtocol,
                KeepAliveInterval = context.KeepAliveInterval,
                KeepAliveTimeout = context.KeepAliveTimeout,
                DangerousEnableCompression = false,
            });
    }
}
