using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>
/// The app's own instruments (ADR 0024) as a listener sees them: a batch of casts is one batch-size measurement and as
/// many accepted ballots as were stored; an event's fan-out lasts until the slowest subscriber has applied it. Each
/// listener hears only the meters of its own service provider (the tests of other classes record in parallel).
/// </summary>
public sealed class DeliberationMetricsTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ABatchIsOneSizeMeasurementAndItsStoredBallotsAreCounted()
    {
        var council = new JiangchuanCouncil(fixture);
        var (_, pollId) = await council.OpenPollWithVotersAsync(1, 2, 3);
        using var recorded = new Recorded(fixture.Database.Services.GetRequiredService<IMeterFactory>());

        var answers = council.Voting.CastTogether(pollId,
            (council.Rep(1), [PollSpec.Yes], "m-1", null), (council.Rep(2), [PollSpec.No], "m-2", null),
            (council.Rep(1), [PollSpec.No], "m-3", null), (council.Rep(3), [PollSpec.Yes], "m-4", null));
        await Task.WhenAll(answers).WaitAsync(HangGuard);

        // Four casts taken as one batch; the repeat of rep 1 is answered, not stored.
        Assert.Equal([4.0], recorded.Of("deliberation.ballot_batch.size"));
        Assert.Equal(3.0, recorded.Of("deliberation.ballots.accepted").Sum());
        var duration = Assert.Single(recorded.Of("deliberation.ballot_batch.duration"));
        Assert.InRange(duration, 0, HangGuard.TotalSeconds);
    }

    [Fact]
    public async Task FanOutLastsUntilTheSlowestSubscriberHasAppliedTheEvent()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var bus = new SessionEventBus(NullLogger<SessionEventBus>.Instance, new DeliberationMetrics(factory));
        using var recorded = new Recorded(factory);
        var slowDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var fast = bus.Subscribe(7, _ => Task.CompletedTask);
        using var slow = bus.Subscribe(7, async _ =>
        {
            await release.Task;
            slowDone.SetResult();
        });

        bus.Deliver(new AttendanceChanged(7, 80, 151));
        await Task.Delay(100);
        Assert.Empty(recorded.Of("deliberation.event.fan_out.duration")); // the slow screen has not applied it yet

        release.SetResult();
        await slowDone.Task.WaitAsync(HangGuard);
        var deadline = DateTime.UtcNow + HangGuard;
        while (recorded.Of("deliberation.event.fan_out.duration").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var seconds = Assert.Single(recorded.Of("deliberation.event.fan_out.duration"));
        Assert.True(seconds >= 0.1, $"fan-out of {seconds} s ended before the slow subscriber");
        Assert.Equal(nameof(AttendanceChanged), recorded.EventOf("deliberation.event.fan_out.duration"));
    }

    /// <summary>Every measurement of the meters made by one factory, by instrument name.</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<(double Value, string? Event)>> _values = new();

        public Recorded(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == DeliberationMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public List<double> Of(string name) => _values.TryGetValue(name, out var q) ? q.Select(m => m.Value).ToList() : [];

        public string? EventOf(string name) => _values.TryGetValue(name, out var q) ? q.Select(m => m.Event).FirstOrDefault() : null;

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? eventName = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "event")
                {
                    eventName = tag.Value as string;
                }
            }

            _values.GetOrAdd(instrument.Name, _ => new()).Enqueue((value, eventName));
        }
    }
}
