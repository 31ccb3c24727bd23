using System.Globalization;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Shows stored UTC times in the community's time zone (<see cref="DisplayOptions"/>).</summary>
public sealed class DisplayClock(IOptions<DisplayOptions> options)
{
    private readonly DisplayOptions _display = options.Value;

    public DateTime ToLocal(DateTime utc) => _display.ToLocal(utc);

    public DateTime ToUtc(DateTime local) => _display.ToUtc(local);

    public string DateTime(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Time(DateTime utc) => ToLocal(utc).ToString("HH:mm", CultureInfo.InvariantCulture);

    public DateTime LocalNow() => ToLocal(System.DateTime.UtcNow);
}
