using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommunityDeliberation.EndToEnd;

/// <summary>
/// A hub connection through the official .NET SignalR client (<c>Microsoft.AspNetCore.SignalR.Client</c>): negotiate,
/// then WebSockets, with the bearer token from <see cref="LoginAsync"/>. Results and event payloads are handed to the
/// tests as JSON, as the wire carries them, so the tests check the public API rather than a .NET type of ours.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    /// <summary>Every server event of the live hub (docs/realtime-api.md, section 4); each has one argument.</summary>
    public static readonly IReadOnlyList<string> EventNames =
    [
        "session", "agenda", "attendance", "pollOpened", "tally", "pollClosed", "poll", "proxies",
        "speakerQueue", "speakerStarted", "speakerExtended", "speakerEnded",
    ];

    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(20);

    private readonly HubConnection _connection;
    private readonly List<(string Target, JsonArray Arguments)> _events = [];
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var name in EventNames)
        {
            _connection.On(name, [typeof(JsonElement)], (arguments, _) =>
            {
                var payload = new JsonArray(arguments.Select(a => JsonSerializer.SerializeToNode((JsonElement)a!)).ToArray());
                lock (_events)
                {
                    _events.Add((name, payload));
                }

                return Task.CompletedTask;
            }, state: name);
        }

        _connection.Closed += error =>
        {
            _closed.TrySetResult(error?.Message);
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the connection ends: the error it ended with, or null for a clean end.</summary>
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

    /// <summary>Connects and completes the handshake; a refusal throws what the client throws (401: <see cref="HttpRequestException"/>).</summary>
    public static async Task<HubClient> ConnectAsync(string baseUrl, string? accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + "/hubs/live", options =>
            {
                if (accessToken is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
                }
            })
            .Build();
        var client = new HubClient(connection);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await connection.StartAsync(timeout.Token);
            return client;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls a hub method and returns its result as JSON, or throws <see cref="HubError"/> with the server's message.</summary>
    public async Task<JsonNode?> InvokeAsync(string method, params object?[] arguments)
    {
        try
        {
            var result = await _connection.InvokeCoreAsync(method, typeof(JsonElement), arguments).WaitAsync(InvokeTimeout);
            return result is JsonElement { ValueKind: not JsonValueKind.Null } element ? JsonSerializer.SerializeToNode(element) : null;
        }
        catch (HubException ex)
        {
            throw new HubError(ex.Message);
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

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
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
