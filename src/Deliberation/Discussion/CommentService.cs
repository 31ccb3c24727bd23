using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Discussion;

public enum CommentOrder
{
    NewestFirst,
    OldestFirst,
}

/// <summary>Comments per stance in one discussion, hidden comments not counted.</summary>
public sealed record StanceCounts(int Support, int Oppose, int Neutral)
{
    public static readonly StanceCounts None = new(0, 0, 0);

    public int Total => Support + Oppose + Neutral;
}

/// <summary>What a discussion page says about the proposal above the thread.</summary>
public sealed record DiscussionHeader(int ProposalId, string Title, ProposalStatus Status, string AuthorName, bool IsOpenForComments);

/// <summary>
/// One comment as this viewer may see it. For a hidden comment, everyone but its author and the moderators gets only the
/// place in the thread: <see cref="AuthorName"/>, <see cref="Stance"/>, <see cref="Text"/> and <see cref="Html"/> are null.
/// <see cref="Html"/> is the Markdown rendered by <see cref="SafeMarkdown"/>. <see cref="ReportCount"/> is for moderators only.
/// Replies are oldest first.
/// </summary>
public sealed record CommentView(
    int Id, int? ParentId, int Depth, string? AuthorName, CommentStance? Stance, string? Text, string? Html,
    DateTime CreatedAtUtc, DateTime? EditedAtUtc, DateTime EditableUntilUtc, bool IsMine,
    bool IsHidden, string? HiddenReason, int? ReportCount, bool ReportedByMe, IReadOnlyList<CommentView> Replies)
{
    /// <summary>Whether the viewer sees the text (always, unless hidden and the viewer is neither author nor moderator).</summary>
    public bool IsVisible => Text is not null;

    public bool CanEdit(DateTime nowUtc) => IsMine && !IsHidden && nowUtc <= EditableUntilUtc;

    public bool CanReport => !IsMine && !IsHidden && !ReportedByMe;
}

/// <summary>
/// A page of threads of one discussion: up to a page size of first comments, each with all its replies nested.
/// <see cref="NextAfter"/> is the cursor for the next page (null when there is none).
/// </summary>
public sealed record CommentPage(
    int ProposalId, int? AmendmentId, CommentOrder Order, IReadOnlyList<CommentView> Threads, int? NextAfter,
    int TotalThreads, int TotalComments, StanceCounts Counts, ProposalStatus ProposalStatus, bool CanPost, bool IsModerator);

/// <summary>One comment (without its replies) and the discussion's counts now, for a screen that follows it live.</summary>
public sealed record CommentUpdate(CommentView Comment, int? AmendmentId, int TotalThreads, int TotalComments, StanceCounts Counts);

/// <summary>
/// The discussion of a proposal and of its amendments: threaded comments with a stance, editing within ten minutes,
/// reports, and moderation (the secretariat of the proposal's body hides with a reason and shows again, <see cref="DiscussionPermissions"/>). Reading needs a signed-in user;
/// a draft's discussion is visible to its author only, and comments are taken while the proposal is submitted and not
/// yet closed. Every change publishes an event on the proposal's channel after it is stored.
/// </summary>
public sealed class CommentService(IDbContextFactory<DeliberationDbContext> dbFactory, ISessionEventPublisher events, TimeProvider clock)
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    public async Task<DiscussionHeader> GetDiscussionAsync(Actor actor, int proposalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await ReadableProposalAsync(db, actor, proposalId, ct);
        return new DiscussionHeader(proposal.Id, proposal.Title, proposal.Status, proposal.AuthorName, Comment.IsOpenForComments(proposal));
    }

    /// <summary>
    /// A page of threads, newest or oldest first. Pass the previous page's <see cref="CommentPage.NextAfter"/> as
    /// <paramref name="after"/> for the next page: the cursor is a comment id, so comments posted meanwhile never shift
    /// the pages.
    /// </summary>
    public async Task<CommentPage> GetPageAsync(Actor actor, int proposalId, int? amendmentId = null, CommentOrder order = CommentOrder.NewestFirst, int? after = null, int pageSize = DefaultPageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await ReadableProposalAsync(db, actor, proposalId, ct);
        if (amendmentId is { } a && !await db.Amendments.AnyAsync(x => x.Id == a && x.ProposalId == proposalId, ct))
        {
            throw new NotFoundException("Amendment", a);
        }

        var moderator = await ModeratesAsync(db, actor, proposal, ct);
        var roots = Scope(db, proposalId, amendmentId).Where(c => c.ParentId == null);
        if (after is { } cursor)
        {
            roots = order == CommentOrder.NewestFirst ? roots.Where(c => c.Id < cursor) : roots.Where(c => c.Id > cursor);
        }

        roots = order == CommentOrder.NewestFirst ? roots.OrderByDescending(c => c.Id) : roots.OrderBy(c => c.Id);
        var page = await roots.Take(pageSize + 1).ToListAsync(ct);
        var hasMore = page.Count > pageSize;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var rootIds = page.Select(c => c.Id).ToList();
        var replies = rootIds.Count == 0
            ? []
            : await db.Comments.AsNoTracking().Where(c => c.ThreadId != null && rootIds.Contains(c.ThreadId.Value)).OrderBy(c => c.Id).ToListAsync(ct);
        var ids = rootIds.Concat(replies.Select(r => r.Id)).ToList();
        var (reportCounts, reportedByMe) = await ReportsAsync(db, actor, moderator, ids, ct);
        var (threads, total, counts) = await CountsAsync(db, proposalId, amendmentId, ct);

        var children = replies.ToLookup(r => r.ParentId!.Value);
        CommentView Build(Comment c) =>
            View(c, actor, moderator, reportCounts.GetValueOrDefault(c.Id), reportedByMe.Contains(c.Id), children[c.Id].Select(Build).ToList());

        return new CommentPage(
            proposalId, amendmentId, order, page.Select(Build).ToList(), hasMore ? page[^1].Id : null,
            threads, total, counts, proposal.Status, Comment.IsOpenForComments(proposal), moderator);
    }

    /// <summary>One comment as the viewer may see it (no replies), with the discussion's counts now.</summary>
    public async Task<CommentUpdate> GetCommentAsync(Actor actor, int commentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var comment = await db.Comments.AsNoTracking().SingleOrDefaultAsync(c => c.Id == commentId, ct) ?? throw new NotFoundException("Comment", commentId);
        var proposal = await ReadableProposalAsync(db, actor, comment.ProposalId, ct);
        var moderator = await ModeratesAsync(db, actor, proposal, ct);
        var (reportCounts, reportedByMe) = await ReportsAsync(db, actor, moderator, [commentId], ct);
        var (threads, total, counts) = await CountsAsync(db, comment.ProposalId, comment.AmendmentId, ct);
        return new CommentUpdate(View(comment, actor, moderator, reportCounts.GetValueOrDefault(commentId), reportedByMe.Contains(commentId), []), comment.AmendmentId, threads, total, counts);
    }

    /// <summary>Opens a thread in the proposal's discussion, or in the discussion of its amendment <paramref name="amendmentId"/>.</summary>
    public Task<int> PostAsync(Actor actor, int proposalId, int? amendmentId, CommentStance? stance, string? text, CancellationToken ct = default) =>
        AddAsync(actor, proposalId, amendmentId, null, stance, text, ct);

    /// <summary>Replies to <paramref name="parentId"/>, which must be in the same discussion (proposal and amendment).</summary>
    public Task<int> ReplyAsync(Actor actor, int proposalId, int? amendmentId, int parentId, CommentStance? stance, string? text, CancellationToken ct = default) =>
        AddAsync(actor, proposalId, amendmentId, parentId, stance, text, ct);

    /// <summary>The author edits text and stance, within ten minutes of posting.</summary>
    public Task EditAsync(Actor actor, int commentId, CommentStance? stance, string? text, CancellationToken ct = default) =>
        ChangeAsync(actor, commentId, CommentChange.Edited, (_, comment, proposal) => comment.Edit(proposal, actor.UserId, stance, text, Now), ct);

    /// <summary>A moderator hides a comment; the reason is required.</summary>
    public Task HideAsync(Actor actor, int commentId, string? reason, CancellationToken ct = default) =>
        ChangeAsync(actor, commentId, CommentChange.Hidden, (_, comment, _) => comment.Hide(actor.UserId, reason, Now), ct, moderation: true);

    /// <summary>A moderator shows a hidden comment again.</summary>
    public Task UnhideAsync(Actor actor, int commentId, CancellationToken ct = default) =>
        ChangeAsync(actor, commentId, CommentChange.Unhidden, (_, comment, _) => comment.Unhide(), ct, moderation: true);

    /// <summary>
    /// Anyone signed in reports someone else's comment, once: the unique index on (comment, reporter) refuses a second
    /// report however it arrives (another tab, a double click, at the same moment).
    /// </summary>
    public Task ReportAsync(Actor actor, int commentId, string? reason, CancellationToken ct = default) =>
        ChangeAsync(actor, commentId, CommentChange.Reported, (db, comment, _) => db.CommentReports.Add(comment.Report(actor.UserId, reason, Now)), ct, byAccount: true);

    private async Task<int> AddAsync(Actor actor, int proposalId, int? amendmentId, int? parentId, CommentStance? stance, string? text, CancellationToken ct)
    {
        Comment comment;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var proposal = await ReadableProposalAsync(db, actor, proposalId, ct);
            var name = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct)
                ?? throw new ForbiddenException("NotAllowed");
            if (parentId is { } id)
            {
                var parent = await db.Comments.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Comment", id);
                comment = Comment.Reply(proposal, amendmentId, parent, actor.UserId, name, stance, text, Now);
            }
            else
            {
                Amendment? amendment = null;
                if (amendmentId is { } a)
                {
                    amendment = await db.Amendments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == a && x.ProposalId == proposalId, ct)
                        ?? throw new DomainException("Comment.UnknownAmendment");
                }

                comment = Comment.Post(proposal, amendment, actor.UserId, name, stance, text, Now);
            }

            db.Comments.Add(comment);
            await db.SaveChangesAsync(ct);
        }

        await events.PublishAsync(new CommentPosted(comment.ProposalId, comment.Id, comment.AmendmentId, comment.ParentId, comment.AuthorName), ct);
        return comment.Id;
    }

    private async Task ChangeAsync(Actor actor, int commentId, CommentChange change, Action<DeliberationDbContext, Comment, Proposal> apply, CancellationToken ct, bool moderation = false, bool byAccount = false)
    {
        Comment comment;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == commentId, ct) ?? throw new NotFoundException("Comment", commentId);
            var proposal = await ReadableProposalAsync(db, actor, comment.ProposalId, ct);
            if (moderation)
            {
                Permit.Require(await ModeratesAsync(db, actor, proposal, ct), "Office.Secretariat");
            }

            if (byAccount)
            {
                // What is stored names its author: only an account may do it, as only an account may post (AddAsync).
                Permit.Require(await db.Users.AnyAsync(u => u.Id == actor.UserId, ct));
            }

            apply(db, comment, proposal);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (change == CommentChange.Reported && DbErrors.IsUniqueViolation(ex))
            {
                throw new DomainException("Comment.AlreadyReported");
            }
        }

        await events.PublishAsync(new CommentChanged(comment.ProposalId, comment.Id, comment.AmendmentId, change), ct);
    }

    /// <summary>The proposal, if this viewer may read its discussion: any signed-in user, except a draft (its author only).</summary>
    private static async Task<Proposal> ReadableProposalAsync(DeliberationDbContext db, Actor actor, int proposalId, CancellationToken ct)
    {
        var proposal = await db.Proposals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == proposalId, ct);
        if (proposal is null || !DiscussionPermissions.MayRead(actor.UserId, proposal))
        {
            throw new NotFoundException("Proposal", proposalId);
        }

        return proposal;
    }

    private static async Task<bool> ModeratesAsync(DeliberationDbContext db, Actor actor, Proposal proposal, CancellationToken ct) =>
        DiscussionPermissions.MayModerate(await OfficeReader.InBodyAsync(db, actor, proposal.BodyId, ct));

    private static IQueryable<Comment> Scope(DeliberationDbContext db, int proposalId, int? amendmentId)
    {
        var comments = db.Comments.AsNoTracking().Where(c => c.ProposalId == proposalId);

        // Two plain predicates rather than a nullable comparison, so SQLite uses the (ProposalId, AmendmentId, ...) index.
        return amendmentId is { } a ? comments.Where(c => c.AmendmentId == a) : comments.Where(c => c.AmendmentId == null);
    }

    /// <summary>Threads and comments in the discussion (hidden ones included: they keep their place), and the stances of the shown ones.</summary>
    private static async Task<(int Threads, int Comments, StanceCounts Counts)> CountsAsync(DeliberationDbContext db, int proposalId, int? amendmentId, CancellationToken ct)
    {
        var rows = await Scope(db, proposalId, amendmentId)
            .GroupBy(c => new { Root = c.ParentId == null, Shown = c.HiddenAtUtc == null, c.Stance })
            .Select(g => new { g.Key.Root, g.Key.Shown, g.Key.Stance, Count = g.Count() })
            .ToListAsync(ct);
        int Shown(CommentStance stance) => rows.Where(r => r.Shown && r.Stance == stance).Sum(r => r.Count);
        return (rows.Where(r => r.Root).Sum(r => r.Count), rows.Sum(r => r.Count),
            new StanceCounts(Shown(CommentStance.Support), Shown(CommentStance.Oppose), Shown(CommentStance.Neutral)));
    }

    private static async Task<(Dictionary<int, int> Counts, HashSet<int> Mine)> ReportsAsync(DeliberationDbContext db, Actor actor, bool moderator, List<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return ([], []);
        }

        var reports = db.CommentReports.AsNoTracking().Where(r => ids.Contains(r.CommentId));
        var counts = moderator
            ? await reports.GroupBy(r => r.CommentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct)
            : [];
        var mine = await reports.Where(r => r.ReporterUserId == actor.UserId).Select(r => r.CommentId).ToListAsync(ct);
        return (counts, mine.ToHashSet());
    }

    private static CommentView View(Comment c, Actor actor, bool moderator, int reportCount, bool reportedByMe, IReadOnlyList<CommentView> replies)
    {
        var mine = c.IsAuthoredBy(actor.UserId);
        var visible = !c.IsHidden || mine || moderator;
        return new CommentView(
            c.Id, c.ParentId, c.Depth,
            visible ? c.AuthorName : null, visible ? c.Stance : null, visible ? c.Text : null, visible ? SafeMarkdown.ToHtml(c.Text) : null,
            c.CreatedAtUtc, visible ? c.EditedAtUtc : null, c.EditableUntilUtc, mine,
            c.IsHidden, visible ? c.HiddenReason : null, moderator ? reportCount : null, reportedByMe, replies);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
