using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Proposals;

/// <summary>
/// Drives <see cref="ProposalService"/> and <see cref="TopicService"/> on the seeded database. Proposals are written by
/// representatives from rep010 upwards (the seeds use rep001–rep006; <see cref="JiangchuanCouncil.EnsureQuorumAsync"/>
/// fills the room from rep150 downwards). Each test makes its own proposals and sessions.
/// </summary>
public sealed class ProposalDesk(SeededDatabaseFixture fixture)
{
    public const string Text = "沪闵路沿线部分楼道没有扶手,老人上下楼不便。\n\n建议在三个月内为六层以下的楼道加装扶手。\n\n所需经费由社区公益基金列支。";

    public const string OtherBodyKey = "chengli-consultation-council";

    public JiangchuanCouncil Council { get; } = new(fixture);

    public ProposalService Proposals { get; } = fixture.Database.Services.GetRequiredService<ProposalService>();

    public TopicService Topics { get; } = fixture.Database.Services.GetRequiredService<TopicService>();

    public Actor Chair => Council.Chair;

    public Actor Secretary => Council.Secretary;

    public Actor Admin => Council.Admin;

    public Actor Resident => Council.ActorFor("resident", Roles.Resident);

    public Actor Rep(int number) => Council.Rep(number);

    public async Task<int> BodyIdAsync(string key)
    {
        await using var db = await Council.DbAsync();
        return await db.Bodies.Where(b => b.Key == key).Select(b => b.Id).SingleAsync();
    }

    public async Task<int> DraftAsync(int author, string title = "关于楼道加装扶手的提案", string text = Text) =>
        await Proposals.CreateAsync(Rep(author), new ProposalInput(await Council.BodyIdAsync(), title, text, ProposalCategory.Facilities, null));

    public async Task<int> SubmittedAsync(int author, string title = "关于楼道加装扶手的提案", string text = Text)
    {
        var id = await DraftAsync(author, title, text);
        await Proposals.SubmitAsync(Rep(author), id);
        return id;
    }

    /// <summary>A submitted proposal by <paramref name="author"/> with the council's threshold of two co-sponsors met.</summary>
    public async Task<int> CoSponsoredAsync(int author, int sponsor1, int sponsor2)
    {
        var id = await SubmittedAsync(author);
        await Proposals.CoSponsorAsync(Rep(sponsor1), id);
        await Proposals.CoSponsorAsync(Rep(sponsor2), id);
        return id;
    }

    /// <summary>
    /// A co-sponsored proposal put on the agenda of an open session where <paramref name="voters"/> are checked in and the
    /// quorum is met, with the session moved to the proposal's item (so it is under deliberation).
    /// </summary>
    public async Task<(int ProposalId, int SessionId, int ItemId, int FirstItemId)> UnderDeliberationAsync(int author, params int[] voters)
    {
        var id = await CoSponsoredAsync(author, author + 1, author + 2);
        var (sessionId, firstItemId) = await Council.OpenSessionWithQuorumAsync(voters);
        var itemId = await Proposals.PlaceOnAgendaAsync(Chair, id, sessionId, 20);
        await Council.Sessions.MoveToAgendaItemAsync(Chair, sessionId, itemId);
        return (id, sessionId, itemId, firstItemId);
    }

    public async Task<Proposal> LoadAsync(int proposalId)
    {
        await using var db = await Council.DbAsync();
        return await db.Proposals.AsNoTracking().AsSplitQuery().Include(p => p.Versions).Include(p => p.CoSponsors).Include(p => p.History)
            .SingleAsync(p => p.Id == proposalId);
    }

    public async Task<Amendment> AmendmentAsync(int amendmentId)
    {
        await using var db = await Council.DbAsync();
        return await db.Amendments.AsNoTracking().SingleAsync(a => a.Id == amendmentId);
    }

    public async Task<TopicSubmission> TopicAsync(int topicId)
    {
        await using var db = await Council.DbAsync();
        return await db.TopicSubmissions.AsNoTracking().SingleAsync(t => t.Id == topicId);
    }

    public async Task<TopicSubmission> TopicByCodeAsync(string code)
    {
        await using var db = await Council.DbAsync();
        return await db.TopicSubmissions.AsNoTracking().SingleAsync(t => t.TrackingCode == code);
    }

    public async Task<List<SessionLogEntry>> LogAsync(int sessionId, string kind)
    {
        await using var db = await Council.DbAsync();
        return await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId && e.Kind == kind).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async Task<bool> LogChainIsIntactAsync(int sessionId)
    {
        await using var db = await Council.DbAsync();
        return (await SessionLog.VerifyAsync(db, sessionId, CancellationToken.None)).IsValid;
    }
}
