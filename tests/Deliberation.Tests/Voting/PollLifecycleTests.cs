using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>After the close: publishing, and annulling by the chair and the secretary together.</summary>
public sealed class PollLifecycleTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private const string Reason = "表决时到会人数统计有误";

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private Actor Chair => _council.Chair;

    private Actor Secretary => _council.Secretary;

    private async Task<(int SessionId, int PollId)> ClosedPollAsync()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2);
        await Voting.CastAsync(_council.Rep(1), pollId, BallotChoice.Yes);
        await Voting.CastAsync(_council.Rep(2), pollId, BallotChoice.Yes);
        await Voting.ClosePollAsync(Chair, pollId);
        return (sessionId, pollId);
    }

    private async Task<PollView> ViewAsync(int pollId) => (await Voting.FindFinishedAsync(pollId))?.Poll ?? throw new InvalidOperationException("not finished");

    [Fact]
    public async Task ChairPublishesAClosedVote()
    {
        var (sessionId, pollId) = await ClosedPollAsync();
        var changed = new TaskCompletionSource<PollChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>().Subscribe(sessionId, e =>
        {
            if (e is PollChanged c)
            {
                changed.TrySetResult(c);
            }

            return Task.CompletedTask;
        });

        await Voting.PublishAsync(Chair, pollId);

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Published, poll.Status);
        Assert.NotNull(poll.PublishedAtUtc);
        Assert.Equal(new PollChanged(sessionId, pollId, PollStatus.Published), await changed.Task.WaitAsync(HangGuard));
        var view = await ViewAsync(pollId);
        Assert.Equal(PollStatus.Published, view.Status);
        VoteAssert.Equal(VoteAssert.Count([2, 0, 0], 2), view.Count);
        Assert.Equal(PollOutcome.Adopted, view.Outcome);
        Assert.Equal("Poll.AlreadyPublished", (await Assert.ThrowsAsync<DomainException>(() => Voting.PublishAsync(Chair, pollId))).Code);
    }

    [Fact]
    public async Task OpenVoteCannotBePublishedOrAnnulled()
    {
        var (_, pollId) = await _council.OpenPollWithVotersAsync(1);

        Assert.Equal("Poll.NotClosed", (await Assert.ThrowsAsync<DomainException>(() => Voting.PublishAsync(Chair, pollId))).Code);
        Assert.Equal("Poll.NotClosed", (await Assert.ThrowsAsync<DomainException>(() => Voting.AnnulAsync(Chair, pollId, Reason))).Code);
        Assert.Equal(PollStatus.Open, (await _council.LoadPollAsync(pollId)).Status);
    }

    [Fact]
    public async Task OnlyTheChairPublishes()
    {
        var (_, pollId) = await ClosedPollAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.PublishAsync(_council.Rep(1), pollId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.PublishAsync(Secretary, pollId));

        Assert.Equal(PollStatus.Closed, (await _council.LoadPollAsync(pollId)).Status);
    }

    [Fact]
    public async Task ChairAndSecretaryTogetherAnnulAVote()
    {
        var (_, pollId) = await ClosedPollAsync();

        Assert.False(await Voting.AnnulAsync(Chair, pollId, Reason));

        var pending = await ViewAsync(pollId);
        Assert.Equal(PollStatus.Closed, pending.Status);
        Assert.True(pending.AnnulmentPending);
        Assert.Equal(Reason, pending.AnnulmentReason);

        Assert.True(await Voting.AnnulAsync(Secretary, pollId, null));

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Annulled, poll.Status);
        Assert.Equal(_council.UserId("chair"), poll.AnnulmentRequestedByUserId);
        Assert.Equal(Roles.Chair, poll.AnnulmentRequestedAs);
        Assert.Equal(_council.UserId("secretary"), poll.AnnulledByUserId);
        Assert.NotNull(poll.AnnulledAtUtc);
        var annulled = await ViewAsync(pollId);
        Assert.Equal(PollStatus.Annulled, annulled.Status);
        Assert.False(annulled.AnnulmentPending);
        Assert.True(annulled.IsFinished);
        VoteAssert.Equal(VoteAssert.Count([2, 0, 0], 2), annulled.Count);

        Assert.Equal("Poll.NotClosed", (await Assert.ThrowsAsync<DomainException>(() => Voting.PublishAsync(Chair, pollId))).Code);
        Assert.Equal("Poll.AlreadyAnnulled", (await Assert.ThrowsAsync<DomainException>(() => Voting.AnnulAsync(Chair, pollId, Reason))).Code);
    }

    [Fact]
    public async Task SecretaryMayAskAndTheChairConfirmAPublishedVote()
    {
        var (_, pollId) = await ClosedPollAsync();
        await Voting.PublishAsync(Chair, pollId);

        Assert.False(await Voting.AnnulAsync(Secretary, pollId, Reason));
        Assert.True(await Voting.AnnulAsync(Chair, pollId, null));

        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Annulled, poll.Status);
        Assert.Equal(Roles.Secretary, poll.AnnulmentRequestedAs);
    }

    [Fact]
    public async Task SecretarySeatIsEnoughToTakePart()
    {
        var (_, pollId) = await ClosedPollAsync();
        var secretaryWithoutTheRole = _council.ActorFor("secretary", Roles.Representative);

        Assert.False(await Voting.AnnulAsync(Chair, pollId, Reason));
        Assert.True(await Voting.AnnulAsync(secretaryWithoutTheRole, pollId, null));
    }

    [Fact]
    public async Task ChairCannotAnnulAlone()
    {
        var (_, pollId) = await ClosedPollAsync();
        Assert.False(await Voting.AnnulAsync(Chair, pollId, Reason));

        var twice = await Assert.ThrowsAsync<DomainException>(() => Voting.AnnulAsync(Chair, pollId, Reason));
        // A platform admin holds no office in the council: they cannot take either side of an annulment.
        var admin = await Assert.ThrowsAsync<ForbiddenException>(() => Voting.AnnulAsync(_council.Admin, pollId, null));

        Assert.Equal("Poll.AnnulmentNeedsSecondPerson", twice.Code);
        Assert.Equal("Office.Secretariat", admin.Code);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Null(poll.AnnulledByUserId);
    }

    [Fact]
    public async Task AnnulmentRequestNeedsAReason()
    {
        var (_, pollId) = await ClosedPollAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Voting.AnnulAsync(Chair, pollId, "   "));

        Assert.Equal("Poll.AnnulmentReason.Required", ex.Code);
        var poll = await _council.LoadPollAsync(pollId);
        Assert.Null(poll.AnnulmentRequestedByUserId);
        Assert.False((await ViewAsync(pollId)).AnnulmentPending);
    }

    [Fact]
    public async Task MembersAndObserversCannotAnnul()
    {
        var (_, pollId) = await ClosedPollAsync();

        var member = await Assert.ThrowsAsync<ForbiddenException>(() => Voting.AnnulAsync(_council.Rep(1), pollId, Reason));
        await Assert.ThrowsAsync<ForbiddenException>(() => Voting.AnnulAsync(_council.ActorFor("resident", Roles.Resident), pollId, Reason));

        Assert.Equal("Office.Secretariat", member.Code);
        Assert.Null((await _council.LoadPollAsync(pollId)).AnnulmentRequestedByUserId);
    }
}
