using System.Globalization;
using CommunityDeliberation.Deliberation.Speakers;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Words and numbers for the speakers' queue: marks, clock times (mm:ss) and spoken durations.</summary>
public static class SpeakerText
{
    public static string Mark(IStringLocalizer localizer, SpeakerMark mark) => localizer[$"Speakers.Mark.{mark}"];

    /// <summary>"03:00", "00:45", and "−00:15" for an overrun.</summary>
    public static string Clock(int seconds)
    {
        var abs = Math.Abs(seconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"{abs / 60:00}:{abs % 60:00}");
        return seconds < 0 ? "\u2212" + text : text;
    }

    /// <summary>"3 分钟", "45 秒", "4 分 10 秒" (or the English equivalents), for sentences read aloud.</summary>
    public static string Duration(IStringLocalizer localizer, int seconds)
    {
        var (minutes, rest) = (seconds / 60, seconds % 60);
        return minutes == 0 ? localizer["Speakers.Duration.Seconds", rest]
            : rest == 0 ? localizer["Speakers.Duration.Minutes", minutes]
            : localizer["Speakers.Duration.MinutesSeconds", minutes, rest];
    }

    public static long EpochMilliseconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
