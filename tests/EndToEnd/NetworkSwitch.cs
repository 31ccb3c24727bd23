using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// Takes one browser context's network away and gives it back, the server staying up: the context goes offline (the
/// client's reconnect requests fail) and its open Blazor WebSockets are closed on both ends, as when a phone loses its
/// signal. Routing the WebSockets through Playwright is what lets the test close them; it can also note which circuit
/// hub methods the page calls (StartCircuit, ConnectCircuit to reconnect, ResumeCircuit to resume).
/// </summary>
internal sealed class NetworkSwitch
{
    private static readonly string[] CircuitMethods = ["StartCircuit", "ConnectCircuit", "ResumeCircuit", "PauseCircuit"];

    private readonly IBrowserContext _context;
    private readonly List<string>? _hubMethods;
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _open = [];
    private bool _offline;

    private NetworkSwitch(IBrowserContext context, List<string>? hubMethods)
    {
        _context = context;
        _hubMethods = hubMethods;
    }

    /// <summary>WebSockets opened to the circuit hub so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Routes the context's Blazor WebSockets; call before the page opens them. Hub method names go to <paramref name="hubMethods"/>.</summary>
    public static async Task<NetworkSwitch> AttachAsync(IBrowserContext context, List<string>? hubMethods = null)
    {
        var network = new NetworkSwitch(context, hubMethods);
        await context.RouteWebSocketAsync(new Regex("/_blazor"), network.OnWebSocket);
        return network;
    }

    public async Task GoOfflineAsync()
    {
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (_open)
        {
            _offline = true;
            open = [.. _open];
            _open.Clear();
        }

        await _context.SetOfflineAsync(true);
        foreach (var (page, server) in open)
        {
            await server.CloseAsync(new() { Code = 4000, Reason = "network lost" });
            await page.CloseAsync(new() { Code = 4000, Reason = "network lost" });
        }
    }

    public async Task GoOnlineAsync()
    {
        lock (_open)
        {
            _offline = false;
        }

        await _context.SetOfflineAsync(false);
    }

    private void OnWebSocket(IWebSocketRoute page)
    {
        lock (_open)
        {
            if (_offline)
            {
                // No network: the socket fails as soon as it opens (the negotiate request before it fails too).
                _ = page.CloseAsync(new() { Code = 4000, Reason = "network lost" });
                return;
            }

            Connections++;
            var server = page.ConnectToServer();
            _open.Add((page, server));
            if (_hubMethods is not null)
            {
                // Once the page's messages are observed they are no longer forwarded by themselves.
                page.OnMessage(frame =>
                {
                    if (frame.Binary is { } binary)
                    {
                        Note(Encoding.UTF8.GetString(binary));
                        server.Send(binary);
                    }
                    else if (frame.Text is { } text)
                    {
                        Note(text);
                        server.Send(text);
                    }
                });
            }
        }
    }

    private void Note(string message)
    {
        foreach (var method in CircuitMethods.Where(m => message.Contains(m, StringComparison.Ordinal)))
        {
            lock (_hubMethods!)
            {
                _hubMethods.Add(method);
            }
        }
    }
}
