using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>The hearing's fixed facts for the report's head.</summary>
public sealed record HearingReportHeader(string Topic, string BodyName, string SessionTitle, DateTime StartsAtUtc, string Place, IReadOnlyList<HearingSeats> Seats);

/// <summary>
/// Writes the hearing report as Markdown from the hearing's entries in its session log (pure and deterministic):
/// participants by category, positions tallied by category, each speech with its summary (the latest one logged),
/// written comments grouped by position (hidden ones left out), and the issues raised with their responses. In
/// Chinese, the language of the record; user text is escaped so it cannot become markup.
/// </summary>
public static class HearingReport
{
    public static string Write(HearingReportHeader header, IEnumerable<SessionLogEvent> log, TimeZoneInfo zone)
    {
        var entries = log.ToList();
        var md = new StringBuilder();
        md.Append("# 听证报告:").Append(MinutesGenerator.Escape(header.Topic)).Append("\n\n");
        md.Append("| 项目 | 内容 |\n|---|---|\n");
        Row(md, "议事机构", header.BodyName);
        Row(md, "会议", header.SessionTitle);
        Row(md, "时间", TimeZoneInfo.ConvertTimeFromUtc(header.StartsAtUtc, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture));
        Row(md, "地点", header.Place);
        md.Append('\n');
        WriteBody(md, header.Seats, entries, zone);
        md.Append("---\n\n");
        md.Append(CultureInfo.InvariantCulture, $"本报告由听证会日志自动生成,依据日志 {entries.Count} 条。\n");
        return md.ToString();
    }

    /// <summary>
    /// The report's sections (participants, positions, speeches, comments, issues and responses, feedback), written
    /// both by <see cref="Write"/> and, into the minutes of the hearing's session, by <see cref="HearingMinutesSection"/>.
    /// </summary>
    internal static void WriteBody(StringBuilder md, IReadOnlyList<HearingSeats> seats, IReadOnlyList<SessionLogEvent> entries, TimeZoneInfo zone)
    {
        // Registrations and the latest decision on each.
        var registered = entries.OfType<HearingRegisteredEntry>().ToList();
        var decided = entries.OfType<HearingDecidedEntry>().GroupBy(d => d.RegistrationId).Select(g => g.Last()).ToList();
        var selected = decided.Where(d => d.Status == nameof(RegistrationStatus.Selected)).ToList();

        md.Append("## 参加人员\n\n");
        md.Append("| 类别 | 席位 | 报名 | 选定 |\n|---|---:|---:|---:|\n");
        foreach (var seat in seats)
        {
            var category = seat.Category.ToString();
            md.Append(CultureInfo.InvariantCulture,
                $"| {CategoryName(seat.Category)} | {seat.Seats} | {registered.Count(r => r.Category == category)} | {selected.Count(s => s.Category == category)} |\n");
        }

        md.Append('\n');
        foreach (var group in selected.GroupBy(s => s.Category).OrderBy(g => Enum.Parse<ParticipantCategory>(g.Key)))
        {
            md.Append("- ").Append(CategoryName(Enum.Parse<ParticipantCategory>(group.Key))).Append(':')
                .Append(string.Join("、", group.OrderBy(s => s.RegistrationId).Select(s => MinutesGenerator.Escape(s.Name)))).Append('\n');
        }

        var checkedIn = entries.OfType<HearingCheckedInEntry>().Select(c => c.RegistrationId).ToHashSet();
        if (checkedIn.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"- 现场签到:{selected.Count(s => checkedIn.Contains(s.RegistrationId))} 人(入选 {selected.Count} 人)。\n");
        }

        var absent = entries.OfType<HearingAbsentEntry>().ToList();
        if (absent.Count > 0)
        {
            md.Append("- 缺席:").Append(string.Join("、", absent.Select(a => MinutesGenerator.Escape(a.Name)))).Append("。\n");
        }

        foreach (var draw in entries.OfType<HearingDrawnEntry>())
        {
            md.Append(CultureInfo.InvariantCulture,
                $"- {CategoryName(Enum.Parse<ParticipantCategory>(draw.Category))}报名超过席位,公开抽签:{draw.Candidates.Count} 人抽 {draw.Seats} 席,种子 `{draw.Seed}`。\n");
        }

        md.Append("\n## 立场统计(按类别)\n\n");
        md.Append("| 类别 | 支持 | 反对 | 其他 |\n|---|---:|---:|---:|\n");
        foreach (var seat in seats)
        {
            var category = seat.Category.ToString();
            var inCategory = registered.Where(r => r.Category == category).ToList();
            md.Append(CultureInfo.InvariantCulture,
                $"| {CategoryName(seat.Category)} | {inCategory.Count(r => r.Position == nameof(HearingPosition.Support))} | {inCategory.Count(r => r.Position == nameof(HearingPosition.Oppose))} | {inCategory.Count(r => r.Position == nameof(HearingPosition.Other))} |\n");
        }

        md.Append("\n## 发言\n\n");
        var summaries = entries.OfType<HearingSummarizedEntry>().GroupBy(s => s.SpeechId).ToDictionary(g => g.Key, g => g.Last().Summary);
        var questions = entries.OfType<HearingQuestionEntry>().ToList();
        var questionIds = questions.Select(q => q.SpeechId).ToHashSet();
        var turns = entries.Where(e => e is HearingSpokeEntry s ? !questionIds.Contains(s.SpeechId) : e is HearingAbsentEntry).ToList();
        if (turns.Count == 0)
        {
            md.Append("无。\n");
        }

        var number = 0;
        var speechNumbers = new Dictionary<int, int>();
        foreach (var turn in turns)
        {
            if (turn is HearingAbsentEntry a)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"{++number}. {MinutesGenerator.Escape(a.Name)}({CategoryName(Enum.Parse<ParticipantCategory>(a.Category))} · {PositionName(a.Position)}):缺席,未发言。\n");
                continue;
            }

            var speech = (HearingSpokeEntry)turn;
            speechNumbers[speech.SpeechId] = number + 1;
            var who = $"{MinutesGenerator.Escape(speech.Name)}({CategoryName(Enum.Parse<ParticipantCategory>(speech.Category))} · {PositionName(speech.Position)})";
            if (speech.Skipped)
            {
                md.Append(CultureInfo.InvariantCulture, $"{++number}. {who}:未发言(放弃或缺席)。\n");
                continue;
            }

            md.Append(CultureInfo.InvariantCulture,
                $"{++number}. {who},{Time(speech.StartedAtUtc, zone)}–{Time(speech.EndedAtUtc, zone)},{Duration(speech.Seconds)}(限时 {Duration(speech.AllowedSeconds)})。");
            var summary = summaries.GetValueOrDefault(speech.SpeechId);
            md.Append(summary is null ? " 摘要:(待补)" : " 摘要:" + Inline(summary)).Append('\n');
        }

        if (questions.Count > 0)
        {
            md.Append("\n### 专家提问\n\n");
            var ends = entries.OfType<HearingSpokeEntry>().Where(s => questionIds.Contains(s.SpeechId)).ToDictionary(s => s.SpeechId);
            var q = 0;
            foreach (var question in questions)
            {
                md.Append(CultureInfo.InvariantCulture, $"{++q}. {MinutesGenerator.Escape(question.AskedBy)} 向 {MinutesGenerator.Escape(question.Name)} 提问,{Time(question.StartedAtUtc, zone)}");
                if (ends.TryGetValue(question.SpeechId, out var end))
                {
                    md.Append(CultureInfo.InvariantCulture, $"–{Time(end.EndedAtUtc, zone)},{Duration(end.Seconds)}(限时 {Duration(end.AllowedSeconds)})");
                }

                var summary = summaries.GetValueOrDefault(question.SpeechId);
                md.Append('。').Append(summary is null ? string.Empty : " 摘要:" + Inline(summary)).Append('\n');
            }
        }

        md.Append("\n## 书面意见\n\n");
        var hidden = entries.OfType<HearingCommentHiddenEntry>().Select(h => h.CommentId).ToHashSet();
        var comments = entries.OfType<HearingCommentedEntry>().Where(c => !hidden.Contains(c.CommentId)).ToList();
        if (comments.Count == 0)
        {
            md.Append("无。\n");
        }

        foreach (var group in comments.GroupBy(c => Enum.Parse<HearingPosition>(c.Position)).OrderBy(g => g.Key))
        {
            md.Append(CultureInfo.InvariantCulture, $"### {PositionName(group.Key.ToString())}({group.Count()} 条)\n\n");
            foreach (var comment in group)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"- {MinutesGenerator.Escape(comment.Name)}({CategoryName(Enum.Parse<ParticipantCategory>(comment.Category))}):{Inline(comment.Text)}\n");
            }

            md.Append('\n');
        }

        md.Append("\n## 意见归纳与回应\n\n");
        var responses = entries.OfType<HearingResponseEntry>().GroupBy(r => r.IssueId).ToDictionary(g => g.Key, g => g.Last().Response);
        var issues = entries.OfType<HearingIssueEntry>().ToList();
        if (issues.Count == 0)
        {
            md.Append("无。\n");
        }

        foreach (var issue in issues.OrderBy(i => i.Number))
        {
            md.Append(CultureInfo.InvariantCulture, $"### {issue.Number}. {MinutesGenerator.Escape(issue.Title)}\n\n");
            var sources = issue.SpeechIds.Where(speechNumbers.ContainsKey).Select(id => $"发言 {speechNumbers[id]}")
                .Concat(issue.CommentIds.Select(id => $"书面意见 #{id}")).ToList();
            if (sources.Count > 0)
            {
                md.Append("来源:").Append(string.Join("、", sources)).Append("\n\n");
            }

            md.Append("回应:").Append(responses.TryGetValue(issue.IssueId, out var response) ? Inline(response) : "(尚未回应)").Append("\n\n");
        }

        var feedback = entries.OfType<HearingStepEntry>().LastOrDefault(s => s.Step == nameof(HearingStage.FeedbackPublished));
        if (feedback?.Text is { } text)
        {
            md.Append("## 决策反馈\n\n").Append(Inline(text)).Append("\n\n");
        }
    }

    public static string CategoryName(ParticipantCategory category) => category switch
    {
        ParticipantCategory.Resident => "居民",
        ParticipantCategory.Stakeholder => "利益相关方",
        ParticipantCategory.Expert => "专家",
        ParticipantCategory.Representative => "代表",
        ParticipantCategory.ResidentUnit => "驻区单位",
        _ => category.ToString(),
    };

    public static string PositionName(string position) => position switch
    {
        nameof(HearingPosition.Support) => "支持",
        nameof(HearingPosition.Oppose) => "反对",
        _ => "其他",
    };

    /// <summary>User text on one line, escaped: line breaks become spaces.</summary>
    private static string Inline(string text) => MinutesGenerator.Escape(string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));

    private static string Time(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Duration(int seconds) => seconds < 60 ? $"{seconds} 秒" : seconds % 60 == 0 ? $"{seconds / 60} 分" : $"{seconds / 60} 分 {seconds % 60} 秒";

    private static void Row(StringBuilder md, string label, string value) => md.Append("| ").Append(label).Append(" | ").Append(MinutesGenerator.Escape(value)).Append(" |\n");
}
