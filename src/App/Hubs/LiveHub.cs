using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.AspNetCore.SignalR;

namespace CommunityDeliberation.App.Hubs;

/// <summary>
/// The live API at <c>/hubs/live</c> (docs/realtime-api.md). Each method checks the shape of its input and calls the same
/// <see cref="SessionService"/> / <see cref="VotingService"/> methods as the Blazor UI, which authorize and validate
/// everything else. Refusals reach the client as "Code: sentence" through <see cref="LiveHubFilter"/>.
/// </summary>
public sealed class LiveHub(SessionService sessions, VotingService voting, HubEventRelay relay) : Hub
{
    /// <summary>Follows a session: its events reach this connection from now on; returns what the session looks like now.</summary>
    public async Task<LiveSnapshotDto> JoinSession(int sessionId)
    {
        var actor = CurrentActor();
        // Join first, then read: an event published in between arrives as well as the snapshot, never neither.
        await relay.JoinAsync(Context.ConnectionId, sessionId, Context.ConnectionAborted);
        try
        {
            var view = await sessions.GetLiveViewAsync(actor, sessionId, Context.ConnectionAborted);
            voting.WatchedHere(view);
            return LiveSnapshotDto.From(view);
        }
        catch
        {
            await relay.LeaveAsync(Context.ConnectionId, sessionId, CancellationToken.None);
            throw;
        }
    }

    public Task LeaveSession(int sessionId) => relay.LeaveAsync(Context.ConnectionId, sessionId, Context.ConnectionAborted);

    /// <summary>
    /// Casts the caller's ballot (or, with <paramref name="onBehalfOfMembershipId"/>, the ballot of a member whose proxy
    /// the caller holds). <paramref name="selections"/> are option indexes (yes / no / abstain: 0 / 1 / 2).
    /// </summary>
    public async Task<CastResultDto> CastBallot(int pollId, int[]? selections, string? idempotencyKey, int? onBehalfOfMembershipId)
    {
        var actor = CurrentActor();
        if (selections is null)
        {
            throw new HubException(HubErrors.Format("Ballot.SelectionsRequired", "Send the selections as an array of option indexes (an empty array is a blank ballot)."));
        }

        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            throw new HubException(HubErrors.Format("Ballot.IdempotencyKeyRequired", "Send an idempotency key with every ballot, so that a retry cannot count twice."));
        }

        // Not tied to the connection: once the ballot is on its way it is stored or refused whole, even if the caller drops.
        var result = await voting.CastAsync(actor, pollId, selections, idempotencyKey, onBehalfOfMembershipId, CancellationToken.None);
        return CastResultDto.From(result);
    }

    /// <summary>Returns its argument: the round trip of a bare hub call, the baseline the load tool compares against.</summary>
    public string Echo(string payload) => payload;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        relay.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private Actor CurrentActor() =>
        Actor.FromPrincipal(Context.User) ?? throw new HubException(HubErrors.Format("Auth.Required", "Sign in first."));
}
