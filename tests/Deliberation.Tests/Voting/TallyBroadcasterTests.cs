using System.Threading.Channels;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommunityDeliberation.Tests.Voting;

/// <summary>
/// How the broadcaster hands counts to the transport (ADR 0023, "one pacer per path"): each count at once, one send in
/// flight per vote, the counts that arrive meanwhile folded into the one with the most ballots, nothing after the close,
/// and a failed send does not stop the counts that follow.
/// The app's own services and in-process bus; the transport is held open by a gate, as a slow backplane holds a send.
/// </summary>
public sealed class TallyBroadcasterTests : IAsyncDisposable
{
    private const int SessionId = 11;
    private const int PollId = 5;

    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly TestDatabase _database = TestDatabase.CreateEmpty(configure: services =>
        services.Replace(ServiceDescriptor.Singleton<ISessionEventTransport, GatedTransport>()));

    private TallyBroadcaster Tallies => _database.Services.GetRequiredService<TallyBroadcaster>();

    private GatedTransport Transport => (GatedTransport)_database.Services.GetRequiredService<ISessionEventTransport>();

    public ValueTask DisposeAsync()
    {
        Transport.Open();
        return _database.DisposeAsync();
    }

    private static TallyChanged Tally(int ballots) => new(SessionId, PollId, ballots, new VoteCount([ballots, 0, 0], ballots));

    /// <summary>Nothing more was sent; the broadcaster works on the thread pool, so give it a moment to prove otherwise.</summary>
    private async Task AssertNothingSentAsync()
    {
        await Task.Delay(100);
        Assert.False(Transport.Sent.Reader.TryRead(out var tally), $"sent {tally?.Ballots} ballots");
    }

    [Fact]
    public async Task EachCountGoesOutWhenNothingIsInFlight()
    {
        Tallies.Publish(Tally(1));
        Assert.Equal(1, await Transport.NextAsync());

        Tallies.Publish(Tally(2));
        Assert.Equal(2, await Transport.NextAsync());
    }

    [Fact]
    public async Task CountsArrivingWhileOneIsInFlightGoOutAsOneWithTheMostBallots()
    {
        Transport.Close();
        Tallies.Publish(Tally(1));
        Assert.Equal(1, await Transport.NextAsync());

        Tallies.Publish(Tally(3));
        Tallies.Publish(Tally(2));
        await AssertNothingSentAsync();

        Transport.Open();
        Assert.Equal(3, await Transport.NextAsync());
        await AssertNothingSentAsync();
    }

    [Fact]
    public async Task AClosedVotesWaitingCountIsNeverSent()
    {
        Transport.Close();
        Tallies.Publish(Tally(1));
        Assert.Equal(1, await Transport.NextAsync());

        Tallies.Publish(Tally(2));
        Tallies.Closed(PollId);
        Transport.Open();

        await AssertNothingSentAsync();
    }

    [Fact]
    public async Task AFailedSendDoesNotStopTheCountsThatFollow()
    {
        Transport.Close(fail: true);
        Tallies.Publish(Tally(1));
        Assert.Equal(1, await Transport.NextAsync());

        Tallies.Publish(Tally(2));
        Transport.Open();
        Assert.Equal(2, await Transport.NextAsync());

        Tallies.Publish(Tally(3));
        Assert.Equal(3, await Transport.NextAsync());
    }

    /// <summary>Delivers to the app's in-process bus like the real transport; while closed, a send is held until opened.</summary>
    private sealed class GatedTransport(SessionEventBus bus) : ISessionEventTransport
    {
        private TaskCompletionSource _gate = Opened();
        private int _failNext;

        public Channel<TallyChanged> Sent { get; } = Channel.CreateUnbounded<TallyChanged>();

        /// <param name="fail">The send held when the gate opens fails, as a backplane or database that went away.</param>
        public void Close(bool fail = false)
        {
            Volatile.Write(ref _failNext, fail ? 1 : 0);
            Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        public void Open() => Volatile.Read(ref _gate).TrySetResult();

        public async Task<int> NextAsync() => (await Sent.Reader.ReadAsync().AsTask().WaitAsync(HangGuard)).Ballots;

        public async Task SendAsync(LiveEvent liveEvent, CancellationToken cancellationToken)
        {
            if (liveEvent is TallyChanged tally)
            {
                Sent.Writer.TryWrite(tally);
            }

            await Volatile.Read(ref _gate).Task.WaitAsync(cancellationToken);
            if (Interlocked.Exchange(ref _failNext, 0) == 1)
            {
                throw new InvalidOperationException("the transport went away");
            }

            bus.Deliver(liveEvent);
        }

        private static TaskCompletionSource Opened()
        {
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            opened.SetResult();
            return opened;
        }
    }
}
