using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Seeding;

/// <summary>
/// Demo data: a fresh start's work ledger holds the follow-up items of the seeded decisions — each hearing's published
/// feedback and each consultation's decision — made through the path a live decision takes and linked to their source,
/// then worked on by the secretariat: some closed out with evidence, some in progress, one overdue.
/// </summary>
public sealed class LedgerSeedTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    [Fact]
    public async Task EachSeededHearingsPublishedFeedbackHasItsFollowUpItemMadeByTheFollowUpPath()
    {
        await using var db = await fixture.Database.Factory.CreateDbContextAsync();
        var hearings = await db.Hearings.AsNoTracking().Where(h => h.FeedbackPublishedAtUtc != null).ToListAsync();
        Assert.Equal(2, hearings.Count);
        foreach (var hearing in hearings)
        {
            var item = await db.LedgerItems.AsNoTracking().Include(i => i.History).SingleAsync(i => i.Source == LedgerSource.Hearing && i.SourceId == hearing.Id);
            Assert.Equal((hearing.BodyId, hearing.Topic, hearing.FeedbackMarkdown), (item.BodyId, item.Title, item.Details));

            // What LedgerFollowUps writes: recorded when the feedback was published, by the term's secretary, owned by the
            // body's secretariat and due after the default follow-up period; the secretariat then gave it to its owner.
            var secretary = await db.Memberships.Where(m => m.TermId == hearing.TermId && m.Role == MemberRole.Secretary && m.UserId != null).Select(m => m.UserId).FirstAsync();
            var history = item.History.OrderBy(e => e.AtUtc).ThenBy(e => e.Id).ToList();
            Assert.Equal((LedgerEntryKind.Recorded, hearing.FeedbackPublishedAtUtc!.Value, secretary), (history[0].Kind, history[0].AtUtc, (string?)history[0].ByUserId));
            Assert.Equal(hearing.FeedbackPublishedAtUtc, item.CreatedAtUtc);
            var local = TimeZoneInfo.ConvertTimeFromUtc(hearing.FeedbackPublishedAtUtc.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
            Assert.Equal(DateOnly.FromDateTime(local).AddDays(new LedgerOptions().FollowUpDays), item.DueOn);
            var reassigned = Assert.Single(history, e => e.Kind == LedgerEntryKind.Reassigned);
            Assert.Contains("江川社区党员代表议事会 秘书处 → 江川社区(街道)党工委", reassigned.Note, StringComparison.Ordinal);
            Assert.Equal("江川社区(街道)党工委", item.OwnerName);
        }
    }

    [Fact]
    public async Task EachSeededConsultationDecisionRecordsItsFollowUpItemsLinkedBothWays()
    {
        await using var db = await fixture.Database.Factory.CreateDbContextAsync();
        var consultations = await db.Consultations.AsNoTracking().Where(c => c.DecidedAtUtc != null).ToListAsync();
        Assert.Equal(2, consultations.Count);
        foreach (var consultation in consultations)
        {
            var items = await db.LedgerItems.AsNoTracking().Where(i => i.Source == LedgerSource.Consultation && i.SourceId == consultation.Id).ToListAsync();
            var item = Assert.Single(items);
            Assert.Equal((consultation.BodyId, consultation.Title, consultation.DecidedAtUtc!.Value), (item.BodyId, item.Title, item.CreatedAtUtc));

            // The decision's log entry names the same item, as a live decision's does (the minutes list it).
            var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == consultation.SessionId).OrderBy(e => e.Sequence).ToListAsync();
            var decided = Assert.Single(log.Select(SessionLog.Read).OfType<ConsultationDecidedEntry>());
            Assert.Equal([item.Id], decided.FollowUps.Select(f => f.LedgerItemId));
        }
    }

    [Fact]
    public async Task AFreshLedgerShowsDecisionsClosedOutWithEvidenceInProgressAndOneOverdue()
    {
        var ledger = fixture.Database.Services.GetRequiredService<LedgerService>();

        var page = await ledger.PageAsync(new LedgerFilter(), 1);
        var all = (await ledger.ListAsync(new LedgerFilter())).ToDictionary(i => i.Title);

        Assert.True(page.Total >= 4, $"{page.Total} items");
        Assert.All(all.Values.Where(i => i.Source is LedgerSource.Hearing or LedgerSource.Consultation or LedgerSource.CouncilVote), i => Assert.NotNull(i.SourceId));
        Assert.Equal(2, all.Values.Count(i => i.Source == LedgerSource.Hearing));
        Assert.Equal(2, all.Values.Count(i => i.Source == LedgerSource.Consultation));

        foreach (var title in new[] { "清华园小区暖气管道修缮", "居民区党组织换届选举工作听证会" })
        {
            Assert.Equal(LedgerStatus.ClosedOut, all[title].Status);
            Assert.False(string.IsNullOrWhiteSpace(all[title].Evidence));
            Assert.True(all[title].ClosedOutAtUtc <= all[title].DueOn.ToDateTime(TimeOnly.MaxValue), $"{title} closed out by its due date");
        }

        // Due 2027-03-31 in the seed: in progress and, until then, not overdue (not asserted, so the test keeps passing after it).
        Assert.Equal(LedgerStatus.InProgress, all["清华园小区车辆停放"].Status);
        Assert.Equal((LedgerStatus.InProgress, true), (all["沪闵路沿线旧住房改造项目听证会"].Status, all["沪闵路沿线旧住房改造项目听证会"].IsOverdue));
        var humin = (await ledger.FindAsync(all["沪闵路沿线旧住房改造项目听证会"].Id))!;
        Assert.Contains(humin.History, e => e.Kind == LedgerEntryKind.Progress && e.Note!.Contains("资料来源", StringComparison.Ordinal));
        var overdue = await ledger.ListAsync(new LedgerFilter(OverdueOnly: true));
        Assert.Contains(overdue, i => i.Title == "沪闵路沿线旧住房改造项目听证会");

        // Every step lies between the decision and today, in order.
        foreach (var item in all.Values)
        {
            var history = (await ledger.FindAsync(item.Id))!.History;
            Assert.Equal(item.CreatedAtUtc, history[0].AtUtc);
            Assert.True(history.Zip(history.Skip(1)).All(p => p.First.AtUtc <= p.Second.AtUtc), item.Title);
            Assert.True(history[^1].AtUtc <= DateTime.UtcNow, item.Title);
        }
    }

    [Fact]
    public async Task AFollowUpNoSeededDecisionMadeFailsTheSeedAndStoresNothing()
    {
        var folder = Directory.CreateTempSubdirectory("ledgerseed-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(RepositoryPaths.Seeds))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var ledgerFile = Path.Combine(folder, "ledger.json");
            var text = await File.ReadAllTextAsync(ledgerFile);
            await File.WriteAllTextAsync(ledgerFile, text.Replace("\"title\": \"居民区党组织换届选举工作听证会\"", "\"title\": \"从未举行的听证会\"", StringComparison.Ordinal));
            await using var database = await TestDatabase.CreateMigratedAsync();

            var error = await Assert.ThrowsAsync<InvalidDataException>(() => SeedLoader.LoadAsync(database.Factory, folder, TimeProvider.System));

            Assert.Contains("从未举行的听证会", error.Message, StringComparison.Ordinal);
            await using var db = await database.Factory.CreateDbContextAsync();
            Assert.False(await db.Bodies.AnyAsync());
            Assert.False(await db.LedgerItems.AnyAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
