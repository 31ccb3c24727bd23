using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Common;
using CommunityDeliberation.Deliberation.Identity;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Realtime;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Application;

/// <summary>Opening, casting and closing votes. The one service that the Blazor UI and the hub both call.</summary>
public sealed class VotingService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{
    public async Task<int> OpenPollAsync(Actor actor, int sessionId, int agendaItemId, string? question, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        if (!(actor.IsAdmin || session.IsChairedBy(actor.UserId)))
        {
            throw new ForbiddenException("NotAllowed");
        }

        session.EnsureOpen();
        if (!await db.AgendaItems.AnyAsync(a => a.Id == agendaItemId && a.SessionId == sessionId, ct))
        {
            throw new DomainException("Agenda.UnknownItem");
        }

        if (await db.Polls.AnyAsync(p => p.SessionId == sessionId && p.Status == PollStatus.Open, ct))
        {
            throw new DomainException("Poll.AnotherIsOpen");
        }

        var quorum = await SessionService.QuorumAsync(db, session.TermId, sessionId, ct);
        var poll = Poll.Open(sessionId, agendaItemId, question ?? string.Empty, quorum.Present, actor.UserId, Now);
        db.Polls.Add(poll);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new PollOpened(sessionId, poll.Id), ct);
        return poll.Id;
    }

    /// <summary>
    /// Casts the caller's ballot. A second attempt (double click, second tab, replay) stores nothing and returns
    /// <see cref="CastOutcome.AlreadyVoted"/> with the choice already stored. The unique index decides races.
    /// </summary>
    public async Task<CastResult> CastAsync(Actor actor, int pollId, BallotChoice choice, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(choice))
        {
            throw new DomainException("Ballot.InvalidChoice");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        poll.EnsureAcceptsBallots();
        var termId = await db.Sessions.Where(s => s.Id == poll.SessionId).Select(s => s.TermId).SingleAsync(ct);
        var member = await db.Memberships.AsNoTracking().Where(m => m.TermId == termId && m.UserId == actor.UserId)
            .Select(m => new { m.Id, m.Role }).SingleOrDefaultAsync(ct);
        if (member is null || !Membership.HasVoteIn(member.Role))
        {
            throw new ForbiddenException("Ballot.NotEligible");
        }

        if (!await db.Attendances.AnyAsync(a => a.SessionId == poll.SessionId && a.MembershipId == member.Id, ct))
        {
            throw new DomainException("Ballot.NotCheckedIn");
        }

        var existing = await StoredChoiceAsync(db, pollId, member.Id, ct);
        if (existing is not null)
        {
            return new CastResult(CastOutcome.AlreadyVoted, existing.Value, await CountAsync(db, pollId, ct));
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Count the ballot only while the poll is still open; this row update also orders the cast against a close.
            var counted = await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.BallotCount, p => p.BallotCount + 1), ct);
            if (counted == 0)
            {
                throw new DomainException("Poll.Closed");
            }

            db.Ballots.Add(new Ballot(pollId, member.Id, choice, actor.UserId, Now));
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                var stored = await StoredChoiceAsync(db, pollId, member.Id, ct) ?? choice;
                return new CastResult(CastOutcome.AlreadyVoted, stored, await CountAsync(db, pollId, ct));
            }
        }

        var tally = await CountAsync(db, pollId, ct);
        await events.PublishAsync(new TallyChanged(poll.SessionId, pollId, tally), ct);
        return new CastResult(CastOutcome.Accepted, choice, tally);
    }

    /// <summary>Closes a vote: counts the stored ballots, fixes the result and decides it by the poll's majority rule.</summary>
    public async Task<PollView> ClosePollAsync(Actor actor, int pollId, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
            if (!(actor.IsAdmin || session.IsChairedBy(actor.UserId)))
            {
                throw new ForbiddenException("NotAllowed");
            }

            var tally = await CountAsync(db, pollId, ct);
            if (tally.Cast != poll.BallotCount && attempt < 5)
            {
                // A ballot committed between reading the poll and counting: read both again.
                continue;
            }

            var outcome = poll.Close(tally, Now);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }

            await events.PublishAsync(new PollClosed(poll.SessionId, pollId, tally, outcome), ct);
            return ToView(poll);
        }
    }

    /// <summary>A closed vote's permanent result, or null when there is no such closed vote.</summary>
    public async Task<PollPermalink?> FindClosedAsync(int pollId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId && p.Status == PollStatus.Closed, ct);
        if (poll is null)
        {
            return null;
        }

        var title = await db.Sessions.Where(s => s.Id == poll.SessionId).Select(s => s.Title).SingleAsync(ct);
        return new PollPermalink(poll.SessionId, title, poll.Question, ToView(poll));
    }

    internal static async Task<List<PollView>> PollViewsAsync(DeliberationDbContext db, int sessionId, CancellationToken ct)
    {
        var polls = await db.Polls.AsNoTracking().Where(p => p.SessionId == sessionId).OrderBy(p => p.OpenedAtUtc).ToListAsync(ct);
        var views = new List<PollView>(polls.Count);
        foreach (var poll in polls)
        {
            var tally = poll.Status == PollStatus.Closed ? poll.Result! : await CountAsync(db, poll.Id, ct);
            views.Add(ToView(poll) with { Tally = tally });
        }

        return views;
    }

    private static PollView ToView(Poll poll) =>
        new(poll.Id, poll.AgendaItemId, poll.Question, poll.Status, poll.Result ?? Tally.Empty, poll.EligibleAtOpen, poll.Outcome, poll.OpenedAtUtc, poll.ClosedAtUtc, poll.Rule);

    private static async Task<BallotChoice?> StoredChoiceAsync(DeliberationDbContext db, int pollId, int membershipId, CancellationToken ct) =>
        await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId && b.MembershipId == membershipId).Select(b => (BallotChoice?)b.Choice).SingleOrDefaultAsync(ct);

    private static async Task<Tally> CountAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        var counts = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).GroupBy(b => b.Choice)
            .Select(g => new { Choice = g.Key, Count = g.Count() }).ToListAsync(ct);
        return Tally.From(counts.Select(c => (c.Choice, c.Count)));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
