using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Proposals.Amendments;

/// <summary>
/// Amendments to a proposal's paragraphs: members propose and withdraw them; whoever presides over the proposal accepts,
/// rejects or puts them to a vote (<see cref="ProposalPermissions.MayPreside"/>); an accepted or adopted amendment makes a
/// new version of the proposal. Decisions are logged in the session whose agenda holds the proposal.
/// </summary>
public sealed class AmendmentService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, VotingService voting, TimeProvider clock)
{
    public async Task<int> ProposeAmendmentAsync(Actor actor, int proposalId, int paragraphIndex, string? proposedText, string? rationale, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var proposal = await ProposalService.LoadAsync(db, proposalId, ct);
            if (await ProposalService.VotingSeatAsync(db, actor, proposal.BodyId, DateOnly.FromDateTime(Now), ct) is null)
            {
                throw new ForbiddenException("Proposal.NotAMember");
            }

            var number = (await db.Amendments.Where(a => a.ProposalId == proposalId).MaxAsync(a => (int?)a.Number, ct) ?? 0) + 1;
            var amendment = Amendment.Propose(proposal, number, paragraphIndex, proposedText, rationale, actor.UserId, await ProposalService.DisplayNameAsync(db, actor.UserId, ct), Now);
            db.Amendments.Add(amendment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && attempt < 5)
            {
                continue; // two amendments took the same number at once: take the next.
            }

            await PublishAsync(proposal, ct);
            return amendment.Id;
        }
    }

    public Task WithdrawAmendmentAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: false, async (db, a, p, s) =>
        {
            a.Withdraw(actor.UserId, Now);
            await Task.CompletedTask;
            return null;
        }, ct);

    /// <summary>The presiding chair accepts the amendment into the text: a new version of the proposal.</summary>
    public Task AcceptAmendmentAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            var version = a.Accept(p, actor.UserId, await ProposalService.DisplayNameAsync(db, actor.UserId, ct), Now);
            return new AmendmentAcceptedEntry(amendmentId, a.Number, p.Id, version.Number, a.OriginalText, a.ProposedText);
        }, ct);

    public Task RejectAmendmentAsync(Actor actor, int amendmentId, string? reason, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            a.Reject(actor.UserId, Now, reason);
            await Task.CompletedTask;
            return new AmendmentRejectedEntry(amendmentId, a.Number, p.Id, a.DecisionNote);
        }, ct);

    /// <summary>The presiding chair puts the amendment to a named yes / no / abstain vote on the proposal's agenda item.</summary>
    public async Task<int> PutAmendmentToVoteAsync(Actor actor, int amendmentId, CancellationToken ct = default)
    {
        int sessionId, agendaItemId, number;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var amendment = await db.Amendments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == amendmentId, ct) ?? throw new NotFoundException("Amendment", amendmentId);
            var proposal = await ProposalService.LoadAsync(db, amendment.ProposalId, ct);
            var session = await ProposalService.PresidingSessionAsync(db, proposal, ct) ?? throw new DomainException("Proposal.NotOnAgenda");
            if (amendment.Status != AmendmentStatus.Proposed)
            {
                throw new DomainException("Amendment.AlreadyDecided", amendment.Status.ToString());
            }

            (sessionId, agendaItemId, number) = (session.Id, proposal.AgendaItemId!.Value, amendment.Number);
        }

        var question = $"修正案 {number} / Amendment {number}";
        var pollId = await voting.OpenNewPollAsync(actor, sessionId, new PollInput(agendaItemId, question, VoteMethod.YesNoAbstain, [], 1, 1, 0,
            Secrecy.Named, MajorityKind.Simple, MajorityBase.VotesCast, AbstentionsCount: false), null, ct);
        await AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            a.PutToVote(pollId);
            await Task.CompletedTask;
            return new AmendmentPutToVoteEntry(amendmentId, a.Number, p.Id, pollId);
        }, ct);
        return pollId;
    }

    /// <summary>After the vote on an amendment closed: adopted amendments change the text (a new version).</summary>
    public Task RecordAmendmentVoteAsync(Actor actor, int amendmentId, CancellationToken ct = default) =>
        AmendmentChangeAsync(actor, amendmentId, presiding: true, async (db, a, p, s) =>
        {
            var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(x => x.Id == a.PollId, ct) ?? throw new DomainException("Amendment.NotVoting");
            if (poll.Status is not (PollStatus.Closed or PollStatus.Published))
            {
                throw new DomainException("Amendment.VoteNotClosed");
            }

            var version = a.RecordVote(p, poll.Outcome == PollOutcome.Adopted, actor.UserId, await ProposalService.DisplayNameAsync(db, actor.UserId, ct), Now);
            return new AmendmentVotedEntry(amendmentId, a.Number, p.Id, a.Status.ToString().ToLowerInvariant(), poll.Id, version?.Number);
        }, ct);

    private async Task AmendmentChangeAsync(Actor actor, int amendmentId, bool presiding, Func<DeliberationDbContext, Amendment, Proposal, Session?, Task<SessionLogEvent?>> change, CancellationToken ct)
    {
        Proposal? changed = null;
        int? sessionId = null;
        try
        {
            await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
            {
                var amendment = await db.Amendments.SingleOrDefaultAsync(a => a.Id == amendmentId, ct) ?? throw new NotFoundException("Amendment", amendmentId);
                var proposal = await ProposalService.LoadAsync(db, amendment.ProposalId, ct);
                var session = await ProposalService.PresidingSessionAsync(db, proposal, ct);
                if (presiding)
                {
                    var offices = session is not null ? await OfficeReader.InTermAsync(db, actor, session.TermId, ct) : await OfficeReader.InBodyAsync(db, actor, proposal.BodyId, ct);
                    Permit.Require(offices.Presides, "Office.Presides");
                }

                var entry = await change(db, amendment, proposal, session);
                if (entry is not null && session is not null)
                {
                    await SessionLog.AppendAsync(db, session.Id, entry, actor.UserId, Now, ct);
                }

                await db.SaveChangesAsync(ct);
                changed = proposal;
                sessionId = session?.Id;
                return 0;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another decision on the amendment (or an edit of the proposal) was saved first; nothing of this one is stored.
            throw new DomainException("Amendment.ChangedMeanwhile");
        }

        await PublishAsync(changed!, ct);
    }

    private Task PublishAsync(Proposal proposal, CancellationToken ct) => events.PublishAsync(new ProposalChanged(proposal.Id, proposal.Version), ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
