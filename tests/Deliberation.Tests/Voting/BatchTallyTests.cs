using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// The live tally of batched ballots (ADR 0008): the writer hands the count it read after its commit to
/// <see cref="TallyBroadcaster"/>, which publishes the latest within its window, and nothing once the vote is closed.
/// </summary>
public sealed class BatchTallyTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly JiangchuanCouncil _council = new(fixture);

    private VotingService Voting => _council.Voting;

    private ISessionEventSubscriber Subscriber => fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>();

    private TallyBroadcaster Tallies => fixture.Database.Services.GetRequiredService<TallyBroadcaster>();

    private Actor Rep(int number) => _council.Rep(number);

    [Theory]
    [InlineData(Secrecy.Named)]
    [InlineData(Secrecy.Secret)]
    public async Task TallyOfABatchCarriesTheWholeBatch(Secrecy secrecy)
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(item => JiangchuanCouncil.Motion(item, secrecy), 1, 2, 3, 4, 5);
        var complete = new TaskCompletionSource<TallyChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Subscriber.Subscribe(sessionId, e =>
        {
            if (e is TallyChanged { Ballots: 5 } tally)
            {
                complete.TrySetResult(tally);
            }

            return Task.CompletedTask;
        });

        await Task.WhenAll(Voting.CastTogether(pollId, Enumerable.Range(1, 5).Select(v => (Rep(v), (IReadOnlyList<int>?)[v % 3], (string?)null, (int?)null)).ToArray()));

        var published = await complete.Task.WaitAsync(HangGuard);
        Assert.Equal((sessionId, pollId), (published.SessionId, published.PollId));
        VoteAssert.Equal(secrecy == Secrecy.Named ? VoteAssert.Count([1, 2, 2], 5) : null, published.Count);
    }

    [Fact]
    public async Task CountReadBeforeTheCloseIsNotPublishedAfterIt()
    {
        var (sessionId, pollId) = await _council.OpenPollWithVotersAsync(1, 2, 3);
        var events = new ConcurrentQueue<SessionEvent>();
        var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Subscriber.Subscribe(sessionId, e =>
        {
            events.Enqueue(e);
            if (e is TallyChanged { Ballots: 3 })
            {
                three.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await Task.WhenAll(Voting.CastTogether(pollId, (Rep(1), [0], null, null), (Rep(2), [1], null, null), (Rep(3), [0], null, null)));
        await three.Task.WaitAsync(HangGuard);

        await Voting.ClosePollAsync(_council.Chair, pollId);
        // A batch whose count read came just before the close hands it over just after.
        Tallies.Publish(new TallyChanged(sessionId, pollId, 3, VoteAssert.Count([2, 1, 0], 3)));
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        var order = events.ToList();
        var closedAt = order.FindIndex(e => e is PollClosed);
        Assert.True(closedAt >= 0, "the close was not published");
        Assert.Empty(order.Skip(closedAt + 1).OfType<TallyChanged>());
    }
}
