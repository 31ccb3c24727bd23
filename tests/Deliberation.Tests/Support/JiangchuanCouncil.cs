using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// Drives the real services against the seeded Jiangchuan council (2nd term: chair, secretary, rep001..rep150; the chair
/// and the 150 representatives vote, so 151 voting members and a quorum of 76). Each call to <see cref="ScheduleAsync"/>
/// makes a fresh session, so tests sharing one database do not share polls.
/// Tests pick their voters among the low-numbered representatives: <see cref="EnsureQuorumAsync"/> fills the room from
/// rep150 downwards.
/// </summary>
public sealed class JiangchuanCouncil(SeededDatabaseFixture fixture)
{
    public const string BodyKey = "jiangchuan-council";

    public const string Question = "是否同意旧住房改造方案?";

    public const int VotingMembers = 151;

    public const int Quorum = 76;

    public SessionService Sessions { get; } = fixture.Database.Services.GetRequiredService<SessionService>();

    public VotingService Voting { get; } = fixture.Database.Services.GetRequiredService<VotingService>();

    public Actor Chair => ActorFor("chair", Roles.Chair);

    public Actor Secretary => ActorFor("secretary", Roles.Secretary);

    public Actor Admin => ActorFor("admin", Roles.Admin);

    public Actor Rep(int number) => ActorFor(RepUserName(number), Roles.Representative);

    public static string RepUserName(int number) => $"rep{number:000}";

    public string UserId(string userName) => fixture.UserIds[userName];

    public Actor ActorFor(string userName, string role) => new(fixture.UserIds[userName], new HashSet<string> { role });

    public Task<DeliberationDbContext> DbAsync() => fixture.Database.Factory.CreateDbContextAsync();

    public static ScheduleSessionInput Input(string title, int bodyId = 0) => new(
        bodyId, SessionKind.CouncilSession, title, new DateTime(2026, 3, 8, 6, 0, 0, DateTimeKind.Utc), "江川社区党工委会议室",
        [new AgendaItemInput("审议旧住房改造方案", 30, "听取方案说明后表决。"), new AgendaItemInput("其他事项", 10, null)]);

    /// <summary>A named yes / no / abstain vote by simple majority of the votes cast.</summary>
    public static PollInput Motion(int agendaItemId, Secrecy secrecy = Secrecy.Named) =>
        new(agendaItemId, Question, VoteMethod.YesNoAbstain, [], 1, 1, 0, secrecy, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false);

    public async Task<int> BodyIdAsync()
    {
        await using var db = await DbAsync();
        return await db.Bodies.Where(b => b.Key == BodyKey).Select(b => b.Id).SingleAsync();
    }

    /// <summary>The seat of a user in the council's current term.</summary>
    public async Task<int> MembershipIdAsync(string userName)
    {
        var userId = UserId(userName);
        await using var db = await DbAsync();
        return await db.Memberships.Where(m => m.Term.Body.Key == BodyKey && m.Term.Number == 2 && m.UserId == userId).Select(m => m.Id).SingleAsync();
    }

    public Task<int> RepMembershipIdAsync(int number) => MembershipIdAsync(RepUserName(number));

    public async Task<string> MemberNameAsync(int membershipId)
    {
        await using var db = await DbAsync();
        return await db.Memberships.Where(m => m.Id == membershipId).Select(m => m.Name).SingleAsync();
    }

    /// <summary>The chair schedules a draft session with two agenda items.</summary>
    public async Task<int> ScheduleAsync(string title = "议事会会议") => await Sessions.ScheduleAsync(Chair, Input(title, await BodyIdAsync()));

    /// <summary>The chair schedules and opens a session; returns it with its first agenda item.</summary>
    public async Task<(int SessionId, int FirstItemId)> OpenSessionAsync()
    {
        var sessionId = await ScheduleAsync();
        await Sessions.OpenAsync(Chair, sessionId);
        await using var db = await DbAsync();
        var firstItemId = await db.AgendaItems.Where(a => a.SessionId == sessionId && a.Position == 1).Select(a => a.Id).SingleAsync();
        return (sessionId, firstItemId);
    }

    /// <summary>Checks representatives in through the service, one after the other; each must be a first check-in.</summary>
    public async Task CheckInAsync(int sessionId, params int[] representatives)
    {
        foreach (var number in representatives)
        {
            Assert.Equal(CheckInOutcome.CheckedIn, await Sessions.CheckInAsync(Rep(number), sessionId));
        }
    }

    /// <summary>The chair checks these representatives in at once (<see cref="SessionService.CheckInMembersAsync"/>).</summary>
    public async Task CheckInByChairAsync(int sessionId, IEnumerable<int> representatives)
    {
        var ids = new List<int>();
        foreach (var number in representatives)
        {
            ids.Add(await RepMembershipIdAsync(number));
        }

        Assert.Equal(ids.Count, await Sessions.CheckInMembersAsync(Chair, sessionId, ids));
    }

    /// <summary>
    /// The chair checks in absent representatives, from rep150 downwards, until the quorum is met (76 voting members
    /// present). Returns how many were checked in.
    /// </summary>
    public async Task<int> EnsureQuorumAsync(int sessionId)
    {
        List<int> absent;
        int missing;
        await using (var db = await DbAsync())
        {
            var termId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.TermId).SingleAsync();
            missing = (await SessionService.QuorumAsync(db, termId, sessionId, CancellationToken.None)).Missing;
            var present = db.Attendances.Where(a => a.SessionId == sessionId).Select(a => a.MembershipId);
            absent = await db.Memberships.Where(m => m.TermId == termId && m.Role == MemberRole.Representative && m.EndedAtUtc == null && !present.Contains(m.Id))
                .OrderByDescending(m => m.Id).Select(m => m.Id).Take(missing).ToListAsync();
        }

        if (missing == 0)
        {
            return 0;
        }

        Assert.Equal(missing, absent.Count);
        Assert.Equal(missing, await Sessions.CheckInMembersAsync(Chair, sessionId, absent));
        return missing;
    }

    /// <summary>An open session with these representatives checked in (themselves) and the quorum made up by the chair.</summary>
    public async Task<(int SessionId, int FirstItemId)> OpenSessionWithQuorumAsync(params int[] representatives)
    {
        var (sessionId, itemId) = await OpenSessionAsync();
        await CheckInAsync(sessionId, representatives);
        await EnsureQuorumAsync(sessionId);
        return (sessionId, itemId);
    }

    /// <summary>
    /// An open session, these representatives checked in, the quorum made up, and a named yes / no / abstain poll opened
    /// by the chair on the first item (the quick path).
    /// </summary>
    public async Task<(int SessionId, int PollId)> OpenPollWithVotersAsync(params int[] representatives)
    {
        var (sessionId, itemId) = await OpenSessionWithQuorumAsync(representatives);
        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, Question);
        return (sessionId, pollId);
    }

    /// <summary>Like <see cref="OpenPollWithVotersAsync(int[])"/>, for a poll described by <paramref name="input"/> (agenda item filled in).</summary>
    public async Task<(int SessionId, int PollId)> OpenPollWithVotersAsync(Func<int, PollInput> input, params int[] representatives)
    {
        var (sessionId, itemId) = await OpenSessionWithQuorumAsync(representatives);
        var pollId = await Voting.CreatePollAsync(Chair, sessionId, input(itemId));
        await Voting.OpenPollAsync(Chair, pollId);
        return (sessionId, pollId);
    }

    public async Task<Session> LoadSessionAsync(int sessionId)
    {
        await using var db = await DbAsync();
        return await db.Sessions.AsNoTracking().Include(s => s.Agenda).SingleAsync(s => s.Id == sessionId);
    }

    public async Task<Poll> LoadPollAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId);
    }

    public async Task<int> PollCountAsync(int sessionId)
    {
        await using var db = await DbAsync();
        return await db.Polls.CountAsync(p => p.SessionId == sessionId);
    }

    public async Task<int> BallotRowsAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.Ballots.CountAsync(b => b.PollId == pollId);
    }

    public async Task<List<Ballot>> BallotsAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).ToListAsync();
    }

    /// <summary>The envelopes of a secret vote's sealed ballots (only while it is open).</summary>
    public async Task<List<byte[]>> SealedEnvelopesAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.SealedBallots.AsNoTracking().Where(b => b.PollId == pollId).Select(b => b.Envelope).ToListAsync();
    }

    /// <summary>The receipts of a secret vote's counted ballots, in stored order.</summary>
    public async Task<List<string>> CountedReceiptsAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.CountedReceipts.AsNoTracking().Where(r => r.PollId == pollId).OrderBy(r => r.Id).Select(r => r.Code).ToListAsync();
    }

    /// <summary>What the database holds as the counters of a vote: blank ballots and votes per option.</summary>
    public async Task<(int Blank, int[] Votes)> CountersAsync(int pollId)
    {
        await using var db = await DbAsync();
        var blank = await db.Polls.Where(p => p.Id == pollId).Select(p => p.BlankBallots).SingleAsync();
        var votes = await db.PollOptions.Where(o => o.PollId == pollId).OrderBy(o => o.Index).Select(o => o.Votes).ToArrayAsync();
        return (blank, votes);
    }

    public async Task<List<Participation>> ParticipationsAsync(int pollId)
    {
        await using var db = await DbAsync();
        return await db.Participations.AsNoTracking().Where(p => p.PollId == pollId).ToListAsync();
    }
}
