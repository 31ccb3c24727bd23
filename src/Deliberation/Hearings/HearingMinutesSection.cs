using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// The hearing report in the minutes of the hearing's session (the report IS those minutes, so it goes through the
/// minutes' review, approval, publication, versions and archive): participants and positions by category, speeches
/// with summaries, written comments, issues with responses, written by <see cref="HearingReport.WriteBody"/> from the
/// hearing's entries in the log. Writes nothing for a session without a hearing.
/// </summary>
internal sealed class HearingMinutesSection : IMinutesSection
{
    public void WriteBeforeAgenda(MinutesContext minutes)
    {
        if (minutes.Header.Hearing is not { } hearing)
        {
            return;
        }

        var entries = minutes.Entries<IHearingEntry>().Where(e => e.Entry.HearingId == hearing.HearingId).Select(e => (SessionLogEvent)e.Entry).ToList();
        minutes.Text.Append("## 听证报告:").Append(MinutesGenerator.Escape(hearing.Topic)).Append("\n\n");
        HearingReport.WriteBody(minutes.Text, hearing.Seats, entries, minutes.Zone);
    }
}
