using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>What the generator needs besides the log: the session's fixed facts.</summary>
/// <param name="Members">Members with a vote (who "should attend").</param>
/// <param name="VotingMembers">Their seats' ids, to tell them from those who attend without a vote (the recorder); null:
/// every check-in counts as a voting member's (a header made before this was known).</param>
public sealed record MinutesHeader(
    string BodyName, string TermName, int SessionNumber, string Kind, string Title, DateTime ScheduledAtUtc, string Place,
    string Chair, string? Recorder, int Members, IReadOnlyList<(int Position, int Id, string Title, int PlannedMinutes)> Agenda, int QuorumRequired = 0,
    MinutesHearing? Hearing = null, IReadOnlySet<int>? VotingMembers = null);

/// <summary>The hearing held in a public-hearing session: its minutes are the hearing report (<see cref="HearingMinutesSection"/>).</summary>
public sealed record MinutesHearing(int HearingId, string Topic, IReadOnlyList<HearingSeats> Seats);

/// <summary>
/// Generates minutes as Markdown (CommonMark with pipe tables) from a session's log. Pure and deterministic: the same
/// header, log and time zone always give the same text, byte for byte (golden tests hold it to that).
/// Minutes are in Chinese, the language of the record; user text is escaped so it cannot become markup.
/// The log is read once into typed entries; each feature writes its own part from them (<see cref="IMinutesSection"/>).
/// </summary>
public static class MinutesGenerator
{
    /// <summary>
    /// The features' sections, in the order they write at each place: the session (opening, attendance, items taken
    /// up), the hearing report (public hearings), proposals (with amendments), speakers, votes (proxies, results, decisions).
    /// </summary>
    private static readonly IMinutesSection[] Sections =
    [
        new SessionsMinutesSection(),
        new HearingMinutesSection(),
        new ConsultationMinutesSection(),
        new ProposalsMinutesSection(),
        new SpeakersMinutesSection(),
        new VotingMinutesSection(),
    ];

    public static string Generate(MinutesHeader header, IReadOnlyList<SessionLogEntry> log, TimeZoneInfo zone)
    {
        var entries = log.OrderBy(e => e.Sequence).ToList();
        var minutes = new MinutesContext(header, entries, zone);
        var md = minutes.Text;

        md.Append("# ").Append(Escape(header.Title)).Append("\n\n");
        md.Append("| 项目 | 内容 |\n|---|---|\n");
        Row(md, "议事机构", $"{header.BodyName}({header.TermName})");
        Row(md, "会议", $"第 {header.SessionNumber} 次 · {header.Kind}");
        Row(md, "时间", TimeZoneInfo.ConvertTimeFromUtc(header.ScheduledAtUtc, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture));
        Row(md, "地点", header.Place);
        Row(md, "主持人", header.Chair);
        Row(md, "记录人", header.Recorder ?? "—");
        foreach (var section in Sections)
        {
            section.WriteHeaderRows(minutes);
        }

        md.Append('\n');
        foreach (var section in Sections)
        {
            section.WriteBeforeAgenda(minutes);
        }

        md.Append("## 议程\n\n");
        foreach (var item in header.Agenda.OrderBy(a => a.Position))
        {
            md.Append(CultureInfo.InvariantCulture, $"{item.Position}. {Escape(item.Title)}(计划 {item.PlannedMinutes} 分钟)\n");
        }

        md.Append('\n');
        foreach (var item in header.Agenda.OrderBy(a => a.Position))
        {
            md.Append(CultureInfo.InvariantCulture, $"## {item.Position}. {Escape(item.Title)}\n\n");
            foreach (var section in Sections)
            {
                section.WriteItem(minutes, item.Id);
            }
        }

        foreach (var section in Sections)
        {
            section.WriteAfterAgenda(minutes);
        }

        md.Append("---\n\n");
        var last = entries.LastOrDefault();
        md.Append(CultureInfo.InvariantCulture, $"本纪要由会议记录自动生成,依据会议日志共 {entries.Count} 条,日志末条哈希(SHA-256):`{last?.Hash ?? SessionLogEntry.Genesis}`。\n");
        if (last?.Signature is { } signature)
        {
            // The chain head's signature (ADR 0015): a resident's copy of these minutes anchors the log up to this entry.
            md.Append(CultureInfo.InvariantCulture, $"\n日志末条签名(ECDSA P-256,密钥 `{last.KeyId}`):`{signature}`。\n");
        }
        return md.ToString();
    }

    /// <summary>"45 秒", "3 分", "3 分 25 秒".</summary>
    internal static string Duration(int seconds)
    {
        var (m, s) = (seconds / 60, seconds % 60);
        return m == 0 ? FormattableString.Invariant($"{s} 秒") : s == 0 ? FormattableString.Invariant($"{m} 分") : FormattableString.Invariant($"{m} 分 {s} 秒");
    }

    /// <summary>A row of the header table; the value is escaped.</summary>
    internal static void Row(StringBuilder md, string label, string value) =>
        md.Append("| ").Append(label).Append(" | ").Append(Escape(value)).Append(" |\n");

    /// <summary>
    /// Escapes user text for one line of Markdown: backslash-escapes the characters that open emphasis, code, links,
    /// HTML, headings, strikethrough, attributes or table cells, and folds line breaks into spaces. Nothing else is
    /// touched, so the downloaded .md stays readable.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else if (ch is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '#' or '|' or '<' or '>' or '~')
            {
                sb.Append('\\').Append(ch);
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }
}
