using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Proposals;

namespace CommunityDeliberation.App.Components.Pages.Discussion;

/// <summary>
/// The threads of one discussion as a screen holds them: pages merged as they load ("load more"), and single comments put
/// in their place as they arrive live or change. No rendering and no services: <see cref="CommentThread"/> fetches, this
/// decides where things go.
/// <list type="bullet">
/// <item>A page's threads that are already shown (the viewer's own, shown early) are not added twice.</item>
/// <item>A new reply goes under its parent if the parent is shown; otherwise it comes with its thread's page.</item>
/// <item>Newest first: a new thread goes on top. Oldest first: it goes last once every page is loaded; before that only the
///   viewer's own is shown at once (kept last while older pages load, since it is newer than all of them), others' come
///   with "load more".</item>
/// </list>
/// </summary>
public sealed class CommentTree
{
    private readonly Dictionary<int, Node> _nodes = [];
    private readonly List<Node> _roots = [];
    private readonly HashSet<int> _arrived = [];
    private readonly HashSet<int> _early = [];

    public CommentTree(CommentOrder order = CommentOrder.NewestFirst) => Order = order;

    public CommentOrder Order { get; private set; }

    public IReadOnlyList<Node> Roots => _roots;

    /// <summary>Where the next page starts; null once every page is loaded.</summary>
    public int? NextAfter { get; private set; }

    public int TotalThreads { get; private set; }

    public int TotalComments { get; private set; }

    public StanceCounts Counts { get; private set; } = StanceCounts.None;

    public bool CanPost { get; private set; }

    public bool IsModerator { get; private set; }

    public ProposalStatus ProposalStatus { get; private set; }

    /// <summary>Threads still to load with "load more".</summary>
    public int ThreadsNotLoaded => Math.Max(0, TotalThreads - _roots.Count);

    public bool Contains(int commentId) => _nodes.ContainsKey(commentId);

    public Node? Find(int commentId) => _nodes.GetValueOrDefault(commentId);

    /// <summary>Whether the comment arrived after its page loaded (new since the screen opened: highlighted once).</summary>
    public bool Arrived(int commentId) => _arrived.Contains(commentId);

    /// <summary>Empties the tree (a new order, or a fresh first page).</summary>
    public void Reset(CommentOrder order)
    {
        Order = order;
        _nodes.Clear();
        _roots.Clear();
        _arrived.Clear();
        _early.Clear();
        NextAfter = null;
    }

    /// <summary>Merges a page of threads (the first or the next) and takes its counts.</summary>
    public void Apply(CommentPage page)
    {
        // The viewer's own threads shown early (oldest first, pages still to load) stay last: they are newer.
        var at = _roots.Count - _roots.Count(r => _early.Contains(r.View.Id));
        foreach (var thread in page.Threads)
        {
            if (!_nodes.ContainsKey(thread.Id))
            {
                _roots.Insert(at++, Add(thread, null));
            }
        }

        if (page.NextAfter is null)
        {
            _early.Clear();
        }

        NextAfter = page.NextAfter;
        TotalThreads = page.TotalThreads;
        TotalComments = page.TotalComments;
        Counts = page.Counts;
        CanPost = page.CanPost;
        IsModerator = page.IsModerator;
        ProposalStatus = page.ProposalStatus;
    }

    /// <summary>
    /// Puts one comment (new or changed) in its place, or refreshes it there, and takes the discussion's counts.
    /// Returns whether the comment is shown now.
    /// </summary>
    public bool Merge(CommentUpdate update)
    {
        var view = update.Comment;
        TotalThreads = update.TotalThreads;
        TotalComments = update.TotalComments;
        Counts = update.Counts;

        if (_nodes.TryGetValue(view.Id, out var existing))
        {
            existing.View = view with { Replies = [] };
            return true;
        }

        if (view.ParentId is { } parentId)
        {
            if (!_nodes.TryGetValue(parentId, out var parent))
            {
                return false;
            }

            parent.Replies.Add(Arrive(view, parent));
            return true;
        }

        if (Order == CommentOrder.NewestFirst)
        {
            _roots.Insert(0, Arrive(view, null));
            return true;
        }

        if (NextAfter is null || view.IsMine)
        {
            _roots.Add(Arrive(view, null));
            if (NextAfter is not null)
            {
                _early.Add(view.Id);
            }

            return true;
        }

        return false;
    }

    /// <summary>Every reply below <paramref name="node"/>, depth first in thread order (for the flat list past the indent limit).</summary>
    public static IEnumerable<Node> Descendants(Node node)
    {
        foreach (var reply in node.Replies)
        {
            yield return reply;
            foreach (var deeper in Descendants(reply))
            {
                yield return deeper;
            }
        }
    }

    private Node Arrive(CommentView view, Node? parent)
    {
        var node = new Node(view with { Replies = [] }, parent);
        _nodes[view.Id] = node;
        _arrived.Add(view.Id);
        return node;
    }

    private Node Add(CommentView view, Node? parent)
    {
        var node = new Node(view with { Replies = [] }, parent);
        _nodes[view.Id] = node;
        foreach (var reply in view.Replies)
        {
            node.Replies.Add(Add(reply, node));
        }

        return node;
    }

    /// <summary>One comment in the tree, with its parent (null for a thread) and its replies in order.</summary>
    public sealed class Node(CommentView view, Node? parent)
    {
        public CommentView View { get; internal set; } = view;

        public Node? Parent { get; } = parent;

        public List<Node> Replies { get; } = [];
    }
}
