using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Discussion;

/// <summary>
/// The discussion of proposals through the real <see cref="CommentService"/> on a seeded SQLite file, on a manual clock
/// (the ten-minute edit window is reached by moving the clock). Most tests discuss a proposal of their own, so counts
/// and pages do not depend on the order the tests run in.
/// </summary>
public sealed class CommentServiceTests(ManualClockDatabaseFixture fixture) : IClassFixture<ManualClockDatabaseFixture>
{
    /// <summary>Hang guard for awaited events, not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private const int SqliteConstraintUnique = 2067;

    private readonly JiangchuanCouncil _council = new(fixture);

    private CommentService Comments => fixture.Database.Services.GetRequiredService<CommentService>();

    private Actor Rep(int n) => _council.Rep(n);

    private Actor Resident => _council.ActorFor("resident", Roles.Resident);

    [Fact]
    public async Task PostsACommentWithStanceAuthorAndTime()
    {
        var proposalId = await SubmittedProposalAsync();

        var id = await Comments.PostAsync(Rep(2), proposalId, null, CommentStance.Oppose, "  维护责任应当先由业委会讨论。  ");

        var page = await Comments.GetPageAsync(Rep(3), proposalId);
        var comment = Assert.Single(page.Threads);
        Assert.Equal(id, comment.Id);
        Assert.Equal(CommentStance.Oppose, comment.Stance);
        Assert.Equal("维护责任应当先由业委会讨论。", comment.Text);
        Assert.Equal(await DisplayNameAsync("rep002"), comment.AuthorName);
        Assert.Equal(fixture.Clock.Now.UtcDateTime, comment.CreatedAtUtc);
        Assert.Null(comment.EditedAtUtc);
        Assert.False(comment.IsMine);
        Assert.True(page.CanPost);
        Assert.Equal(new StanceCounts(0, 1, 0), page.Counts);
    }

    [Fact]
    public async Task ResidentsMayJoinTheDiscussionOfASubmittedProposal()
    {
        var seeded = await SeededProposalIdAsync("关于沪闵路沿线旧住房成套改造后续管理的提案");

        var id = await Comments.PostAsync(Resident, seeded, null, CommentStance.Support, "我们小区的楼道确实没人管。");

        var update = await Comments.GetCommentAsync(Rep(1), id);
        Assert.Equal("我们小区的楼道确实没人管。", update.Comment.Text);
    }

    [Fact]
    public async Task RepliesNestToAnyDepthUnderTheirThread()
    {
        var proposalId = await SubmittedProposalAsync();
        var root = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, "第 0 层");
        var parent = root;
        var chain = new List<int> { root };
        for (var depth = 1; depth <= 6; depth++)
        {
            parent = await Comments.ReplyAsync(Rep(1 + (depth % 2)), proposalId, null, parent, CommentStance.Neutral, $"第 {depth} 层");
            chain.Add(parent);
        }

        var sibling = await Comments.ReplyAsync(Rep(3), proposalId, null, root, CommentStance.Oppose, "第 1 层的另一条回复");

        var page = await Comments.GetPageAsync(Rep(4), proposalId);
        var thread = Assert.Single(page.Threads);
        Assert.Equal(1, page.TotalThreads);
        Assert.Equal(8, page.TotalComments);
        Assert.Equal([chain[1], sibling], thread.Replies.Select(r => r.Id));
        var node = thread;
        for (var depth = 0; depth <= 6; depth++)
        {
            Assert.Equal(chain[depth], node.Id);
            Assert.Equal(depth, node.Depth);
            Assert.Equal($"第 {depth} 层", node.Text);
            Assert.Equal(depth == 0 ? null : chain[depth - 1], node.ParentId);
            node = node.Replies.FirstOrDefault() ?? node;
        }

        await using var db = await _council.DbAsync();
        Assert.All(await db.Comments.Where(c => chain.Skip(1).Contains(c.Id) || c.Id == sibling).ToListAsync(), c => Assert.Equal(root, c.ThreadId));
    }

    [Fact]
    public async Task ReplyToACommentOfAnotherProposalIsRefused()
    {
        var first = await SubmittedProposalAsync();
        var second = await SubmittedProposalAsync();
        var elsewhere = await Comments.PostAsync(Rep(1), first, null, CommentStance.Support, "第一份提案下的评论");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.ReplyAsync(Rep(2), second, null, elsewhere, CommentStance.Oppose, "回复到了另一份提案"));

        Assert.Equal("Comment.ParentElsewhere", ex.Code);
        Assert.Equal(0, (await Comments.GetPageAsync(Rep(2), second)).TotalComments);
    }

    [Fact]
    public async Task ReplyMustStayInTheSameAmendmentsDiscussion()
    {
        var proposalId = await SubmittedProposalAsync();
        var amendmentId = await AmendmentAsync(proposalId);
        var onProposal = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, "对提案本身的意见");
        var onAmendment = await Comments.PostAsync(Rep(1), proposalId, amendmentId, CommentStance.Oppose, "对修正案的意见");

        var intoAmendment = await Assert.ThrowsAsync<DomainException>(() => Comments.ReplyAsync(Rep(2), proposalId, amendmentId, onProposal, CommentStance.Neutral, "错位的回复"));
        var intoProposal = await Assert.ThrowsAsync<DomainException>(() => Comments.ReplyAsync(Rep(2), proposalId, null, onAmendment, CommentStance.Neutral, "错位的回复"));
        var reply = await Comments.ReplyAsync(Rep(2), proposalId, amendmentId, onAmendment, CommentStance.Neutral, "对修正案意见的回复");

        Assert.Equal("Comment.ParentElsewhere", intoAmendment.Code);
        Assert.Equal("Comment.ParentElsewhere", intoProposal.Code);
        var proposalPage = await Comments.GetPageAsync(Rep(3), proposalId);
        var amendmentPage = await Comments.GetPageAsync(Rep(3), proposalId, amendmentId);
        Assert.Equal([onProposal], proposalPage.Threads.Select(t => t.Id));
        Assert.Empty(proposalPage.Threads[0].Replies);
        Assert.Equal([onAmendment], amendmentPage.Threads.Select(t => t.Id));
        Assert.Equal([reply], amendmentPage.Threads[0].Replies.Select(r => r.Id));
        Assert.Equal(new StanceCounts(1, 0, 0), proposalPage.Counts);
        Assert.Equal(new StanceCounts(0, 1, 1), amendmentPage.Counts);
    }

    [Fact]
    public async Task CommentOnAnAmendmentOfAnotherProposalIsRefused()
    {
        var proposalId = await SubmittedProposalAsync();
        var otherAmendment = await AmendmentAsync(await SubmittedProposalAsync());

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, otherAmendment, CommentStance.Support, "放错地方的意见"));

        Assert.Equal("Comment.UnknownAmendment", ex.Code);
    }

    [Fact]
    public async Task AuthorEditsWithinTenMinutesAndTheCommentIsMarkedEdited()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Neutral, "先听听大家的意见。");
        var before = (await Comments.GetCommentAsync(Rep(1), id)).Comment;
        Assert.True(before.CanEdit(fixture.Clock.Now.UtcDateTime));

        fixture.Clock.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(59));
        await Comments.EditAsync(Rep(1), id, CommentStance.Support, "听了大家的意见,我支持。");

        var after = (await Comments.GetCommentAsync(Rep(2), id)).Comment;
        Assert.Equal("听了大家的意见,我支持。", after.Text);
        Assert.Equal(CommentStance.Support, after.Stance);
        Assert.Equal(fixture.Clock.Now.UtcDateTime, after.EditedAtUtc);
        Assert.Equal(before.CreatedAtUtc, after.CreatedAtUtc);
    }

    [Fact]
    public async Task EditAfterTenMinutesIsRefusedWithTheWindowStated()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Neutral, "原来的意见");

        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(1), id, CommentStance.Neutral, "太晚的修改"));

        Assert.Equal("Comment.EditWindowPassed", ex.Code);
        Assert.Equal(10, Assert.Single(ex.Arguments));
        var stored = (await Comments.GetCommentAsync(Rep(1), id)).Comment;
        Assert.Equal("原来的意见", stored.Text);
        Assert.Null(stored.EditedAtUtc);
        Assert.False(stored.CanEdit(fixture.Clock.Now.UtcDateTime));
    }

    [Fact]
    public async Task OnlyTheAuthorEdits()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Neutral, "我的意见");

        var byOther = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(2), id, CommentStance.Oppose, "别人改的"));
        var byModerator = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(_council.Secretary, id, CommentStance.Oppose, "记录员改的"));

        Assert.Equal("Comment.NotAuthor", byOther.Code);
        Assert.Equal("Comment.NotAuthor", byModerator.Code);
        Assert.Equal("我的意见", (await Comments.GetCommentAsync(Rep(1), id)).Comment.Text);
    }

    [Fact]
    public async Task EditThatChangesNothingIsRefused()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Neutral, "我的意见");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(1), id, CommentStance.Neutral, "我的意见 "));

        Assert.Equal("Comment.NothingChanged", ex.Code);
        Assert.Null((await Comments.GetCommentAsync(Rep(1), id)).Comment.EditedAtUtc);
    }

    [Fact]
    public async Task HidingNeedsAModerator()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "一条意见");

        await Assert.ThrowsAsync<ForbiddenException>(() => Comments.HideAsync(Rep(2), id, "我不喜欢"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Comments.HideAsync(Rep(1), id, "作者自己隐藏"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Comments.HideAsync(Resident, id, "居民隐藏"));

        Assert.False((await Comments.GetCommentAsync(Rep(2), id)).Comment.IsHidden);
    }

    [Fact]
    public async Task HidingNeedsAReason()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "一条意见");

        var empty = await Assert.ThrowsAsync<DomainException>(() => Comments.HideAsync(_council.Secretary, id, "   "));
        var missing = await Assert.ThrowsAsync<DomainException>(() => Comments.HideAsync(_council.Secretary, id, null));
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Comments.HideAsync(_council.Secretary, id, new string('理', Limits.Reason + 1)));

        Assert.Equal("Comment.HideReason.Required", empty.Code);
        Assert.Equal("Comment.HideReason.Required", missing.Code);
        Assert.Equal("Comment.HideReason.TooLong", tooLong.Code);
        Assert.False((await Comments.GetCommentAsync(Rep(2), id)).Comment.IsHidden);
    }

    [Theory]
    [InlineData("chair", Roles.Chair)]
    [InlineData("secretary", Roles.Secretary)]
    public async Task ModeratorsHideAndShowAgain(string userName, string role)
    {
        var moderator = _council.ActorFor(userName, role);
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "含有人身攻击的言论");

        await Comments.HideAsync(moderator, id, "含有人身攻击");
        Assert.True((await Comments.GetCommentAsync(Rep(2), id)).Comment.IsHidden);

        await Comments.UnhideAsync(moderator, id);
        var shown = (await Comments.GetCommentAsync(Rep(2), id)).Comment;
        Assert.False(shown.IsHidden);
        Assert.Equal("含有人身攻击的言论", shown.Text);
        Assert.Null(shown.HiddenReason);
        await using var db = await _council.DbAsync();
        var stored = await db.Comments.SingleAsync(c => c.Id == id);
        Assert.Null(stored.HiddenAtUtc);
        Assert.Null(stored.HiddenByUserId);
        Assert.Null(stored.HiddenReason);
    }

    [Fact]
    public async Task UnhidingNeedsAModerator()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "一条意见");
        await Comments.HideAsync(_council.Secretary, id, "与议题无关");

        await Assert.ThrowsAsync<ForbiddenException>(() => Comments.UnhideAsync(Rep(1), id));

        Assert.True((await Comments.GetCommentAsync(Rep(1), id)).Comment.IsHidden);
    }

    [Fact]
    public async Task HiddenCommentShowsToItsAuthorAndModeratorsOnlyAndKeepsItsPlace()
    {
        var proposalId = await SubmittedProposalAsync();
        var root = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "被隐藏的意见");
        var reply = await Comments.ReplyAsync(Rep(2), proposalId, null, root, CommentStance.Support, "在隐藏之前写的回复");
        await Comments.HideAsync(_council.Secretary, root, "含有个人电话号码");

        var others = await Comments.GetPageAsync(Rep(3), proposalId);
        var author = await Comments.GetPageAsync(Rep(1), proposalId);
        var moderator = await Comments.GetPageAsync(_council.Chair, proposalId);

        var placeholder = Assert.Single(others.Threads);
        Assert.True(placeholder.IsHidden);
        Assert.False(placeholder.IsVisible);
        Assert.Null(placeholder.Text);
        Assert.Null(placeholder.Html);
        Assert.Null(placeholder.AuthorName);
        Assert.Null(placeholder.Stance);
        Assert.Null(placeholder.HiddenReason);
        Assert.Equal([reply], placeholder.Replies.Select(r => r.Id));
        Assert.Equal("在隐藏之前写的回复", placeholder.Replies[0].Text);

        foreach (var privileged in new[] { author, moderator })
        {
            var seen = Assert.Single(privileged.Threads);
            Assert.True(seen.IsHidden);
            Assert.Equal("被隐藏的意见", seen.Text);
            Assert.Equal("含有个人电话号码", seen.HiddenReason);
            Assert.Equal(CommentStance.Oppose, seen.Stance);
        }

        // The single-comment read (used by live screens) applies the same rule.
        Assert.Null((await Comments.GetCommentAsync(Rep(3), root)).Comment.Text);
        Assert.Equal("含有个人电话号码", (await Comments.GetCommentAsync(Rep(1), root)).Comment.HiddenReason);

        // Hidden comments keep their place in the counts of threads, not in the stances.
        Assert.Equal(1, others.TotalThreads);
        Assert.Equal(2, others.TotalComments);
        Assert.Equal(new StanceCounts(1, 0, 0), others.Counts);
    }

    [Fact]
    public async Task HiddenCommentCannotBeEditedRepliedToOrReported()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "一条意见");
        await Comments.HideAsync(_council.Secretary, id, "与议题无关");

        var edit = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(1), id, CommentStance.Oppose, "换个说法"));
        var reply = await Assert.ThrowsAsync<DomainException>(() => Comments.ReplyAsync(Rep(2), proposalId, null, id, CommentStance.Oppose, "回复"));
        var report = await Assert.ThrowsAsync<DomainException>(() => Comments.ReportAsync(Rep(2), id, null));
        var again = await Assert.ThrowsAsync<DomainException>(() => Comments.HideAsync(_council.Chair, id, "再次隐藏"));

        Assert.Equal("Comment.IsHidden", edit.Code);
        Assert.Equal("Comment.ParentHidden", reply.Code);
        Assert.Equal("Comment.IsHidden", report.Code);
        Assert.Equal("Comment.AlreadyHidden", again.Code);
    }

    [Fact]
    public async Task ModeratorsSeeReportCountsAndReportersSeeTheirOwnReport()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "有争议的意见");

        await Comments.ReportAsync(Rep(2), id, "言辞激烈");
        await Comments.ReportAsync(Rep(3), id, null);

        var moderator = (await Comments.GetCommentAsync(_council.Secretary, id)).Comment;
        var reporter = (await Comments.GetCommentAsync(Rep(2), id)).Comment;
        var other = (await Comments.GetCommentAsync(Rep(4), id)).Comment;
        var author = (await Comments.GetCommentAsync(Rep(1), id)).Comment;
        Assert.Equal(2, moderator.ReportCount);
        Assert.Null(reporter.ReportCount);
        Assert.Null(other.ReportCount);
        Assert.Null(author.ReportCount);
        Assert.True(reporter.ReportedByMe);
        Assert.False(reporter.CanReport);
        Assert.True(other.CanReport);
        Assert.False(author.CanReport);
        Assert.Equal(2, (await Comments.GetPageAsync(_council.Chair, proposalId)).Threads.Single().ReportCount);

        await using var db = await _council.DbAsync();
        var stored = await db.CommentReports.Where(r => r.CommentId == id).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([_council.UserId("rep002"), _council.UserId("rep003")], stored.Select(r => r.ReporterUserId));
        Assert.Equal(new string?[] { "言辞激烈", null }, stored.Select(r => r.Reason));
    }

    [Fact]
    public async Task ReportingOwnCommentIsRefused()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "我的意见");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.ReportAsync(Rep(1), id, "举报自己"));

        Assert.Equal("Comment.ReportOwn", ex.Code);
    }

    [Fact]
    public async Task SecondReportBySamePersonIsRefusedAndNothingIsStored()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "有争议的意见");
        await Comments.ReportAsync(Rep(2), id, "第一次");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.ReportAsync(Rep(2), id, "第二次"));

        Assert.Equal("Comment.AlreadyReported", ex.Code);
        await using var db = await _council.DbAsync();
        Assert.Equal("第一次", (await db.CommentReports.SingleAsync(r => r.CommentId == id)).Reason);
    }

    [Fact]
    public async Task ConcurrentReportsBySamePersonStoreOne()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "有争议的意见");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await Comments.ReportAsync(Rep(2), id, $"第 {i} 个标签页");
                return "stored";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();
        gate.SetResult();
        var outcomes = await Task.WhenAll(attempts).WaitAsync(HangGuard * 3);

        Assert.Single(outcomes, o => o == "stored");
        Assert.All(outcomes.Where(o => o != "stored"), o => Assert.Equal("Comment.AlreadyReported", o));
        await using var db = await _council.DbAsync();
        Assert.Equal(1, await db.CommentReports.CountAsync(r => r.CommentId == id));
    }

    [SqliteOnly] // raw SQLite statement past the service
    [Fact]
    public async Task TheUniqueIndexRefusesADuplicateReportWrittenPastTheService()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, "有争议的意见");
        await Comments.ReportAsync(Rep(2), id, null);

        using var connection = fixture.Database.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """INSERT INTO "CommentReports" ("CommentId", "ReporterUserId", "Reason", "CreatedAtUtc") VALUES ($comment, $user, NULL, '2026-03-08 06:00:00');""";
        command.Parameters.AddWithValue("$comment", id);
        command.Parameters.AddWithValue("$user", _council.UserId("rep002"));
        var ex = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

        Assert.Equal(SqliteConstraintUnique, ex.SqliteExtendedErrorCode);
    }

    [Fact]
    public async Task DraftProposalRefusesComments()
    {
        var draft = await SeededProposalIdAsync("关于增设老年人助餐点的提案(草稿)");

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(_council.ActorFor("rep006", Roles.Representative), draft, null, CommentStance.Support, "草稿阶段的意见"));

        Assert.Equal("Comment.ProposalIsDraft", ex.Code);
        var page = await Comments.GetPageAsync(_council.ActorFor("rep006", Roles.Representative), draft);
        Assert.False(page.CanPost);
        Assert.Equal(0, page.TotalComments);
    }

    [Fact]
    public async Task DraftDiscussionIsVisibleToItsAuthorOnly()
    {
        var draft = await SeededProposalIdAsync("关于增设老年人助餐点的提案(草稿)");

        var header = await Comments.GetDiscussionAsync(_council.ActorFor("rep006", Roles.Representative), draft);
        await Assert.ThrowsAsync<NotFoundException>(() => Comments.GetDiscussionAsync(Rep(1), draft));
        await Assert.ThrowsAsync<NotFoundException>(() => Comments.GetPageAsync(_council.Chair, draft));
        await Assert.ThrowsAsync<NotFoundException>(() => Comments.PostAsync(Rep(1), draft, null, CommentStance.Support, "看不到的草稿"));

        Assert.Equal(ProposalStatus.Draft, header.Status);
        Assert.False(header.IsOpenForComments);
    }

    [Fact]
    public async Task ClosedProposalRefusesNewCommentsButStaysReadable()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(2), proposalId, null, CommentStance.Support, "撤回之前的意见");
        await using (var db = await _council.DbAsync())
        {
            var proposal = await db.Proposals.SingleAsync(p => p.Id == proposalId);
            proposal.Withdraw(_council.UserId("rep001"), fixture.Clock.Now.UtcDateTime, "已由居委会解决");
            await db.SaveChangesAsync();
        }

        var post = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(2), proposalId, null, CommentStance.Support, "撤回之后的意见"));
        var reply = await Assert.ThrowsAsync<DomainException>(() => Comments.ReplyAsync(Rep(3), proposalId, null, id, CommentStance.Support, "撤回之后的回复"));
        var edit = await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(2), id, CommentStance.Oppose, "撤回之后的修改"));

        Assert.Equal("Comment.ProposalClosed", post.Code);
        Assert.Equal("Comment.ProposalClosed", reply.Code);
        Assert.Equal("Comment.ProposalClosed", edit.Code);
        var page = await Comments.GetPageAsync(Rep(3), proposalId);
        Assert.False(page.CanPost);
        Assert.Equal([id], page.Threads.Select(t => t.Id));
    }

    [Fact]
    public async Task OversizedTextIsRefusedAndTheLimitItselfIsAccepted()
    {
        var proposalId = await SubmittedProposalAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, new string('长', Limits.CommentText + 1)));
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, new string('长', Limits.CommentText));

        Assert.Equal("Comment.Text.TooLong", ex.Code);
        Assert.Equal(new object[] { Limits.CommentText, Limits.CommentText + 1 }, ex.Arguments);
        Assert.Equal(Limits.CommentText, (await Comments.GetCommentAsync(Rep(1), id)).Comment.Text!.Length);
        Assert.Equal(1, (await Comments.GetPageAsync(Rep(1), proposalId)).TotalComments);
    }

    [Fact]
    public async Task EmptyTextAndMissingStanceAreRefused()
    {
        var proposalId = await SubmittedProposalAsync();

        var empty = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, " \n\t "));
        var noStance = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, null, null, "没有立场"));
        var badStance = await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, null, (CommentStance)42, "未知立场"));

        Assert.Equal("Comment.Text.Required", empty.Code);
        Assert.Equal("Comment.Stance.Required", noStance.Code);
        Assert.Equal("Comment.Stance.Required", badStance.Code);
        Assert.Equal(0, (await Comments.GetPageAsync(Rep(1), proposalId)).TotalComments);
    }

    [Fact]
    public async Task ScriptIsStoredAsTypedAndRenderedInert()
    {
        var proposalId = await SubmittedProposalAsync();
        const string typed = "<script>window.__pwned=1</script>\n\n<img src=x onerror=\"window.__pwned=2\">\n\n[点这里](javascript:window.__pwned=3) 和 **加粗**";

        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Oppose, typed);

        await using (var db = await _council.DbAsync())
        {
            Assert.Equal(typed, (await db.Comments.SingleAsync(c => c.Id == id)).Text);
        }

        var view = (await Comments.GetCommentAsync(Rep(2), id)).Comment;
        Assert.Equal(typed, view.Text);
        Assert.DoesNotContain("<script", view.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", view.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", view.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;", view.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=", view.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>加粗</strong>", view.Html, StringComparison.Ordinal);
        Assert.Equal(SafeMarkdown.ToHtml(typed), view.Html);
    }

    [Fact]
    public async Task PagesThreadsNewestOrOldestFirstWithACursor()
    {
        var proposalId = await SubmittedProposalAsync();
        var roots = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            roots.Add(await Comments.PostAsync(Rep(1 + (i % 3)), proposalId, null, (CommentStance)(i % 3), $"第 {i} 条"));
            fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        var reply = await Comments.ReplyAsync(Rep(4), proposalId, null, roots[0], CommentStance.Oppose, "对第 0 条的回复");

        var newest = await Comments.GetPageAsync(Rep(5), proposalId, pageSize: 3);
        var next = await Comments.GetPageAsync(Rep(5), proposalId, after: newest.NextAfter, pageSize: 3);

        // A comment posted between two pages shows at the top of the first page, and does not shift the next ones.
        await Comments.PostAsync(Rep(6), proposalId, null, CommentStance.Support, "翻页时新发的评论");
        var last = await Comments.GetPageAsync(Rep(5), proposalId, after: next.NextAfter, pageSize: 3);
        var oldest = await Comments.GetPageAsync(Rep(5), proposalId, order: CommentOrder.OldestFirst, pageSize: 3);
        var oldestNext = await Comments.GetPageAsync(Rep(5), proposalId, order: CommentOrder.OldestFirst, after: oldest.NextAfter, pageSize: 3);

        Assert.Equal([roots[6], roots[5], roots[4]], newest.Threads.Select(t => t.Id));
        Assert.Equal([roots[3], roots[2], roots[1]], next.Threads.Select(t => t.Id));
        Assert.Equal([roots[0]], last.Threads.Select(t => t.Id));
        Assert.Null(last.NextAfter);
        Assert.Equal([reply], last.Threads[0].Replies.Select(r => r.Id));
        Assert.Equal([roots[0], roots[1], roots[2]], oldest.Threads.Select(t => t.Id));
        Assert.Equal([reply], oldest.Threads[0].Replies.Select(r => r.Id));
        Assert.Equal([roots[3], roots[4], roots[5]], oldestNext.Threads.Select(t => t.Id));
        Assert.Equal(7, newest.TotalThreads);
        Assert.Equal(8, newest.TotalComments);
        Assert.Equal(new StanceCounts(3, 3, 2), newest.Counts);
        Assert.Equal(8, last.TotalThreads);
        Assert.Equal(new StanceCounts(4, 3, 2), last.Counts);
    }

    [Fact]
    public async Task PublishesEventsOnTheProposalChannelAfterEachChange()
    {
        var proposalId = await SubmittedProposalAsync();
        var received = new ConcurrentQueue<LiveEvent>();
        var subscriber = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>();
        using var subscription = subscriber.Subscribe(LiveChannels.Proposal(proposalId), e =>
        {
            received.Enqueue(e);
            return Task.CompletedTask;
        });

        var root = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, "第一条");
        var reply = await Comments.ReplyAsync(Rep(2), proposalId, null, root, CommentStance.Oppose, "回复");
        await Comments.EditAsync(Rep(1), root, CommentStance.Support, "第一条(改)");
        await Comments.ReportAsync(Rep(3), reply, null);
        await Comments.HideAsync(_council.Secretary, reply, "离题");
        await Comments.UnhideAsync(_council.Secretary, reply);

        LiveEvent[] expected =
        [
            new CommentPosted(proposalId, root, null, null, await DisplayNameAsync("rep001")),
            new CommentPosted(proposalId, reply, null, root, await DisplayNameAsync("rep002")),
            new CommentChanged(proposalId, root, null, CommentChange.Edited),
            new CommentChanged(proposalId, reply, null, CommentChange.Reported),
            new CommentChanged(proposalId, reply, null, CommentChange.Hidden),
            new CommentChanged(proposalId, reply, null, CommentChange.Unhidden),
        ];
        await WaitUntilAsync(() => received.Count >= expected.Length);
        Assert.Equal(expected, received.ToArray());
        Assert.All(received, e => Assert.Equal($"proposal:{proposalId}", e.Channel));
    }

    [Fact]
    public async Task RefusedChangesPublishNothing()
    {
        var proposalId = await SubmittedProposalAsync();
        var id = await Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, "第一条");
        var received = new ConcurrentQueue<LiveEvent>();
        var subscriber = fixture.Database.Services.GetRequiredService<ISessionEventSubscriber>();
        using var subscription = subscriber.Subscribe(LiveChannels.Proposal(proposalId), e =>
        {
            received.Enqueue(e);
            return Task.CompletedTask;
        });

        await Assert.ThrowsAsync<DomainException>(() => Comments.PostAsync(Rep(1), proposalId, null, CommentStance.Support, ""));
        await Assert.ThrowsAsync<DomainException>(() => Comments.EditAsync(Rep(2), id, CommentStance.Support, "别人改"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Comments.HideAsync(Rep(2), id, "理由"));
        await Comments.ReportAsync(Rep(2), id, null);
        await Assert.ThrowsAsync<DomainException>(() => Comments.ReportAsync(Rep(2), id, null));

        // The one accepted change (the first report) proves delivery works; nothing else arrived.
        await WaitUntilAsync(() => !received.IsEmpty);
        await Task.Delay(100);
        Assert.Equal([new CommentChanged(proposalId, id, null, CommentChange.Reported)], received.ToArray());
    }

    private async Task<int> SubmittedProposalAsync()
    {
        var bodyId = await _council.BodyIdAsync();
        await using var db = await _council.DbAsync();
        var author = _council.UserId("rep001");
        var now = fixture.Clock.Now.UtcDateTime;
        var proposal = Proposal.Draft(bodyId, "关于楼道公共部位维护责任的提案 " + Guid.NewGuid().ToString("N")[..6],
            "公共部位维护责任不清。\n\n建议明确责任并公示。", ProposalCategory.Housing, null, author, await DisplayNameAsync("rep001"), now);
        proposal.Submit(author, now);
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync();
        return proposal.Id;
    }

    private async Task<int> AmendmentAsync(int proposalId)
    {
        await using var db = await _council.DbAsync();
        var proposal = await db.Proposals.SingleAsync(p => p.Id == proposalId);
        var amendment = Amendment.Propose(proposal, 1, 1, "建议在一个月内明确责任并公示。", "三个月太长", _council.UserId("rep002"), await DisplayNameAsync("rep002"), fixture.Clock.Now.UtcDateTime);
        db.Amendments.Add(amendment);
        await db.SaveChangesAsync();
        return amendment.Id;
    }

    private async Task<int> SeededProposalIdAsync(string title)
    {
        await using var db = await _council.DbAsync();
        return await db.Proposals.Where(p => p.Title == title).Select(p => p.Id).SingleAsync();
    }

    private async Task<string> DisplayNameAsync(string userName)
    {
        await using var db = await _council.DbAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.DisplayName).SingleAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the expected events did not arrive");
            await Task.Delay(10);
        }
    }
}
