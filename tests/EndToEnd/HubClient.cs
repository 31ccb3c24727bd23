using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// A minimal SignalR client over <see cref="ClientWebSocket"/> with the JSON hub protocol (no .NET SignalR client
/// package exists on this feed): WebSocket straight to <c>/hubs/live?access_token=…</c> without negotiate, handshake,
/// invocations (type 1) answered by completions (type 3), server invocations (type 1 without id) as events, pings
/// (type 6) and close (type 7). Records end with the 0x1E separator.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char Separator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly List<(string Target, JsonArray Arguments)> _events = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HubClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Completes when the connection ends: the server's close error (type 7), or null for a clean end.</summary>
    public Task<string?> Closed => _closed.Task;

    public static async Task<string> LoginAsync(string baseUrl, string userName, string password)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync(baseUrl + "/api/auth/login", new { userName, password });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login of {userName} failed: {(int)response.StatusCode} {body}");
        }

        return body!["accessToken"]!.GetValue<string>();
    }

    public static async Task<HubClient> ConnectAsync(string baseUrl, string? accessToken)
    {
        var url = new UriBuilder(baseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/hubs/live");
        if (accessToken is not null)
        {
            url.Query = "access_token=" + Uri.EscapeDataString(accessToken);
        }

        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(url.Uri, timeout.Token);
        var client = new HubClient(socket);
        await client.SendRawAsync("{\"protocol\":\"json\",\"version\":1}" + Separator);
        var handshake = await client.ReadRecordAsync(timeout.Token)
            ?? throw new InvalidOperationException("The server closed the connection during the handshake");
        var answer = JsonNode.Parse(handshake)!.AsObject();
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException("Handshake refused: " + error);
        }

        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Calls a hub method and returns its result, or throws <see cref="HubError"/> with the server's message.</summary>
    public async Task<JsonNode?> InvokeAsync(string method, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var message = new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = id,
            ["target"] = method,
            ["arguments"] = JsonSerializer.SerializeToNode(arguments),
        };
        await SendRawAsync(message.ToJsonString() + Separator);
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Sends text as it is (for malformed or oversized messages).</summary>
    public async Task SendRawAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits for a server event (e.g. "tally") whose first argument matches.</summary>
    public async Task<JsonObject> WaitForEventAsync(string target, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_events)
            {
                foreach (var (name, arguments) in _events)
                {
                    if (name == target && arguments.FirstOrDefault() is JsonObject payload && match(payload))
                    {
                        return payload;
                    }
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No \"{target}\" event matched within {timeout.TotalSeconds} s; received: {string.Join(", ", Events.Select(e => e.Target + " " + e.Arguments.ToJsonString()))}");
    }

    public IReadOnlyList<(string Target, JsonArray Arguments)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
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

        await _stop.CancelAsync();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WebSocketException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        string? closeError = null;
        try
        {
            while (await ReadRecordAsync(_stop.Token) is { } record)
            {
                var message = JsonNode.Parse(record)!.AsObject();
                switch (message["type"]!.GetValue<int>())
                {
                    case 1 when message["invocationId"] is null:
                        lock (_events)
                        {
                            _events.Add((message["target"]!.GetValue<string>(), message["arguments"]!.AsArray()));
                        }

                        break;
                    case 3:
                        if (_pending.TryRemove(message["invocationId"]!.GetValue<string>(), out var completion))
                        {
                            if (message["error"] is { } error)
                            {
                                completion.TrySetException(new HubError(error.GetValue<string>()));
                            }
                            else
                            {
                                completion.TrySetResult(message["result"]?.DeepClone());
                            }
                        }

                        break;
                    case 6:
                        await SendRawAsync("{\"type\":6}" + Separator);
                        break;
                    case 7:
                        closeError = message["error"]?.GetValue<string>() ?? string.Empty;
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            closeError ??= "socket: " + ex.Message;
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new HubError("connection closed: " + closeError));
            }

            _closed.TrySetResult(closeError);
        }
    }

    private readonly StringBuilder _buffer = new();
    private readonly byte[] _receiveBuffer = new byte[16 * 1024];
    private readonly char[] _chars = new char[16 * 1024 + 4];
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // a character may be split between two reads

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

/// <summary>An error the hub answered an invocation with (SignalR completion with "error").</summary>
public sealed class HubError(string message) : Exception(message)
{
    /// <summary>The stable code of a live-hub refusal: "…HubException: Poll.Closed: This vote is closed…" → "Poll.Closed".</summary>
    public string? Code
    {
        get
        {
            var marker = Message.IndexOf("HubException: ", StringComparison.Ordinal);
            if (marker < 0)
            {
                return null;
            }

            var rest = Message[(marker + "HubException: ".Length)..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? rest[..colon] : null;
        }
    }
}
