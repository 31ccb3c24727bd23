using System.Text.Json.Serialization;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;

namespace CommunityDeliberation.Deliberation.Voting;

// Proxies and votes in the session log. Each record's JSON is a stored format (see SessionLogEvent): the values the
// domain holds as enums are their names, and the nested records below are the log's own, not the domain's types, so
// that a change to the domain cannot change what is written.

/// <summary>proxy.given: <c>{ from: { id, name }, to: { id, name } }</c>.</summary>
public sealed record ProxyGivenEntry(LoggedMember From, LoggedMember To) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "proxy.given";
}

/// <summary>
/// proxy.revoked: <c>{ from: { id, name } }</c> when the member took the proxy back; <c>{ from, reason: "seatEnded" }</c>
/// when their seat ended (the reason is left out, not null, when there is none).
/// </summary>
public sealed record ProxyRevokedEntry(
    LoggedMember From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null) : SessionLogEvent, ISessionLogEvent
{
    public const string SeatEnded = "seatEnded";

    public static string Kind => "proxy.revoked";
}

/// <summary>
/// poll.opened: <c>{ pollId, agendaItemId, question, method, secrecy, rule: { kind, base, abstentionsCount, numerator,
/// denominator }, options, minChoices, maxChoices, seats, eligible, closesAtUtc }</c> (closesAtUtc null without a closing time).
/// </summary>
public sealed record PollOpenedEntry(
    int PollId, int AgendaItemId, string Question, string Method, string Secrecy, LoggedRule Rule, IReadOnlyList<string> Options,
    int MinChoices, int MaxChoices, int Seats, int Eligible, DateTime? ClosesAtUtc) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.opened";

    /// <summary>The entry for a vote just opened.</summary>
    public static PollOpenedEntry Of(Poll poll) => new(
        poll.Id, poll.AgendaItemId, poll.Question, poll.Method.ToString(), poll.Secrecy.ToString(), LoggedRule.Of(poll.Rule),
        poll.Options.OrderBy(o => o.Index).Select(o => o.Label).ToList(), poll.MinChoices, poll.MaxChoices, poll.Seats, poll.EligibleAtOpen, poll.ClosesAtUtc);
}

/// <summary>A vote's majority rule in the log.</summary>
public sealed record LoggedRule(string Kind, string Base, bool AbstentionsCount, int Numerator, int Denominator)
{
    public static LoggedRule Of(MajorityRule rule) => new(rule.Kind.ToString(), rule.Base.ToString(), rule.AbstentionsCount, rule.Numerator, rule.Denominator);
}

/// <summary>poll.paperCounted: <c>{ pollId, ballots, blank, votes }</c> — the chair's count of paper or show-of-hands votes.</summary>
public sealed record PaperCountedEntry(int PollId, int Ballots, int Blank, IReadOnlyList<int> Votes) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.paperCounted";
}

/// <summary>
/// poll.closed: <c>{ pollId, outcome, count, paper, decision, present, members, quorumMet, named: [{ name, selections,
/// isProxy }] }</c>. count (electronic and paper) and paper are <c>{ optionVotes, ballots, blankBallots }</c>; decision
/// is <c>{ outcome, base, threshold, winners, tied, ranking }</c> with its outcome as a number; named is empty for a secret vote.
/// </summary>
public sealed record PollClosedEntry(
    int PollId, string Outcome, LoggedCount Count, LoggedCount Paper, LoggedDecision Decision, int Present, int Members, bool QuorumMet,
    IReadOnlyList<LoggedVote> Named) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.closed";
}

/// <summary>Counts of a vote in the log.</summary>
public sealed record LoggedCount(IReadOnlyList<int> OptionVotes, int Ballots, int BlankBallots)
{
    public static LoggedCount Of(VoteCount count) => new(count.OptionVotes, count.Ballots, count.BlankBallots);
}

/// <summary>A vote's decision in the log. The outcome is written as a number, the name is the entry's <c>outcome</c>.</summary>
public sealed record LoggedDecision(
    [property: JsonConverter(typeof(EnumNumberConverter<PollOutcome>))] PollOutcome Outcome,
    int Base, int Threshold, IReadOnlyList<int> Winners, IReadOnlyList<int> Tied, IReadOnlyList<int> Ranking)
{
    public static LoggedDecision Of(PollDecision decision) =>
        new(decision.Outcome, decision.Base, decision.Threshold, decision.Winners, decision.Tied, decision.Ranking);
}

/// <summary>A named vote's ballot in the log: who, the options chosen (none: blank), and whether cast by proxy.</summary>
public sealed record LoggedVote(string Name, IReadOnlyList<int> Selections, bool IsProxy)
{
    public static LoggedVote Of(NamedVote vote) => new(vote.Name, vote.Selections, vote.IsProxy);
}

/// <summary>poll.published: <c>{ pollId }</c>.</summary>
public sealed record PollPublishedEntry(int PollId) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.published";
}

/// <summary>poll.annulmentRequested: <c>{ pollId, reason, role }</c> — the first of the two (chair, secretary) asked.</summary>
public sealed record AnnulmentRequestedEntry(int PollId, string? Reason, string Role) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.annulmentRequested";
}

/// <summary>poll.annulled: <c>{ pollId, reason, role }</c> — the other confirmed; the reason is the request's.</summary>
public sealed record PollAnnulledEntry(int PollId, string? Reason, string Role) : SessionLogEvent, ISessionLogEvent
{
    public static string Kind => "poll.annulled";
}
