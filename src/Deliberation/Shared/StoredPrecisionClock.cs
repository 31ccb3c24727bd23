namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// The system clock read to whole microseconds, the finest time both databases keep (PostgreSQL's <c>timestamp</c> holds
/// microseconds; .NET ticks are a tenth of that). A time a service returns right after a command is then the same time
/// a later read of the stored row gives, on SQLite and on PostgreSQL alike (ADR 0021).
/// </summary>
public sealed class StoredPrecisionClock(TimeProvider inner) : TimeProvider
{
    public static readonly StoredPrecisionClock Default = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow()
    {
        var now = inner.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();
}
