using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Minutes;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>
/// The consultation's part of its session's minutes, written from its log entries alone: the topic, the blocs, each
/// bloc's positions by version, the third-party assessment, the rounds, and the decision with who took part, dissent
/// by bloc and the follow-up items. These minutes go through the ordinary review, approval and publication.
/// </summary>
internal sealed class ConsultationMinutesSection : IMinutesSection
{
    private static readonly Dictionary<string, string> Stances = new()
    {
        ["Support"] = "支持", ["Conditional"] = "有条件支持", ["Oppose"] = "反对", ["Undecided"] = "未定",
    };

    private static readonly Dictionary<string, string> Choices = new() { ["For"] = "赞成", ["Against"] = "反对", ["Abstain"] = "弃权" };

    public void WriteBeforeAgenda(MinutesContext minutes)
    {
        foreach (var opened in minutes.Entries<ConsultationOpenedEntry>())
        {
            var id = opened.Entry.ConsultationId;
            var entries = minutes.Entries<IConsultationEntry>().Where(e => e.Entry.ConsultationId == id).ToList();
            Write(minutes.Text, opened.Entry, entries.Select(e => (e.AtUtc, (SessionLogEvent)e.Entry)).ToList(), minutes.Zone);
        }
    }

    private static void Write(StringBuilder md, ConsultationOpenedEntry opened, List<(DateTime AtUtc, SessionLogEvent Entry)> entries, TimeZoneInfo zone)
    {
        string E(string text) => MinutesGenerator.Escape(text);
        string T(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("M月d日 HH:mm", CultureInfo.InvariantCulture);
        md.Append("## “1+X+1”协商:").Append(E(opened.Title)).Append("\n\n");
        md.Append(opened.Important ? "重要议题(决策前须有第三方论证)。" : "一般议题。").Append("议题:").Append(E(opened.Topic)).Append("\n\n");
        if (entries.Select(e => e.Entry).OfType<ConsultationRoundEntry>().LastOrDefault(r => r.Opened) is { } last)
        {
            md.Append("### 参与协商的各方\n\n| 协商方 | 发言人 | 成员 |\n|---|---|---|\n");
            foreach (var bloc in last.Blocs)
            {
                md.Append("| ").Append(E(bloc.Name)).Append(" | ").Append(E(bloc.Spokesperson ?? "—")).Append(" | ").Append(E(string.Join("、", bloc.Members))).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("### 协商过程\n\n");
        foreach (var (at, entry) in entries)
        {
            switch (entry)
            {
                case ConsultationRoundEntry round:
                    md.Append(CultureInfo.InvariantCulture, $"- {T(at)} 第 {round.Round} 轮协商{(round.Opened ? "开始" : "结束")}\n");
                    break;
                case ConsultationPositionEntry p:
                    md.Append(CultureInfo.InvariantCulture, $"- {T(at)} {E(p.Bloc)}提交意见第 {p.Version} 版({Stances.GetValueOrDefault(p.Stance, p.Stance)}):{E(p.Text)}\n");
                    break;
                case ConsultationAssessedEntry a:
                    md.Append(CultureInfo.InvariantCulture, $"- {T(at)} 第三方论证({E(a.Assessor)}):可行性:{E(a.Feasibility)};合法性:{E(a.Legality)};成本:{E(a.Cost)};风险:{E(a.Risks)};建议:{E(a.Recommendation)}\n");
                    break;
                case ConsultationDecidingEntry d:
                    md.Append(CultureInfo.InvariantCulture, $"- {T(at)} 进入决策:{(d.Method == nameof(DecisionMethod.BlocVote) ? "各方发言人表决(每方一票)" : "协商一致")}\n");
                    break;
                case ConsultationVotedEntry v:
                    md.Append(CultureInfo.InvariantCulture, $"- {T(at)} {E(v.Bloc)}(发言人 {E(v.Spokesperson)}):{Choices.GetValueOrDefault(v.Choice, v.Choice)}{(v.Note is null ? "" : "," + E(v.Note))}\n");
                    break;
            }
        }

        md.Append('\n');
        if (entries.Select(e => e.Entry).OfType<ConsultationDecidedEntry>().LastOrDefault() is not { } decided)
        {
            return;
        }

        md.Append("### 协商决定\n\n");
        md.Append(decided.Method == nameof(DecisionMethod.BlocVote) ? (decided.Adopted ? "表决通过。" : "表决未通过。") : "协商一致。").Append(E(decided.Decision)).Append("\n\n");
        md.Append("参与决定:").Append(E(string.Join("、", decided.Participants.Select(p => $"{p.Bloc}({p.Name}{(p.Choice is null ? "" : " " + Choices.GetValueOrDefault(p.Choice, p.Choice))})")))).Append("\n\n");
        md.Append("不同意见:").Append(decided.Dissent.Count == 0 ? "无" : E(string.Join(";", decided.Dissent.Select(d => $"{d.Bloc}:{d.Note}")))).Append("\n\n");
        if (decided.FollowUps.Count > 0)
        {
            md.Append("| 落实事项 | 责任方 | 完成时限 | 小区 |\n|---|---|---|---|\n");
            foreach (var f in decided.FollowUps)
            {
                md.Append("| ").Append(E(f.Title)).Append(" | ").Append(E(f.Owner)).Append(" | ").Append(f.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    .Append(" | ").Append(E(f.Area ?? "—")).Append(" |\n");
            }

            md.Append('\n');
        }
    }
}
