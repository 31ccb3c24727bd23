using System.Globalization;
using CommunityDeliberation.Deliberation.Minutes;
using static CommunityDeliberation.Deliberation.Minutes.MinutesGenerator;

namespace CommunityDeliberation.Deliberation.Speakers;

/// <summary>
/// The speakers in the minutes: under each item, who spoke in what order, with stance, start, time used and time
/// allowed, then the requests the chair removed; after the items, the time each speaker used.
/// </summary>
internal sealed class SpeakersMinutesSection : IMinutesSection
{
    public void WriteItem(MinutesContext minutes, int agendaItemId)
    {
        var md = minutes.Text;
        var turns = minutes.Entries<SpeakerEndedEntry>().Select(e => e.Entry).Where(t => t.AgendaItemId == agendaItemId).ToList();
        if (turns.Count > 0)
        {
            md.Append("发言:\n\n| 发言人 | 立场 | 开始 | 用时 | 限时 |\n|---|---|---|---:|---:|\n");
            foreach (var t in turns)
            {
                md.Append("| ").Append(Escape(t.Member.Name)).Append(" | ").Append(MarkText(t.Mark)).Append(" | ").Append(minutes.Time(Utc(t.StartedAtUtc))).Append(" | ")
                    .Append(Duration(t.Seconds))
                    .Append(t.Seconds > t.AllowedSeconds ? $"(超时 {Duration(t.Seconds - t.AllowedSeconds)})" : string.Empty)
                    .Append(" | ").Append(Duration(t.AllowedSeconds)).Append(" |\n");
            }

            md.Append('\n');
        }

        var removals = minutes.Entries<SpeakerRemovedEntry>().Where(e => e.Entry.AgendaItemId == agendaItemId).ToList();
        foreach (var removal in removals)
        {
            md.Append("- ").Append(minutes.Time(removal.AtUtc)).Append(" 主持人取消了 ").Append(Escape(removal.Entry.Member.Name)).Append(" 的发言申请")
                .Append(removal.Entry.Reason is { } reason ? $",理由:{Escape(reason)}" : "(未说明理由)").Append("。\n");
        }

        if (removals.Count > 0)
        {
            md.Append('\n');
        }
    }

    /// <summary>Time used per speaker, over the turns on the session's agenda.</summary>
    public void WriteAfterAgenda(MinutesContext minutes)
    {
        var md = minutes.Text;
        var agendaIds = minutes.Header.Agenda.Select(a => a.Id).ToHashSet();
        var spoken = minutes.Entries<SpeakerEndedEntry>().Select(e => e.Entry).Where(t => agendaIds.Contains(t.AgendaItemId)).ToList();
        if (spoken.Count == 0)
        {
            return;
        }

        md.Append("## 发言统计\n\n| 发言人 | 发言次数 | 合计用时 |\n|---|---:|---:|\n");
        foreach (var person in spoken.GroupBy(t => t.Member.Id))
        {
            md.Append("| ").Append(Escape(person.First().Member.Name)).Append(" | ")
                .Append(person.Count().ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(Duration(person.Sum(t => t.Seconds))).Append(" |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\n共 {spoken.Count} 人次发言,合计 {Duration(spoken.Sum(t => t.Seconds))}。\n\n");
    }

    /// <summary>A "…Utc" payload time: with "Z" or an offset it is converted; without either it is UTC already.</summary>
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string MarkText(string mark) => mark switch
    {
        "Pro" => "支持",
        "Contra" => "反对",
        "Question" => "提问",
        _ => Escape(mark),
    };
}
