using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Seeding;

/// <summary>
/// Demo data: the seeded council sessions and consultations held before today are closed as the seeds say and their
/// minutes published through the minutes workflow, so a fresh start's archive lists them; nothing the seeds do not record.
/// </summary>
public sealed class PastSessionSeedTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private static readonly string[] PastTitles =
        ["清华园小区暖气管道修缮协商会", "清华园小区车辆停放协商会", "潍坊社区委员会2012年度全体会议", "社会保障专业委员会2012年7月会议", "五角场镇区域化党建联席会"];

    [Fact]
    public async Task AFreshStartsArchiveListsThePastSessionsWithMinutesFromTheirAgendaAndAValidLog()
    {
        var reader = fixture.Database.Services.GetRequiredService<ArchiveReader>();
        var search = fixture.Database.Services.GetRequiredService<ArchiveSearch>();

        var listed = await reader.ListAsync(new ArchiveFilter());

        await using var db = await fixture.Database.Factory.CreateDbContextAsync();
        foreach (var title in PastTitles)
        {
            var session = await db.Sessions.AsNoTracking().Include(s => s.Agenda).SingleAsync(s => s.Title == title);
            Assert.Equal(SessionStatus.Closed, session.Status);
            var minutes = await db.Minutes.AsNoTracking().SingleAsync(m => m.SessionId == session.Id);
            Assert.Equal(MinutesStatus.Published, minutes.Status);
            var published = (await reader.GetAsync(minutes.Id))!;
            Assert.Contains("本次会议的签到未在本平台记录", published.Markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("实到 0 人", published.Markdown, StringComparison.Ordinal);
            foreach (var item in session.Agenda)
            {
                Assert.Contains(item.Title, published.Markdown, StringComparison.Ordinal);
            }

            var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == session.Id).OrderBy(e => e.Sequence).ToListAsync();
            Assert.True(SessionLogChain.Verify(log).IsValid);
            // Only what the seeds say: opened, the agenda in order, closed; no attendance, speeches or votes. A seeded
            // consultation held in the session adds its own entries, and its minutes carry it.
            var entries = log.Select(SessionLog.Read).ToList();
            var consultation = entries.Where(e => e!.GetType().Name.StartsWith("Consultation", StringComparison.Ordinal)).ToList();
            Assert.All(entries.Except(consultation), e => Assert.True(e is SessionOpenedEntry or AgendaMovedEntry or SessionClosedEntry, e?.GetType().Name));
            Assert.Equal(session.Agenda.Count + 1, log.Count - consultation.Count);
            if (consultation.OfType<ConsultationOpenedEntry>().SingleOrDefault() is { } opened)
            {
                Assert.Contains(opened.Title, published.Markdown, StringComparison.Ordinal);
            }
        }

        Assert.True(listed.Total >= PastTitles.Length + 2);
        Assert.Contains((await search.SearchAsync("暖气管道")).Hits, h => h.Kind == SessionKind.Consultation);

        // The upcoming 2026 session is left to be held.
        Assert.Equal(SessionStatus.Draft, (await db.Sessions.AsNoTracking().SingleAsync(s => s.Title == "江川社区党员代表议事会2026年度会议")).Status);
    }
}
