using System.Diagnostics;
using System.Security.Claims;
using CommunityDeliberation.Deliberation;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.CommentsBench;

/// <summary>
/// A SQLite file made by the real migration and seeds, with one proposal's discussion of 1,000 comments posted through
/// <see cref="CommentService"/>: 600 threads and 400 replies at varying depths (up to a dozen), 50 comments hidden by the
/// secretary with a reason, 120 reports. Deterministic (fixed random seed).
/// </summary>
public sealed class CommentsData : IAsyncDisposable
{
    public const string ProposalTitle = "关于沪闵路沿线旧住房成套改造后续管理的提案";
    public const int Threads = 600;
    public const int Replies = 400;
    public const int Hidden = 50;
    public const int Reports = 120;

    private static readonly string[] Sentences =
    [
        "楼道里的电线老化严重,去年冬天还跳过两次闸,希望维护责任尽快明确。",
        "屋面防水是成套改造时做的,现在漏水了应该找施工单位还是物业公司?",
        "建议业委会先把公共部位的清单列出来,在小区公告栏公示一周。",
        "三个月的时间比较合理,太短了业主大会开不起来。",
        "我们楼的老人多,维修期间请提前通知,不要影响上下楼。",
        "物业费里本来就包括公共部位维护,不应该再向居民收钱。",
        "希望把后续管理纳入工作台账,问题解决一件销号一件,让大家看得见。",
        "管线属于供水和燃气公司的部分,要请他们一起来开协调会。",
        "我支持提案,但建议增加一条:维护费用的使用情况每季度公开。",
        "改造以后楼道变宽了,电动车又停进来了,消防隐患要一起管。",
        "居民区党组织牵头很好,关键是要有人跟进,不能开完会就没下文。",
        "可以参考隔壁小区的做法,他们用维修基金解决了屋面问题。",
        "反对把所有责任都推给物业,产权单位也要承担一部分。",
        "建议在楼道里贴上报修电话和责任人名单。",
        "上次听证会上大家提的意见,这次提案里都写进去了,点赞。",
    ];

    private static readonly string[] Markdown =
    [
        "\n\n- 楼道照明\n- 屋面防水\n- 雨水管和落水管",
        "\n\n**请尽快回复**,谢谢。",
        "\n\n> 三个月内明确楼道、屋面和管线的维护责任\n\n这一条我完全同意。",
        "\n\n相关规定见 [上海市住宅物业管理规定](https://www.shanghai.gov.cn/)。",
        "\n\n1. 先摸底\n2. 再公示\n3. 最后签责任书",
    ];

    private readonly ServiceProvider _provider;
    private readonly string _directory;

    private CommentsData(ServiceProvider provider, string directory, int proposalId, Dictionary<string, string> users)
    {
        _provider = provider;
        _directory = directory;
        ProposalId = proposalId;
        Users = users;
    }

    public IServiceProvider Services => _provider;

    public int ProposalId { get; }

    /// <summary>User id by user name.</summary>
    public IReadOnlyDictionary<string, string> Users { get; }

    public CommentService Comments => _provider.GetRequiredService<CommentService>();

    public Actor Member => new(Users["rep010"], new HashSet<string> { Roles.Representative });

    public Actor Moderator => new(Users["secretary"], new HashSet<string> { Roles.Secretary });

    public static ClaimsPrincipal Principal(Actor actor) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, actor.UserId), .. actor.Roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "bench"));

    public static async Task<CommentsData> CreateAsync(string seeds, TextWriter log)
    {
        var directory = Path.Combine(Path.GetTempPath(), "comments-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var dbPath = Path.Combine(directory, "comments-1000.db");
        var services = new ServiceCollection();
        services.AddDeliberationPersistence(new DatabaseSettings { Provider = DatabaseProvider.Sqlite, SqlitePath = dbPath }, directory);
        services.AddDeliberation();
        services.AddLogging();
        Rendering.AddRenderingServices(services);
        var provider = services.BuildServiceProvider();

        var watch = Stopwatch.StartNew();
        var factory = provider.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
        await DatabaseInitializer.MigrateAsync(factory);
        await SeedLoader.LoadAsync(factory, seeds, TimeProvider.System);
        Dictionary<string, string> users;
        int proposalId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            users = await db.Users.ToDictionaryAsync(u => u.UserName!, u => u.Id);
            proposalId = await db.Proposals.Where(p => p.Title == ProposalTitle).Select(p => p.Id).SingleAsync();
        }

        var data = new CommentsData(provider, directory, proposalId, users);
        await data.FillAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE;");
            var count = await db.Comments.CountAsync(c => c.ProposalId == proposalId);
            var hidden = await db.Comments.CountAsync(c => c.ProposalId == proposalId && c.HiddenAtUtc != null);
            var depth = await db.Comments.Where(c => c.ProposalId == proposalId).MaxAsync(c => c.Depth);
            var reports = await db.CommentReports.CountAsync();
            var longest = await db.Comments.Where(c => c.ProposalId == proposalId && c.ThreadId != null).GroupBy(c => c.ThreadId).Select(g => g.Count()).MaxAsync();
            log.WriteLine($"built {dbPath}: {count:N0} comments ({Threads} threads, deepest reply at depth {depth}, at most {longest} replies in a thread), "
                + $"{hidden} hidden, {reports} reports, in {watch.Elapsed.TotalSeconds:F1} s");
        }

        return data;
    }

    private async Task FillAsync()
    {
        var random = new Random(2026);
        var comments = Comments;
        var threads = new List<List<int>>();
        var authors = Enumerable.Range(1, 150).Select(n => new Actor(Users[$"rep{n:000}"], new HashSet<string> { Roles.Representative }))
            .Append(new Actor(Users["resident"], new HashSet<string> { Roles.Resident }))
            .ToList();
        var stances = Enum.GetValues<CommentStance>();
        var all = new List<int>();

        // Threads and replies interleaved; replies go mostly to recent threads, so the newest page has conversations.
        var repliesLeft = Replies;
        for (var t = 0; t < Threads; t++)
        {
            var id = await comments.PostAsync(authors[random.Next(authors.Count)], ProposalId, null, stances[random.Next(3)], Text(random));
            threads.Add([id]);
            all.Add(id);
            var replies = t >= Threads - 60 ? 3 : random.Next(0, 3) == 0 ? 1 : 0;
            for (var r = 0; r < replies && repliesLeft > 0; r++, repliesLeft--)
            {
                var thread = threads[Math.Max(0, threads.Count - 1 - random.Next(Math.Min(threads.Count, 8)))];
                var parent = thread[random.Next(thread.Count)];
                if (random.Next(4) == 0)
                {
                    parent = thread[^1];
                }

                var reply = await comments.ReplyAsync(authors[random.Next(authors.Count)], ProposalId, null, parent, stances[random.Next(3)], Text(random));
                thread.Add(reply);
                all.Add(reply);
            }
        }

        // What the loop left goes into long chains at the top of the newest page (replies to the last reply).
        for (; repliesLeft > 0; repliesLeft--)
        {
            var thread = threads[^(1 + (repliesLeft % 5))];
            var reply = await comments.ReplyAsync(authors[random.Next(authors.Count)], ProposalId, null, thread[^1], stances[random.Next(3)], Text(random));
            thread.Add(reply);
            all.Add(reply);
        }

        var reporters = authors.Take(150).ToList();
        var reported = new HashSet<(int, string)>();
        while (reported.Count < Reports)
        {
            var comment = all[all.Count - 1 - random.Next(300)];
            var reporter = reporters[random.Next(reporters.Count)];
            if (reported.Add((comment, reporter.UserId)))
            {
                try
                {
                    await comments.ReportAsync(reporter, comment, random.Next(2) == 0 ? "言辞激烈" : null);
                }
                catch (DomainException)
                {
                    reported.Remove((comment, reporter.UserId)); // their own comment
                }
            }
        }

        var moderator = Moderator;
        foreach (var id in all.OrderBy(_ => random.Next()).Take(Hidden))
        {
            await comments.HideAsync(moderator, id, "含有个人电话号码");
        }
    }

    private static string Text(Random random)
    {
        var parts = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Sentences[random.Next(Sentences.Length)]);
        var text = string.Concat(parts);
        return random.Next(4) == 0 ? text + Markdown[random.Next(Markdown.Length)] : text;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
