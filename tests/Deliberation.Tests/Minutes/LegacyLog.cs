using System.Text.Json;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Proposals;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>
/// A session log as stored, with the header its minutes were generated with: Fixtures/legacy-session-log.json holds
/// one written by the services before the log entries were typed, and Fixtures/legacy-session-minutes.md the minutes
/// the generator of that time made of it. Neither file is ever regenerated: they are the old code's output.
/// </summary>
internal sealed record LegacyLogFile(string Note, LegacyHeader Header, IReadOnlyList<LegacyEntry> Entries)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string LogPath => Path.Combine(RepositoryPaths.Root, "tests", "Deliberation.Tests", "Minutes", "Fixtures", "legacy-session-log.json");

    public static string MinutesPath => Path.Combine(RepositoryPaths.Root, "tests", "Deliberation.Tests", "Minutes", "Fixtures", "legacy-session-minutes.md");

    public static LegacyLogFile Load() =>
        JsonSerializer.Deserialize<LegacyLogFile>(File.ReadAllText(LogPath), Json) ?? throw new InvalidDataException(LogPath);

    /// <summary>The entries as the store holds them (the stored hash is checked against the recomputed one by the tests).</summary>
    public List<SessionLogEntry> Log() =>
        Entries.Select(e => new SessionLogEntry(e.SessionId, e.Sequence, e.AtUtc, e.Kind, e.ActorUserId, e.PayloadJson, e.PreviousHash)).ToList();
}

internal sealed record LegacyHeader(
    string BodyName, string TermName, int SessionNumber, string Kind, string Title, DateTime ScheduledAtUtc, string Place,
    string Chair, string? Recorder, int Members, IReadOnlyList<LegacyAgendaItem> Agenda, int QuorumRequired)
{
    public MinutesHeader ToHeader() => new(
        BodyName, TermName, SessionNumber, Kind, Title, ScheduledAtUtc, Place, Chair, Recorder, Members,
        Agenda.Select(a => (a.Position, a.Id, a.Title, a.PlannedMinutes)).ToList(), QuorumRequired);
}

internal sealed record LegacyAgendaItem(int Position, int Id, string Title, int PlannedMinutes);

internal sealed record LegacyEntry(int SessionId, int Sequence, DateTime AtUtc, string Kind, string? ActorUserId, string PayloadJson, string PreviousHash, string Hash);

/// <summary>
/// One session through the real services on a fresh seeded database and a <see cref="ManualClock"/>, so that every
/// call site that writes to the session log writes at least once, every shape of its payload: proxies given, revoked
/// and revoked by an ended seat; check-ins by the member and by the secretary; the speakers' queue from request to a
/// turn ended by the chair, by an agenda move and by the close; votes of every method, with a proxy, a paper count, a
/// closing time, publication and annulment; proposals put on the agenda, withdrawn, referred and decided; amendments
/// accepted, rejected with and without a reason, put to the vote, adopted and defeated.
/// </summary>
internal sealed class LegacyLogScenario(ManualClockDatabaseFixture fixture)
{
    private readonly ProposalDesk _desk = new(fixture);

    private JiangchuanCouncil Council => _desk.Council;

    public async Task<(LegacyHeader Header, List<SessionLogEntry> Log)> RunAsync()
    {
        var services = fixture.Database.Services;
        var speakers = services.GetRequiredService<SpeakerService>();
        var admin = services.GetRequiredService<BodyAdminService>();
        var sessions = Council.Sessions;
        var voting = Council.Voting;
        var proposals = _desk.Proposals;
        var amendments = _desk.Amendments;
        var chair = Council.Chair;
        void Tick(int seconds = 60) => fixture.Clock.Advance(TimeSpan.FromSeconds(seconds));

        var decided = await _desk.CoSponsoredAsync(20, 21, 22);
        var withdrawn = await _desk.CoSponsoredAsync(23, 24, 25);
        var referred = await _desk.CoSponsoredAsync(26, 27, 28);

        // Before the session opens: a proxy, revoked when the giver's seat ends.
        var sessionId = await Council.ScheduleAsync("类型化日志之前的议事会会议");
        await sessions.DelegateAsync(Council.Rep(10), sessionId, await Council.RepMembershipIdAsync(11));
        Tick();
        await admin.EndSeatAsync(Council.Admin, await Council.RepMembershipIdAsync(10), "迁出本社区");
        Tick();

        await sessions.OpenAsync(chair, sessionId);
        var (item1, item2) = await ItemsAsync(sessionId);
        Tick();
        await Council.CheckInAsync(sessionId, 1);
        await Council.CheckInByChairAsync(sessionId, [2, 3, 4, 5]);
        await Council.EnsureQuorumAsync(sessionId);
        Tick();
        var seat3 = await Council.RepMembershipIdAsync(3);
        await sessions.DelegateAsync(Council.Rep(2), sessionId, seat3);
        Tick();
        await sessions.RevokeDelegationAsync(Council.Rep(2), sessionId);
        await sessions.DelegateAsync(Council.Rep(2), sessionId, seat3);
        Tick();

        var decidedItem = await proposals.PlaceOnAgendaAsync(chair, decided, sessionId, 20);
        await proposals.PlaceOnAgendaAsync(chair, withdrawn, sessionId, 10);
        await proposals.PlaceOnAgendaAsync(chair, referred, sessionId, 10);
        Tick();
        await proposals.WithdrawAsync(Council.Rep(23), withdrawn, null);
        await proposals.ReferAsync(Council.Secretary, referred, null, "江川路街道办事处", "涉及市政道路,超出社区职权");
        Tick();

        // Item 1: the speakers' queue.
        var r1 = await speakers.RequestAsync(Council.Rep(1), sessionId, item1, SpeakerMark.Pro);
        var r2 = await speakers.RequestAsync(Council.Rep(2), sessionId, item1, SpeakerMark.Contra);
        var r3 = await speakers.RequestAsync(Council.Rep(3), sessionId, item1, SpeakerMark.Question);
        var r4 = await speakers.RequestAsync(Council.Rep(4), sessionId, item1, SpeakerMark.Pro);
        var r5 = await speakers.RequestAsync(Council.Rep(5), sessionId, item1, SpeakerMark.Contra);
        Tick(30);
        await speakers.WithdrawAsync(Council.Rep(3), r3);
        await speakers.MoveAsync(chair, r2, -1);
        await speakers.MoveAsync(chair, r2, 1);
        await speakers.MoveAsync(chair, r2, -1);
        await speakers.RemoveAsync(chair, r4, "与本议题无关,请在其他事项中发言。");
        await speakers.RemoveAsync(chair, r5, null);
        Tick(30);
        await speakers.GrantAsync(chair, r2);
        Tick(150);
        await speakers.ExtendAsync(chair, r2, 60);
        Tick(65);
        await speakers.EndTurnAsync(chair, r2);
        await speakers.GrantAsync(chair, r1);
        Tick(45);

        // Item 2: votes. The agenda move ends the running turn.
        await sessions.MoveToAgendaItemAsync(chair, sessionId, item2);
        Tick();
        var motion = await voting.OpenPollAsync(chair, sessionId, item2, "是否同意旧住房改造方案?");
        await voting.CastAsync(Council.Rep(1), motion, BallotChoice.Yes);
        await voting.CastAsync(Council.Rep(3), motion, [PollSpec.Yes], onBehalfOfMembershipId: await Council.RepMembershipIdAsync(2));
        await voting.CastAsync(Council.Rep(3), motion, BallotChoice.No);
        await voting.CastAsync(Council.Rep(4), motion, BallotChoice.Abstain);
        await voting.RecordPaperCountAsync(chair, motion, 2, [1, 1, 0]);
        Tick(120);
        await voting.ClosePollAsync(chair, motion);
        await voting.PublishAsync(chair, motion);
        Tick();

        var choice = await voting.CreatePollAsync(chair, sessionId, new PollInput(item2, "选择改造方案", VoteMethod.SingleChoice, ["方案一", "方案二"], 0, 1, 0,
            Secrecy.Secret, MajorityKind.Absolute, MajorityBase.MembersPresent, AbstentionsCount: true));
        await voting.OpenPollAsync(chair, choice, closesAfterSeconds: 600);
        await voting.CastAsync(Council.Rep(1), choice, [0]);
        await voting.CastAsync(Council.Rep(4), choice, [1]);
        await voting.CastAsync(Council.Rep(5), choice, []);
        await voting.RecordPaperCountAsync(chair, choice, 1, [0, 0], blankBallots: 1);
        Tick(90);
        await voting.ClosePollAsync(chair, choice);
        Tick();
        await voting.AnnulAsync(chair, choice, "计票时发现重复发放选票");
        await voting.AnnulAsync(Council.Secretary, choice, null);
        Tick();

        var several = await voting.CreatePollAsync(chair, sessionId, new PollInput(item2, "优先实施的改造项目", VoteMethod.MultipleChoice, ["加装扶手", "外墙保温", "屋顶防水"], 1, 2, 0,
            Secrecy.Named, MajorityKind.Custom, MajorityBase.AllMembers, AbstentionsCount: false, Numerator: 3, Denominator: 5));
        await voting.OpenPollAsync(chair, several);
        await voting.CastAsync(Council.Rep(1), several, [0, 1]);
        await voting.CastAsync(Council.Rep(4), several, [1]);
        await voting.CastAsync(Council.Rep(5), several, [2]);
        Tick(60);
        await voting.ClosePollAsync(chair, several);
        Tick();

        var election = await voting.CreatePollAsync(chair, sessionId, new PollInput(item2, "增补议事会委员(2 名)", VoteMethod.Election, ["张建国", "李秀英", "王志强"], 0, 0, 2,
            Secrecy.Secret, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false));
        await voting.OpenPollAsync(chair, election);
        await voting.CastAsync(Council.Rep(1), election, [0, 1]);
        await voting.CastAsync(Council.Rep(4), election, [0, 2]);
        await voting.CastAsync(Council.Rep(5), election, []);
        Tick(60);
        await voting.ClosePollAsync(chair, election);
        Tick();

        // Item 3: the proposal, its amendments and the decision.
        await sessions.MoveToAgendaItemAsync(chair, sessionId, decidedItem);
        Tick();
        var accepted = await amendments.ProposeAmendmentAsync(Council.Rep(1), decided, 0, "沪闵路沿线部分楼道没有扶手,高龄老人上下楼不便。", null);
        await amendments.AcceptAmendmentAsync(chair, accepted);
        Tick();
        var rejected = await amendments.ProposeAmendmentAsync(Council.Rep(4), decided, 2, "所需经费由居民自筹。", null);
        await amendments.RejectAmendmentAsync(chair, rejected, "加重居民负担");
        var rejectedSilently = await amendments.ProposeAmendmentAsync(Council.Rep(5), decided, 2, "所需经费另行筹措。", null);
        await amendments.RejectAmendmentAsync(chair, rejectedSilently, null);
        Tick();
        var defeated = await amendments.ProposeAmendmentAsync(Council.Rep(4), decided, 1, "建议在一年内为所有楼道加装扶手。", null);
        var defeatedPoll = await amendments.PutAmendmentToVoteAsync(chair, defeated);
        await voting.CastAsync(Council.Rep(1), defeatedPoll, BallotChoice.No);
        await voting.CastAsync(Council.Rep(4), defeatedPoll, BallotChoice.No);
        Tick(60);
        await voting.ClosePollAsync(chair, defeatedPoll);
        await amendments.RecordAmendmentVoteAsync(chair, defeated);
        Tick();
        var adopted = await amendments.ProposeAmendmentAsync(Council.Rep(5), decided, 1, "建议在两个月内为六层以下的楼道加装扶手。", null);
        var adoptedPoll = await amendments.PutAmendmentToVoteAsync(chair, adopted);
        await voting.CastAsync(Council.Rep(1), adoptedPoll, BallotChoice.Yes);
        await voting.CastAsync(Council.Rep(5), adoptedPoll, BallotChoice.Yes);
        Tick(60);
        await voting.ClosePollAsync(chair, adoptedPoll);
        await amendments.RecordAmendmentVoteAsync(chair, adopted);
        Tick();
        var final = await voting.OpenPollAsync(chair, sessionId, decidedItem, "是否通过该提案?");
        await voting.CastAsync(Council.Rep(1), final, BallotChoice.Yes);
        await voting.CastAsync(Council.Rep(4), final, BallotChoice.Yes);
        Tick(60);
        await voting.ClosePollAsync(chair, final);
        await proposals.RecordDecisionAsync(chair, decided, final);
        Tick();

        // The close ends the running turn.
        var last = await speakers.RequestAsync(Council.Rep(4), sessionId, decidedItem, SpeakerMark.Question);
        await speakers.GrantAsync(chair, last);
        Tick(40);
        await sessions.CloseAsync(chair, sessionId);

        await using var db = await Council.DbAsync();
        var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync();
        var agenda = await db.AgendaItems.AsNoTracking().Where(a => a.SessionId == sessionId).OrderBy(a => a.Position)
            .Select(a => new LegacyAgendaItem(a.Position, a.Id, a.Title, a.PlannedMinutes)).ToListAsync();
        var session = await Council.LoadSessionAsync(sessionId);
        var header = new LegacyHeader("江川社区党员代表议事会", "第二届", session.Number, "议事会会议", session.Title, session.ScheduledAtUtc, session.Place,
            "顾建民", "陆晓燕", 150, agenda, 76);
        return (header, log);
    }

    private async Task<(int First, int Second)> ItemsAsync(int sessionId)
    {
        await using var db = await Council.DbAsync();
        var items = await db.AgendaItems.Where(a => a.SessionId == sessionId).OrderBy(a => a.Position).Select(a => a.Id).ToListAsync();
        return (items[0], items[1]);
    }
}
