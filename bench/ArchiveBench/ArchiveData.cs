using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityDeliberation.ArchiveBench;

/// <summary>
/// Builds the benchmark database: the real migration and the real seeds, then <c>count</c> closed sessions with published
/// minutes (one version each, indexed in MinutesSearch) inserted with raw SQL in one transaction. The minutes text follows
/// the generator's layout (header table, attendance, agenda, items with votes, decisions, footer) and is made of the seed
/// sessions' titles, agenda and descriptions, the seeded members' names and a list of everyday community topics; about a
/// third of the minutes carry an English summary. Deterministic (fixed random seed).
/// </summary>
public static class ArchiveData
{
    /// <summary>Everyday topics; each minutes mentions a few, so phrase searches range from rare to common.</summary>
    public static readonly string[] Topics =
    [
        "加装电梯", "垃圾分类", "停车难", "非机动车停放", "暖气管道", "雨污分流", "绿化养护", "物业费调整", "老年助餐点", "适老化改造",
        "消防通道", "电动自行车充电桩", "楼道堆物", "二次供水", "外墙渗漏", "社区食堂", "文明养犬", "高空抛物", "路灯维修", "健身器材",
    ];

    private static readonly string[] Openings =
    [
        "与会代表围绕{0}进行了讨论,认为应当尽快形成可操作的方案,并听取楼组长和居民的意见。",
        "有代表提出,{0}问题反映集中,建议由居委会牵头,物业公司配合,在一个月内拿出整改措施。",
        "会议通报了{0}的进展情况,代表们对前期工作表示肯定,同时指出资金来源和后续管理仍需明确。",
        "围绕{0},业委会、物业公司和居民代表分别陈述了意见,第三方就费用和技术可行性作了说明。",
    ];

    public sealed record Template(string BodyKey, int TermNumber, string Kind, string Title, string TitleEn, string Place, List<(string Title, string TitleEn, int Minutes, string? Description, string? DescriptionEn)> Agenda);

    /// <param name="postgres">A PostgreSQL connection string to fill instead of the SQLite file at <paramref name="dbPath"/>.</param>
    public static async Task<(int Minutes, long Bytes, double Seconds)> CreateAsync(IDbContextFactory<DeliberationDbContext> factory, string dbPath, string seedsFolder, int count, TextWriter log, string? postgres = null)
    {
        var watch = Stopwatch.StartNew();
        await DatabaseInitializer.MigrateAsync(factory);
        var seeded = await SeedLoader.LoadAsync(factory, seedsFolder, TimeProvider.System);
        log.WriteLine($"migrated and seeded: {seeded}");

        var templates = ReadTemplates(seedsFolder);
        var random = new Random(20261122);
        var pg = postgres is not null;
        await using DbConnection connection = pg ? new NpgsqlConnection(postgres) : new SqliteConnection(PersistenceSetup.SqliteConnectionString(dbPath));
        await connection.OpenAsync();
        var terms = new Dictionary<string, (int BodyId, int TermId, string BodyName, string TermName, int NextNumber, string Chair, string? Recorder, List<string> Members)>();
        var chairUserId = (string)(await Scalar(connection, "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"UserName\" = 'chair'"))!;
        foreach (var t in templates.Select(t => (t.BodyKey, t.TermNumber)).Distinct())
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT b."Id", t."Id", b."Name", t."Name", (SELECT coalesce(max("Number"), 0) + 1 FROM "Sessions" WHERE "TermId" = t."Id")
                FROM "Bodies" b JOIN "Terms" t ON t."BodyId" = b."Id" WHERE b."Key" = @key AND t."Number" = @number
                """;
            AddValue(cmd, "@key", t.BodyKey);
            AddValue(cmd, "@number", t.TermNumber);
            int bodyId, termId, nextNumber;
            string bodyName, termName;
            await using (var r = await cmd.ExecuteReaderAsync())
            {
                // Read and closed before the next command: PostgreSQL runs one command at a time on a connection.
                await r.ReadAsync();
                (bodyId, termId, bodyName, termName, nextNumber) = (r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture));
            }

            var members = new List<string>();
            string chair = "主持人";
            string? recorder = null;
            await using (var m = connection.CreateCommand())
            {
                m.CommandText = "SELECT \"Name\", \"Role\" FROM \"Memberships\" WHERE \"TermId\" = @t ORDER BY \"Id\"";
                AddValue(m, "@t", termId);
                await using var mr = await m.ExecuteReaderAsync();
                while (await mr.ReadAsync())
                {
                    var role = mr.GetString(1);
                    if (role == "Chair")
                    {
                        chair = mr.GetString(0);
                    }
                    else if (role == "Secretary")
                    {
                        recorder = mr.GetString(0);
                    }
                    else
                    {
                        members.Add(mr.GetString(0));
                    }
                }
            }

            terms[$"{t.BodyKey}/{t.TermNumber}"] = (bodyId, termId, bodyName, termName, nextNumber, chair, recorder, members);
        }

        await using var tx = await connection.BeginTransactionAsync();
        var insertSession = Prepare(connection, tx, """
            INSERT INTO "Sessions" ("BodyId", "TermId", "Number", "Kind", "Title", "ScheduledAtUtc", "Place", "ChairUserId", "Status", "CreatedAtUtc", "OpenedAtUtc", "ClosedAtUtc")
            VALUES (@body, @term, @number, @kind, @title, @at, @place, @chair, 'Closed', @at, @at, @closed) RETURNING "Id"
            """, "@body", "@term", "@number", "@kind", "@title", "@at", "@place", "@chair", "@closed");
        var insertMinutes = Prepare(connection, tx, "INSERT INTO \"Minutes\" (\"SessionId\", \"Status\", \"CreatedAtUtc\", \"ApprovedByUserId\") VALUES (@session, 'Published', @at, @chair) RETURNING \"Id\"", "@session", "@at", "@chair");
        var insertVersion = Prepare(connection, tx, """
            INSERT INTO "MinutesVersions" ("MinutesId", "Number", "Markdown", "Reason", "LogHash", "LogEntries", "ContentHash", "CreatedByUserId", "CreatedAtUtc", "UpdatedAtUtc", "PublishedAtUtc")
            VALUES (@minutes, 1, @md, NULL, @log, 0, @hash, @chair, @at, @at, @published) RETURNING "Id"
            """, "@minutes", "@md", "@log", "@hash", "@chair", "@at", "@published");

        // SQLite's FTS5 tables; PostgreSQL's table of character grams (MinutesSearchIndex.Grams, ADR 0021).
        var insertGrams = pg ? Prepare(connection, tx, """
            INSERT INTO "MinutesSearch" (version_id, minutes_id, session_id, scheduled_at_utc, title, grams) VALUES (@version, @minutes, @session, @at, @title, @grams)
            """, "@version", "@minutes", "@session", "@at", "@title", "@grams") : null;
        var insertSearch = pg ? null : Prepare(connection, tx, "INSERT INTO MinutesSearch (rowid, minutes_id, title, body) VALUES (@rowid, @minutes, @title, @body)", "@rowid", "@minutes", "@title", "@body");
        var insertChars = pg ? null : Prepare(connection, tx, "INSERT INTO MinutesSearchChars (rowid, minutes_id, body) VALUES (@rowid, @minutes, @body)", "@rowid", "@minutes", "@body");
        object Db(DateTime utc) => pg ? utc : utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

        var start = new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var span = (new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc) - start).TotalMinutes;
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var template = templates[random.Next(templates.Count)];
            var key = $"{template.BodyKey}/{template.TermNumber}";
            var term = terms[key];
            terms[key] = term with { NextNumber = term.NextNumber + 1 };
            var at = start.AddMinutes(Math.Floor(random.NextDouble() * span / 30) * 30);
            var local = at.AddHours(8);
            var title = $"{template.Title}({local.Year}年第{term.NextNumber}次)";
            var markdown = Minutes(random, template, term.BodyName, term.TermName, term.NextNumber, title, at, term.Chair, term.Recorder, term.Members);
            bytes += Encoding.UTF8.GetByteCount(markdown);
            var published = at.AddDays(7);

            var sessionId = await Insert(insertSession, term.BodyId, term.TermId, term.NextNumber, template.Kind, title, Db(at), template.Place, chairUserId, Db(at.AddHours(2)));
            var minutesId = await Insert(insertMinutes, sessionId, Db(at.AddHours(3)), chairUserId);
            var versionId = await Insert(insertVersion, minutesId, markdown, SessionLogEntry.Genesis, MinutesVersion.HashOf(markdown), chairUserId, Db(at.AddHours(3)), Db(published));
            if (insertSearch is not null && insertChars is not null)
            {
                await Insert(insertSearch, versionId, minutesId, title, markdown);
                await Insert(insertChars, versionId, minutesId, MinutesSearchIndex.CharTokens(title + "\n" + markdown));
            }

            if (insertGrams is not null)
            {
                await Insert(insertGrams, versionId, minutesId, sessionId, Db(at), title, MinutesSearchIndex.Grams(title + "\n" + markdown));
            }
        }

        await tx.CommitAsync();
        await using (var optimize = connection.CreateCommand())
        {
            optimize.CommandText = pg
                ? "VACUUM ANALYZE"
                : "INSERT INTO MinutesSearch(MinutesSearch) VALUES ('optimize'); INSERT INTO MinutesSearchChars(MinutesSearchChars) VALUES ('optimize'); ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
            await optimize.ExecuteNonQueryAsync();
        }

        return (count, bytes, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Minutes text in the generator's layout (see MinutesGenerator), 2–4 KB of UTF-8.</summary>
    private static string Minutes(Random random, Template t, string body, string termName, int number, string title, DateTime atUtc, string chair, string? recorder, List<string> members)
    {
        var local = atUtc.AddHours(8);
        var kind = t.Kind switch { "PublicHearing" => "听证会", "Consultation" => "“1+X+1”协商", _ => "议事会会议" };
        var md = new StringBuilder();
        md.Append("# ").Append(MinutesGenerator.Escape(title)).Append("\n\n| 项目 | 内容 |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| 议事机构 | {body}({termName}) |\n| 会议 | 第 {number} 次 · {kind} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| 时间 | {local:yyyy年M月d日 HH:mm} |\n| 地点 | {MinutesGenerator.Escape(t.Place)} |\n| 主持人 | {chair} |\n| 记录人 | {recorder ?? "—"} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| 开会 | {local:HH:mm} — 散会 {local.AddHours(2):HH:mm} |\n\n");

        var present = members.Where(_ => random.NextDouble() < 0.85).ToList();
        if (present.Count > 60)
        {
            present = present.Take(random.Next(30, 60)).ToList();
        }

        md.Append(CultureInfo.InvariantCulture, $"## 出席情况\n\n应到 {members.Count + 1} 人,实到 {present.Count + 1} 人。其中本人签到 {present.Count} 人,记录员代为签到 1 人。\n\n");
        md.Append("出席人员:").Append(chair).Append('、').Append(string.Join("、", present)).Append("。\n\n## 议程\n\n");
        for (var i = 0; i < t.Agenda.Count; i++)
        {
            md.Append(CultureInfo.InvariantCulture, $"{i + 1}. {MinutesGenerator.Escape(t.Agenda[i].Title)}(计划 {t.Agenda[i].Minutes} 分钟)\n");
        }

        md.Append('\n');
        var topics = Topics.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
        var minute = 5;
        var decisions = new List<string>();
        for (var i = 0; i < t.Agenda.Count; i++)
        {
            var item = t.Agenda[i];
            md.Append(CultureInfo.InvariantCulture, $"## {i + 1}. {MinutesGenerator.Escape(item.Title)}\n\n- {local.AddMinutes(minute):HH:mm} 主持人宣布进入本项议程。\n\n");
            minute += item.Minutes;
            if (item.Description is not null)
            {
                md.Append(item.Description).Append('\n').Append('\n');
            }

            if (i < topics.Count)
            {
                md.Append(string.Format(CultureInfo.InvariantCulture, Openings[random.Next(Openings.Length)], topics[i])).Append("\n\n");
            }

            if (i == 1 || (i == t.Agenda.Count - 1 && random.NextDouble() < 0.5))
            {
                var question = $"是否同意{item.Title.TrimEnd('。')}的意见?";
                var yes = random.Next(present.Count / 2, present.Count + 1);
                var no = random.Next(0, Math.Max(1, present.Count - yes));
                var abstain = present.Count - yes - no;
                var adopted = yes > no;
                md.Append("### 表决:").Append(MinutesGenerator.Escape(question)).Append("\n\n");
                md.Append(CultureInfo.InvariantCulture, $"- {local.AddMinutes(minute - 5):HH:mm} 开始表决;赞成/反对/弃权,记名;简单多数,弃权不计;开始时可投 {present.Count + 1} 票。\n");
                md.Append(CultureInfo.InvariantCulture, $"- {local.AddMinutes(minute):HH:mm} 表决结束;出席 {present.Count + 1} 人,收回选票 {present.Count} 张。\n\n");
                md.Append(CultureInfo.InvariantCulture, $"| 选项 | 票数 |\n|---|---:|\n| 赞成 | {yes} |\n| 反对 | {no} |\n| 弃权 | {abstain} |\n\n**结果:{(adopted ? "通过" : "未通过")}**\n\n");
                decisions.Add($"{MinutesGenerator.Escape(question)}:{(adopted ? "通过" : "未通过")}");
            }
            else
            {
                md.Append("本项未进行表决。\n\n");
            }
        }

        if (random.NextDouble() < 0.33)
        {
            md.Append("> English summary: ").Append(t.TitleEn).Append(". ")
                .Append(string.Join(" ", t.Agenda.Where(a => a.DescriptionEn is not null).Take(2).Select(a => a.DescriptionEn))).Append("\n\n");
        }

        md.Append("## 决定事项\n\n");
        if (decisions.Count == 0)
        {
            md.Append("本次会议未形成表决决定。\n\n");
        }
        else
        {
            for (var i = 0; i < decisions.Count; i++)
            {
                md.Append(CultureInfo.InvariantCulture, $"{i + 1}. {decisions[i]}\n");
            }

            md.Append('\n');
        }

        md.Append("---\n\n");
        md.Append(CultureInfo.InvariantCulture, $"本纪要由会议记录自动生成,依据会议日志共 0 条,日志末条哈希(SHA-256):`{SessionLogEntry.Genesis}`。\n");
        return md.ToString();
    }

    private static List<Template> ReadTemplates(string seedsFolder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedsFolder, "sessions.json")));
        return doc.RootElement.EnumerateArray().Select(s => new Template(
            s.GetProperty("bodyKey").GetString()!, s.GetProperty("termNumber").GetInt32(), s.GetProperty("kind").GetString()!,
            s.GetProperty("title").GetString()!, s.GetProperty("titleEn").GetString()!, s.GetProperty("place").GetString()!,
            s.GetProperty("agenda").EnumerateArray().Select(a => (
                a.GetProperty("title").GetString()!, a.GetProperty("titleEn").GetString()!, a.GetProperty("plannedMinutes").GetInt32(),
                a.TryGetProperty("description", out var d) ? d.GetString() : null,
                a.TryGetProperty("descriptionEn", out var de) ? de.GetString() : null)).ToList())).ToList();
    }

    private static void AddValue(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        if (connection is SqliteConnection)
        {
            command.Prepare();
        }

        return command;
    }

    private static async Task<int> Insert(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt32(result, CultureInfo.InvariantCulture);
    }

    private static async Task<object?> Scalar(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
