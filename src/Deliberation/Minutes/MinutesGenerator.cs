using System.Globalization;
using System.Text;
using System.Text.Json;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>What the generator needs besides the log: the session's fixed facts.</summary>
public sealed record MinutesHeader(
    string BodyName, string TermName, int SessionNumber, string Kind, string Title, DateTime ScheduledAtUtc, string Place,
    string Chair, string? Recorder, int Members, IReadOnlyList<(int Position, int Id, string Title, int PlannedMinutes)> Agenda, int QuorumRequired = 0);

/// <summary>
/// Generates minutes as Markdown (CommonMark with pipe tables) from a session's log. Pure and deterministic: the same
/// header, log and time zone always give the same text, byte for byte (golden tests hold it to that).
/// Minutes are in Chinese, the language of the record; user text is escaped so it cannot become markup.
/// </summary>
public static class MinutesGenerator
{
    public static string Generate(MinutesHeader header, IReadOnlyList<SessionLogEntry> log, TimeZoneInfo zone)
    {
        var entries = log.OrderBy(e => e.Sequence).ToList();
        var md = new StringBuilder();
        string Time(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

        md.Append("# ").Append(Escape(header.Title)).Append("\n\n");
        md.Append("| 项目 | 内容 |\n|---|---|\n");
        Row(md, "议事机构", $"{header.BodyName}({header.TermName})");
        Row(md, "会议", $"第 {header.SessionNumber} 次 · {header.Kind}");
        Row(md, "时间", TimeZoneInfo.ConvertTimeFromUtc(header.ScheduledAtUtc, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture));
        Row(md, "地点", header.Place);
        Row(md, "主持人", header.Chair);
        Row(md, "记录人", header.Recorder ?? "—");
        var opened = entries.FirstOrDefault(e => e.Kind == SessionOpenedEntry.Kind);
        var closed = entries.LastOrDefault(e => e.Kind == SessionClosedEntry.Kind);
        if (opened is not null)
        {
            Row(md, "开会", Time(opened.AtUtc) + (closed is null ? string.Empty : $" — 散会 {Time(closed.AtUtc)}"));
        }

        md.Append('\n');

        // Attendance and quorum
        var checkedIn = entries.Where(e => e.Kind == CheckedInEntry.Kind)
            .SelectMany(e => Payload(e).GetProperty("members").EnumerateArray().Select(m => (Name: m.GetProperty("name").GetString()!, By: Payload(e).GetProperty("by").GetString(), e.AtUtc)))
            .ToList();
        md.Append("## 出席情况\n\n");
        md.Append(CultureInfo.InvariantCulture, $"应到 {header.Members} 人,实到 {checkedIn.Count} 人。");
        var self = checkedIn.Count(c => c.By == "self");
        md.Append(CultureInfo.InvariantCulture, $"其中本人签到 {self} 人,记录员代为签到 {checkedIn.Count - self} 人。");
        if (header.QuorumRequired > 0)
        {
            // Check-ins include members without a vote (the recorder), so the quorum is stated here and judged per vote below.
            md.Append(CultureInfo.InvariantCulture, $"法定人数为有表决权成员 {header.QuorumRequired} 人,每项表决结束时的出席情况见下。");
        }

        md.Append("\n\n");
        if (checkedIn.Count > 0)
        {
            md.Append("出席人员:").Append(string.Join("、", checkedIn.Select(c => Escape(c.Name)))).Append("。\n\n");
        }

        var proxies = entries.Where(e => e.Kind == ProxyGivenEntry.Kind || e.Kind == ProxyRevokedEntry.Kind).ToList();
        if (proxies.Count > 0)
        {
            md.Append("委托表决:\n\n");
            foreach (var p in proxies)
            {
                var payload = Payload(p);
                var from = Escape(payload.GetProperty("from").GetProperty("name").GetString()!);
                md.Append("- ").Append(Time(p.AtUtc)).Append(' ')
                    .Append(p.Kind == ProxyGivenEntry.Kind ? $"{from} 委托 {Escape(payload.GetProperty("to").GetProperty("name").GetString()!)} 代为表决" : $"{from} 撤回委托")
                    .Append('\n');
            }

            md.Append('\n');
        }

        // Agenda
        md.Append("## 议程\n\n");
        foreach (var item in header.Agenda.OrderBy(a => a.Position))
        {
            md.Append(CultureInfo.InvariantCulture, $"{item.Position}. {Escape(item.Title)}(计划 {item.PlannedMinutes} 分钟)\n");
        }

        md.Append('\n');

        // Per item: when it was taken up, votes opened and closed on it.
        var polls = entries.Where(e => e.Kind == PollOpenedEntry.Kind).Select(e => (Entry: e, P: Payload(e))).ToList();
        var results = entries.Where(e => e.Kind == PollClosedEntry.Kind).ToDictionary(e => Payload(e).GetProperty("pollId").GetInt32(), e => e);
        var annulled = entries.Where(e => e.Kind == PollAnnulledEntry.Kind).ToDictionary(e => Payload(e).GetProperty("pollId").GetInt32(), e => e);
        var turns = entries.Where(e => e.Kind == SpeakerEndedEntry.Kind).Select(e => Turn.From(Payload(e))).ToList();
        var removals = entries.Where(e => e.Kind == SpeakerRemovedEntry.Kind).Select(e => (Entry: e, P: Payload(e))).ToList();
        foreach (var item in header.Agenda.OrderBy(a => a.Position))
        {
            md.Append(CultureInfo.InvariantCulture, $"## {item.Position}. {Escape(item.Title)}\n\n");
            var taken = entries.Where(e => e.Kind == AgendaMovedEntry.Kind && Payload(e).GetProperty("agendaItemId").GetInt32() == item.Id).ToList();
            foreach (var t in taken)
            {
                md.Append("- ").Append(Time(t.AtUtc)).Append(" 主持人宣布进入本项议程。\n");
            }

            var itemPolls = polls.Where(p => p.P.GetProperty("agendaItemId").GetInt32() == item.Id).ToList();
            if (taken.Count > 0)
            {
                md.Append('\n');
            }

            AppendProposal(md, entries, item.Id, Time);
            AppendSpeakers(md, turns.Where(t => t.AgendaItemId == item.Id).ToList(), removals.Where(r => r.P.GetProperty("agendaItemId").GetInt32() == item.Id).ToList(), Time);
            if (itemPolls.Count == 0)
            {
                md.Append("本项未进行表决。\n\n");
                continue;
            }

            foreach (var (entry, p) in itemPolls)
            {
                var pollId = p.GetProperty("pollId").GetInt32();
                AppendPoll(md, entry, p, results.GetValueOrDefault(pollId), annulled.GetValueOrDefault(pollId), Time);
            }
        }

        var agendaIds = header.Agenda.Select(a => a.Id).ToHashSet();
        var spoken = turns.Where(t => agendaIds.Contains(t.AgendaItemId)).ToList();
        if (spoken.Count > 0)
        {
            md.Append("## 发言统计\n\n| 发言人 | 发言次数 | 合计用时 |\n|---|---:|---:|\n");
            foreach (var person in spoken.GroupBy(t => t.MemberId))
            {
                md.Append("| ").Append(Escape(person.First().Name)).Append(" | ")
                    .Append(person.Count().ToString(CultureInfo.InvariantCulture)).Append(" | ")
                    .Append(Duration(person.Sum(t => t.Seconds))).Append(" |\n");
            }

            md.Append(CultureInfo.InvariantCulture, $"\n共 {spoken.Count} 人次发言,合计 {Duration(spoken.Sum(t => t.Seconds))}。\n\n");
        }

        md.Append("## 决定事项\n\n");
        var decisions = polls.Select(p => (p.P, Closed: results.GetValueOrDefault(p.P.GetProperty("pollId").GetInt32())))
            .Where(x => x.Closed is not null && !annulled.ContainsKey(x.P.GetProperty("pollId").GetInt32()))
            .ToList();
        if (decisions.Count == 0)
        {
            md.Append("本次会议未形成表决决定。\n\n");
        }
        else
        {
            var n = 1;
            foreach (var (p, c) in decisions)
            {
                md.Append(CultureInfo.InvariantCulture, $"{n++}. {Escape(p.GetProperty("question").GetString()!)}:{OutcomeText(Payload(c!), p)}\n");
            }

            md.Append('\n');
        }

        md.Append("---\n\n");
        var last = entries.LastOrDefault();
        md.Append(CultureInfo.InvariantCulture, $"本纪要由会议记录自动生成,依据会议日志共 {entries.Count} 条,日志末条哈希(SHA-256):`{last?.Hash ?? SessionLogEntry.Genesis}`。\n");
        return md.ToString();
    }

    /// <summary>The proposal an item deliberates: who co-sponsored it, what happened to its amendments, the decision.</summary>
    private static void AppendProposal(StringBuilder md, List<SessionLogEntry> entries, int agendaItemId, Func<DateTime, string> time)
    {
        var placed = entries.Where(e => e.Kind == ProposalOnAgendaEntry.Kind && Payload(e).GetProperty("agendaItemId").GetInt32() == agendaItemId).ToList();
        foreach (var entry in placed)
        {
            var p = Payload(entry);
            var proposalId = p.GetProperty("proposalId").GetInt32();
            var sponsors = p.GetProperty("coSponsors").EnumerateArray().Select(x => Escape(x.GetString() ?? string.Empty)).ToList();
            md.Append(CultureInfo.InvariantCulture, $"本项审议提案《{Escape(p.GetProperty("title").GetString()!)}》(提案编号 {proposalId},列入议程时为第 {p.GetProperty("version").GetInt32()} 版)");
            md.Append(sponsors.Count > 0 ? $",附议人:{string.Join("、", sponsors)}。\n\n" : "。\n\n");

            var amendments = entries.Where(e => e.Kind == AmendmentDecisions.Kind && Payload(e).GetProperty("proposalId").GetInt32() == proposalId).ToList();
            if (amendments.Count > 0)
            {
                md.Append("修正案:\n\n");
                foreach (var a in amendments)
                {
                    var x = Payload(a);
                    var number = x.GetProperty("number").GetInt32();
                    var version = x.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : (int?)null;
                    var text = x.GetProperty("decision").GetString() switch
                    {
                        "accepted" => $"主持人采纳,并入正文(第 {version} 版)",
                        "rejected" => "主持人不予采纳" + (x.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $",理由:{Escape(r.GetString()!)}" : string.Empty),
                        "putToVote" => "付诸表决",
                        "adopted" => $"表决通过,并入正文(第 {version} 版)",
                        "defeated" => "表决未通过",
                        var other => Escape(other ?? string.Empty),
                    };
                    md.Append("- ").Append(time(a.AtUtc)).Append(CultureInfo.InvariantCulture, $" 修正案 {number}:{text}。\n");
                }

                md.Append('\n');
            }

            foreach (var d in entries.Where(e => e.Kind == ProposalDecidedEntry.Kind && Payload(e).GetProperty("proposalId").GetInt32() == proposalId))
            {
                var x = Payload(d);
                var version = x.GetProperty("version").GetInt32();
                var reason = x.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $",理由:{Escape(r.GetString()!)}" : string.Empty;
                md.Append(time(d.AtUtc)).Append(x.GetProperty("outcome").GetString() switch
                {
                    "Adopted" => $" 主持人依据表决确认:提案(第 {version} 版)通过。",
                    "Rejected" => $" 主持人依据表决确认:提案(第 {version} 版)未通过。",
                    "Withdrawn" => $" 提案人撤回提案{reason}。",
                    "Referred" => $" 提案转交{Escape(x.TryGetProperty("referredTo", out var to) ? to.GetString() ?? string.Empty : string.Empty)}{reason}。",
                    var other => $" 提案状态:{Escape(other ?? string.Empty)}。",
                }).Append("\n\n");
            }
        }
    }

    private static void AppendPoll(StringBuilder md, SessionLogEntry opened, JsonElement p, SessionLogEntry? closed, SessionLogEntry? annulled, Func<DateTime, string> time)
    {
        var method = p.GetProperty("method").GetString();
        var secret = p.GetProperty("secrecy").GetString() == "Secret";
        var options = p.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToList();
        var labels = method == "YesNoAbstain" ? ["赞成", "反对", "弃权"] : options.Select(Escape).ToList();
        md.Append("### 表决:").Append(Escape(p.GetProperty("question").GetString()!)).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- {time(opened.AtUtc)} 开始表决;{MethodText(method, p)},{(secret ? "无记名" : "记名")};{RuleText(p.GetProperty("rule"))};开始时可投 {p.GetProperty("eligible").GetInt32()} 票。\n");
        if (closed is null)
        {
            md.Append("- 表决未结束。\n\n");
            return;
        }

        var c = Payload(closed);
        var count = c.GetProperty("count");
        var votes = count.GetProperty("optionVotes").EnumerateArray().Select(v => v.GetInt32()).ToList();
        var paper = c.GetProperty("paper");
        md.Append(CultureInfo.InvariantCulture, $"- {time(closed.AtUtc)} 表决结束;出席 {c.GetProperty("present").GetInt32()} 人,收回选票 {count.GetProperty("ballots").GetInt32()} 张");
        if (paper.GetProperty("ballots").GetInt32() > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"(含纸质票/举手 {paper.GetProperty("ballots").GetInt32()} 张)");
        }

        var blank = count.GetProperty("blankBallots").GetInt32();
        if (blank > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $",空白票 {blank} 张");
        }

        md.Append("。\n\n| 选项 | 票数 |\n|---|---:|\n");
        for (var i = 0; i < labels.Count; i++)
        {
            md.Append("| ").Append(labels[i]).Append(" | ").Append(votes[i].ToString(CultureInfo.InvariantCulture)).Append(" |\n");
        }

        md.Append("\n**结果:").Append(OutcomeText(c, p)).Append("**\n\n");
        var named = c.GetProperty("named").EnumerateArray().ToList();
        if (named.Count > 0)
        {
            md.Append("记名投票明细:\n\n| 成员 | 选择 |\n|---|---|\n");
            foreach (var v in named)
            {
                var chosen = v.GetProperty("selections").EnumerateArray().Select(s => labels[s.GetInt32()]).ToList();
                md.Append("| ").Append(Escape(v.GetProperty("name").GetString()!)).Append(" | ")
                    .Append(chosen.Count == 0 ? "空白票" : string.Join("、", chosen))
                    .Append(v.GetProperty("isProxy").GetBoolean() ? "(委托)" : string.Empty).Append(" |\n");
            }

            md.Append('\n');
        }

        if (annulled is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"> {time(annulled.AtUtc)} 本次表决经主持人和记录员确认撤销,理由:{Escape(Payload(annulled).GetProperty("reason").GetString() ?? string.Empty)}\n\n");
        }
    }

    /// <summary>A finished turn as the log records it (speaker.ended).</summary>
    private sealed record Turn(int AgendaItemId, int MemberId, string Name, string Mark, DateTime StartedAtUtc, int Seconds, int AllowedSeconds)
    {
        public static Turn From(JsonElement p) => new(
            p.GetProperty("agendaItemId").GetInt32(),
            p.GetProperty("member").GetProperty("id").GetInt32(),
            p.GetProperty("member").GetProperty("name").GetString()!,
            p.GetProperty("mark").GetString()!,
            Utc(p.GetProperty("startedAtUtc").GetDateTime()),
            p.GetProperty("seconds").GetInt32(),
            p.GetProperty("allowedSeconds").GetInt32());
    }

    /// <summary>The item's speakers in the order they spoke, with stance, start, time used and time allowed; then requests the chair removed.</summary>
    private static void AppendSpeakers(StringBuilder md, List<Turn> turns, List<(SessionLogEntry Entry, JsonElement P)> removals, Func<DateTime, string> time)
    {
        if (turns.Count > 0)
        {
            md.Append("发言:\n\n| 发言人 | 立场 | 开始 | 用时 | 限时 |\n|---|---|---|---:|---:|\n");
            foreach (var t in turns)
            {
                md.Append("| ").Append(Escape(t.Name)).Append(" | ").Append(MarkText(t.Mark)).Append(" | ").Append(time(t.StartedAtUtc)).Append(" | ")
                    .Append(Duration(t.Seconds))
                    .Append(t.Seconds > t.AllowedSeconds ? $"(超时 {Duration(t.Seconds - t.AllowedSeconds)})" : string.Empty)
                    .Append(" | ").Append(Duration(t.AllowedSeconds)).Append(" |\n");
            }

            md.Append('\n');
        }

        foreach (var (entry, p) in removals)
        {
            var reason = p.GetProperty("reason");
            md.Append("- ").Append(time(entry.AtUtc)).Append(" 主持人取消了 ").Append(Escape(p.GetProperty("member").GetProperty("name").GetString()!)).Append(" 的发言申请")
                .Append(reason.ValueKind == JsonValueKind.String ? $",理由:{Escape(reason.GetString()!)}" : "(未说明理由)").Append("。\n");
        }

        if (removals.Count > 0)
        {
            md.Append('\n');
        }
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

    /// <summary>"45 秒", "3 分", "3 分 25 秒".</summary>
    internal static string Duration(int seconds)
    {
        var (m, s) = (seconds / 60, seconds % 60);
        return m == 0 ? FormattableString.Invariant($"{s} 秒") : s == 0 ? FormattableString.Invariant($"{m} 分") : FormattableString.Invariant($"{m} 分 {s} 秒");
    }

    private static string OutcomeText(JsonElement closed, JsonElement opened)
    {
        var decision = closed.GetProperty("decision");
        var outcome = closed.GetProperty("outcome").GetString();
        var method = opened.GetProperty("method").GetString();
        var options = opened.GetProperty("options").EnumerateArray().Select(o => Escape(o.GetString()!)).ToList();
        string Names(string property) => string.Join("、", decision.GetProperty(property).EnumerateArray().Select(i => options[i.GetInt32()]));
        return outcome switch
        {
            "Adopted" => "通过",
            "Rejected" when method == "YesNoAbstain" => "未通过",
            "Rejected" => "没有选项达到要求",
            "Decided" => method == "Election" ? $"当选 {Names("winners")}" : $"通过 {Names("winners")}",
            "Tie" => decision.GetProperty("winners").GetArrayLength() > 0 ? $"当选 {Names("winners")};{Names("tied")} 票数相同,未决" : $"{Names("tied")} 票数相同,未决",
            "QuorumLost" => "表决结束时不足法定人数,表决无效",
            _ => outcome ?? string.Empty,
        };
    }

    private static string MethodText(string? method, JsonElement p) => method switch
    {
        "YesNoAbstain" => "赞成/反对/弃权",
        "SingleChoice" => "单选",
        "MultipleChoice" => $"多选({p.GetProperty("minChoices").GetInt32()}–{p.GetProperty("maxChoices").GetInt32()} 项)",
        "Election" => $"选举 {p.GetProperty("seats").GetInt32()} 个席位",
        _ => method ?? string.Empty,
    };

    private static string RuleText(JsonElement rule)
    {
        var kind = rule.GetProperty("kind").GetString();
        var @base = rule.GetProperty("base").GetString() switch
        {
            "MembersPresent" => "出席人数",
            "AllMembers" => "全体成员",
            _ => "实际投票数",
        };
        var abstentions = rule.GetProperty("abstentionsCount").GetBoolean() ? "弃权计入" : "弃权不计";
        return kind switch
        {
            "Simple" => $"简单多数,{abstentions}",
            "Absolute" => $"过半数(基数为{@base}),{abstentions}",
            "TwoThirds" => $"三分之二多数(基数为{@base}),{abstentions}",
            _ => $"至少 {rule.GetProperty("numerator").GetInt32()}/{rule.GetProperty("denominator").GetInt32()}(基数为{@base}),{abstentions}",
        };
    }

    private static void Row(StringBuilder md, string label, string value) =>
        md.Append("| ").Append(label).Append(" | ").Append(Escape(value)).Append(" |\n");

    private static JsonElement Payload(SessionLogEntry entry) => JsonDocument.Parse(entry.PayloadJson).RootElement;

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
