using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Shared.Realtime;

namespace CommunityDeliberation.App.Hearings;

/// <summary>
/// The live state of each watched hearing for its observers, without a Blazor circuit per viewer: one subscription to
/// the event bus per hearing, one reload of the live view per change (not per observer), and the same JSON text handed
/// to every observer's server-sent-events stream. Each observer holds a one-slot channel (the newest state replaces an
/// unsent one), so a slow phone never makes the server queue states for it.
/// </summary>
public sealed class HearingLiveFeed(ISessionEventSubscriber bus, IServiceScopeFactory scopes, ILogger<HearingLiveFeed> logger) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly ConcurrentDictionary<int, Feed> _feeds = new();

    private ISessionEventSubscriber Bus => bus;

    private ILogger Logger => logger;

    /// <summary>Observers connected now, over every hearing.</summary>
    public int Observers => _feeds.Values.Sum(f => f.Count);

    /// <summary>Starts watching: the current state first, then every change, until the observer leaves.</summary>
    public async Task<(ChannelReader<string> Reader, IDisposable Leave)?> WatchAsync(int hearingId, CancellationToken ct)
    {
        var feed = _feeds.GetOrAdd(hearingId, id => new Feed(this, id));
        await feed.EnsureStartedAsync(ct);
        if (feed.Current is null)
        {
            return null;
        }

        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        channel.Writer.TryWrite(feed.Current);
        feed.Add(channel);
        return (channel.Reader, new Leave(() => feed.Remove(channel)));
    }

    public void Dispose()
    {
        foreach (var feed in _feeds.Values)
        {
            feed.Dispose();
        }
    }

    private async Task<string?> LoadAsync(int hearingId)
    {
        using var scope = scopes.CreateScope();
        var view = await scope.ServiceProvider.GetRequiredService<HearingPublicService>().GetLiveAsync(hearingId);
        return view is null ? null : JsonSerializer.Serialize(view, Json);
    }

    private sealed class Feed(HearingLiveFeed owner, int hearingId) : IDisposable
    {
        private readonly object _gate = new();
        private readonly SemaphoreSlim _reload = new(1, 1);
        private ImmutableList<Channel<string>> _observers = [];
        private IDisposable? _subscription;
        private Task? _started;

        public string? Current { get; private set; }

        public int Count => _observers.Count;

        public Task EnsureStartedAsync(CancellationToken ct)
        {
            lock (_gate)
            {
                _started ??= StartAsync();
                return _started;
            }
        }

        public void Add(Channel<string> channel) => ImmutableInterlocked.Update(ref _observers, list => list.Add(channel));

        public void Remove(Channel<string> channel)
        {
            ImmutableInterlocked.Update(ref _observers, list => list.Remove(channel));
            channel.Writer.TryComplete();
        }

        public void Dispose()
        {
            _subscription?.Dispose();
            _reload.Dispose();
        }

        private async Task StartAsync()
        {
            _subscription = owner.Bus.Subscribe(HearingChanged.ChannelOf(hearingId), _ => ReloadAsync());
            Current = await owner.LoadAsync(hearingId);
        }

        private async Task ReloadAsync()
        {
            await _reload.WaitAsync();
            try
            {
                var state = await owner.LoadAsync(hearingId);
                if (state is null || state == Current)
                {
                    return;
                }

                Current = state;
                foreach (var observer in _observers)
                {
                    observer.Writer.TryWrite(state);
                }
            }
            catch (Exception ex)
            {
                owner.Logger.LogError(ex, "Reloading the live view of hearing {HearingId} failed", hearingId);
            }
            finally
            {
                _reload.Release();
            }
        }
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        public void Dispose() => leave();
    }
}

/// <summary>The observers' stream: <c>GET /hearings/{id}/live/events</c>, server-sent events, no account needed.</summary>
public static class HearingLiveEndpoints
{
    public static void MapHearingLiveEndpoints(this WebApplication app) =>
        app.MapGet("/hearings/{id:int}/live/events", StreamAsync);

    private static async Task StreamAsync(int id, HttpContext http, HearingLiveFeed feed)
    {
        var ct = http.RequestAborted;
        var watch = await feed.WatchAsync(id, ct);
        if (watch is not { } w)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var leave = w.Leave;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(25));
                string? state = null;
                try
                {
                    if (await w.Reader.WaitToReadAsync(heartbeat.Token))
                    {
                        w.Reader.TryRead(out state);
                    }
                    else
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // No change for a while: a comment line keeps proxies from closing the stream.
                }

                await http.Response.WriteAsync(state is null ? ": keep-alive\n\n" : $"data: {state}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The observer left.
        }
    }
}
