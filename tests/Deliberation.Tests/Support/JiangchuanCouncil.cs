using CommunityDeliberation.Deliberation.Application;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Support;

/// <summary>
/// Drives the real services against the seeded Jiangchuan council (2nd term: chair, secretary, rep001..rep150).
/// Each call to <see cref="ScheduleAsync"/> makes a fresh session, so tests sharing one database do not share polls.
/// </summary>
public sealed class JiangchuanCouncil(SeededDatabaseFixture fixture)
{
    public const string BodyKey = "jiangchuan-council";

    public const string Question = "是否同意旧住房改造方案?";

    public SessionService Sessions { get; } = fixture.Database.Services.GetRequiredService<SessionService>();

    public VotingService Voting { get; } = fixture.Database.Services.GetRequiredService<VotingService>();

    public Actor Chair => ActorFor("chair", Roles.Chair);

    public Actor Rep(int number) => ActorFor($"rep{number:000}", Roles.Representative);

    public string UserId(string userName) => fixture.UserIds[userName];

    public Actor ActorFor(string userName, string role) => new(fixture.UserIds[userName], new HashSet<string> { role });

    public Task<DeliberationDbContext> DbAsync() => fixture.Database.Factory.CreateDbContextAsync();

    public static ScheduleSessionInput Input(string title, int bodyId = 0) => new(
        bodyId, SessionKind.CouncilSession, title, new DateTime(2026, 3, 8, 6, 0, 0, DateTimeKind.Utc), "江川社区党工委会议室",
        [new AgendaItemInput("审议旧住房改造方案", 30, "听取方案说明后表决。"), new AgendaItemInput("其他事项", 10, null)]);

    public async Task<int> BodyIdAsync()
    {
        await using var db = await DbAsync();
        return await db.Bodies.Where(b => b.Key == BodyKey).Select(b => b.Id).SingleAsync();
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

    /// <summary>An open session, these representatives checked in, and a poll opened by the chair on the first item.</summary>
    public async Task<(int SessionId, int PollId)> OpenPollWithVotersAsync(params int[] representatives)
    {
        var (sessionId, itemId) = await OpenSessionAsync();
        await CheckInAsync(sessionId, representatives);
        var pollId = await Voting.OpenPollAsync(Chair, sessionId, itemId, Question);
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
}
