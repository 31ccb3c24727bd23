using System.Globalization;
using System.Security.Claims;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.AspNetCore.SignalR;

namespace CommunityDeliberation.App.Hubs;

/// <summary>
/// Every live-hub call passes through here: a refusal from a service becomes a <see cref="HubException"/> whose message
/// is "<c>Code: English sentence</c>" (the code is stable, the sentence may change); anything else is logged and
/// answered with a generic message, never a stack trace.
/// </summary>
public sealed class LiveHubFilter(ILogger<LiveHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ex is not HubException)
        {
            throw Translate(ex, invocationContext.HubMethodName, invocationContext.Context.UserIdentifier);
        }
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var http = context.Context.GetHttpContext();
        var users = (context.Context.User?.FindAll(ClaimTypes.NameIdentifier) ?? []).Select(c => c.Value).Distinct(StringComparer.Ordinal).Count();
        if (users != 1)
        {
            // A cookie for one account and a token for another: refuse rather than guess who is acting.
            throw new HubException(HubErrors.Format("Auth.Ambiguous", "Sign in with one account only (a cookie and a token for different accounts were both sent)."));
        }

        if (http is not null && !HasBearerToken(http.Request) && IsCrossOrigin(http.Request))
        {
            // A page on another site cannot ride on a signed-in browser's cookie (cross-site WebSocket hijacking).
            throw new HubException(HubErrors.Format("Auth.CrossOrigin", "Connections from another site must sign in with a bearer token."));
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is not HubException)
        {
            throw Translate(ex, "OnConnectedAsync", context.Context.UserIdentifier);
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Cleaning up live-hub connection {ConnectionId} failed", context.Context.ConnectionId);
        }
    }

    private HubException Translate(Exception ex, string method, string? user)
    {
        var described = HubErrors.Describe(ex);
        if (described is not null)
        {
            logger.LogDebug("Live hub {Method} by {User} refused: {Error}", method, user, described);
            return new HubException(described);
        }

        logger.LogError(ex, "Live hub {Method} by {User} failed", method, user);
        return new HubException(HubErrors.Unexpected);
    }

    private static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Query.ContainsKey("access_token");

    private static bool IsCrossOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false; // not a browser
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The hub's error codes and their English sentences (docs/realtime-api.md lists them).</summary>
public static class HubErrors
{
    public const string Unexpected = "Server.Unexpected: An unexpected error occurred on the server. Please try again.";

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["NotAllowed"] = "You are not allowed to do this.",
        ["Poll.NotFound"] = "There is no vote with this id.",
        ["Session.NotFound"] = "There is no session with this id.",
        ["Poll.Closed"] = "This vote is closed and no longer accepts ballots.",
        ["Poll.NotOpenYet"] = "This vote has not been opened yet.",
        ["Ballot.NotEligible"] = "You do not have a vote in this session.",
        ["Ballot.NotCheckedIn"] = "Check in to the session before voting.",
        ["Ballot.WrongNumberOfChoices"] = "This vote needs {0} to {1} choices; the ballot has {2}.",
        ["Ballot.UnknownOption"] = "A selection is not one of this vote's options.",
        ["Ballot.DuplicateOption"] = "The same option is selected twice.",
        ["Ballot.InvalidChoice"] = "That is not a valid choice.",
        ["Ballot.SelectionsRequired"] = "Send the selections as an array of option indexes (an empty array is a blank ballot).",
        ["Ballot.IdempotencyKeyRequired"] = "Send an idempotency key with every ballot, so that a retry cannot count twice.",
        ["Ballot.IdempotencyKeyInvalid"] = "The idempotency key must have 1 to {0} characters.",
        ["Proxy.NotHeld"] = "You do not hold that member's proxy in this session.",
        ["Proxy.DelegatedCannotVote"] = "You gave your proxy for this session; your proxy holder votes for you.",
        ["Session.TooManyJoined"] = "A connection can follow at most {0} sessions at once.",
    };

    public static string Format(string code, string message) => code + ": " + message;

    /// <summary>The "Code: sentence" of an expected refusal, or null for an unexpected failure.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        DomainException e => Format(e.Code, Sentence(e.Code, e.Arguments)),
        ForbiddenException e => Format(e.Code, Sentence(e.Code, [])),
        NotFoundException e => Format(e.What + ".NotFound", Sentence(e.What + ".NotFound", [])),
        _ => null,
    };

    private static string Sentence(string code, IReadOnlyList<object> arguments)
    {
        if (!Messages.TryGetValue(code, out var template))
        {
            return "That could not be done.";
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, template, arguments.ToArray());
        }
        catch (FormatException)
        {
            return template;
        }
    }
}
