using CommunityDeliberation.App.Components.Pages.Discussion;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Proposals;

namespace CommunityDeliberation.App.Tests.Discussion;

/// <summary>Where loaded pages and live arrivals go in a discussion (no rendering, no services).</summary>
public sealed class CommentTreeTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FirstPageGivesThreadsWithTheirRepliesAndCounts()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1, replies: [Comment(2, parent: 1, replies: [Comment(3, parent: 2)])]), Comment(4)], next: null, threads: 2, comments: 4));

        Assert.Equal([1, 4], tree.Roots.Select(r => r.View.Id));
        Assert.Equal(3, Assert.Single(Assert.Single(tree.Roots[0].Replies).Replies).View.Id);
        Assert.Same(tree.Roots[0], tree.Find(2)!.Parent);
        Assert.Equal(4, tree.TotalComments);
        Assert.False(tree.Arrived(3));
    }

    [Fact]
    public void LiveReplyGoesUnderItsParentAndIsMarkedNew()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1), Comment(4)], next: null, threads: 2, comments: 2));

        Assert.True(tree.Merge(Update(Comment(9, parent: 1), threads: 2, comments: 3)));

        Assert.Equal(9, Assert.Single(tree.Roots[0].Replies).View.Id);
        Assert.True(tree.Arrived(9));
        Assert.Equal(3, tree.TotalComments);
        Assert.Equal([1, 4], tree.Roots.Select(r => r.View.Id));
    }

    [Fact]
    public void ReplyToAThreadNotLoadedYetWaitsForItsPage()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1)], next: 1, threads: 5, comments: 5));

        Assert.False(tree.Merge(Update(Comment(9, parent: 77), threads: 5, comments: 6)));

        Assert.False(tree.Contains(9));
        Assert.Equal(6, tree.TotalComments);
    }

    [Fact]
    public void NewestFirstPutsANewThreadOnTop()
    {
        var tree = new CommentTree(CommentOrder.NewestFirst);
        tree.Apply(Page([Comment(5), Comment(4)], next: 4, threads: 5, comments: 5));

        tree.Merge(Update(Comment(6), threads: 6, comments: 6));

        Assert.Equal([6, 5, 4], tree.Roots.Select(r => r.View.Id));
        Assert.Equal(3, tree.ThreadsNotLoaded);
    }

    [Fact]
    public void OldestFirstLeavesOthersNewThreadsForLoadMore()
    {
        var tree = new CommentTree(CommentOrder.OldestFirst);
        tree.Apply(Page([Comment(1), Comment(2)], next: 2, threads: 4, comments: 4));

        Assert.False(tree.Merge(Update(Comment(5), threads: 5, comments: 5)));

        Assert.Equal([1, 2], tree.Roots.Select(r => r.View.Id));
        Assert.Equal(3, tree.ThreadsNotLoaded);
    }

    [Fact]
    public void OldestFirstShowsTheViewersOwnThreadAtOnceAndKeepsItLastWhileOlderPagesLoad()
    {
        var tree = new CommentTree(CommentOrder.OldestFirst);
        tree.Apply(Page([Comment(1), Comment(2)], next: 2, threads: 4, comments: 4));

        Assert.True(tree.Merge(Update(Comment(9, mine: true), threads: 5, comments: 5)));
        Assert.Equal([1, 2, 9], tree.Roots.Select(r => r.View.Id));

        // The next page holds older threads (3, 4) and, at its end, the viewer's own one again: not shown twice.
        tree.Apply(Page([Comment(3), Comment(4), Comment(9, mine: true)], next: null, threads: 5, comments: 5));

        Assert.Equal([1, 2, 3, 4, 9], tree.Roots.Select(r => r.View.Id));
    }

    [Fact]
    public void OldestFirstAppendsNewThreadsOnceEveryPageIsLoaded()
    {
        var tree = new CommentTree(CommentOrder.OldestFirst);
        tree.Apply(Page([Comment(1), Comment(2)], next: null, threads: 2, comments: 2));

        tree.Merge(Update(Comment(3), threads: 3, comments: 3));

        Assert.Equal([1, 2, 3], tree.Roots.Select(r => r.View.Id));
    }

    [Fact]
    public void ChangedCommentIsRefreshedInPlaceKeepingItsReplies()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1, replies: [Comment(2, parent: 1)])], next: null, threads: 1, comments: 2));

        tree.Merge(Update(Comment(1, text: "已修改", hidden: true), threads: 1, comments: 2));

        var node = tree.Roots.Single();
        Assert.Equal("已修改", node.View.Text);
        Assert.True(node.View.IsHidden);
        Assert.Equal(2, Assert.Single(node.Replies).View.Id);
        Assert.False(tree.Arrived(1));
    }

    [Fact]
    public void ResetForAnotherOrderForgetsEverything()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1)], next: 1, threads: 3, comments: 3));
        tree.Merge(Update(Comment(2), threads: 4, comments: 4));

        tree.Reset(CommentOrder.OldestFirst);

        Assert.Empty(tree.Roots);
        Assert.False(tree.Contains(1));
        Assert.False(tree.Arrived(2));
        Assert.Null(tree.NextAfter);
        Assert.Equal(CommentOrder.OldestFirst, tree.Order);
    }

    [Fact]
    public void DescendantsListDeepRepliesInThreadOrder()
    {
        var tree = new CommentTree();
        tree.Apply(Page([Comment(1, replies: [Comment(2, parent: 1, replies: [Comment(3, parent: 2)]), Comment(4, parent: 1)])], next: null, threads: 1, comments: 4));

        Assert.Equal([2, 3, 4], CommentTree.Descendants(tree.Roots[0]).Select(n => n.View.Id));
    }

    private static CommentView Comment(int id, int? parent = null, bool mine = false, string? text = null, bool hidden = false, IReadOnlyList<CommentView>? replies = null) =>
        new(id, parent, parent is null ? 0 : 1, "张伟", CommentStance.Support, text ?? $"意见 {id}", $"<p>意见 {id}</p>", Now.AddMinutes(id), null, Now.AddMinutes(id + 10), mine,
            hidden, null, null, false, replies ?? []);

    private static CommentPage Page(IReadOnlyList<CommentView> list, int? next, int threads, int comments) =>
        new(1, null, CommentOrder.NewestFirst, list, next, threads, comments, new StanceCounts(comments, 0, 0), ProposalStatus.Submitted, true, false);

    private static CommentUpdate Update(CommentView comment, int threads, int comments) => new(comment, null, threads, comments, new StanceCounts(comments, 0, 0));
}
