using System.Net;
using CommunityDeliberation.App.Hubs;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;
using OpenTelemetry.Metrics;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// OpenTelemetry metrics with a Prometheus scraping endpoint (ADR 0024). Off unless <c>Metrics:Enabled</c> is true; when
/// on, <c>/metrics</c> answers only a scraper on this machine (a loopback connection that no proxy forwarded) or one
/// whose address is in <c>Metrics:AllowedNetworks</c> (e.g. <c>10.0.0.0/8</c>); everyone else gets the usual 404.
/// </summary>
public static class Observability
{
    public const string Path = "/metrics";

    /// <summary>Meters collected besides ours: ASP.NET Core's (hosting, Kestrel, SignalR connections, Blazor circuits) and EF Core's.</summary>
    public static readonly IReadOnlyList<string> FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.EntityFrameworkCore",
    ];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        // Ours are counted whether or not they are exported, so dotnet-counters sees them too.
        builder.Services.AddScoped<CircuitHandler, CircuitMetricsHandler>();
        builder.Services.AddSingleton<HubConnectionMetricsFilter>();
        builder.Services.Configure<HubOptions<LiveHub>>(options => options.AddFilter<HubConnectionMetricsFilter>());

        if (!builder.Configuration.GetValue("Metrics:Enabled", false))
        {
            return builder;
        }

        var networks = builder.Configuration.GetSection("Metrics:AllowedNetworks").Get<string[]>() ?? [];
        var allowed = networks.Select(n => IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"Metrics:AllowedNetworks: '{n}' is not a network such as 10.0.0.0/8.")).ToArray();
        builder.Services.AddSingleton(new MetricsAccess(allowed));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(DeliberationMetrics.MeterName)
            .AddMeter([.. FrameworkMeters])
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Early in the pipeline, after the forwarded headers: the scrape needs no session, cookie or antiforgery.</summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        if (app.Services.GetService<MetricsAccess>() is { } access)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == Path && access.Allows(context));
        }

        return app;
    }

    /// <summary>Who may scrape: this machine directly, or the configured networks.</summary>
    internal sealed class MetricsAccess(IReadOnlyList<IPNetwork> allowedNetworks)
    {
        public bool Allows(HttpContext context)
        {
            var remote = context.Connection.RemoteIpAddress;
            if (remote is null)
            {
                return false;
            }

            if (remote.IsIPv4MappedToIPv6)
            {
                remote = remote.MapToIPv4();
            }

            // A reverse proxy on this machine connects from loopback too: a forwarded request came from elsewhere.
            if (IPAddress.IsLoopback(remote) && !context.Request.Headers.ContainsKey("X-Forwarded-For"))
            {
                return true;
            }

            return allowedNetworks.Any(n => n.Contains(remote));
        }
    }
}

/// <summary>Counts the circuits of this instance (<c>deliberation.circuits.live</c>).</summary>
internal sealed class CircuitMetricsHandler(DeliberationMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}

/// <summary>Counts the live hub's connections (<c>deliberation.hub.connections</c>).</summary>
internal sealed class HubConnectionMetricsFilter(DeliberationMetrics metrics) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        metrics.HubConnected();
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        metrics.HubDisconnected();
        await next(context, exception);
    }
}
