using System.Globalization;
using CommunityDeliberation.Deliberation.Minutes;
using static CommunityDeliberation.Deliberation.Minutes.MinutesGenerator;

namespace CommunityDeliberation.Deliberation.Sessions;

/// <summary>The session in its minutes: when it opened and closed, who attended, when each item was taken up.</summary>
internal sealed class SessionsMinutesSection : IMinutesSection
{
    public void WriteHeaderRows(MinutesContext minutes)
    {
        var opened = minutes.Entries<SessionOpenedEntry>().FirstOrDefault();
        var closed = minutes.Entries<SessionClosedEntry>().LastOrDefault();
        if (opened is not null)
        {
            // "时间" above is the scheduled time: a session opened on another day says which, and so does a close after midnight.
            var closing = closed is null ? string.Empty : $" — 散会 {minutes.TimeOnTheDayOf(closed.AtUtc, opened.AtUtc)}";
            Row(minutes.Text, "开会", minutes.TimeOnTheDayOf(opened.AtUtc, minutes.Header.ScheduledAtUtc) + closing);
        }
    }

    /// <summary>
    /// Attendance and quorum. Those who should attend are the members with a vote; members without one who checked in
    /// (the recorder) attend besides them, so "present" never exceeds "should attend". A hearing's participants are in
    /// its report (<see cref="Hearings.HearingMinutesSection"/>): for a hearing this part only names council members who
    /// checked in, without a quorum, and is left out when none did.
    /// </summary>
    public void WriteBeforeAgenda(MinutesContext minutes)
    {
        var md = minutes.Text;
        var header = minutes.Header;
        var checkedIn = minutes.Entries<CheckedInEntry>().SelectMany(e => e.Entry.Members.Select(m => (m.Id, m.Name, e.Entry.By))).ToList();
        var hearing = header.Hearing is not null;
        if (hearing && checkedIn.Count == 0)
        {
            return;
        }

        md.Append("## 出席情况\n\n");
        var self = checkedIn.Count(c => c.By == CheckedInEntry.BySelf);
        // The chair, a vice-chair or the secretary may check members in (SessionPermissions): "recorded for them", not by whom.
        var how = string.Create(CultureInfo.InvariantCulture, $"其中本人签到 {self} 人,代为登记 {checkedIn.Count - self} 人。");
        var voting = !hearing && header.VotingMembers is { } ids ? checkedIn.Where(c => ids.Contains(c.Id)).ToList() : checkedIn;
        var attending = checkedIn.Except(voting).ToList();
        if (hearing)
        {
            md.Append(CultureInfo.InvariantCulture, $"到会的议事会成员 {checkedIn.Count} 人,").Append(how);
        }
        else
        {
            md.Append(CultureInfo.InvariantCulture, $"应到(有表决权成员){header.Members} 人,实到 {voting.Count} 人");
            if (attending.Count > 0)
            {
                md.Append(CultureInfo.InvariantCulture, $",另有列席 {attending.Count} 人。签到共 {checkedIn.Count} 人,").Append(how);
            }
            else
            {
                md.Append(',').Append(how);
            }
        }

        if (!hearing && header.QuorumRequired > 0)
        {
            // The quorum is judged per vote, on who is present with a vote when it closes.
            md.Append(CultureInfo.InvariantCulture, $"法定人数为有表决权成员 {header.QuorumRequired} 人,每项表决结束时的出席情况见下。");
        }

        md.Append("\n\n");
        if (voting.Count > 0)
        {
            md.Append("出席人员:").Append(string.Join("、", voting.Select(c => Escape(c.Name)))).Append("。\n\n");
        }

        if (attending.Count > 0)
        {
            md.Append("列席人员:").Append(string.Join("、", attending.Select(c => Escape(c.Name)))).Append("。\n\n");
        }
    }

    public void WriteItem(MinutesContext minutes, int agendaItemId)
    {
        var taken = minutes.Entries<AgendaMovedEntry>().Where(e => e.Entry.AgendaItemId == agendaItemId).ToList();
        foreach (var t in taken)
        {
            minutes.Text.Append("- ").Append(minutes.Time(t.AtUtc)).Append(" 主持人宣布进入本项议程。\n");
        }

        if (taken.Count > 0)
        {
            minutes.Text.Append('\n');
        }
    }
}
