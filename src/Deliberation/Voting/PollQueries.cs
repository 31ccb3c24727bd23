using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>Read models of votes shared by the voting, session and proposal features: views, counts, ballots possible.</summary>
internal static class PollQueries
{
    /// <summary>Who voted what in a named vote, ordered by name.</summary>
    internal static async Task<List<NamedVote>> NamedVotesAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        var rows = await (from b in db.Ballots.AsNoTracking()
                          join m in db.Memberships on b.MembershipId equals m.Id
                          where b.PollId == pollId
                          select new { m.Name, b.Selections, b.IsProxy }).ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new NamedVote(r.Name, r.Selections.Length == 0 ? [] : r.Selections.Split(',').Select(int.Parse).ToArray(), r.IsProxy)).ToList();
    }

    internal static async Task<List<PollView>> PollViewsAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        var polls = await db.Polls.AsNoTracking().Where(p => p.SessionId == sessionId).OrderBy(p => p.CreatedAtUtc).ThenBy(p => p.Id).ToListAsync(ct);
        return polls.Select(ToView).ToList();
    }

    internal static PollView ToView(Poll poll)
    {
        var options = poll.Options.OrderBy(o => o.Index).Select(o => o.Label).ToList();
        return new PollView(
            poll.Id, poll.AgendaItemId, poll.Question, poll.Method, poll.Secrecy, poll.Rule, poll.MinChoices, poll.MaxChoices, poll.Seats,
            poll.Status, options, poll.BallotCount + poll.PaperBallots, poll.PaperBallots, poll.EligibleAtOpen,
            poll.CountsVisible || poll.Status == PollStatus.Annulled ? poll.TotalCount() : null,
            poll.Outcome, poll.Decision, poll.OpenedAtUtc, poll.ClosesAtUtc, poll.ClosedAtUtc, poll.PresentAtClose, poll.MembersAtClose,
            poll.AnnulmentReason, poll.AnnulmentRequestedByUserId is not null && poll.Status != PollStatus.Annulled);
    }

    /// <summary>Ballots possible now: voting members present who have not delegated, plus proxies held by present members.</summary>
    internal static async Task<int> BallotsPossibleAsync(DeliberationDbContext db, int termId, int sessionId, CancellationToken ct)
    {
        var present = await (from a in db.Attendances
                             join m in db.Memberships on a.MembershipId equals m.Id
                             where a.SessionId == sessionId && m.EndedAtUtc == null && Membership.VotingRoles.Contains(m.Role)
                             select m.Id).ToListAsync(ct);
        var delegations = await db.Delegations.Where(d => d.SessionId == sessionId && d.RevokedAtUtc == null)
            .Select(d => new { d.FromMembershipId, d.ToMembershipId }).ToListAsync(ct);
        var presentSet = present.ToHashSet();
        var delegated = delegations.Select(d => d.FromMembershipId).ToHashSet();
        var byProxy = delegations.Where(d => presentSet.Contains(d.ToMembershipId)).Select(d => d.FromMembershipId).ToHashSet();
        return presentSet.Count(id => !delegated.Contains(id)) + byProxy.Count;
    }

    internal static async Task<(int Ballots, VoteCount? Count)> CurrentCountAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        var fresh = await db.Polls.AsNoTracking().SingleAsync(p => p.Id == pollId, ct);
        return (fresh.BallotCount + fresh.PaperBallots, fresh.CountsVisible ? fresh.TotalCount() : null);
    }
}
