using System.Globalization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Shows stored UTC times in the community's time zone (configuration "Display:TimeZone", default Asia/Shanghai).</summary>
public sealed class DisplayClock(IConfiguration configuration)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(configuration["Display:TimeZone"] ?? "Asia/Shanghai");

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    public string DateTime(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Time(DateTime utc) => ToLocal(utc).ToString("HH:mm", CultureInfo.InvariantCulture);

    public DateTime LocalNow() => ToLocal(System.DateTime.UtcNow);
}
