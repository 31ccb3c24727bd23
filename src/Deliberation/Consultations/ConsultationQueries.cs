using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>
/// Reading consultations without an account: the list, and the full record of one (blocs, every position version,
/// the assessment, the votes, dissent and the follow-up items). No account id leaves here. The signed-in view with
/// the viewer's flags is <see cref="ConsultationService.GetAsync"/>.
/// </summary>
public sealed class ConsultationQueries(IDbContextFactory<DeliberationDbContext> dbFactory, LedgerService ledger)
{
    public const int ListMax = 200;

    /// <summary>Consultations, newest first; with <paramref name="decidedOnly"/>, only decided ones (the public list).</summary>
    public async Task<IReadOnlyList<ConsultationSummary>> ListAsync(bool decidedOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Consultations.AsNoTracking();
        if (decidedOnly)
        {
            query = query.Where(c => c.Stage == ConsultationStage.Decided);
        }

        return await (from c in query
                      join b in db.Bodies on c.BodyId equals b.Id
                      orderby c.CreatedAtUtc descending, c.Id descending
                      select new ConsultationSummary(c.Id, c.Title, b.Name, b.NameEn, c.IsImportant, c.Stage, c.Blocs.Count, c.CreatedAtUtc, c.DecidedAtUtc))
            .Take(ListMax).ToListAsync(ct);
    }

    /// <summary>A decided consultation for the public page; null when there is none or it is not decided yet.</summary>
    public async Task<ConsultationView?> PublicAsync(int id, CancellationToken ct = default)
    {
        var view = await FindAsync(id, ct);
        return view?.Stage == ConsultationStage.Decided ? view : null;
    }

    /// <summary>One consultation with everything about it, without the viewer's flags.</summary>
    public async Task<ConsultationView?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Consultations.AsNoTracking().Include(x => x.Blocs).ThenInclude(b => b.Members).Include(x => x.Blocs).ThenInclude(b => b.Positions)
            .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return null;
        }

        var body = await db.Bodies.AsNoTracking().Where(b => b.Id == c.BodyId).Select(b => new { b.Name, b.NameEn }).SingleAsync(ct);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == c.SessionId).Select(s => s.Title).SingleAsync(ct);
        var votes = await db.ConsultationVotes.AsNoTracking().Where(v => v.ConsultationId == id).ToListAsync(ct);
        var dissent = await db.ConsultationDissents.AsNoTracking().Where(d => d.ConsultationId == id).ToListAsync(ct);
        var assessment = await db.ConsultationAssessments.AsNoTracking().SingleOrDefaultAsync(a => a.ConsultationId == id, ct);
        var itemIds = await db.LedgerItems.AsNoTracking().Where(i => i.Source == LedgerSource.Consultation && i.SourceId == id).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);
        var followUps = new List<LedgerItemView>();
        foreach (var itemId in itemIds)
        {
            if (await ledger.FindAsync(itemId, ct) is { } item)
            {
                followUps.Add(item with { History = [] });
            }
        }

        var sourceTitle = c.Source switch
        {
            ConsultationSource.Proposal => await db.Proposals.Where(p => p.Id == c.SourceId).Select(p => p.Title).SingleOrDefaultAsync(ct),
            ConsultationSource.Topic => await db.TopicSubmissions.Where(t => t.Id == c.SourceId).Select(t => t.Title).SingleOrDefaultAsync(ct),
            ConsultationSource.HearingIssue => await db.Set<HearingIssue>().Where(i => i.Id == c.SourceId).Select(i => i.Title).SingleOrDefaultAsync(ct),
            _ => null,
        };
        var blocs = c.Blocs.OrderBy(b => b.Id).Select(b =>
        {
            var names = b.Members.Where(m => m.UserId != null).ToDictionary(m => m.UserId!, m => m.Name);
            var vote = votes.SingleOrDefault(v => v.BlocId == b.Id);
            return new BlocView(b.Id, b.Kind, b.Name,
                b.Members.OrderByDescending(m => m.IsSpokesperson).ThenBy(m => m.Id).Select(m => new BlocMemberView(m.Id, m.Name, m.UserId is not null, m.IsSpokesperson)).ToList(),
                b.Positions.OrderBy(p => p.Number).Select(p => new PositionView(p.Number, p.AfterRound, p.Stance, p.Markdown, names.GetValueOrDefault(p.ByUserId, "—"), p.FiledAtUtc)).ToList(),
                vote is null ? null : new BlocVoteView(vote.Choice, vote.Note, vote.CastByName, vote.CastAtUtc),
                dissent.SingleOrDefault(d => d.BlocId == b.Id)?.Note);
        }).ToList();
        return new ConsultationView(c.Id, c.BodyId, body.Name, body.NameEn, c.SessionId, session, c.Title, c.TopicMarkdown, c.IsImportant, c.Source, c.SourceId, sourceTitle,
            c.Stage, c.Round, c.Method, c.Adopted, c.DecisionMarkdown, c.DecidedAtUtc, blocs,
            assessment is null ? null : new AssessmentView(assessment.Feasibility, assessment.Legality, assessment.Cost, assessment.Risks, assessment.Recommendation, assessment.AssessorName, assessment.FiledAtUtc),
            c.Stage is ConsultationStage.Deciding or ConsultationStage.Decided ? [] : c.MissingForDecision(assessment is not null), followUps);
    }
}
