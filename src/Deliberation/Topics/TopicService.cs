using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Topics;

/// <summary>
/// Residents' topics (议题征集): submitted without an account through the public form, rate-limited per source,
/// followed with a tracking code, triaged by the secretariat (accept, merge, reject with a reason, refer).
/// </summary>
public sealed class TopicService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, TopicSourceKey sourceKeys)
{
    /// <summary>At most this many topics from one source per hour, and <see cref="PerDay"/> per day.</summary>
    public const int PerHour = 3;

    public const int PerDay = 10;

    /// <summary>
    /// Stores a topic from the public form. <paramref name="source"/> identifies the sender for the rate limit (the
    /// client address); only its keyed hash is kept (<see cref="TopicSourceKey"/>, IPv6 per /64).
    /// </summary>
    public async Task<TopicReceipt> SubmitAsync(TopicInput input, string source, CancellationToken ct = default)
    {
        // Count and insert in one unit of work: immediate on SQLite, serializable on PostgreSQL, so two submissions from the
        // same source cannot both pass the limit.
        var key = sourceKeys.For(source);
        return await UnitOfWork.RunAsync(dbFactory, async db =>
        {
            if (!await db.Bodies.AnyAsync(b => b.Id == input.BodyId && b.ParentId == null, ct))
            {
                throw new DomainException("Topic.UnknownBody");
            }

            var now = Now;
            var lastDay = await db.TopicSubmissions.Where(t => t.SourceKey == key && t.CreatedAtUtc > now.AddDays(-1)).Select(t => t.CreatedAtUtc).ToListAsync(ct);
            if (lastDay.Count(t => t > now.AddHours(-1)) >= PerHour || lastDay.Count >= PerDay)
            {
                throw new DomainException("Topic.TooMany", PerHour, PerDay);
            }

            var topic = TopicSubmission.Submit(input.BodyId, input.Title, input.Text, input.Category, input.Name, input.Contact, key, now);
            db.TopicSubmissions.Add(topic);
            await db.SaveChangesAsync(ct);
            return new TopicReceipt(topic.TrackingCode);
        }, ct);
    }

    /// <summary>What the submitter sees with the tracking code: status, reason, the proposal it became. Never the contact.</summary>
    public async Task<TopicStatusView?> TrackAsync(string? code, CancellationToken ct = default)
    {
        var normalized = (code ?? string.Empty).Trim().ToUpperInvariant();
        if (normalized.Length is 0 or > 16)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from t in db.TopicSubmissions.AsNoTracking()
            where t.TrackingCode == normalized
            join b in db.Bodies on t.BodyId equals b.Id
            join p in db.Proposals on t.ProposalId equals p.Id into ps
            from p in ps.DefaultIfEmpty()
            select new TopicStatusView(t.TrackingCode, t.Title, b.Name, b.NameEn, t.CreatedAtUtc, t.Status, t.Reason, t.ReferredToName,
                t.ProposalId, p == null ? null : p.Title, p == null ? null : p.Status)).SingleOrDefaultAsync(ct);
    }

    /// <summary>Whether this person triages the topics of some body (for the navigation's triage link).</summary>
    public async Task<bool> MayTriageAnyAsync(Actor? actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await OfficeReader.EverywhereAsync(db, actor, ct)).Any(TopicPermissions.MayTriage);
    }

    /// <summary>The topics sent to the bodies whose secretariat this person is in, newest first (at most 500).</summary>
    public async Task<IReadOnlyList<TopicTriageView>> ListAsync(Actor actor, TopicStatus? status, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bodyIds = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(TopicPermissions.MayTriage).Select(o => o.BodyId).ToList();
        Permit.Require(bodyIds.Count > 0, "Office.Secretariat");
        var query = db.TopicSubmissions.AsNoTracking().Where(t => bodyIds.Contains(t.BodyId));
        if (status is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        return await (
            from t in query
            join b in db.Bodies on t.BodyId equals b.Id
            orderby t.CreatedAtUtc descending, t.Id descending
            select new TopicTriageView(t.Id, t.BodyId, b.Name, b.NameEn, t.Title, t.Text, t.Category, t.SubmitterName, t.Contact, t.CreatedAtUtc,
                t.Status, t.Reason, t.ReferredToName, t.ProposalId, t.TrackingCode)).Take(500).ToListAsync(ct);
    }

    /// <summary>Accepts the topic as a proposal of its body, submitted in the secretary's name. Returns the proposal id.</summary>
    public async Task<int> AcceptAsync(Actor actor, int topicId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var topic = await LoadForTriageAsync(db, actor, topicId, ct);
        if (topic.Status != TopicStatus.New)
        {
            throw new DomainException("Topic.AlreadyTriaged");
        }

        var proposal = Proposal.FromTopic(topic.BodyId, topic, actor.UserId, await ProposalService.DisplayNameAsync(db, actor.UserId, ct), Now);
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync(ct);
        topic.AcceptAs(proposal, actor.UserId, Now);
        await SaveAsync(db, ct);
        await tx.CommitAsync(ct);
        return proposal.Id;
    }

    public async Task MergeAsync(Actor actor, int topicId, int proposalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var topic = await LoadForTriageAsync(db, actor, topicId, ct);
        var proposal = await db.Proposals.SingleOrDefaultAsync(p => p.Id == proposalId, ct) ?? throw new DomainException("Topic.UnknownProposal");
        if (proposal.BodyId != topic.BodyId || proposal.Status == ProposalStatus.Draft)
        {
            throw new DomainException("Topic.UnknownProposal");
        }

        topic.MergeInto(proposal, actor.UserId, Now);
        await SaveAsync(db, ct);
    }

    public async Task RejectAsync(Actor actor, int topicId, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var topic = await LoadForTriageAsync(db, actor, topicId, ct);
        topic.Reject(reason, actor.UserId, Now);
        await SaveAsync(db, ct);
    }

    /// <summary>Refers the topic to another body or a higher level (小事不出社区、大事不出街道); the record stays here.</summary>
    public async Task ReferAsync(Actor actor, int topicId, string? toName, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var topic = await LoadForTriageAsync(db, actor, topicId, ct);
        topic.Refer(toName, reason, actor.UserId, Now);
        await SaveAsync(db, ct);
    }

    private static async Task SaveAsync(DeliberationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Topic.AlreadyTriaged");
        }
    }

    /// <summary>The topic, once the actor is known to be in its body's secretariat (<see cref="TopicPermissions.MayTriage"/>).</summary>
    private static async Task<TopicSubmission> LoadForTriageAsync(DeliberationDbContext db, Actor actor, int topicId, CancellationToken ct)
    {
        var topic = await db.TopicSubmissions.SingleOrDefaultAsync(t => t.Id == topicId, ct) ?? throw new NotFoundException("Topic", topicId);
        Permit.Require(TopicPermissions.MayTriage(await OfficeReader.InBodyAsync(db, actor, topic.BodyId, ct)), "Office.Secretariat");
        return topic;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
