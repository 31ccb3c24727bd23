using System.Globalization;
using System.Text;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// One feature's part of the minutes. <see cref="MinutesGenerator"/> calls its sections at four places, each time in
/// the order it lists them, and writes the rest (title, the session's facts, the agenda, each item's heading, the
/// closing hash) itself. A section is stateless: everything it reads is in the <see cref="MinutesContext"/>.
/// </summary>
internal interface IMinutesSection
{
    /// <summary>Rows of the header table, after the session's fixed facts.</summary>
    void WriteHeaderRows(MinutesContext minutes)
    {
    }

    /// <summary>Before the agenda: attendance, proxies.</summary>
    void WriteBeforeAgenda(MinutesContext minutes)
    {
    }

    /// <summary>Under an agenda item's heading.</summary>
    void WriteItem(MinutesContext minutes, int agendaItemId)
    {
    }

    /// <summary>After the last item: statistics, decisions.</summary>
    void WriteAfterAgenda(MinutesContext minutes)
    {
    }
}

/// <summary>A typed log entry with its time.</summary>
internal sealed record Logged<T>(DateTime AtUtc, T Entry);

/// <summary>The minutes being written: the header, the log read once into typed entries, the text so far.</summary>
internal sealed class MinutesContext
{
    private readonly List<Logged<SessionLogEvent>> _log;
    private readonly TimeZoneInfo _zone;

    /// <param name="entries">The session's log in sequence order. Entries of kinds no feature registers are left out.</param>
    public MinutesContext(MinutesHeader header, IEnumerable<SessionLogEntry> entries, TimeZoneInfo zone)
    {
        Header = header;
        _zone = zone;
        _log = entries.Select(e => (e.AtUtc, Entry: SessionLog.TryRead(e)))
            .Where(e => e.Entry is not null)
            .Select(e => new Logged<SessionLogEvent>(e.AtUtc, e.Entry!))
            .ToList();
    }

    public MinutesHeader Header { get; }

    public StringBuilder Text { get; } = new();

    /// <summary>The time zone the minutes are written in.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>The entries that are a <typeparamref name="T"/> (a record, or an interface several records share), in log order.</summary>
    public List<Logged<T>> Entries<T>()
        where T : class =>
        _log.Where(e => e.Entry is T).Select(e => new Logged<T>(e.AtUtc, (T)(object)e.Entry)).ToList();

    /// <summary>"HH:mm" in the minutes' time zone.</summary>
    public string Time(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, _zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The time, preceded by the date when it is not on the day of <paramref name="dayUtc"/>.</summary>
    public string TimeOnTheDayOf(DateTime utc, DateTime dayUtc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _zone);
        var day = TimeZoneInfo.ConvertTimeFromUtc(dayUtc, _zone);
        return local.ToString(local.Date == day.Date ? "HH:mm" : "yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }
}
