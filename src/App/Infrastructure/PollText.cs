using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Localized words for a vote: option labels, the rule in a sentence, and the arithmetic of a result.</summary>
public static class PollText
{
    /// <summary>Yes / no / abstain labels are localized; other options are the chair's own text.</summary>
    public static string Option(IStringLocalizer l, PollView poll, int index) =>
        poll.Method == VoteMethod.YesNoAbstain ? l[$"Choice.{(BallotChoice)index}"] : poll.Options[index];

    public static string Selections(IStringLocalizer l, PollView poll, IReadOnlyList<int> selections) =>
        selections.Count == 0 ? l["Ballot.Blank"] : string.Join("、", selections.Select(i => Option(l, poll, i)));

    public static string Method(IStringLocalizer l, PollView poll) => poll.Method switch
    {
        VoteMethod.MultipleChoice => l["Method.MultipleChoice.Limits", poll.MinChoices, poll.MaxChoices],
        VoteMethod.Election => l["Method.Election.Seats", poll.Seats],
        _ => l[$"Method.{poll.Method}"],
    };

    public static string Rule(IStringLocalizer l, MajorityRule rule)
    {
        var kind = rule.Kind == MajorityKind.Custom ? l["Majority.Custom.Named", rule.Numerator, rule.Denominator].Value : l[$"Majority.{rule.Kind}"].Value;
        var @base = rule.Kind == MajorityKind.Simple ? string.Empty : l["Rule.BaseOf", l[$"Base.{rule.Base}"]].Value;
        var abstentions = l[rule.AbstentionsCount ? "Rule.AbstentionsCount" : "Rule.AbstentionsDoNotCount"].Value;
        return l["Rule.Sentence", kind, @base, abstentions];
    }

    /// <summary>The arithmetic behind a closed vote's outcome, in one sentence.</summary>
    public static string Arithmetic(IStringLocalizer l, PollView poll)
    {
        if (poll.Decision is not { } d || poll.Count is not { } c)
        {
            return string.Empty;
        }

        if (d.Outcome == PollOutcome.QuorumLost)
        {
            return l["Arithmetic.QuorumLost", poll.PresentAtClose, poll.MembersAtClose];
        }

        if (poll.Method == VoteMethod.YesNoAbstain)
        {
            int yes = c[PollSpec.Yes], no = c[PollSpec.No], abstain = c[PollSpec.Abstain];
            if (poll.Rule.Kind == MajorityKind.Simple)
            {
                return poll.Rule.AbstentionsCount
                    ? l["Arithmetic.SimpleWithAbstentions", yes, yes > no + abstain ? ">" : "≤", no + abstain]
                    : l["Arithmetic.Simple", yes, yes > no ? ">" : "≤", no, abstain];
            }

            var met = d.Outcome == PollOutcome.Adopted;
            return l["Arithmetic.Threshold", yes, met ? "≥" : "<", d.Threshold, d.Base, l[$"Base.{poll.Rule.Base}"]];
        }

        var winners = string.Join("、", d.Winners.Select(i => Option(l, poll, i)));
        var tied = string.Join("、", d.Tied.Select(i => Option(l, poll, i)));
        var line = poll.Rule.Kind == MajorityKind.Simple && poll.Method != VoteMethod.MultipleChoice
            ? l["Arithmetic.MostVotes"].Value
            : l["Arithmetic.ChoiceThreshold", d.Threshold, d.Base].Value;
        return d.Outcome switch
        {
            PollOutcome.Tie when d.Winners.Count > 0 => l["Arithmetic.TieAfterWinners", line, winners, tied],
            PollOutcome.Tie => l["Arithmetic.Tie", line, tied],
            PollOutcome.Decided => l[poll.Method == VoteMethod.Election ? "Arithmetic.Elected" : "Arithmetic.Chosen", line, winners],
            _ => l["Arithmetic.NoneChosen", line],
        };
    }
}
