using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>
/// ADR 0015 against a real SQLite file: the database refuses UPDATE and DELETE on the log, and an attacker who can write
/// the database (and so drop the triggers) but does not have the signing key is caught by the signatures and by the
/// chain heads published with the minutes. Each test works on its own session and checks only that session.
/// </summary>
public sealed class TamperTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private LogAudit Audit => fixture.Database.Services.GetRequiredService<LogAudit>();

    private SessionLogSigner Signer => fixture.Database.Services.GetRequiredService<SessionLogSigner>();

    [Fact]
    public async Task TheDatabaseRefusesUpdateAndDeleteOnTheLog()
    {
        var (sessionId, _) = await PublishedSessionAsync();
        // On either provider (the PostgreSQL run refuses TRUNCATE as well).
        using var connection = fixture.Database.OpenAnyRawConnection();

        var update = Assert.ThrowsAny<System.Data.Common.DbException>(() => ExecuteAny(connection, $"UPDATE \"SessionLog\" SET \"PayloadJson\" = '{{}}' WHERE \"SessionId\" = {sessionId} AND \"Sequence\" = 2"));
        Assert.Contains("append-only: UPDATE refused", update.Message, StringComparison.Ordinal);
        var delete = Assert.ThrowsAny<System.Data.Common.DbException>(() => ExecuteAny(connection, $"DELETE FROM \"SessionLog\" WHERE \"SessionId\" = {sessionId}"));
        Assert.Contains("append-only: DELETE refused", delete.Message, StringComparison.Ordinal);
        if (TestProvider.IsPostgreSql)
        {
            var truncate = Assert.ThrowsAny<System.Data.Common.DbException>(() => ExecuteAny(connection, "TRUNCATE \"SessionLog\" CASCADE"));
            Assert.Contains("append-only: TRUNCATE refused", truncate.Message, StringComparison.Ordinal);
        }

        var intact = await Audit.RunAsync([sessionId]);
        Assert.True(intact.IsIntact, intact.FirstProblem?.ToString());
        Assert.True(intact.Entries >= 4);
    }

    [Fact]
    public async Task EveryEntryIsSignedWithTheConfiguredKeyAsItIsSaved()
    {
        var (sessionId, _) = await PublishedSessionAsync();
        await using var db = await _council.DbAsync();
        var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync();

        Assert.All(log, e => Assert.Equal(Signer.KeyId, e.KeyId));
        Assert.All(log, e => Assert.Equal(SignatureStatus.Valid, Signer.Check(e.Hash, e.KeyId, e.Signature)));
        Assert.True(SessionLogChain.Verify(log, Signer).IsValid);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task ARewrittenEntryWithEveryLaterHashRecomputedIsCaughtByItsSignature()
    {
        var (sessionId, minutesId) = await PublishedSessionAsync();
        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                var rows = ReadLog(connection, sessionId);
                rows[1] = rows[1] with { PayloadJson = rows[1].PayloadJson.Replace("\"by\":\"self\"", "\"by\":\"chair\"", StringComparison.Ordinal) + " " };
                // Recompute entry 2's hash and every later link and hash, as someone with the database but not the key would.
                var previous = rows[0].Hash;
                for (var i = 1; i < rows.Count; i++)
                {
                    rows[i] = rows[i] with { PreviousHash = previous };
                    rows[i] = rows[i] with { Hash = HashOf(sessionId, rows[i]) };
                    previous = rows[i].Hash;
                    Execute(connection, $"UPDATE SessionLog SET PayloadJson = '{rows[i].PayloadJson.Replace("'", "''", StringComparison.Ordinal)}', PreviousHash = '{rows[i].PreviousHash}', Hash = '{rows[i].Hash}' WHERE SessionId = {sessionId} AND Sequence = {rows[i].Sequence}");
                }

                // The minutes are rewritten to the new head too: only the signature still stands in the way.
                Execute(connection, $"UPDATE MinutesVersions SET LogHash = '{previous}', Markdown = Markdown || '{previous}' WHERE MinutesId = {minutesId}");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        var result = await Audit.RunAsync([sessionId]);
        Assert.Equal(new LogProblem(sessionId, 2, "the signature does not match the entry's hash (key " + Signer.KeyId + ")"), result.FirstProblem);
        var page = (await fixture.Database.Services.GetRequiredService<ArchiveReader>().VerifyAsync(minutesId, 1))!;
        Assert.False(page.Chain.IsValid);
        Assert.Equal(2, page.Chain.BrokenAtSequence);
        Assert.False(page.BasisIntact);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task ADeletedTailNoLongerReachesThePublishedHead()
    {
        var (sessionId, minutesId) = await PublishedSessionAsync();
        int entries;
        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                entries = ReadLog(connection, sessionId).Count;
                Execute(connection, $"DELETE FROM SessionLog WHERE SessionId = {sessionId} AND Sequence = {entries}");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        // What is left is a valid signed prefix; the head published with the minutes is what is missing.
        var result = await Audit.RunAsync([sessionId]);
        var problem = Assert.IsType<LogProblem>(result.FirstProblem);
        Assert.Equal(sessionId, problem.SessionId);
        Assert.Equal(entries, problem.Sequence);
        Assert.Equal($"minutes version 1: the published head (entry {entries}) is no longer in the log, which has {entries - 1} entries", problem.What);
        var page = (await fixture.Database.Services.GetRequiredService<ArchiveReader>().VerifyAsync(minutesId, 1))!;
        Assert.True(page.Chain.IsValid);
        Assert.False(page.VersionHashInChain);
        Assert.NotNull(page.HeadProblem);
        Assert.False(page.BasisIntact);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task ADeletedTailWithTheStoredHeadMovedBackIsCaughtByTheHeadInThePublishedText()
    {
        var (sessionId, minutesId) = await PublishedSessionAsync();
        int entries;
        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                var rows = ReadLog(connection, sessionId);
                entries = rows.Count;
                Execute(connection, $"DELETE FROM SessionLog WHERE SessionId = {sessionId} AND Sequence = {entries}");
                // The stored head is moved back to the new last entry, whose signature is genuine.
                Execute(connection, $"UPDATE MinutesVersions SET LogEntries = {entries - 1}, LogHash = '{rows[^2].Hash}', LogSignature = (SELECT Signature FROM SessionLog WHERE SessionId = {sessionId} AND Sequence = {entries - 1}) WHERE MinutesId = {minutesId}");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        var problem = (await Audit.RunAsync([sessionId])).FirstProblem;
        Assert.Equal(new LogProblem(sessionId, entries - 1, $"minutes version 1: the chain head in the published text (entry {entries}) differs from the one stored with it"), problem);
    }

    [Fact]
    public void TheHeadIsReadBackFromGeneratedMinutes()
    {
        var log = RecordedSession.Log();
        using var signer = new SessionLogSigner(Microsoft.Extensions.Options.Options.Create(new SessionLogOptions { SigningKey = "a-test-secret-of-at-least-thirty-two-characters" }));
        log[^1].Sign(signer);
        var markdown = MinutesGenerator.Generate(RecordedSession.Header, log, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(LogHead.Of(log), LogAudit.HeadInText(markdown));
        Assert.Null(LogAudit.HeadInText("纪要正文,没有日志末条。"));
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task AReorderedPairIsCaught()
    {
        var (sessionId, _) = await PublishedSessionAsync();
        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                // Entries 2 and 3 change places (through a free number: the pair is unique).
                Execute(connection, $"UPDATE SessionLog SET Sequence = -2 WHERE SessionId = {sessionId} AND Sequence = 2");
                Execute(connection, $"UPDATE SessionLog SET Sequence = 2 WHERE SessionId = {sessionId} AND Sequence = 3");
                Execute(connection, $"UPDATE SessionLog SET Sequence = 3 WHERE SessionId = {sessionId} AND Sequence = -2");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        var problem = (await Audit.RunAsync([sessionId])).FirstProblem;
        Assert.Equal(new LogProblem(sessionId, 2, "the link to the previous entry does not match"), problem);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task AForgedSignatureIsCaught()
    {
        var (sessionId, _) = await PublishedSessionAsync();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                var row = ReadLog(connection, sessionId)[2];
                // Signed by another key, but claiming the server's key id.
                var forged = Convert.ToBase64String(forger.SignData(Encoding.ASCII.GetBytes(row.Hash), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
                Execute(connection, $"UPDATE SessionLog SET Signature = '{forged}' WHERE SessionId = {sessionId} AND Sequence = 3");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        var problem = (await Audit.RunAsync([sessionId])).FirstProblem;
        Assert.Equal(new LogProblem(sessionId, 3, $"the signature does not match the entry's hash (key {Signer.KeyId})"), problem);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task AnEntryInsertedWithoutTheKeyIsCaught()
    {
        var (sessionId, _) = await PublishedSessionAsync();
        int extraSequence;
        using (var connection = fixture.Database.OpenRawConnection())
        {
            // INSERT is allowed (that is how the log grows): an entry appended by SQL has a valid hash but no signature.
            var rows = ReadLog(connection, sessionId);
            var extra = new LogRow(rows.Count + 1, "2026-03-08T09:00:00.000Z", rows[0].Kind, null, rows[0].PayloadJson, rows[^1].Hash, string.Empty);
            extra = extra with { Hash = HashOf(sessionId, extra) };
            extraSequence = extra.Sequence;
            Execute(connection, $"INSERT INTO SessionLog (SessionId, Sequence, AtUtc, Kind, ActorUserId, PayloadJson, PreviousHash, Hash) VALUES ({sessionId}, {extra.Sequence}, '2026-03-08 09:00:00', '{extra.Kind}', NULL, '{extra.PayloadJson.Replace("'", "''", StringComparison.Ordinal)}', '{extra.PreviousHash}', '{extra.Hash}')");
        }

        var rowsNow = (await Audit.RunAsync([sessionId])).FirstProblem;
        Assert.Equal(new LogProblem(sessionId, extraSequence, "the entry carries no signature"), rowsNow);
    }

    [SqliteOnly] // tampers with the SQLite file with its triggers dropped
    [Fact]
    public async Task TheVerifyLogReportNamesTheFirstBadEntryAndExitsOne()
    {
        var (good, _) = await PublishedSessionAsync();
        var (bad, _) = await PublishedSessionAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await Audit.ReportAsync(output, error, [good, bad]));
        Assert.StartsWith("verify-log: OK: 2 sessions, ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 published chain heads are reached", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());

        using (var connection = fixture.Database.OpenRawConnection())
        {
            DropTriggers(connection);
            try
            {
                Execute(connection, $"UPDATE SessionLog SET ActorUserId = 'someone-else' WHERE SessionId = {bad} AND Sequence = 3");
            }
            finally
            {
                CreateTriggers(connection);
            }
        }

        output = new StringWriter();
        error = new StringWriter();
        Assert.Equal(1, await Audit.ReportAsync(output, error, [good, bad]));
        Assert.Empty(output.ToString());
        Assert.StartsWith($"verify-log: FAILED at session {bad}, entry 3: the entry's contents do not match its hash", error.ToString(), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ helpers

    private sealed record LogRow(int Sequence, string AtUtc, string Kind, string? ActorUserId, string PayloadJson, string PreviousHash, string Hash);

    /// <summary>A closed session (opened, two check-ins, closed) whose minutes are generated, approved and published.</summary>
    private async Task<(int SessionId, int MinutesId)> PublishedSessionAsync()
    {
        var sessionId = await _council.ScheduleAsync("核验日志会议");
        await _council.Sessions.OpenAsync(_council.Chair, sessionId);
        await _council.CheckInAsync(sessionId, 11, 12);
        await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        var minutes = fixture.Database.Services.GetRequiredService<MinutesService>();
        var minutesId = await minutes.GenerateAsync(_council.Chair, sessionId);
        await minutes.ApproveAsync(_council.Chair, minutesId);
        await minutes.PublishAsync(_council.Chair, minutesId);
        return (sessionId, minutesId);
    }

    private static List<LogRow> ReadLog(SqliteConnection connection, int sessionId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Sequence, AtUtc, Kind, ActorUserId, PayloadJson, PreviousHash, Hash FROM SessionLog WHERE SessionId = {sessionId} ORDER BY Sequence";
        using var reader = command.ExecuteReader();
        var rows = new List<LogRow>();
        while (reader.Read())
        {
            var at = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            rows.Add(new LogRow(reader.GetInt32(0), at, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return rows;
    }

    /// <summary>The entry hash as <see cref="SessionLogEntry.ComputeHash"/> makes it: anyone can recompute it.</summary>
    private static string HashOf(int sessionId, LogRow row) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        sessionId.ToString(CultureInfo.InvariantCulture), row.Sequence.ToString(CultureInfo.InvariantCulture), row.AtUtc, row.Kind, row.ActorUserId ?? string.Empty, row.PayloadJson, row.PreviousHash))));

    private static void DropTriggers(SqliteConnection connection)
    {
        Execute(connection, "DROP TRIGGER SessionLog_NoUpdate");
        Execute(connection, "DROP TRIGGER SessionLog_NoDelete");
    }

    /// <summary>Puts the migration's triggers back, so the other tests of the class still run against them.</summary>
    private static void CreateTriggers(SqliteConnection connection)
    {
        Execute(connection, "CREATE TRIGGER \"SessionLog_NoUpdate\" BEFORE UPDATE ON \"SessionLog\" BEGIN SELECT RAISE(ABORT, 'SessionLog is append-only: UPDATE refused (ADR 0015)'); END;");
        Execute(connection, "CREATE TRIGGER \"SessionLog_NoDelete\" BEFORE DELETE ON \"SessionLog\" BEGIN SELECT RAISE(ABORT, 'SessionLog is append-only: DELETE refused (ADR 0015)'); END;");
    }

    private static void ExecuteAny(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
