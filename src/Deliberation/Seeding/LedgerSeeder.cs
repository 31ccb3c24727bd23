using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Seeding;

/// <summary>
/// The work ledger of the demo data (seeds/ledger.json). An item whose source is a decision (a consultation, a hearing, a
/// council vote) is not recorded here: the seeded decision makes it through the path a live decision takes (the
/// consultation's decision records the items it names, a hearing's published feedback adds its follow-up through
/// <see cref="LedgerFollowUps"/>), and this seeder then takes it through the steps ledger.json gives — reassigned by the
/// body's secretariat when the file names another owner, area or due date, progress, done, closed out with evidence —
/// each dated after the decision and before its due date (or today, when that comes first). A follow-up in the file that
/// no seeded decision made is an error, not a row inserted by hand. Any other item is recorded by the keeper, as the
/// secretariat records one on the ledger page.
/// </summary>
internal static class LedgerSeeder
{
    /// <summary>Whether an item of this source comes from a decision (and so is made by the decision's seed, not here).</summary>
    public static bool IsFollowUp(SeedLedgerItem seed) =>
        Enum.Parse<LedgerSource>(seed.Source) is LedgerSource.Consultation or LedgerSource.Hearing or LedgerSource.CouncilVote;

    /// <summary>What a decision's convener enters for a follow-up item named in ledger.json.</summary>
    public static LedgerItemInput Input(SeedLedgerItem seed) =>
        new(seed.Title, seed.Details, Enum.Parse<LedgerOwnerKind>(seed.OwnerKind), seed.OwnerName, null, seed.Area,
            seed.DueOn ?? throw new InvalidDataException($"ledger.json: '{seed.Title}' needs a due date"), Enum.Parse<LedgerSource>(seed.Source));

    /// <summary>Records the items that come from no decision (their steps at <paramref name="nowUtc"/>).</summary>
    public static async Task RecordAsync(DeliberationDbContext db, IReadOnlyList<SeedLedgerItem> seeds, IReadOnlyDictionary<string, Body> bodies,
        IReadOnlyDictionary<string, string> userIds, DateTime nowUtc, CancellationToken ct)
    {
        foreach (var l in seeds.Where(s => !IsFollowUp(s)))
        {
            var keeper = userIds[l.Keeper];
            var item = LedgerItem.Record(bodies[l.BodyKey].Id, Input(l), keeper, nowUtc);
            Work(item, l, keeper, () => nowUtc);
            db.LedgerItems.Add(item);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Takes the follow-up items the seeded decisions made through the steps ledger.json gives them.</summary>
    public static async Task WorkOnFollowUpsAsync(DeliberationDbContext db, IReadOnlyList<SeedLedgerItem> seeds, IReadOnlyDictionary<string, Body> bodies,
        IReadOnlyDictionary<string, string> userIds, DateTime nowUtc, CancellationToken ct)
    {
        foreach (var l in seeds.Where(IsFollowUp))
        {
            var bodyId = bodies[l.BodyKey].Id;
            var source = Enum.Parse<LedgerSource>(l.Source);
            var item = await db.LedgerItems.Include(i => i.History)
                .SingleOrDefaultAsync(i => i.BodyId == bodyId && i.Source == source && i.Title == l.Title && i.SourceId != null, ct)
                ?? throw new InvalidDataException($"ledger.json: no seeded {source} decision of {l.BodyKey} made the follow-up '{l.Title}'");
            var keeper = userIds[l.Keeper];
            var ownerKind = Enum.Parse<LedgerOwnerKind>(l.OwnerKind);
            var due = l.DueOn ?? item.DueOn;
            var reassign = ownerKind != item.OwnerKind || l.OwnerName != item.OwnerName || (l.Area ?? item.Area) != item.Area || due != item.DueOn;
            var steps = (l.Progress?.Count ?? 0) + (l.Done is null ? 0 : 1) + (l.Evidence is null ? 0 : 1) + (reassign ? 1 : 0);
            var last = Math.Min(DueEnd(due).Ticks, nowUtc.Ticks);
            var created = item.CreatedAtUtc;
            var step = steps == 0 || last <= created.Ticks ? TimeSpan.Zero : TimeSpan.FromTicks((last - created.Ticks) / steps);
            var at = created;
            DateTime Next() => at = at.Add(step);
            if (reassign)
            {
                item.Reassign(ownerKind, l.OwnerName, null, due, l.Area ?? item.Area, keeper, Next());
            }

            Work(item, l, keeper, Next);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Progress, done and close-out as the file gives them, each at the time <paramref name="when"/> gives.</summary>
    private static void Work(LedgerItem item, SeedLedgerItem l, string keeper, Func<DateTime> when)
    {
        foreach (var note in l.Progress ?? [])
        {
            item.ReportProgress(note, keeper, when());
        }

        if (l.Done is not null)
        {
            item.MarkDone(l.Done, keeper, when());
        }

        if (l.Evidence is not null)
        {
            item.CloseOut(l.Evidence, l.EvidenceLink, keeper, when());
        }
    }

    /// <summary>The end of the due day in Shanghai (UTC+8, no daylight saving), in UTC.</summary>
    private static DateTime DueEnd(DateOnly due) => due.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc).AddHours(-8);
}
