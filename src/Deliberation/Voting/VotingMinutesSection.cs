using System.Globalization;
using CommunityDeliberation.Deliberation.Minutes;
using static CommunityDeliberation.Deliberation.Minutes.MinutesGenerator;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>
/// Votes in the minutes: the proxies given and taken back, each item's votes with counts, result, named ballots and
/// annulment, and the list of decisions.
/// </summary>
internal sealed class VotingMinutesSection : IMinutesSection
{
    public void WriteBeforeAgenda(MinutesContext minutes)
    {
        var md = minutes.Text;
        var proxies = minutes.Entries<SessionLogEvent>().Where(e => e.Entry is ProxyGivenEntry or ProxyRevokedEntry).ToList();
        if (proxies.Count == 0)
        {
            return;
        }

        md.Append("委托表决:\n\n");
        foreach (var p in proxies)
        {
            md.Append("- ").Append(minutes.Time(p.AtUtc)).Append(' ')
                .Append(p.Entry switch
                {
                    ProxyGivenEntry given => $"{Escape(given.From.Name)} 委托 {Escape(given.To.Name)} 代为表决",
                    ProxyRevokedEntry revoked => $"{Escape(revoked.From.Name)} 撤回委托",
                    _ => string.Empty,
                })
                .Append('\n');
        }

        md.Append('\n');
    }

    public void WriteItem(MinutesContext minutes, int agendaItemId)
    {
        var polls = minutes.Entries<PollOpenedEntry>().Where(p => p.Entry.AgendaItemId == agendaItemId).ToList();
        if (polls.Count == 0)
        {
            minutes.Text.Append("本项未进行表决。\n\n");
            return;
        }

        var results = Results(minutes);
        var annulled = minutes.Entries<PollAnnulledEntry>().ToDictionary(e => e.Entry.PollId);
        foreach (var poll in polls)
        {
            WritePoll(minutes, poll, results.GetValueOrDefault(poll.Entry.PollId), annulled.GetValueOrDefault(poll.Entry.PollId));
        }
    }

    /// <summary>The decisions: every closed vote not annulled, with its result.</summary>
    public void WriteAfterAgenda(MinutesContext minutes)
    {
        var md = minutes.Text;
        var results = Results(minutes);
        var annulled = minutes.Entries<PollAnnulledEntry>().Select(e => e.Entry.PollId).ToHashSet();
        md.Append("## 决定事项\n\n");
        var decisions = minutes.Entries<PollOpenedEntry>().Select(p => (Opened: p.Entry, Closed: results.GetValueOrDefault(p.Entry.PollId)))
            .Where(x => x.Closed is not null && !annulled.Contains(x.Opened.PollId))
            .ToList();
        if (decisions.Count == 0)
        {
            md.Append("本次会议未形成表决决定。\n\n");
            return;
        }

        var n = 1;
        foreach (var (opened, closed) in decisions)
        {
            md.Append(CultureInfo.InvariantCulture, $"{n++}. {Escape(opened.Question)}:{OutcomeText(closed!.Entry, opened)}\n");
        }

        md.Append('\n');
    }

    private static Dictionary<int, Logged<PollClosedEntry>> Results(MinutesContext minutes) =>
        minutes.Entries<PollClosedEntry>().ToDictionary(e => e.Entry.PollId);

    private static void WritePoll(MinutesContext minutes, Logged<PollOpenedEntry> opened, Logged<PollClosedEntry>? closed, Logged<PollAnnulledEntry>? annulled)
    {
        var md = minutes.Text;
        var p = opened.Entry;
        var secret = p.Secrecy == "Secret";
        var labels = p.Method == "YesNoAbstain" ? ["赞成", "反对", "弃权"] : p.Options.Select(Escape).ToList();
        md.Append("### 表决:").Append(Escape(p.Question)).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- {minutes.Time(opened.AtUtc)} 开始表决;{MethodText(p)},{(secret ? "无记名" : "记名")};{RuleText(p.Rule)};开始时可投 {p.Eligible} 票。\n");
        if (closed is null)
        {
            md.Append("- 表决未结束。\n\n");
            return;
        }

        var c = closed.Entry;
        md.Append(CultureInfo.InvariantCulture, $"- {minutes.Time(closed.AtUtc)} 表决结束;出席 {c.Present} 人,收回选票 {c.Count.Ballots} 张");
        if (c.Paper.Ballots > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"(含纸质票/举手 {c.Paper.Ballots} 张)");
        }

        if (c.Count.BlankBallots > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $",空白票 {c.Count.BlankBallots} 张");
        }

        md.Append("。\n\n| 选项 | 票数 |\n|---|---:|\n");
        for (var i = 0; i < labels.Count; i++)
        {
            md.Append("| ").Append(labels[i]).Append(" | ").Append(c.Count.OptionVotes[i].ToString(CultureInfo.InvariantCulture)).Append(" |\n");
        }

        md.Append("\n**结果:").Append(OutcomeText(c, p)).Append("**\n\n");
        if (c.Named.Count > 0)
        {
            md.Append("记名投票明细:\n\n| 成员 | 选择 |\n|---|---|\n");
            foreach (var v in c.Named)
            {
                var chosen = v.Selections.Select(s => labels[s]).ToList();
                md.Append("| ").Append(Escape(v.Name)).Append(" | ")
                    .Append(chosen.Count == 0 ? "空白票" : string.Join("、", chosen))
                    .Append(v.IsProxy ? "(委托)" : string.Empty).Append(" |\n");
            }

            md.Append('\n');
        }

        if (annulled is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"> {minutes.Time(annulled.AtUtc)} 本次表决经主持人和记录员确认撤销,理由:{Escape(annulled.Entry.Reason ?? string.Empty)}\n\n");
        }
    }

    private static string OutcomeText(PollClosedEntry closed, PollOpenedEntry opened)
    {
        var options = opened.Options.Select(Escape).ToList();
        string Names(IReadOnlyList<int> indexes) => string.Join("、", indexes.Select(i => options[i]));
        var decision = closed.Decision;
        return closed.Outcome switch
        {
            "Adopted" => "通过",
            "Rejected" when opened.Method == "YesNoAbstain" => "未通过",
            "Rejected" => "没有选项达到要求",
            "Decided" => opened.Method == "Election" ? $"当选 {Names(decision.Winners)}" : $"通过 {Names(decision.Winners)}",
            "Tie" => decision.Winners.Count > 0 ? $"当选 {Names(decision.Winners)};{Names(decision.Tied)} 票数相同,未决" : $"{Names(decision.Tied)} 票数相同,未决",
            "QuorumLost" => "表决结束时不足法定人数,表决无效",
            _ => closed.Outcome ?? string.Empty,
        };
    }

    private static string MethodText(PollOpenedEntry p) => p.Method switch
    {
        "YesNoAbstain" => "赞成/反对/弃权",
        "SingleChoice" => "单选",
        "MultipleChoice" => $"多选({p.MinChoices}–{p.MaxChoices} 项)",
        "Election" => $"选举 {p.Seats} 个席位",
        _ => p.Method ?? string.Empty,
    };

    private static string RuleText(LoggedRule rule)
    {
        var @base = rule.Base switch
        {
            "MembersPresent" => "出席人数",
            "AllMembers" => "全体成员",
            _ => "实际投票数",
        };
        var abstentions = rule.AbstentionsCount ? "弃权计入" : "弃权不计";
        return rule.Kind switch
        {
            "Simple" => $"简单多数,{abstentions}",
            "Absolute" => $"过半数(基数为{@base}),{abstentions}",
            "TwoThirds" => $"三分之二多数(基数为{@base}),{abstentions}",
            _ => $"至少 {rule.Numerator}/{rule.Denominator}(基数为{@base}),{abstentions}",
        };
    }
}
