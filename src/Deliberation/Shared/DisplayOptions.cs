namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// How times are shown: configuration section "Display" (<c>Display:TimeZone</c>, an IANA id, default Asia/Shanghai).
/// Times are stored in UTC; this is the one place the display zone is read (minutes, archive, pages).
/// </summary>
public sealed class DisplayOptions
{
    public const string Section = "Display";

    private TimeZoneInfo? _zone;

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public TimeZoneInfo Zone => _zone ??= TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
}
