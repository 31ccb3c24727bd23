using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Ledger;

/// <summary>Configuration section <c>Ledger</c>.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Days from the decision to the due date of its follow-up item, until the secretariat reassigns it.</summary>
    public int FollowUpDays { get; set; } = 30;
}

/// <summary>
/// Every decision produces a follow-up item: a council vote on a proposal that closes adopted, a hearing's published
/// decision feedback. Called inside the deciding command's unit of work, so the item is stored in the same transaction
/// as the decision or not at all. The item belongs to the deciding body's ledger, owned by its secretariat (an office)
/// until the secretariat reassigns it, due after <see cref="LedgerOptions.FollowUpDays"/>.
/// </summary>
public sealed class LedgerFollowUps(IOptions<LedgerOptions> options, IOptions<DisplayOptions> display)
{
    /// <summary>Adds the follow-up of an adopted vote on a proposal (nothing when no proposal sits on the vote's agenda item).</summary>
    public async Task OnVoteAdoptedAsync(DeliberationDbContext db, int pollId, int agendaItemId, int bodyId, string? byUserId, DateTime nowUtc, CancellationToken ct)
    {
        var proposal = await db.Proposals.AsNoTracking().Where(p => p.AgendaItemId == agendaItemId).Select(p => new { p.Id, p.Title }).FirstOrDefaultAsync(ct);
        if (proposal is not null)
        {
            await AddAsync(db, bodyId, LedgerSource.CouncilVote, pollId, proposal.Title, $"议案表决通过后的落实事项(议案第 {proposal.Id} 号)。", byUserId, nowUtc, ct);
        }
    }

    /// <summary>Adds the follow-up of a hearing whose decision feedback was published.</summary>
    public Task OnHearingFeedbackAsync(DeliberationDbContext db, int hearingId, int bodyId, string topic, string? feedback, string byUserId, DateTime nowUtc, CancellationToken ct) =>
        AddAsync(db, bodyId, LedgerSource.Hearing, hearingId, topic, feedback, byUserId, nowUtc, ct);

    private async Task AddAsync(DeliberationDbContext db, int bodyId, LedgerSource source, int sourceId, string title, string? details, string? byUserId, DateTime nowUtc, CancellationToken ct)
    {
        if (await db.LedgerItems.AnyAsync(i => i.Source == source && i.SourceId == sourceId, ct))
        {
            return;
        }

        var body = await db.Bodies.AsNoTracking().Where(b => b.Id == bodyId).Select(b => b.Name).SingleAsync(ct);
        var owner = $"{body} 秘书处";
        if (owner.Length > LedgerItem.OwnerMax)
        {
            owner = owner[..LedgerItem.OwnerMax];
        }

        var today = DateOnly.FromDateTime(display.Value.ToLocal(nowUtc));
        var due = today.AddDays(Math.Clamp(options.Value.FollowUpDays, 1, 3650));
        var text = details is { Length: > LedgerItem.DetailsMax } ? details[..LedgerItem.DetailsMax] : details;
        var title200 = title.Length > LedgerItem.TitleMax ? title[..LedgerItem.TitleMax] : title;
        db.LedgerItems.Add(LedgerItem.Record(bodyId, new LedgerItemInput(title200, text, LedgerOwnerKind.Office, owner, null, null, due, source, sourceId), byUserId ?? "system", nowUtc));
    }
}
