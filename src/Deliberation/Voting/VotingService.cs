using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting.Casting;
using CommunityDeliberation.Deliberation.Voting.Sealing;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>
/// The life of a vote: creating, opening, paper counts, closing (by the chair or its timer), publishing and annulling,
/// and the finished vote's permanent result. Casting is <see cref="BallotCasting"/> (reached through
/// <see cref="CastAsync(Actor, int, IReadOnlyList{int}?, string?, int?, CancellationToken)"/>, which the Blazor UI and the
/// hub both call). Every command authorizes through <see cref="VotingPermissions"/>.
/// </summary>
public sealed class VotingService(
    IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TallyBroadcaster tallies, CastChecks checks, BallotCasting casting,
    BallotSeal seal, TimeProvider clock, LedgerFollowUps followUps)
{
    /// <summary>Creates a draft vote on an agenda item of an open or scheduled session.</summary>
    public async Task<int> CreatePollAsync(Actor actor, int sessionId, PollInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await LoadSessionForChairAsync(db, actor, sessionId, ct);
        if (session.Status == SessionStatus.Closed)
        {
            throw new DomainException("Session.AlreadyClosed");
        }

        if (!await db.AgendaItems.AnyAsync(a => a.Id == input.AgendaItemId && a.SessionId == sessionId, ct))
        {
            throw new DomainException("Agenda.UnknownItem");
        }

        var rule = new MajorityRule(input.Majority, input.Base, input.AbstentionsCount, input.Numerator, input.Denominator);
        var spec = new PollSpec(input.Method, input.Options ?? [], input.MinChoices, input.MaxChoices, input.Seats, input.Secrecy, rule);
        var poll = Poll.Draft(sessionId, input.AgendaItemId, input.Question ?? string.Empty, spec, actor.UserId, Now);
        db.Polls.Add(poll);
        await db.SaveChangesAsync(ct);
        return poll.Id;
    }

    /// <summary>
    /// Says that a live session is watched on this instance, so its ballots may come here: while it is open, the checks
    /// of its votes are read as each opens, and those of the vote open now at once, not by the first batch of a burst.
    /// </summary>
    public void WatchedHere(LiveSessionView view)
    {
        if (view.Session.Status == SessionStatus.Open)
        {
            checks.Follow(view.Session.Id, view.OpenPoll?.Id);
        }
    }

    /// <summary>Opens a draft vote. The session must be open, the quorum met, and no other vote open.</summary>
    public async Task OpenPollAsync(Actor actor, int pollId, int? closesAfterSeconds = null, CancellationToken ct = default)
    {
        var sessionId = await SessionLog.InUnitOfWorkAsync(dbFactory, db => OpenPollAsync(db, actor, pollId, closesAfterSeconds, ct), ct);
        await events.PublishAsync(new PollOpened(sessionId, pollId), ct);
    }

    private async Task<int> OpenPollAsync(DeliberationDbContext db, Actor actor, int pollId, int? closesAfterSeconds, CancellationToken ct)
    {
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        session.EnsureOpen();
        if (await db.Polls.AnyAsync(p => p.SessionId == poll.SessionId && p.Status == PollStatus.Open && p.Id != pollId, ct))
        {
            throw new DomainException("Poll.AnotherIsOpen");
        }

        var quorum = await SessionService.QuorumAsync(db, session.TermId, session.Id, ct);
        if (!quorum.IsMet)
        {
            throw new DomainException("Quorum.NotMet", quorum.Missing, quorum.Present, quorum.Required);
        }

        var possible = await PollQueries.BallotsPossibleAsync(db, session.TermId, session.Id, ct);
        poll.Open(possible, Now, closesAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        await SessionLog.AppendAsync(db, poll.SessionId, PollOpenedEntry.Of(poll), actor.UserId, Now, ct);
        await db.SaveChangesAsync(ct);
        return poll.SessionId;
    }

    /// <summary>The quick path: a named yes / no / abstain vote by simple majority, created and opened at once.</summary>
    public Task<int> OpenPollAsync(Actor actor, int sessionId, int agendaItemId, string? question, CancellationToken ct = default) =>
        OpenNewPollAsync(actor, sessionId, new PollInput(agendaItemId, question, VoteMethod.YesNoAbstain, [], 1, 1, 0,
            Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false), null, ct);

    /// <summary>Creates a vote and opens it at once; when it cannot open (no quorum, another vote open), nothing is left behind.</summary>
    public async Task<int> OpenNewPollAsync(Actor actor, int sessionId, PollInput input, int? closesAfterSeconds, CancellationToken ct = default)
    {
        var id = await CreatePollAsync(actor, sessionId, input, ct);
        try
        {
            await OpenPollAsync(actor, id, closesAfterSeconds, ct);
        }
        catch (Exception ex) when (ex is DomainException or ForbiddenException)
        {
            await DeleteDraftAsync(id, ct);
            throw;
        }

        return id;
    }

    /// <summary>
    /// Casts a ballot for the caller, or, with <paramref name="onBehalfOfMembershipId"/>, for a member whose proxy the
    /// caller holds: the one entry point of the hub and the pages, answered by its vote's writer (<see cref="BallotCasting"/>,
    /// ADR 0008).
    /// </summary>
    public Task<CastResult> CastAsync(Actor actor, int pollId, IReadOnlyList<int>? selections, string? idempotencyKey = null, int? onBehalfOfMembershipId = null, CancellationToken ct = default) =>
        casting.CastAsync(actor, pollId, selections, idempotencyKey, onBehalfOfMembershipId, ct);

    public Task<CastResult> CastAsync(Actor actor, int pollId, BallotChoice choice, CancellationToken ct = default) => casting.CastAsync(actor, pollId, choice, ct);

    /// <summary>For tests that need to know what a batch holds (<see cref="BallotCasting.CastTogether"/>).</summary>
    internal IReadOnlyList<Task<CastResult>> CastTogether(int pollId, params (Actor Actor, IReadOnlyList<int>? Selections, string? IdempotencyKey, int? OnBehalfOf)[] casts) =>
        casting.CastTogether(pollId, casts);

    /// <summary>What the writers have done so far (for tests and diagnostics).</summary>
    internal CastCounters Counters => casting.Counters;

    /// <summary>The chair records counted paper or show-of-hands votes for members without a device.</summary>
    public async Task RecordPaperCountAsync(Actor actor, int pollId, int ballots, IReadOnlyList<int> optionVotes, int blankBallots = 0, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        var possible = await PollQueries.BallotsPossibleAsync(db, session.TermId, session.Id, ct);
        poll.RecordPaperCount(ballots, optionVotes, blankBallots, Math.Max(possible, poll.EligibleAtOpen), Now);
        await SessionLog.AppendAsync(db, poll.SessionId, new PaperCountedEntry(pollId, ballots, blankBallots, optionVotes), actor.UserId, Now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Paper.BallotsArrived");
        }

        tallies.MarkChanged(poll.SessionId, pollId);
    }

    /// <summary>
    /// Closes a vote: checks the quorum again, counts the stored ballots against the counters, fixes the result and
    /// decides it by the vote's rule.
    /// </summary>
    public async Task<PollView> ClosePollAsync(Actor actor, int pollId, CancellationToken ct = default) =>
        await CloseAsync(pollId, actor.UserId, async (db, session) => await RequireChairAsync(db, actor, session, ct), ct);

    /// <summary>Closes every open vote whose closing time has passed. Called by <see cref="PollTimerService"/>.</summary>
    public async Task<int> CloseExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var due = await db.Polls.AsNoTracking().Where(p => p.Status == PollStatus.Open && p.ClosesAtUtc != null && p.ClosesAtUtc <= now).Select(p => p.Id).ToListAsync(ct);
        var closed = 0;
        foreach (var id in due)
        {
            try
            {
                await CloseAsync(id, null, (_, _) => Task.CompletedTask, ct);
                closed++;
            }
            catch (DomainException)
            {
                // closed by the chair in the meantime
            }
        }

        return closed;
    }

    public async Task PublishAsync(Actor actor, int pollId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        await LoadSessionForChairAsync(db, actor, poll.SessionId, ct);
        poll.Publish(Now);
        await SessionLog.AppendAsync(db, poll.SessionId, new PollPublishedEntry(pollId), actor.UserId, Now, ct);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new PollChanged(poll.SessionId, pollId, poll.Status), ct);
    }

    /// <summary>
    /// Annuls a closed vote: the chair (or the secretary) asks with a reason, the other confirms. Returns true once annulled.
    /// </summary>
    public async Task<bool> AnnulAsync(Actor actor, int pollId, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
        var role = VotingPermissions.AnnulmentSide(await OfficeReader.InTermAsync(db, actor, session.TermId, ct))
            ?? throw new ForbiddenException("Office.Secretariat");

        var annulled = poll.Annul(actor.UserId, role, reason, Now);
        SessionLogEvent entry = annulled ? new PollAnnulledEntry(pollId, poll.AnnulmentReason, role) : new AnnulmentRequestedEntry(pollId, poll.AnnulmentReason, role);
        await SessionLog.AppendAsync(db, poll.SessionId, entry, actor.UserId, Now, ct);
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new PollChanged(poll.SessionId, pollId, poll.Status), ct);
        return annulled;
    }

    /// <summary>A finished vote's permanent result, with the anonymised ballot list (secret) or who voted what (named).</summary>
    public async Task<PollPermalink?> FindFinishedAsync(int pollId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId && (p.Status == PollStatus.Closed || p.Status == PollStatus.Published || p.Status == PollStatus.Annulled), ct);
        if (poll is null)
        {
            return null;
        }

        var title = await db.Sessions.Where(s => s.Id == poll.SessionId).Select(s => s.Title).SingleAsync(ct);
        var secret = PublishedSecretBallots.None;
        IReadOnlyList<NamedVote> named = [];
        if (poll.Secrecy == Secrecy.Secret)
        {
            var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == pollId).Select(b => b.Selections).ToListAsync(ct);
            var receipts = await db.CountedReceipts.AsNoTracking().Where(r => r.PollId == pollId).Select(r => r.Code).ToListAsync(ct);
            var choices = selections.GroupBy(x => x, StringComparer.Ordinal)
                .Select(g => new PublishedChoice(g.Key.Length == 0 ? [] : g.Key.Split(',').Select(int.Parse).ToArray(), g.Count()))
                .OrderBy(c => c.Selections.Count == 0).ThenBy(c => string.Join(',', c.Selections.Select(i => i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal)
                .ToList();
            secret = new PublishedSecretBallots(choices, receipts.Order(StringComparer.Ordinal).ToList());
        }
        else
        {
            named = await PollQueries.NamedVotesAsync(db, pollId, ct);
        }

        return new PollPermalink(poll.SessionId, title, PollQueries.ToView(poll), secret, named);
    }

    private async Task<PollView> CloseAsync(int pollId, string? actorUserId, Func<DeliberationDbContext, Session, Task> authorize, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == pollId, ct) ?? throw new NotFoundException("Poll", pollId);
            var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == poll.SessionId, ct);
            await authorize(db, session);
            poll.EnsureAcceptsBallots();

            // A secret vote's sealed ballots are opened, shuffled and written in the closing transaction (ADR 0016).
            var secret = poll.Secrecy == Secrecy.Secret;
            if (secret)
            {
                await SecureDeleteAsync(db, ct);
            }

            var opened = secret ? await SecretCount.OpenAsync(db, seal, poll, ct) : null;
            var counted = opened?.Count ?? await CountStoredAsync(db, poll, ct);
            if (!poll.Matches(counted) && attempt < 5)
            {
                // A ballot committed between reading the vote and counting: read both again.
                continue;
            }

            var quorum = await SessionService.QuorumAsync(db, session.TermId, session.Id, ct);
            var decision = poll.Close(counted, quorum.Present, quorum.Eligible, quorum.IsMet, Now);
            if (decision.Outcome == PollOutcome.Adopted)
            {
                await followUps.OnVoteAdoptedAsync(db, pollId, poll.AgendaItemId, session.BodyId, actorUserId, Now, ct);
            }

            opened?.Record(db, pollId);
            var named = poll.Secrecy == Secrecy.Named ? await PollQueries.NamedVotesAsync(db, pollId, ct) : [];
            await SessionLog.AppendAsync(db, poll.SessionId, new PollClosedEntry(
                pollId, decision.Outcome.ToString(), LoggedCount.Of(poll.TotalCount()), LoggedCount.Of(poll.PaperCount()), LoggedDecision.Of(decision),
                quorum.Present, quorum.Eligible, quorum.IsMet, named.Select(LoggedVote.Of).ToList()), actorUserId, Now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }
            catch (DbUpdateException ex) when (SessionLog.IsSequenceConflict(ex) && attempt < 5)
            {
                continue;
            }

            if (secret)
            {
                await CheckpointAsync(db, ct);
            }

            tallies.Closed(pollId);
            checks.ForgetPoll(pollId);
            await events.PublishAsync(new PollClosed(poll.SessionId, pollId, decision.Outcome), ct);
            return PollQueries.ToView(poll);
        }
    }

    /// <summary>
    /// SQLite overwrites what this connection deletes (the sealed ballots) with zeros instead of leaving it in free pages.
    /// A setting of the connection (not of the transaction), made on the closing transaction's connection.
    /// </summary>
    private static async Task SecureDeleteAsync(DeliberationDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON", ct);
        }
    }

    /// <summary>
    /// After a secret vote is counted, SQLite copies the write-ahead log into the database and truncates it, so the pages
    /// that held the sealed ballots do not linger in the -wal file. Best effort: a reader in the middle of a read keeps
    /// the log until the next checkpoint.
    /// </summary>
    private static async Task CheckpointAsync(DeliberationDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        }
    }

    private static async Task<VoteCount> CountStoredAsync(DeliberationDbContext db, Poll poll, CancellationToken ct)
    {
        var selections = await db.Ballots.AsNoTracking().Where(b => b.PollId == poll.Id).Select(b => b.Selections).ToListAsync(ct);
        var votes = new int[poll.Options.Count];
        var blank = 0;
        foreach (var s in selections)
        {
            if (s.Length == 0)
            {
                blank++;
                continue;
            }

            foreach (var index in s.Split(','))
            {
                votes[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]++;
            }
        }

        return new VoteCount(votes, selections.Count) { BlankBallots = blank };
    }

    private async Task DeleteDraftAsync(int pollId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Polls.Where(p => p.Id == pollId && p.Status == PollStatus.Draft).ExecuteDeleteAsync(ct);
    }

    private static async Task<Session> LoadSessionForChairAsync(DeliberationDbContext db, Actor actor, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        await RequireChairAsync(db, actor, session, ct);
        return session;
    }

    private static async Task RequireChairAsync(DeliberationDbContext db, Actor actor, Session session, CancellationToken ct) =>
        Permit.Require(VotingPermissions.MayRunVotes(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Presides");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
