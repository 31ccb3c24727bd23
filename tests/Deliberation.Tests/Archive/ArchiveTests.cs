using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Archive;

/// <summary>
/// The public archive over a real SQLite file (the real migration, with the FTS5 trigram table): minutes are published
/// by driving <see cref="MinutesService"/> on closed sessions of the seeded Jiangchuan council. Every test publishes its
/// own minutes under a title with a random Chinese token, so tests sharing the database do not see each other's hits.
/// </summary>
public sealed class ArchiveTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private const string TokenAlphabet = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥梅兰竹菊松柏";

    private readonly JiangchuanCouncil _council = new(fixture);

    private ArchiveReader Archive => fixture.Database.Services.GetRequiredService<ArchiveReader>();

    private ArchiveSearch Search => fixture.Database.Services.GetRequiredService<ArchiveSearch>();

    private ArchiveExport Export => fixture.Database.Services.GetRequiredService<ArchiveExport>();

    private ArchiveFeed Feed => fixture.Database.Services.GetRequiredService<ArchiveFeed>();

    private MinutesService Minutes => fixture.Database.Services.GetRequiredService<MinutesService>();

    [Fact]
    public async Task TheListShowsPublishedMinutesOnly()
    {
        var token = Token();
        var published = await PublishAsync($"{token}加装电梯议事会");
        var draft = await GenerateAsync($"{token}未公布的会议");

        var bodyId = await _council.BodyIdAsync();
        var page = await Archive.ListAsync(new ArchiveFilter(BodyId: bodyId));
        var all = await AllAsync(new ArchiveFilter(BodyId: bodyId));

        var item = Assert.Single(all, i => i.MinutesId == published);
        Assert.Equal($"{token}加装电梯议事会", item.Title);
        Assert.Equal("江川社区党员代表议事会", item.BodyName);
        Assert.Equal(SessionKind.CouncilSession, item.Kind);
        Assert.Equal(new DateTime(2026, 3, 8, 6, 0, 0, DateTimeKind.Utc), item.ScheduledAtUtc);
        Assert.Equal(1, item.Version);
        Assert.DoesNotContain(all, i => i.MinutesId == draft);
        Assert.Contains(page.Bodies, b => b.Id == bodyId && b.NameEn == "Jiangchuan Community Member-Representative Council");
        Assert.Equal(all.Count, page.Total);
        Assert.True(page.Items.Count <= ArchiveReader.PageSize);
        Assert.Null(await Archive.GetAsync(draft));
    }

    [Fact]
    public async Task TheRememberedTotalsChangeWithEveryPublication()
    {
        await PublishAsync($"{Token()}第一份");
        var before = await Archive.ListAsync(new ArchiveFilter());
        Assert.Equal(before.Total, (await Archive.ListAsync(new ArchiveFilter())).Total);

        await GenerateAsync($"{Token()}只生成未公布");
        Assert.Equal(before.Total, (await Archive.ListAsync(new ArchiveFilter())).Total);

        var minutesId = await PublishAsync($"{Token()}第二份");
        var after = await Archive.ListAsync(new ArchiveFilter());
        Assert.Equal(before.Total + 1, after.Total);
        Assert.Equal(minutesId, after.Items[0].MinutesId);
        Assert.Equal(2026, after.LastYear);
    }

    [Fact]
    public async Task FiltersByKindAndYearInTheDisplayTimeZone()
    {
        var published = await PublishAsync($"{Token()}年度会议");

        Assert.Contains(await AllAsync(new ArchiveFilter(Year: 2026)), i => i.MinutesId == published);
        Assert.DoesNotContain(await AllAsync(new ArchiveFilter(Year: 2025)), i => i.MinutesId == published);
        Assert.Contains(await AllAsync(new ArchiveFilter(Kind: SessionKind.CouncilSession)), i => i.MinutesId == published);
        Assert.DoesNotContain(await AllAsync(new ArchiveFilter(Kind: SessionKind.PublicHearing)), i => i.MinutesId == published);
        Assert.Empty((await Archive.ListAsync(new ArchiveFilter(Page: 100_000))).Items);
        Assert.Equal(1, (await Archive.ListAsync(new ArchiveFilter(Page: -5))).Page);
    }

    [Fact]
    public async Task EveryPageOfEveryFilterIsTheNextSliceOfTheNewestFirstOrderWithItsExactTotal()
    {
        // Deep pages through the deferred join (ids from the narrow list indexes first): compared with the order and totals
        // computed here from the entities themselves (a version with a publication time), not with the list's own rule.
        await GenerateAsync($"{Token()}未公布的草稿");
        var expected = await ExpectedListAsync();
        while (expected.Count <= ArchiveReader.PageSize + 1)
        {
            await PublishAsync($"{Token()}翻页会议");
            expected = await ExpectedListAsync();
        }

        var bodyId = await _council.BodyIdAsync();
        var year = TimeZoneInfo.ConvertTimeFromUtc(expected[^1].ScheduledAtUtc, Archive.Zone).Year;
        var filters = new (ArchiveFilter Filter, Func<ArchiveItem, bool> Keeps)[]
        {
            (new ArchiveFilter(), _ => true),
            (new ArchiveFilter(BodyId: bodyId), i => i.BodyName == "江川社区党员代表议事会"),
            (new ArchiveFilter(Kind: SessionKind.CouncilSession), i => i.Kind == SessionKind.CouncilSession),
            (new ArchiveFilter(Kind: SessionKind.PublicHearing), i => i.Kind == SessionKind.PublicHearing),
            (new ArchiveFilter(Year: year), i => TimeZoneInfo.ConvertTimeFromUtc(i.ScheduledAtUtc, Archive.Zone).Year == year),
            (new ArchiveFilter(BodyId: bodyId, Kind: SessionKind.CouncilSession, Year: year),
                i => i.BodyName == "江川社区党员代表议事会" && i.Kind == SessionKind.CouncilSession && TimeZoneInfo.ConvertTimeFromUtc(i.ScheduledAtUtc, Archive.Zone).Year == year),
        };
        foreach (var (filter, keeps) in filters)
        {
            var rows = expected.Where(keeps).ToList();
            var pages = Math.Max(1, (rows.Count + ArchiveReader.PageSize - 1) / ArchiveReader.PageSize);
            for (var page = 1; page <= pages + 1; page++)
            {
                var result = await Archive.ListAsync(filter with { Page = page });
                Assert.Equal(rows.Count, result.Total);
                Assert.Equal(pages, result.PageCount);
                Assert.Equal(rows.Skip((page - 1) * ArchiveReader.PageSize).Take(ArchiveReader.PageSize), result.Items);
            }
        }

        Assert.True(expected.Count > ArchiveReader.PageSize + 1);
    }

    [Fact]
    public async Task SearchFindsAChinesePhraseWithAHighlightedSnippet()
    {
        var token = Token();
        var minutesId = await PublishAsync($"江川社区{token}车辆停放议事会");

        var result = await Search.SearchAsync($"{token}车辆");

        Assert.True(result.UsedFullText);
        Assert.Equal(1, result.Total);
        var hit = Assert.Single(result.Hits);
        Assert.Equal(minutesId, hit.MinutesId);
        Assert.Equal($"江川社区{token}车辆停放议事会", hit.Title);
        Assert.Equal(1, hit.Version);
        Assert.Contains($"<mark>{token}车辆</mark>", hit.SnippetHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnglishWordsAreFoundCaseInsensitively()
    {
        var token = Token();
        var minutesId = await PublishAsync($"{token} Renovation hearing");

        var result = await Search.SearchAsync($"{token} renovation");

        Assert.Equal(minutesId, Assert.Single(result.Hits).MinutesId);
        Assert.Contains("<mark>Renovation</mark>", result.Hits[0].SnippetHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATwoCharacterChineseTermIsFoundThroughTheCharacterIndex()
    {
        var token = Token();
        var minutesId = await PublishAsync($"江川社区{token}议事会");

        var result = await Search.SearchAsync(token[..2]);

        Assert.True(result.UsedFullText);
        var hit = Assert.Single(result.Hits, h => h.MinutesId == minutesId);
        Assert.Contains($"<mark>{token[..2]}</mark>", hit.SnippetHtml, StringComparison.Ordinal);

        // Mixed: the long term goes through the index, the short one is checked in the text.
        var mixed = await Search.SearchAsync($"{token} 江川");
        Assert.True(mixed.UsedFullText);
        Assert.Equal(minutesId, Assert.Single(mixed.Hits).MinutesId);
        Assert.Empty((await Search.SearchAsync($"{token} 鼠害")).Hits);
    }

    [Fact]
    public async Task AOneCharacterChineseTermIsFoundWithItsExactTotal()
    {
        // 鼹 and 𠮷 (outside the Basic Multilingual Plane: two UTF-16 units, one character) occur in no seed and no other test.
        var token = Token();
        var minutesId = await PublishAsync($"{token}鼹𠮷议事会");
        var other = await PublishAsync($"{Token()}另一场议事会");

        foreach (var term in new[] { "鼹", "𠮷", "鼹𠮷", "鼹𠮷议" })
        {
            var result = await Search.SearchAsync(term);
            Assert.True(result.UsedFullText, term);
            Assert.Equal(1, result.Total);
            var hit = Assert.Single(result.Hits);
            Assert.Equal(minutesId, hit.MinutesId);
            Assert.Contains($"<mark>{System.Net.WebUtility.HtmlEncode(term)}</mark>", hit.SnippetHtml, StringComparison.Ordinal); // 𠮷 as &#134071;
        }

        // With another term all must occur; the other minutes holds the second term but not the first.
        Assert.Equal(minutesId, Assert.Single((await Search.SearchAsync($"鼹 {token}")).Hits).MinutesId);
        Assert.DoesNotContain((await Search.SearchAsync("另一场 鼹")).Hits, h => h.MinutesId == other);
        Assert.Empty((await Search.SearchAsync("鼹鼠")).Hits);
    }

    [Fact]
    public async Task ATermIsFoundInTheTitleWhereTheTextEscapesIt()
    {
        // The minutes text writes the title with Markdown escapes (鼯*鼠 becomes 鼯\*鼠), so only the title holds the term.
        var token = Token();
        var minutesId = await PublishAsync($"{token}鼯*鼠会议");
        var page = await Archive.GetAsync(minutesId);
        Assert.DoesNotContain("鼯*鼠", page!.Markdown, StringComparison.Ordinal);

        foreach (var query in new[] { "鼯*鼠", $"{token}鼯*鼠", $"鼯*鼠 {token}" })
        {
            var hit = Assert.Single((await Search.SearchAsync(query)).Hits);
            Assert.Equal(minutesId, hit.MinutesId);
            Assert.Equal($"{token}鼯*鼠会议", hit.Title);
        }
    }

    [Fact]
    public async Task ATwoCharacterTermPagesThroughEveryHitOnceWithTheTotal()
    {
        var published = new HashSet<int>();
        for (var i = 0; i < ArchiveSearch.PageSize + 3; i++)
        {
            published.Add(await PublishAsync($"{Token()}鼷鼠{i}号"));
        }

        var first = await Search.SearchAsync("鼷鼠");
        var second = await Search.SearchAsync("鼷鼠", 2);
        var beyond = await Search.SearchAsync("鼷鼠", 3);

        Assert.Equal(published.Count, first.Total);
        Assert.Equal(published.Count, second.Total);
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(ArchiveSearch.PageSize, first.Hits.Count);
        Assert.Equal(3, second.Hits.Count);
        Assert.Empty(beyond.Hits);
        var all = first.Hits.Concat(second.Hits).Select(h => h.MinutesId).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(published.SetEquals(all));
    }

    [Fact]
    public async Task AFourCharacterTermPagesThroughEveryHitWithItsExactTotalAndNoHitForItsGramsAlone()
    {
        // On PostgreSQL a term longer than three characters is found through its trigrams and checked in the text: the
        // decoy holds both trigrams of the token but not the token, so it is a candidate that must not count.
        var token = Token();
        var published = new HashSet<int>();
        for (var i = 0; i < ArchiveSearch.PageSize + 2; i++)
        {
            published.Add(await PublishAsync($"{token}长期议题{i}号"));
        }

        var decoy = await PublishAsync($"{token[..3]}与{token[1..]}分开");

        var first = await Search.SearchAsync(token);
        var second = await Search.SearchAsync(token, 2);
        var beyond = await Search.SearchAsync(token, 3);

        Assert.Equal(published.Count, first.Total);
        Assert.Equal(published.Count, second.Total);
        Assert.Equal(published.Count, beyond.Total);
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(ArchiveSearch.PageSize, first.Hits.Count);
        Assert.Equal(2, second.Hits.Count);
        Assert.Empty(beyond.Hits);
        var all = first.Hits.Concat(second.Hits).Select(h => h.MinutesId).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(published.SetEquals(all));
        Assert.DoesNotContain(decoy, all);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("NEAR(")]
    [InlineData("OR")]
    [InlineData("-")]
    [InlineData(":")]
    [InlineData("\"\"\"")]
    [InlineData("a OR b")]
    [InlineData("NEAR(议事 会议, 2)")]
    [InlineData("title:议事会")]
    [InlineData("-议事会 ^会议 议事*")]
    [InlineData("议事会\" OR \"1")]
    [InlineData("% _ \\ '")]
    [InlineData("{议事会}")]
    [InlineData("\0\u0001议事会")]
    public async Task QuerySyntaxIsTreatedAsText(string query)
    {
        var result = await Search.SearchAsync(query);
        Assert.NotNull(result);
        Assert.All(result.Hits, h => Assert.DoesNotContain("<script", h.SnippetHtml, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FtsOperatorsInTheTextAreFoundLiterally()
    {
        var token = Token();
        var minutesId = await PublishAsync($"{token}NEAR(甲乙) OR \"丙\" 议事会");

        Assert.Equal(minutesId, Assert.Single((await Search.SearchAsync($"{token}NEAR(甲乙)")).Hits).MinutesId);
        Assert.Equal(minutesId, Assert.Single((await Search.SearchAsync($"{token} \"丙\"")).Hits).MinutesId);
        Assert.Empty((await Search.SearchAsync($"{token} NOT")).Hits);
    }

    [Fact]
    public async Task EmptyQueriesGiveNoResultsAndLongOnesAClearRefusal()
    {
        Assert.Empty((await Search.SearchAsync(null)).Hits);
        Assert.Empty((await Search.SearchAsync("   ")).Hits);
        Assert.Empty((await Search.SearchAsync("\u3000\t")).Hits);

        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Search.SearchAsync(new string('议', 10_000)));
        Assert.Equal("Search.TooLong", tooLong.Code);
        Assert.Equal(new object[] { ArchiveSearch.MaxQueryLength, 10_000 }, tooLong.Arguments);

        var tooMany = await Assert.ThrowsAsync<DomainException>(() => Search.SearchAsync(string.Join(' ', Enumerable.Range(0, 11).Select(i => $"词{i}"))));
        Assert.Equal("Search.TooManyTerms", tooMany.Code);
        Assert.NotNull(await Search.SearchAsync(new string('议', ArchiveSearch.MaxQueryLength)));
    }

    [Fact]
    public async Task ScriptInTheMinutesComesOutEncodedInSnippets()
    {
        var token = Token();
        var minutesId = await PublishAsync($"<script>alert(1)</script>{token}<img src=x onerror=alert(2)>");

        foreach (var query in new[] { token, token[..2], "script>alert" })
        {
            var found = await Search.SearchAsync(query);
            var hits = found.Hits.Where(h => h.MinutesId == minutesId).ToList();
            Assert.True(hits.Count == 1, $"{query}: {hits.Count} of {found.Hits.Count} hits, total {found.Total}");
            var hit = hits[0];
            Assert.DoesNotContain("<script", hit.SnippetHtml, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", hit.SnippetHtml, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;", hit.SnippetHtml, StringComparison.Ordinal);
        }

        var page = await Archive.GetAsync(minutesId);
        var html = SafeMarkdown.ToHtml(page!.Markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SnippetMarkersInTheTextItselfCannotUnbalanceTheMarkup()
    {
        Assert.Equal("a&lt;b&gt;<mark>c</mark>d", ArchiveSearch.HighlightedSnippet("a<b>\uE000c\uE001d"));
        Assert.Equal("<mark>x</mark>y", ArchiveSearch.HighlightedSnippet("\uE000x\uE000\uE001y\uE001"));
        Assert.Equal("<mark>open</mark>", ArchiveSearch.HighlightedSnippet("\uE000open"));
        Assert.Equal("&lt;mark&gt;", ArchiveSearch.HighlightedSnippet("<mark>"));
    }

    [Fact]
    public async Task ACorrectionIsVersionTwoAndVersionOneStaysReadable()
    {
        var token = Token();
        var sessionId = await ClosedSessionAsync($"{token}更正测试会议");
        var minutesId = await Minutes.GenerateAsync(_council.Chair, sessionId);
        await Minutes.ApproveAsync(_council.Chair, minutesId);
        await Minutes.PublishAsync(_council.Chair, minutesId);
        var first = (await Archive.GetAsync(minutesId))!;

        await Minutes.StartCorrectionAsync(_council.Chair, minutesId, "出席人数记录有误");
        var corrected = first.Markdown.Replace("## 议程", $"## 议程\n\n补记:{token}会后更正。", StringComparison.Ordinal)
            + "\n<img src=x onerror=alert(3)> [链接](javascript:alert(4))\n";
        await Minutes.SaveAsync(_council.Chair, minutesId, corrected);

        // Not yet published: the archive still shows version 1 only.
        Assert.Equal(1, (await Archive.GetAsync(minutesId))!.Version.Number);
        Assert.Null(await Archive.GetAsync(minutesId, 2));

        await Minutes.ApproveAsync(_council.Chair, minutesId);
        await Minutes.PublishAsync(_council.Chair, minutesId);

        var latest = (await Archive.GetAsync(minutesId))!;
        Assert.Equal(2, latest.Version.Number);
        Assert.Equal("出席人数记录有误", latest.Version.Reason);
        Assert.Equal([1, 2], latest.Versions.Select(v => v.Number));
        Assert.Contains($"补记:{token}会后更正。", latest.Markdown, StringComparison.Ordinal);
        var html = SafeMarkdown.ToHtml(latest.Markdown);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);

        var v1 = (await Archive.GetAsync(minutesId, 1))!;
        Assert.Equal(first.Markdown, v1.Markdown);
        Assert.Equal(first.Version.ContentHash, v1.Version.ContentHash);
        Assert.False(v1.IsLatest);

        Assert.Equal(2, Assert.Single(await AllAsync(new ArchiveFilter()), i => i.MinutesId == minutesId).Version);
        Assert.Equal(2, Assert.Single((await Search.SearchAsync($"{token}会后更正")).Hits).Version);
        Assert.Equal(2, Assert.Single((await Search.SearchAsync($"{token}更正测试")).Hits).Version);

        var diff = (await Archive.DiffAsync(minutesId, 1, 2))!;
        Assert.Equal(1, diff.From.Number);
        Assert.Equal(2, diff.To.Number);
        Assert.Contains(diff.Diff.Lines, l => l.Kind is DiffLineKind.Added or DiffLineKind.Changed && l.NewText == $"补记:{token}会后更正。");
        Assert.All(diff.Diff.Lines.Where(l => l.Kind == DiffLineKind.Unchanged), l => Assert.Equal(l.OldText, l.NewText));
        Assert.Null(await Archive.DiffAsync(minutesId, 1, 3));
        Assert.Null(await Archive.DiffAsync(minutesId + 100_000, 1, 2));
    }

    [Fact]
    public async Task ACopyOfTheMarkdownIsCheckedAgainstThePublishedHash()
    {
        var minutesId = await PublishAsync($"{Token()}核对会议");
        var text = (await Archive.GetAsync(minutesId))!.Markdown;

        Assert.True((await Archive.CheckMarkdownAsync(minutesId, 1, text))!.Matches);
        Assert.True((await Archive.CheckMarkdownAsync(minutesId, 1, text.Replace("\n", "\r\n", StringComparison.Ordinal)))!.Matches);
        Assert.True((await Archive.CheckMarkdownAsync(minutesId, 1, "\uFEFF" + text))!.Matches);
        var withoutFinalBreak = (await Archive.CheckMarkdownAsync(minutesId, 1, text.TrimEnd('\n')))!;
        Assert.True(withoutFinalBreak.Matches);
        Assert.True(withoutFinalBreak.AddedFinalLineBreak);

        var i = text.IndexOf("出席", StringComparison.Ordinal);
        var changed = (await Archive.CheckMarkdownAsync(minutesId, 1, text[..i] + "缺" + text[(i + 1)..]))!;
        Assert.False(changed.Matches);
        Assert.NotEqual(changed.PublishedHash, changed.ComputedHash);
        Assert.Equal(MinutesVersion.HashOf(text), changed.PublishedHash);

        Assert.Null(await Archive.CheckMarkdownAsync(minutesId, 2, text));
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Archive.CheckMarkdownAsync(minutesId, 1, new string('纪', SessionMinutes.MarkdownMax + 1)));
        Assert.Equal("Archive.Check.TooLong", tooLong.Code);
        Assert.Equal("Archive.Check.Required", (await Assert.ThrowsAsync<DomainException>(() => Archive.CheckMarkdownAsync(minutesId, 1, " \n"))).Code);
    }

    [Fact]
    public async Task TheExportHasAnIndexAndOneFilePerPublishedMinutes()
    {
        var minutesId = await PublishAsync($"{Token()}导出会议");
        await GenerateAsync($"{Token()}草稿不导出");

        using var buffer = new MemoryStream();
        await Export.ExportZipAsync(new NonSeekableStream(buffer));
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);

        var published = await AllAsync(new ArchiveFilter());
        var files = zip.Entries.Where(e => e.FullName.EndsWith(".md", StringComparison.Ordinal) && e.FullName != "index.md").ToList();
        Assert.Equal(published.Count, files.Count);
        Assert.Contains(zip.Entries, e => e.FullName == "index.md");
        Assert.Contains(zip.Entries, e => e.FullName == "SHA256SUMS");

        var minutes = (await Archive.GetAsync(minutesId))!;
        var name = $"2026-03-08-{minutesId}-v1.md";
        var entry = Assert.Single(files, f => f.FullName == name);
        var bytes = await ReadAsync(entry);
        Assert.Equal(minutes.Version.ContentHash, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(minutes.Markdown, Encoding.UTF8.GetString(bytes));

        var index = Encoding.UTF8.GetString(await ReadAsync(zip.GetEntry("index.md")!));
        Assert.Contains($"[{name}]({name})", index, StringComparison.Ordinal);
        Assert.Contains(minutes.Version.ContentHash, index, StringComparison.Ordinal);
        var sums = Encoding.UTF8.GetString(await ReadAsync(zip.GetEntry("SHA256SUMS")!));
        Assert.Contains($"{minutes.Version.ContentHash}  {name}\n", sums, StringComparison.Ordinal);
    }

    [SqliteOnly] // rewrites the SQLite file with the triggers dropped
    [Fact]
    public async Task VerificationRecomputesTheChainAndFindsATamperedEntry()
    {
        var minutesId = await PublishAsync($"{Token()}核验会议");

        var ok = (await Archive.VerifyAsync(minutesId, 1))!;
        Assert.True(ok.Chain.IsValid);
        Assert.True(ok.VersionHashInChain);
        Assert.True(ok.BasisIntact);
        Assert.Equal(ok.LogEntries, ok.Chain.Entries);
        Assert.Equal(ok.LogHash, ok.Chain.LastHash);
        Assert.True(ok.LogEntries >= 4); // opened, two check-ins, closed

        int sessionId;
        await using (var db = await _council.DbAsync())
        {
            sessionId = await db.Minutes.Where(m => m.Id == minutesId).Select(m => m.SessionId).SingleAsync();
        }

        using (var connection = fixture.Database.OpenRawConnection())
        using (var tamper = connection.CreateCommand())
        {
            // Someone with write access to the file drops the append-only trigger first (ADR 0015); it is put back after.
            tamper.CommandText = "DROP TRIGGER SessionLog_NoUpdate";
            tamper.ExecuteNonQuery();
            tamper.CommandText = "UPDATE SessionLog SET PayloadJson = '{\"members\":[{\"id\":1,\"name\":\"冒名\"}],\"by\":\"self\"}' WHERE SessionId = $s AND Sequence = 2";
            tamper.Parameters.AddWithValue("$s", sessionId);
            Assert.Equal(1, tamper.ExecuteNonQuery());
            tamper.Parameters.Clear();
            tamper.CommandText = "CREATE TRIGGER \"SessionLog_NoUpdate\" BEFORE UPDATE ON \"SessionLog\" BEGIN SELECT RAISE(ABORT, 'SessionLog is append-only: UPDATE refused (ADR 0015)'); END;";
            tamper.ExecuteNonQuery();
        }

        var broken = (await Archive.VerifyAsync(minutesId, 1))!;
        Assert.False(broken.Chain.IsValid);
        Assert.Equal(2, broken.Chain.BrokenAtSequence);
        Assert.False(broken.BasisIntact);
        Assert.Null(await Archive.VerifyAsync(minutesId, 2));
        Assert.Null(await Archive.VerifyAsync(minutesId + 100_000, 1));
    }

    [Fact]
    public async Task TheFeedListsNewlyPublishedVersionsWithAbsoluteLinks()
    {
        var minutesId = await PublishAsync($"{Token()}订阅会议");

        var feed = await Feed.FeedAsync("https://example.org/");

        var entry = Assert.Single(feed, e => e.MinutesId == minutesId);
        Assert.Equal($"https://example.org/archive/{minutesId}?v=1", entry.Url);
        Assert.Equal($"tag:example.org,2026:minutes/{minutesId}/v1", entry.Id);
        Assert.Equal(DateTimeKind.Utc, entry.PublishedAtUtc.Kind);
        Assert.True(feed.Count <= ArchiveFeed.FeedSize);
        Assert.Equal(feed.OrderByDescending(e => e.PublishedAtUtc).Select(e => e.PublishedAtUtc), feed.Select(e => e.PublishedAtUtc));
    }

    [Fact]
    public async Task UnknownOrUnpublishedMinutesAreNotFound()
    {
        Assert.Null(await Archive.GetAsync(999_999));
        Assert.Null(await Archive.GetAsync(-1));
        var minutesId = await PublishAsync($"{Token()}版本会议");
        Assert.NotNull(await Archive.GetAsync(minutesId, 1));
        Assert.Null(await Archive.GetAsync(minutesId, 2));
        Assert.Null(await Archive.GetAsync(minutesId, 0));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Four random characters: a phrase no other test (or seed) contains.</summary>
    private static string Token() => string.Concat(Enumerable.Range(0, 4).Select(_ => TokenAlphabet[Random.Shared.Next(TokenAlphabet.Length)]));

    /// <summary>Schedule → open → two representatives check in → close.</summary>
    private async Task<int> ClosedSessionAsync(string title)
    {
        var sessionId = await _council.ScheduleAsync(title);
        await _council.Sessions.OpenAsync(_council.Chair, sessionId);
        await _council.CheckInAsync(sessionId, 11, 12);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        return sessionId;
    }

    private async Task<int> GenerateAsync(string title) => await Minutes.GenerateAsync(_council.Chair, await ClosedSessionAsync(title));

    /// <summary>A closed session's minutes generated, approved by the chair and published.</summary>
    private async Task<int> PublishAsync(string title)
    {
        var minutesId = await GenerateAsync(title);
        await Minutes.ApproveAsync(_council.Chair, minutesId);
        await Minutes.PublishAsync(_council.Chair, minutesId);
        return minutesId;
    }

    /// <summary>
    /// The whole list as it must be: every minutes with a version that has a publication time, its latest such version,
    /// newest session first (session id breaking ties), read from the entities rather than through the archive's queries.
    /// </summary>
    private async Task<List<ArchiveItem>> ExpectedListAsync()
    {
        await using var db = await _council.DbAsync();
        var minutes = await db.Minutes.AsNoTracking().ToListAsync();
        var sessions = await db.Sessions.AsNoTracking().Include(s => s.Body).ToDictionaryAsync(s => s.Id);
        return minutes.Where(m => m.LatestPublished is not null)
            .Select(m => (Minutes: m, Session: sessions[m.SessionId]))
            .OrderByDescending(r => r.Session.ScheduledAtUtc).ThenByDescending(r => r.Session.Id)
            .Select(r => new ArchiveItem(
                r.Minutes.Id, r.Session.Title, r.Session.Body.Name, r.Session.Body.NameEn, r.Session.Kind,
                DateTime.SpecifyKind(r.Session.ScheduledAtUtc, DateTimeKind.Utc),
                DateTime.SpecifyKind(r.Minutes.LatestPublished!.PublishedAtUtc!.Value, DateTimeKind.Utc), r.Minutes.LatestPublished.Number))
            .ToList();
    }

    private async Task<List<ArchiveItem>> AllAsync(ArchiveFilter filter)
    {
        var items = new List<ArchiveItem>();
        for (var page = 1; ; page++)
        {
            var result = await Archive.ListAsync(filter with { Page = page });
            items.AddRange(result.Items);
            if (page >= result.PageCount)
            {
                return items;
            }
        }
    }

    private static async Task<byte[]> ReadAsync(ZipArchiveEntry entry)
    {
        await using var stream = entry.Open();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Like an HTTP response body: write-only, no seeking, no length.</summary>
    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed (as on Kestrel).");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
