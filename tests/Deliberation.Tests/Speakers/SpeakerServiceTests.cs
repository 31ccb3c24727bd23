using System.Text.Json;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Speakers;

/// <summary>
/// The speakers' queue through the real <see cref="SpeakerService"/> on a real SQLite file with the seeds, on a
/// <see cref="ManualClock"/> so that speaking times are exact. Every test runs its own session of the Jiangchuan council
/// (speaking time 180 s).
/// </summary>
public sealed class SpeakerServiceTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    private const int SpeakingTime = 180;

    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly JiangchuanCouncil _council = new(fixture);

    private SpeakerService Speakers => fixture.Database.Services.GetRequiredService<SpeakerService>();

    private ManualClock Clock => fixture.Clock;

    /// <summary>An open session whose first item is current, with these representatives checked in.</summary>
    private async Task<(int SessionId, int ItemId, int SecondItemId)> OpenWithAsync(params int[] representatives)
    {
        var (sessionId, itemId) = await _council.OpenSessionAsync();
        await _council.CheckInAsync(sessionId, representatives);
        await using var db = await _council.DbAsync();
        var second = await db.AgendaItems.Where(a => a.SessionId == sessionId && a.Position == 2).Select(a => a.Id).SingleAsync();
        return (sessionId, itemId, second);
    }

    private async Task<SpeakersView> ViewAsync(int sessionId, Actor? viewer = null) =>
        (await _council.Sessions.GetLiveViewAsync(viewer ?? _council.Chair, sessionId)).Speakers;

    private async Task<SpeakerRequest> LoadAsync(int requestId)
    {
        await using var db = await _council.DbAsync();
        return await db.SpeakerRequests.AsNoTracking().SingleAsync(r => r.Id == requestId);
    }

    private async Task<List<SessionLogEntry>> LogAsync(int sessionId, string kind)
    {
        await using var db = await _council.DbAsync();
        return await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId && e.Kind == kind).OrderBy(e => e.Sequence).ToListAsync();
    }

    private static async Task<string> RefusedAsync(Func<Task> action) => (await Assert.ThrowsAsync<DomainException>(action)).Code;

    [Fact]
    public async Task ParticipantRequestsToSpeakOnTheCurrentItemWithAMark()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);

        var first = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra);
        var second = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Question);

        var view = await ViewAsync(sessionId);
        Assert.Null(view.Floor);
        Assert.Equal(SpeakingTime, view.DefaultSeconds);
        Assert.Equal(
            [(first, 1, SpeakerMark.Contra, await _council.RepMembershipIdAsync(1)), (second, 2, SpeakerMark.Question, await _council.RepMembershipIdAsync(2))],
            view.WaitingFor(itemId).Select(w => (w.RequestId, w.Place, w.Mark, w.MembershipId)));
        var logged = Assert.Single(await LogAsync(sessionId, SpeakerRequestedEntry.Kind), e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("requestId").GetInt32() == first);
        var payload = JsonDocument.Parse(logged.PayloadJson).RootElement;
        Assert.Equal("Contra", payload.GetProperty("mark").GetString());
        Assert.Equal(await _council.MemberNameAsync(await _council.RepMembershipIdAsync(1)), payload.GetProperty("member").GetProperty("name").GetString());
        Assert.Equal(_council.UserId("rep001"), logged.ActorUserId);
    }

    [Fact]
    public async Task OnePersonHasAtMostOneWaitingRequestPerItem()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1);
        var first = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);

        Assert.Equal("Speaker.AlreadyWaiting", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra)));
        Assert.Single((await ViewAsync(sessionId)).WaitingFor(itemId));

        // Once the request is no longer waiting (withdrawn, or spoken), the same person may ask again.
        await Speakers.WithdrawAsync(_council.Rep(1), first);
        var again = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra);
        await Speakers.GrantAsync(_council.Chair, again);
        var third = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Question);
        Assert.Equal([third], (await ViewAsync(sessionId)).WaitingFor(itemId).Select(w => w.RequestId));
    }

    [Fact]
    public async Task TwoRequestsOfOnePersonAtTheSameInstantStoreOne()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
                return "stored";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(attempts, a => a == "stored");
        Assert.All(attempts.Where(a => a != "stored"), a => Assert.Equal("Speaker.AlreadyWaiting", a));
        await using var db = await _council.DbAsync();
        Assert.Equal(1, await db.SpeakerRequests.CountAsync(r => r.SessionId == sessionId));
    }

    [Fact]
    public async Task RequestIsRefusedWhenTheSessionIsNotOpen()
    {
        var draftId = await _council.ScheduleAsync();
        var draft = await _council.LoadSessionAsync(draftId);
        Assert.Equal("Session.NotOpenYet", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), draftId, draft.Agenda[0].Id, SpeakerMark.Pro)));

        var (sessionId, itemId, _) = await OpenWithAsync(1);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        Assert.Equal("Session.AlreadyClosed", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro)));

        await using var db = await _council.DbAsync();
        Assert.False(await db.SpeakerRequests.AnyAsync(r => r.SessionId == sessionId || r.SessionId == draftId));
    }

    [Fact]
    public async Task RequestIsRefusedForAnItemThatIsNotCurrent()
    {
        var (sessionId, itemId, secondItemId) = await OpenWithAsync(1);
        var (otherSessionId, otherItemId, _) = await OpenWithAsync();

        Assert.Equal("Speaker.ItemNotCurrent", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, secondItemId, SpeakerMark.Pro)));
        Assert.Equal("Agenda.UnknownItem", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, otherItemId, SpeakerMark.Pro)));

        // The chair moves on: the old item takes no new requests, the new one does.
        await _council.Sessions.MoveToAgendaItemAsync(_council.Chair, sessionId, secondItemId);
        Assert.Equal("Speaker.ItemNotCurrent", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro)));
        await Speakers.RequestAsync(_council.Rep(1), sessionId, secondItemId, SpeakerMark.Pro);
        Assert.Single((await ViewAsync(sessionId)).WaitingFor(secondItemId));
        Assert.NotEqual(sessionId, otherSessionId);
    }

    [Fact]
    public async Task RequestNeedsASeatInTheTermAndACheckIn()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1);

        Assert.Equal("Speaker.NotAParticipant", await RefusedAsync(() => Speakers.RequestAsync(_council.ActorFor("resident", Roles.Resident), sessionId, itemId, SpeakerMark.Pro)));
        Assert.Equal("Speaker.NotAParticipant", await RefusedAsync(() => Speakers.RequestAsync(_council.ActorFor("expert", Roles.Expert), sessionId, itemId, SpeakerMark.Question)));
        Assert.Equal("Speaker.CheckInFirst", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Pro)));
        Assert.Equal("Speaker.InvalidMark", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, (SpeakerMark)7)));
        Assert.Empty((await ViewAsync(sessionId)).Waiting);
    }

    [Fact]
    public async Task InvitedExpertAndStakeholderOfAConsultationMayRequestToSpeak()
    {
        await using (var db = await _council.DbAsync())
        {
            var bodyId = await db.Bodies.Where(b => b.Key == "chengli-consultation-council").Select(b => b.Id).SingleAsync();
            var input = JiangchuanCouncil.Input("清华园小区暖气管道修缮协商会", bodyId) with { Kind = SessionKind.Consultation };
            var convener = _council.ActorFor("convener", Roles.Chair);
            var sessionId = await _council.Sessions.ScheduleAsync(convener, input);
            await _council.Sessions.OpenAsync(convener, sessionId);
            var itemId = (await _council.LoadSessionAsync(sessionId)).CurrentAgendaItemId!.Value;
            var expert = _council.ActorFor("expert", Roles.Expert);
            var stakeholder = _council.ActorFor("stakeholder", Roles.Stakeholder);
            await _council.Sessions.CheckInAsync(expert, sessionId);
            await _council.Sessions.CheckInAsync(stakeholder, sessionId);

            var question = await Speakers.RequestAsync(expert, sessionId, itemId, SpeakerMark.Question);
            await Speakers.RequestAsync(stakeholder, sessionId, itemId, SpeakerMark.Contra);
            Assert.Equal("Speaker.NotAParticipant", await RefusedAsync(() => Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro)));

            // Chengli's convener chairs it; neither the Jiangchuan chair nor a platform admin does.
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.GrantAsync(_council.Chair, question));
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.GrantAsync(_council.Admin, question));
            await Speakers.GrantAsync(convener, question);
            Assert.Equal(question, (await ViewAsync(sessionId, convener)).Floor?.RequestId);
        }
    }

    [Fact]
    public async Task ParticipantWithdrawsOnlyTheirOwnWaitingRequest()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var request = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);

        await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.WithdrawAsync(_council.Rep(2), request));
        await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.WithdrawAsync(_council.Chair, request));
        await Speakers.WithdrawAsync(_council.Rep(1), request);

        Assert.Equal(SpeakerRequestStatus.Withdrawn, (await LoadAsync(request)).Status);
        Assert.Empty((await ViewAsync(sessionId)).Waiting);
        Assert.Equal("Speaker.NotWaiting", await RefusedAsync(() => Speakers.WithdrawAsync(_council.Rep(1), request)));
        Assert.Equal("Speaker.NotWaiting", await RefusedAsync(() => Speakers.GrantAsync(_council.Chair, request)));
        Assert.Single(await LogAsync(sessionId, SpeakerWithdrawnEntry.Kind));
    }

    [Fact]
    public async Task OnlyTheChairGrantsReordersRemovesExtendsAndEnds()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var first = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var second = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra);

        foreach (var notChair in new[] { _council.Rep(1), _council.Rep(2), _council.Secretary })
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.GrantAsync(notChair, first));
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.MoveAsync(notChair, second, -1));
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.RemoveAsync(notChair, second, null));
        }

        await Speakers.GrantAsync(_council.Chair, first);
        foreach (var notChair in new[] { _council.Rep(1), _council.Rep(2), _council.Secretary })
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.ExtendAsync(notChair, first, 60));
            await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.EndTurnAsync(notChair, first));
        }

        // Nothing the others tried changed anything.
        var view = await ViewAsync(sessionId);
        Assert.Equal(first, view.Floor?.RequestId);
        Assert.Equal(SpeakingTime, view.Floor?.AllowedSeconds);
        Assert.Equal([second], view.WaitingFor(itemId).Select(w => w.RequestId));

        // A platform admin holds no office in the council: they do not run its speakers' queue.
        var admin = await Assert.ThrowsAsync<ForbiddenException>(() => Speakers.EndTurnAsync(_council.Admin, first));
        Assert.Equal("Office.Presides", admin.Code);
        await Speakers.EndTurnAsync(_council.Chair, first);
        Assert.Null((await ViewAsync(sessionId)).Floor);
    }

    [Fact]
    public async Task OnlyOneSpeakerHasTheFloorAtATime()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var first = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var second = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra);
        await Speakers.GrantAsync(_council.Chair, first);

        Assert.Equal("Speaker.FloorTaken", await RefusedAsync(() => Speakers.GrantAsync(_council.Chair, second)));
        Assert.Equal(SpeakerRequestStatus.Waiting, (await LoadAsync(second)).Status);

        await Speakers.EndTurnAsync(_council.Chair, first);
        await Speakers.GrantAsync(_council.Chair, second);
        var view = await ViewAsync(sessionId);
        Assert.Equal(second, view.Floor?.RequestId);
        Assert.Equal([first], view.SpokenOn(itemId).Select(s => s.RequestId));
        Assert.Empty(view.Waiting);
    }

    [Fact]
    public async Task GrantingTwoRequestsAtTheSameInstantGivesTheFloorToOne()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2, 3);
        var requests = new[]
        {
            await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro),
            await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra),
            await Speakers.RequestAsync(_council.Rep(3), sessionId, itemId, SpeakerMark.Question),
        };

        var outcomes = await Task.WhenAll(requests.Select(id => Task.Run(async () =>
        {
            try
            {
                await Speakers.GrantAsync(_council.Chair, id);
                return "granted";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(outcomes, o => o == "granted");
        Assert.All(outcomes.Where(o => o != "granted"), o => Assert.Equal("Speaker.FloorTaken", o));
        await using var db = await _council.DbAsync();
        Assert.Equal(1, await db.SpeakerRequests.CountAsync(r => r.SessionId == sessionId && r.Status == SpeakerRequestStatus.Speaking));
    }

    [Fact]
    public async Task ChairMovesWaitingRequestsUpAndDown()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2, 3);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var b = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra);
        var c = await Speakers.RequestAsync(_council.Rep(3), sessionId, itemId, SpeakerMark.Question);

        await Speakers.MoveAsync(_council.Chair, c, -1);
        Assert.Equal([a, c, b], (await ViewAsync(sessionId)).WaitingFor(itemId).Select(w => w.RequestId));
        await Speakers.MoveAsync(_council.Chair, c, -1);
        Assert.Equal([c, a, b], (await ViewAsync(sessionId)).WaitingFor(itemId).Select(w => w.RequestId));
        await Speakers.MoveAsync(_council.Chair, c, +1);
        Assert.Equal([a, c, b], (await ViewAsync(sessionId)).WaitingFor(itemId).Select(w => w.RequestId));

        Assert.Equal("Speaker.CannotMove", await RefusedAsync(() => Speakers.MoveAsync(_council.Chair, a, -1)));
        Assert.Equal("Speaker.CannotMove", await RefusedAsync(() => Speakers.MoveAsync(_council.Chair, b, +1)));
        Assert.Equal("Speaker.CannotMove", await RefusedAsync(() => Speakers.MoveAsync(_council.Chair, b, 5)));

        // Places count waiting requests only: once the first speaks, the others move up.
        await Speakers.GrantAsync(_council.Chair, a);
        Assert.Equal([(c, 1), (b, 2)], (await ViewAsync(sessionId)).WaitingFor(itemId).Select(w => (w.RequestId, w.Place)));
        Assert.Equal("Speaker.NotWaiting", await RefusedAsync(() => Speakers.MoveAsync(_council.Chair, a, +1)));

        var moves = await LogAsync(sessionId, SpeakerMovedEntry.Kind);
        Assert.Equal(["up", "up", "down"], moves.Select(m => JsonDocument.Parse(m.PayloadJson).RootElement.GetProperty("direction").GetString()));
        Assert.Equal([2, 1, 2], moves.Select(m => JsonDocument.Parse(m.PayloadJson).RootElement.GetProperty("place").GetInt32()));
    }

    [Fact]
    public async Task ChairRemovesAWaitingRequestWithAnOptionalReason()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var b = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra);

        Assert.Equal("Speaker.Reason.TooLong", await RefusedAsync(() => Speakers.RemoveAsync(_council.Chair, a, new string('理', Limits.SpeakerRemovalReason + 1))));
        await Speakers.RemoveAsync(_council.Chair, a, "  与本议题无关,请在其他事项中发言。 ");
        await Speakers.RemoveAsync(_council.Chair, b, null);

        var removed = await LoadAsync(a);
        Assert.Equal(SpeakerRequestStatus.Removed, removed.Status);
        Assert.Equal("与本议题无关,请在其他事项中发言。", removed.RemovalReason);
        Assert.Null((await LoadAsync(b)).RemovalReason);
        Assert.Empty((await ViewAsync(sessionId)).Waiting);
        Assert.Equal("Speaker.NotWaiting", await RefusedAsync(() => Speakers.GrantAsync(_council.Chair, a)));
        Assert.Equal("Speaker.NotWaiting", await RefusedAsync(() => Speakers.RemoveAsync(_council.Chair, a, null)));
        var logged = await LogAsync(sessionId, SpeakerRemovedEntry.Kind);
        Assert.Equal("与本议题无关,请在其他事项中发言。", JsonDocument.Parse(logged[0].PayloadJson).RootElement.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(logged[1].PayloadJson).RootElement.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task ChairExtendsTheRunningTurn()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var waiting = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Contra);
        await Speakers.GrantAsync(_council.Chair, a);

        await Speakers.ExtendAsync(_council.Chair, a, 60);
        await Speakers.ExtendAsync(_council.Chair, a, 30);

        var stored = await LoadAsync(a);
        Assert.Equal(SpeakingTime, stored.TimeLimitSeconds);
        Assert.Equal(90, stored.ExtensionSeconds);
        Assert.Equal(SpeakingTime + 90, (await ViewAsync(sessionId)).Floor?.AllowedSeconds);
        Assert.Equal("Speaker.ExtensionOutOfRange", await RefusedAsync(() => Speakers.ExtendAsync(_council.Chair, a, 5)));
        Assert.Equal("Speaker.ExtensionOutOfRange", await RefusedAsync(() => Speakers.ExtendAsync(_council.Chair, a, -60)));
        Assert.Equal("Speaker.NotSpeaking", await RefusedAsync(() => Speakers.ExtendAsync(_council.Chair, waiting, 60)));
        Assert.Equal([60, 30], (await LogAsync(sessionId, SpeakerExtendedEntry.Kind)).Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("seconds").GetInt32()));

        await Speakers.EndTurnAsync(_council.Chair, a);
        Assert.Equal("Speaker.NotSpeaking", await RefusedAsync(() => Speakers.ExtendAsync(_council.Chair, a, 60)));
        Assert.Equal("Speaker.NotSpeaking", await RefusedAsync(() => Speakers.EndTurnAsync(_council.Chair, a)));
    }

    [Fact]
    public async Task ActualSpeakingTimeIsRecordedEvenBeyondTheLimit()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra);
        var startedAt = Clock.Now.UtcDateTime;
        await Speakers.GrantAsync(_council.Chair, a);

        Clock.Advance(TimeSpan.FromSeconds(SpeakingTime + 25));
        await Speakers.EndTurnAsync(_council.Chair, a);

        var stored = await LoadAsync(a);
        Assert.Equal(SpeakerRequestStatus.Spoken, stored.Status);
        Assert.Equal(startedAt, stored.StartedAtUtc);
        Assert.Equal(startedAt.AddSeconds(SpeakingTime + 25), stored.EndedAtUtc);
        Assert.Equal(SpeakingTime + 25, stored.SpokeSeconds);
        var spoken = Assert.Single((await ViewAsync(sessionId)).SpokenOn(itemId));
        Assert.Equal((SpeakingTime + 25, SpeakingTime), (spoken.SpokeSeconds, spoken.AllowedSeconds));

        var ended = JsonDocument.Parse(Assert.Single(await LogAsync(sessionId, SpeakerEndedEntry.Kind)).PayloadJson).RootElement;
        Assert.Equal(SpeakingTime + 25, ended.GetProperty("seconds").GetInt32());
        Assert.Equal(SpeakingTime, ended.GetProperty("allowedSeconds").GetInt32());
        Assert.Equal("Contra", ended.GetProperty("mark").GetString());
        Assert.Equal("chair", ended.GetProperty("by").GetString());
        Assert.EndsWith("Z", ended.GetProperty("startedAtUtc").GetString(), StringComparison.Ordinal); // an instant, not a local time
        Assert.EndsWith("Z", ended.GetProperty("endedAtUtc").GetString(), StringComparison.Ordinal);
        Assert.Equal(startedAt, ended.GetProperty("startedAtUtc").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task MovingToAnotherItemOrClosingTheSessionEndsTheRunningTurn()
    {
        var (sessionId, itemId, secondItemId) = await OpenWithAsync(1, 2);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var stays = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Question);
        await Speakers.GrantAsync(_council.Chair, a);
        Clock.Advance(TimeSpan.FromSeconds(42));

        // Announcing the same item again leaves the speaker alone.
        await _council.Sessions.MoveToAgendaItemAsync(_council.Chair, sessionId, itemId);
        Assert.Equal(a, (await ViewAsync(sessionId)).Floor?.RequestId);

        await _council.Sessions.MoveToAgendaItemAsync(_council.Chair, sessionId, secondItemId);
        var view = await ViewAsync(sessionId);
        Assert.Null(view.Floor);
        Assert.Equal(42, Assert.Single(view.SpokenOn(itemId)).SpokeSeconds);
        Assert.Equal([stays], view.WaitingFor(itemId).Select(w => w.RequestId));
        Assert.Equal("Speaker.ItemNotCurrent", await RefusedAsync(() => Speakers.GrantAsync(_council.Chair, stays)));

        var b = await Speakers.RequestAsync(_council.Rep(2), sessionId, secondItemId, SpeakerMark.Pro);
        await Speakers.GrantAsync(_council.Chair, b);
        Clock.Advance(TimeSpan.FromSeconds(7));
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        Assert.Equal(7, (await LoadAsync(b)).SpokeSeconds);

        var ends = await LogAsync(sessionId, SpeakerEndedEntry.Kind);
        Assert.Equal(["agendaMoved", "sessionClosed"], ends.Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("by").GetString()));
        await using var db = await _council.DbAsync();
        Assert.True((await SessionLog.VerifyAsync(db, sessionId, CancellationToken.None)).IsValid);
        var kinds = await db.SessionLog.Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync();
        Assert.Equal(AgendaMovedEntry.Kind, kinds[kinds.IndexOf(SpeakerEndedEntry.Kind) + 1]);
        Assert.Equal(SessionClosedEntry.Kind, kinds[^1]);
    }

    [Fact]
    public async Task ChairActionsAreRefusedOnceTheSessionIsClosed()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Pro);
        var b = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Pro);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);

        Assert.Equal("Session.AlreadyClosed", await RefusedAsync(() => Speakers.GrantAsync(_council.Chair, a)));
        Assert.Equal("Session.AlreadyClosed", await RefusedAsync(() => Speakers.MoveAsync(_council.Chair, b, -1)));
        Assert.Equal("Session.AlreadyClosed", await RefusedAsync(() => Speakers.RemoveAsync(_council.Chair, a, null)));
        Assert.Equal("Session.AlreadyClosed", await RefusedAsync(() => Speakers.WithdrawAsync(_council.Rep(1), a)));
    }

    [Fact]
    public async Task MinutesOfTheSessionListTheSpeakersWithStanceAndTime()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1, 2);
        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra);
        var b = await Speakers.RequestAsync(_council.Rep(2), sessionId, itemId, SpeakerMark.Question);
        var startedAt = TimeZoneInfo.ConvertTimeFromUtc(Clock.Now.UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await Speakers.GrantAsync(_council.Chair, a);
        await Speakers.ExtendAsync(_council.Chair, a, 60);
        Clock.Advance(TimeSpan.FromSeconds(250));
        await Speakers.EndTurnAsync(_council.Chair, a);
        await Speakers.RemoveAsync(_council.Chair, b, "<b>离题</b>");
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);

        var markdown = await fixture.Database.Services.GetRequiredService<MinutesService>().PreviewAsync(sessionId);

        var name = await _council.MemberNameAsync(await _council.RepMembershipIdAsync(1));
        var other = await _council.MemberNameAsync(await _council.RepMembershipIdAsync(2));
        Assert.Contains($"| {name} | 反对 | {startedAt} | 4 分 10 秒(超时 10 秒) | 4 分 |", markdown, StringComparison.Ordinal);
        Assert.Contains($"主持人取消了 {other} 的发言申请,理由:\\<b\\>离题\\</b\\>。", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {name} | 1 | 4 分 10 秒 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsCarryTheStartInstantAndTheAllowedTime()
    {
        var (sessionId, itemId, _) = await OpenWithAsync(1);
        var received = new List<SessionEvent>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            lock (received)
            {
                received.Add(e);
            }

            if (e is SpeakerEnded)
            {
                ended.TrySetResult();
            }

            return Task.CompletedTask;
        });

        var a = await Speakers.RequestAsync(_council.Rep(1), sessionId, itemId, SpeakerMark.Contra);
        var startedAt = Clock.Now.UtcDateTime;
        await Speakers.GrantAsync(_council.Chair, a);
        Clock.Advance(TimeSpan.FromSeconds(100));
        await Speakers.ExtendAsync(_council.Chair, a, 60);
        Clock.Advance(TimeSpan.FromSeconds(150));
        await Speakers.EndTurnAsync(_council.Chair, a);
        await ended.Task.WaitAsync(HangGuard);

        var member = await _council.RepMembershipIdAsync(1);
        var name = await _council.MemberNameAsync(member);
        lock (received)
        {
            Assert.Contains(new SpeakerQueueChanged(sessionId, itemId), received);
            Assert.Contains(new SpeakerStarted(sessionId, itemId, a, member, name, SpeakerMark.Contra, startedAt, SpeakingTime), received);
            Assert.Contains(new SpeakerExtended(sessionId, itemId, a, startedAt, SpeakingTime + 60), received);
            Assert.Contains(new SpeakerEnded(sessionId, itemId, a, member, name, startedAt, startedAt.AddSeconds(250), 250, SpeakingTime + 60), received);
        }
    }
}
