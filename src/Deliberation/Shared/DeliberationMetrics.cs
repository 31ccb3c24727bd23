using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// The app's own instruments (ADR 0024), on the meter <see cref="MeterName"/>: what the load tool measures from outside,
/// seen from inside by an operator — ballots stored, the size and time of each group-committed batch (ADR 0008), how
/// long an event takes to reach every screen of its session, and the live circuits and hub connections. Recording costs
/// nothing while no listener (the Prometheus exporter, dotnet-counters) is enabled for an instrument.
/// </summary>
public sealed class DeliberationMetrics
{
    /// <summary>The meter's name: what an exporter or <c>dotnet-counters monitor --counters</c> asks for.</summary>
    public const string MeterName = "CommunityDeliberation";

    private readonly Counter<long> _ballotsAccepted;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<double> _fanOut;
    private readonly UpDownCounter<long> _circuits;
    private readonly UpDownCounter<long> _hubConnections;

    public DeliberationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ballotsAccepted = meter.CreateCounter<long>("deliberation.ballots.accepted", "{ballot}",
            "Ballots stored (batches and one-by-one casts); its rate is the ballots accepted per second.");
        _batchSize = meter.CreateHistogram<int>("deliberation.ballot_batch.size", "{cast}",
            "Casts taken by a vote's writer as one batch (group commit, ADR 0008).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] });
        _batchDuration = meter.CreateHistogram<double>("deliberation.ballot_batch.duration", "s",
            "Time a vote's writer spends on one batch: checks, the transaction and the answers.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _fanOut = meter.CreateHistogram<double>("deliberation.event.fan_out.duration", "s",
            "From handing a session event to this instance's subscribers until every one (circuit, hub group) has applied it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _circuits = meter.CreateUpDownCounter<long>("deliberation.circuits.live", "{circuit}",
            "Blazor circuits open on this instance (connected or waiting for their browser to come back).");
        _hubConnections = meter.CreateUpDownCounter<long>("deliberation.hub.connections", "{connection}",
            "Connections to the live hub (/hubs/live) on this instance.");
    }

    public void BallotsAccepted(int count)
    {
        if (count > 0)
        {
            _ballotsAccepted.Add(count);
        }
    }

    /// <summary>A vote's writer took a batch of <paramref name="size"/> casts.</summary>
    public void BatchTaken(int size) => _batchSize.Record(size);

    /// <summary>A vote's writer answered every cast of a batch after <paramref name="elapsed"/>.</summary>
    public void BatchWritten(TimeSpan elapsed) => _batchDuration.Record(elapsed.TotalSeconds);

    /// <summary>
    /// Records the fan-out of one event once every subscriber's handler has finished (handlers never throw: the bus
    /// catches). Nothing is awaited or allocated when no one listens.
    /// </summary>
    public void FanOut(long startedTimestamp, Task[] handlers, string eventName)
    {
        if (!_fanOut.Enabled || handlers.Length == 0)
        {
            return;
        }

        _ = Task.WhenAll(handlers).ContinueWith(
            (_, state) => _fanOut.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("event", state)),
            eventName, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Whether anyone listens to the fan-out time (the bus then keeps the handlers' tasks).</summary>
    public bool MeasuresFanOut => _fanOut.Enabled;

    public void CircuitOpened() => _circuits.Add(1);

    public void CircuitClosed() => _circuits.Add(-1);

    public void HubConnected() => _hubConnections.Add(1);

    public void HubDisconnected() => _hubConnections.Add(-1);
}
