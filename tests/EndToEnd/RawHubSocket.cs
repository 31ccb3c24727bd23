using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// The hub over a bare <see cref="ClientWebSocket"/>, for what the official client will not send: a WebSocket straight
/// to <c>/hubs/live?access_token=…</c> without negotiate, the JSON handshake, then text exactly as given (an oversized or
/// malformed record). Records end with the 0x1E separator (docs/realtime-api.md, section 2).
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    public const char Separator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _buffer = new();
    private readonly byte[] _receiveBuffer = new byte[16 * 1024];
    private readonly char[] _chars = new char[16 * 1024 + 4];
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // a character may be split between two reads

    private RawHubSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens the socket and completes the handshake; a refused upgrade (401) throws <see cref="WebSocketException"/>.</summary>
    public static async Task<RawHubSocket> ConnectAsync(string baseUrl, string? accessToken)
    {
        var url = new UriBuilder(baseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/hubs/live");
        if (accessToken is not null)
        {
            url.Query = "access_token=" + Uri.EscapeDataString(accessToken);
        }

        var socket = new ClientWebSocket();
        var client = new RawHubSocket(socket);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(url.Uri, timeout.Token);
            await client.SendAsync("{\"protocol\":\"json\",\"version\":1}" + Separator);
            var handshake = await client.ReadRecordAsync(timeout.Token)
                ?? throw new InvalidOperationException("The server closed the connection during the handshake");
            if (JsonNode.Parse(handshake)!.AsObject()["error"] is { } error)
            {
                throw new InvalidOperationException("Handshake refused: " + error);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends text as it is.</summary>
    public async Task SendAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Reads until the server's close record (type 7) and returns its error ("" without one), skipping pings and events.</summary>
    public async Task<string> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await ReadRecordAsync(cancel.Token) is { } record)
        {
            var message = JsonNode.Parse(record)!.AsObject();
            if (message["type"]!.GetValue<int>() == 7)
            {
                return message["error"]?.GetValue<string>() ?? string.Empty;
            }
        }

        throw new InvalidOperationException("The socket closed without a SignalR close message");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }

        _socket.Dispose();
    }

    /// <summary>The next record (without its separator), or null when the socket closed.</summary>
    private async Task<string?> ReadRecordAsync(CancellationToken ct)
    {
        while (true)
        {
            var text = _buffer.ToString();
            var end = text.IndexOf(Separator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _buffer.Remove(0, end + 1);
                return text[..end];
            }

            var result = await _socket.ReceiveAsync(_receiveBuffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            var count = _utf8.GetChars(_receiveBuffer, 0, result.Count, _chars, 0, flush: false);
            _buffer.Append(_chars, 0, count);
        }
    }
}
