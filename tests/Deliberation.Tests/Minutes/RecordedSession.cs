using System.Text.Json;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>A recorded council session: a fixed header and log, the same on every run.</summary>
internal static class RecordedSession
{
    public static readonly MinutesHeader Header = new(
        "江川社区党员代表议事会", "第二届", 5, "议事会会议", "江川社区党员代表议事会2026年度会议",
        new DateTime(2026, 12, 16, 6, 0, 0, DateTimeKind.Utc), "江川社区党群服务中心三楼会议室", "顾建民", "陆晓燕", 151,
        [(1, 11, "审议沪闵路沿线旧住房改造方案", 30), (2, 12, "增补议事会委员", 20), (3, 13, "通报居民区党组织换届工作", 15)],
        QuorumRequired: 76);

    private static readonly DateTime Start = new(2026, 12, 16, 6, 2, 0, DateTimeKind.Utc);

    public static List<SessionLogEntry> Log()
    {
        var wu = new { id = 3, name = "吴若冰" };
        var qian = new { id = 11, name = "钱秀英" };
        var rows = new List<(double Minute, string Kind, object Payload)>
        {
            (0, SessionOpenedEntry.Kind, new { }),
            (1, CheckedInEntry.Kind, new { members = new[] { new { id = 3, name = "吴若冰" } }, by = "self" }),
            (2, CheckedInEntry.Kind, new { members = Enumerable.Range(0, 3).Select(i => new { id = 10 + i, name = new[] { "顾蓉", "钱秀英", "杨宇航" }[i] }), by = "secretary" }),
            (3, ProxyGivenEntry.Kind, new { from = new { id = 20, name = "陆学军" }, to = new { id = 3, name = "吴若冰" } }),
            (4, AgendaMovedEntry.Kind, new { agendaItemId = 11, position = 1, title = "审议沪闵路沿线旧住房改造方案" }),
            (4, SpeakerRequestedEntry.Kind, new { requestId = 1, agendaItemId = 11, member = wu, mark = "Contra" }),
            (4, SpeakerRequestedEntry.Kind, new { requestId = 2, agendaItemId = 11, member = new { id = 10, name = "顾蓉" }, mark = "Pro" }),
            (4, SpeakerRequestedEntry.Kind, new { requestId = 3, agendaItemId = 11, member = qian, mark = "Question" }),
            (4.5, SpeakerMovedEntry.Kind, new { requestId = 3, agendaItemId = 11, member = qian, direction = "up", place = 2 }),
            (4.5, SpeakerRemovedEntry.Kind, new { requestId = 2, agendaItemId = 11, member = new { id = 10, name = "顾蓉" }, reason = "已就本项提交书面意见" }),
            (5, SpeakerGrantedEntry.Kind, new { requestId = 1, agendaItemId = 11, member = wu, mark = "Contra", startedAtUtc = Start.AddMinutes(5), allowedSeconds = 180 }),
            (7, SpeakerExtendedEntry.Kind, new { requestId = 1, agendaItemId = 11, member = wu, seconds = 60, allowedSeconds = 240 }),
            (9.5, SpeakerEndedEntry.Kind, new
            {
                requestId = 1, agendaItemId = 11, member = wu, mark = "Contra", startedAtUtc = Start.AddMinutes(5), endedAtUtc = Start.AddMinutes(9.5),
                seconds = 270, allowedSeconds = 240, by = "chair",
            }),
            (9.5, SpeakerGrantedEntry.Kind, new { requestId = 3, agendaItemId = 11, member = qian, mark = "Question", startedAtUtc = Start.AddMinutes(9.5), allowedSeconds = 180 }),
            (9.75, SpeakerEndedEntry.Kind, new
            {
                requestId = 3, agendaItemId = 11, member = qian, mark = "Question", startedAtUtc = Start.AddMinutes(9.5), endedAtUtc = Start.AddMinutes(9.75),
                seconds = 15, allowedSeconds = 180, by = "chair",
            }),
            (10, PollOpenedEntry.Kind, new
            {
                pollId = 7, agendaItemId = 11, question = "是否同意沪闵路沿线旧住房改造方案?", method = "YesNoAbstain", secrecy = "Named",
                rule = new { kind = "Simple", @base = "VotesCast", abstentionsCount = false, numerator = 1, denominator = 2 },
                options = new[] { "Yes", "No", "Abstain" }, minChoices = 1, maxChoices = 1, seats = 0, eligible = 5, closesAtUtc = (DateTime?)null,
            }),
            (14, PollClosedEntry.Kind, new
            {
                pollId = 7, outcome = "Adopted",
                count = new { optionVotes = new[] { 3, 1, 1 }, ballots = 5, blankBallots = 0 },
                paper = new { optionVotes = new[] { 1, 0, 0 }, ballots = 1, blankBallots = 0 },
                decision = new { outcome = "Adopted", @base = 4, threshold = 2, winners = new[] { 0 }, tied = Array.Empty<int>(), ranking = new[] { 0, 1, 2 } },
                present = 4, members = 151, quorumMet = true,
                named = new[]
                {
                    new { name = "吴若冰", selections = new[] { 0 }, isProxy = false },
                    new { name = "陆学军", selections = new[] { 0 }, isProxy = true },
                    new { name = "钱秀英", selections = new[] { 1 }, isProxy = false },
                    new { name = "顾蓉", selections = new[] { 2 }, isProxy = false },
                },
            }),
            (20, AgendaMovedEntry.Kind, new { agendaItemId = 12, position = 2, title = "增补议事会委员" }),
            (20, SpeakerRequestedEntry.Kind, new { requestId = 4, agendaItemId = 12, member = new { id = 12, name = "杨宇航" }, mark = "Pro" }),
            (20, SpeakerRequestedEntry.Kind, new { requestId = 5, agendaItemId = 12, member = wu, mark = "Pro" }),
            (20.5, SpeakerWithdrawnEntry.Kind, new { requestId = 4, agendaItemId = 12, member = new { id = 12, name = "杨宇航" } }),
            (20.5, SpeakerGrantedEntry.Kind, new { requestId = 5, agendaItemId = 12, member = wu, mark = "Pro", startedAtUtc = Start.AddMinutes(20.5), allowedSeconds = 180 }),
            (21.5, SpeakerEndedEntry.Kind, new
            {
                requestId = 5, agendaItemId = 12, member = wu, mark = "Pro", startedAtUtc = Start.AddMinutes(20.5), endedAtUtc = Start.AddMinutes(21.5),
                seconds = 60, allowedSeconds = 180, by = "chair",
            }),
            (22, PollOpenedEntry.Kind, new
            {
                pollId = 8, agendaItemId = 12, question = "增补议事会委员(2 名)", method = "Election", secrecy = "Secret",
                rule = new { kind = "Simple", @base = "VotesCast", abstentionsCount = false, numerator = 1, denominator = 2 },
                options = new[] { "张建国", "李秀英", "王志强" }, minChoices = 0, maxChoices = 2, seats = 2, eligible = 5, closesAtUtc = (DateTime?)null,
            }),
            (27, PollClosedEntry.Kind, new
            {
                pollId = 8, outcome = "Tie",
                count = new { optionVotes = new[] { 4, 2, 2 }, ballots = 5, blankBallots = 1 },
                paper = new { optionVotes = new[] { 0, 0, 0 }, ballots = 0, blankBallots = 0 },
                decision = new { outcome = "Tie", @base = 4, threshold = 1, winners = new[] { 0 }, tied = new[] { 1, 2 }, ranking = new[] { 0, 1, 2 } },
                present = 4, members = 151, quorumMet = true, named = Array.Empty<object>(),
            }),
            (40, SessionClosedEntry.Kind, new { }),
        };

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var entries = new List<SessionLogEntry>();
        var previous = SessionLogEntry.Genesis;
        for (var i = 0; i < rows.Count; i++)
        {
            var entry = new SessionLogEntry(42, i + 1, Start.AddMinutes(rows[i].Minute), rows[i].Kind, "chair-user", JsonSerializer.Serialize(rows[i].Payload, options), previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    /// <summary>The same entries renumbered and re-linked, as a log recorded without the removed ones would be.</summary>
    public static List<SessionLogEntry> Rechain(List<SessionLogEntry> entries)
    {
        var result = new List<SessionLogEntry>();
        var previous = SessionLogEntry.Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var entry = new SessionLogEntry(e.SessionId, i + 1, e.AtUtc, e.Kind, e.ActorUserId, e.PayloadJson, previous);
            result.Add(entry);
            previous = entry.Hash;
        }

        return result;
    }
}
