using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using CommunityDeliberation.Deliberation.Discussion;

namespace CommunityDeliberation.CommentsBench;

/// <summary>
/// The first screen of a discussion with 1,000 comments: the service's first page (50 threads with their replies, stance
/// counts, report counts for moderators, Markdown rendered) and the whole CommentThread component rendered to HTML.
/// </summary>
[MemoryDiagnoser]
public class CommentBenchmarks
{
    private CommentsData _data = default!;
    private ClaimsPrincipal _member = default!;
    private ClaimsPrincipal _moderator = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _data = await EntryPoint.Data.Value;
        _member = CommentsData.Principal(_data.Member);
        _moderator = CommentsData.Principal(_data.Moderator);
    }

    [Benchmark(Description = "service: first page, newest first, member")]
    public Task<CommentPage> FirstPageMember() => _data.Comments.GetPageAsync(_data.Member, _data.ProposalId);

    [Benchmark(Description = "service: first page, newest first, moderator")]
    public Task<CommentPage> FirstPageModerator() => _data.Comments.GetPageAsync(_data.Moderator, _data.ProposalId);

    [Benchmark(Description = "service: first page, oldest first, member")]
    public Task<CommentPage> FirstPageOldest() => _data.Comments.GetPageAsync(_data.Member, _data.ProposalId, order: CommentOrder.OldestFirst);

    [Benchmark(Description = "render CommentThread to HTML, member")]
    public Task<string> RenderMember() => Rendering.RenderThreadAsync(_data.Services, _data.ProposalId, _member);

    [Benchmark(Description = "render CommentThread to HTML, moderator")]
    public Task<string> RenderModerator() => Rendering.RenderThreadAsync(_data.Services, _data.ProposalId, _moderator);
}
