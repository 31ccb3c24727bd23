using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>
/// The commands of a "1+X+1" consultation. Each authorizes through <see cref="ConsultationPermissions"/> (offices in the
/// term of the consultation's session, or the consultation's own blocs), runs the domain step on <see cref="Consultation"/>,
/// appends its entry to the session's log and saves, in one transaction. The decision enters its follow-up items into
/// the work ledger in that same transaction. Reading is <see cref="ConsultationQueries"/>.
/// </summary>
public sealed class ConsultationService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, IOptions<ConsultationOptions> options, ConsultationQueries queries)
{
    /// <summary>The most follow-up items one decision enters.</summary>
    public const int MaxFollowUps = 20;

    /// <summary>The bloc kinds the convener chooses from (configuration <c>Consultations:BlocKinds</c>).</summary>
    public IReadOnlyList<string> BlocKinds => options.Value.Kinds;

    /// <summary>Opens a consultation in a consultation session of the convener body. Returns its id.</summary>
    public async Task<int> CreateAsync(Actor actor, int sessionId, ConsultationInput input, CancellationToken ct = default)
    {
        var id = 0;
        await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
            Permit.Require(ConsultationPermissions.MayConvene(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Presides");
            if (session.Kind != SessionKind.Consultation)
            {
                throw new DomainException("Consultation.NotAConsultationSession");
            }

            if (await db.Consultations.AnyAsync(c => c.SessionId == sessionId, ct))
            {
                throw new DomainException("Consultation.AlreadyExists");
            }

            await CheckSourceAsync(db, session.BodyId, input, ct);
            var consultation = Consultation.Open(sessionId, session.BodyId, session.TermId, input, Now);
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync(ct);
            await SessionLog.AppendAsync(db, sessionId, new ConsultationOpenedEntry(consultation.Id, consultation.Title, consultation.TopicMarkdown, consultation.IsImportant,
                consultation.Source.ToString(), consultation.SourceId), actor.UserId, Now, ct);
            await db.SaveChangesAsync(ct);
            id = consultation.Id;
            return true;
        }, ct);
        return id;
    }

    /// <summary>Adds a stakeholder bloc of a configured kind. Returns its id.</summary>
    public async Task<int> AddBlocAsync(Actor actor, int consultationId, string? kind, string? name, CancellationToken ct = default)
    {
        ConsultationBloc? bloc = null;
        await ConveneAsync(actor, consultationId, (_, c) =>
        {
            bloc = c.AddBloc(kind, name, options.Value.Kinds);
            return Task.FromResult<SessionLogEvent?>(null);
        }, ct);
        return bloc!.Id;
    }

    /// <summary>
    /// Adds a member to a bloc: an account by its user name (who may then file for the bloc), or a person named only.
    /// The first member, or one added as spokesperson, is the bloc's one spokesperson.
    /// </summary>
    public Task AddMemberAsync(Actor actor, int blocId, string? userName, string? name, bool spokesperson, CancellationToken ct = default) =>
        OnBlocAsync(blocId, consultationId => ConveneAsync(actor, consultationId, async (db, c) =>
        {
            string? userId = null;
            if (!string.IsNullOrWhiteSpace(userName))
            {
                var normalized = userName.Trim().ToUpperInvariant();
                var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => new { u.Id, u.DisplayName }).SingleOrDefaultAsync(ct)
                    ?? throw new DomainException("Consultation.UnknownAccount", userName.Trim());
                userId = user.Id;
                name = string.IsNullOrWhiteSpace(name) ? user.DisplayName : name;
            }

            c.AddMember(blocId, userId, name, spokesperson);
            return null;
        }, ct), ct);

    public Task RemoveMemberAsync(Actor actor, int blocId, int memberId, CancellationToken ct = default) =>
        OnBlocAsync(blocId, consultationId => ConveneAsync(actor, consultationId, (_, c) =>
        {
            c.RemoveMember(blocId, memberId);
            return Task.FromResult<SessionLogEvent?>(null);
        }, ct), ct);

    /// <summary>A member of the bloc files or revises its position; anyone else (a member of another bloc too) is refused.</summary>
    public Task FilePositionAsync(Actor actor, int blocId, Stance stance, string? markdown, CancellationToken ct = default) =>
        OnBlocAsync(blocId, consultationId => RunAsync(actor, consultationId, async (db, c) =>
        {
            var bloc = c.BlocOf(blocId);
            Permit.Require(ConsultationPermissions.MayFileFor(bloc, actor.UserId), "Consultation.OwnBlocOnly");
            var position = c.FilePosition(blocId, actor.UserId, stance, markdown, Now);
            var by = bloc.Members.First(m => m.UserId == actor.UserId).Name;
            return await Task.FromResult<SessionLogEvent?>(new ConsultationPositionEntry(c.Id, bloc.Id, bloc.Name, position.Number, position.AfterRound, position.Stance.ToString(), position.Markdown, by));
        }, ct), ct);

    public Task OpenRoundAsync(Actor actor, int consultationId, CancellationToken ct = default) =>
        ConveneAsync(actor, consultationId, (_, c) =>
        {
            c.OpenRound();
            var blocs = c.Blocs.Select(b => new LoggedBloc(b.Id, b.Kind, b.Name, b.Spokesperson?.Name, b.Members.Select(m => m.Name).ToList())).ToList();
            return Task.FromResult<SessionLogEvent?>(new ConsultationRoundEntry(c.Id, c.Round, true, blocs));
        }, ct);

    public Task CloseRoundAsync(Actor actor, int consultationId, CancellationToken ct = default) =>
        ConveneAsync(actor, consultationId, (_, c) =>
        {
            c.CloseRound();
            return Task.FromResult<SessionLogEvent?>(new ConsultationRoundEntry(c.Id, c.Round, false, []));
        }, ct);

    /// <summary>The assessor office of the convener body's term files the third-party assessment (once, before the decision).</summary>
    public Task FileAssessmentAsync(Actor actor, int consultationId, AssessmentInput input, CancellationToken ct = default) =>
        RunAsync(actor, consultationId, async (db, c) =>
        {
            Permit.Require(ConsultationPermissions.MayAssess(await OfficeReader.InTermAsync(db, actor, c.TermId, ct)), "Office.Assessor");
            if (c.Stage is ConsultationStage.Deciding or ConsultationStage.Decided)
            {
                throw new DomainException("Consultation.AssessmentTooLate");
            }

            if (await db.ConsultationAssessments.AnyAsync(a => a.ConsultationId == c.Id, ct))
            {
                throw new DomainException("Consultation.AssessmentFiled");
            }

            var assessment = new ConsultationAssessment(c.Id, input, actor.UserId, await NameOfAsync(db, actor, ct), Now);
            db.ConsultationAssessments.Add(assessment);
            return new ConsultationAssessedEntry(c.Id, assessment.AssessorName, assessment.Feasibility, assessment.Legality, assessment.Cost, assessment.Risks, assessment.Recommendation);
        }, ct);

    /// <summary>Opens the decision step; on an important topic refused until the assessment is filed (nothing stored).</summary>
    public Task OpenDecisionAsync(Actor actor, int consultationId, DecisionMethod method, CancellationToken ct = default) =>
        ConveneAsync(actor, consultationId, async (db, c) =>
        {
            c.OpenDecision(method, await db.ConsultationAssessments.AnyAsync(a => a.ConsultationId == c.Id, ct));
            return new ConsultationDecidingEntry(c.Id, method.ToString());
        }, ct);

    /// <summary>A bloc's spokesperson casts the bloc's one vote; a second vote for the bloc is refused by the database's unique index.</summary>
    public Task CastVoteAsync(Actor actor, int consultationId, BlocChoice choice, string? note, CancellationToken ct = default) =>
        RunAsync(actor, consultationId, async (db, c) =>
        {
            var bloc = c.BlocForVote(actor.UserId);
            var vote = new BlocVote(c.Id, bloc.Id, choice, note, actor.UserId, bloc.Spokesperson!.Name, Now);
            db.ConsultationVotes.Add(vote);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && ex.Entries.Any(e => e.Entity is BlocVote))
            {
                throw new DomainException("Consultation.AlreadyVoted", bloc.Name);
            }

            return new ConsultationVotedEntry(c.Id, bloc.Id, bloc.Name, vote.CastByName, choice.ToString(), vote.Note);
        }, ct);

    /// <summary>
    /// Closes the spokespersons' vote and records the decision (adopted when more than half of all blocs voted for),
    /// blocs that voted against as dissent, and the follow-up items in the ledger, in one transaction.
    /// </summary>
    public Task CloseVoteAsync(Actor actor, int consultationId, string? decision, IReadOnlyList<LedgerItemInput> followUps, CancellationToken ct = default) =>
        ConveneAsync(actor, consultationId, async (db, c) =>
        {
            var votes = await db.ConsultationVotes.Where(v => v.ConsultationId == c.Id).OrderBy(v => v.Id).ToListAsync(ct);
            c.DecideByVote(votes, decision, Now);
            var dissent = new List<BlocDissent>();
            foreach (var against in votes.Where(v => v.Choice == BlocChoice.Against))
            {
                dissent.Add(new BlocDissent(c.Id, against.BlocId, against.Note ?? "反对"));
            }

            var participants = votes.Select(v => new LoggedParticipant(c.BlocOf(v.BlocId).Name, v.CastByName, v.Choice.ToString())).ToList();
            return await DecidedAsync(db, actor, c, dissent, participants, followUps, ct);
        }, ct);

    /// <summary>
    /// Records a consensus with the dissent of named blocs (each with its reservation) and the follow-up items, in one
    /// transaction. Every bloc took part, through its spokesperson.
    /// </summary>
    public Task RecordConsensusAsync(Actor actor, int consultationId, string? decision, IReadOnlyList<(int BlocId, string? Note)> dissent,
        IReadOnlyList<LedgerItemInput> followUps, CancellationToken ct = default) =>
        ConveneAsync(actor, consultationId, async (db, c) =>
        {
            c.DecideByConsensus(dissent.Select(d => d.BlocId).ToList(), decision, Now);
            var dissents = dissent.Select(d => new BlocDissent(c.Id, d.BlocId, d.Note)).ToList();
            var participants = c.Blocs.Select(b => new LoggedParticipant(b.Name, b.Spokesperson?.Name ?? "—", null)).ToList();
            return await DecidedAsync(db, actor, c, dissents, participants, followUps, ct);
        }, ct);

    // ---- Reading ----------------------------------------------------------------------------------------------------

    /// <summary>One consultation with what this person may do in it (anyone may read it).</summary>
    public async Task<ConsultationView?> GetAsync(Actor? actor, int consultationId, CancellationToken ct = default)
    {
        var view = await queries.FindAsync(consultationId, ct);
        if (view is null || actor is null)
        {
            return view;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var termId = await db.Consultations.Where(c => c.Id == consultationId).Select(c => c.TermId).SingleAsync(ct);
        var offices = await OfficeReader.InTermAsync(db, actor, termId, ct);
        var member = await db.ConsultationBlocMembers.AsNoTracking()
            .Where(m => m.UserId == actor.UserId && db.ConsultationBlocs.Any(b => b.Id == m.BlocId && b.ConsultationId == consultationId))
            .Select(m => new { m.BlocId, m.IsSpokesperson }).FirstOrDefaultAsync(ct);
        return view with
        {
            Viewer = new ConsultationViewer(ConsultationPermissions.MayConvene(offices), ConsultationPermissions.MayAssess(offices), member?.BlocId,
                member is { IsSpokesperson: true } ? member.BlocId : null),
        };
    }

    /// <summary>The consultation sessions, without a consultation yet, of the terms where this person presides.</summary>
    public async Task<IReadOnlyList<ConvenableSession>> ConvenableSessionsAsync(Actor? actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var termIds = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(ConsultationPermissions.MayConvene).Select(o => o.TermId).ToList();
        return await db.Sessions.AsNoTracking()
            .Where(s => s.Kind == SessionKind.Consultation && termIds.Contains(s.TermId) && !db.Consultations.Any(c => c.SessionId == s.Id))
            .OrderByDescending(s => s.ScheduledAtUtc)
            .Select(s => new ConvenableSession(s.Id, s.Title, s.Body.Name, s.Body.NameEn, s.ScheduledAtUtc)).ToListAsync(ct);
    }

    // ---- Plumbing ---------------------------------------------------------------------------------------------------

    private async Task<SessionLogEvent?> DecidedAsync(DeliberationDbContext db, Actor actor, Consultation c, List<BlocDissent> dissent,
        List<LoggedParticipant> participants, IReadOnlyList<LedgerItemInput> followUps, CancellationToken ct)
    {
        if (followUps.Count > MaxFollowUps)
        {
            throw new DomainException("Consultation.TooManyFollowUps", MaxFollowUps);
        }

        if (c.Adopted == true && followUps.Count == 0)
        {
            throw new DomainException("Consultation.FollowUpRequired");
        }

        var owners = followUps.Where(f => f.OwnerKind == LedgerOwnerKind.Person && f.OwnerUserId is not null).Select(f => f.OwnerUserId!).Distinct().ToList();
        if (owners.Count > 0 && await db.Users.CountAsync(u => owners.Contains(u.Id), ct) != owners.Count)
        {
            throw new DomainException("Ledger.UnknownOwner");
        }

        var items = followUps.Select(f => LedgerItem.Record(c.BodyId, f with { Source = LedgerSource.Consultation, SourceId = c.Id }, actor.UserId, Now)).ToList();
        db.LedgerItems.AddRange(items);
        db.ConsultationDissents.AddRange(dissent);
        await db.SaveChangesAsync(ct);
        var names = c.Blocs.ToDictionary(b => b.Id, b => b.Name);
        return new ConsultationDecidedEntry(c.Id, c.Method!.Value.ToString(), c.Adopted == true, c.DecisionMarkdown!, participants,
            dissent.Select(d => new LoggedDissent(names[d.BlocId], d.Note)).ToList(),
            items.Select(i => new LoggedFollowUp(i.Id, i.Title, i.OwnerName, i.DueOn, i.Area)).ToList());
    }

    private static async Task CheckSourceAsync(DeliberationDbContext db, int bodyId, ConsultationInput input, CancellationToken ct)
    {
        var found = input.Source switch
        {
            ConsultationSource.None => true,
            ConsultationSource.Proposal => await db.Proposals.AnyAsync(p => p.Id == input.SourceId && p.BodyId == bodyId, ct),
            ConsultationSource.Topic => await db.TopicSubmissions.AnyAsync(t => t.Id == input.SourceId && t.BodyId == bodyId, ct),
            ConsultationSource.HearingIssue => await db.Set<HearingIssue>().AnyAsync(i => i.Id == input.SourceId, ct),
            _ => false,
        };
        if (!found)
        {
            throw new DomainException("Consultation.UnknownSource");
        }
    }

    private static async Task<string> NameOfAsync(DeliberationDbContext db, Actor actor, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? "—";

    private async Task OnBlocAsync(int blocId, Func<int, Task> run, CancellationToken ct)
    {
        int consultationId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            consultationId = await db.ConsultationBlocs.Where(b => b.Id == blocId).Select(b => (int?)b.ConsultationId).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException("Bloc", blocId);
        }

        await run(consultationId);
    }

    private Task ConveneAsync(Actor actor, int consultationId, Func<DeliberationDbContext, Consultation, Task<SessionLogEvent?>> work, CancellationToken ct) =>
        RunAsync(actor, consultationId, async (db, c) =>
        {
            Permit.Require(ConsultationPermissions.MayConvene(await OfficeReader.InTermAsync(db, actor, c.TermId, ct)), "Office.Presides");
            return await work(db, c);
        }, ct);

    /// <summary>
    /// One command: load the consultation with its blocs, run the step (which authorizes), append its log entry, save,
    /// all in one transaction (again from the start when another writer took the log's next number).
    /// </summary>
    private async Task RunAsync(Actor actor, int consultationId, Func<DeliberationDbContext, Consultation, Task<SessionLogEvent?>> work, CancellationToken ct)
    {
        try
        {
            await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
            {
                var c = await db.Consultations.Include(x => x.Blocs).ThenInclude(b => b.Members).Include(x => x.Blocs).ThenInclude(b => b.Positions)
                    .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == consultationId, ct) ?? throw new NotFoundException("Consultation", consultationId);
                var entry = await work(db, c);
                await db.SaveChangesAsync(ct);
                if (entry is not null)
                {
                    await SessionLog.AppendAsync(db, c.SessionId, entry, actor.UserId, Now, ct);
                    await db.SaveChangesAsync(ct);
                }

                return true;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Consultation.ChangedMeanwhile");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
