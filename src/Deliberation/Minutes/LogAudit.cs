using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>The first thing found wrong: in which session, at which entry (null: the session as a whole), and what.</summary>
public sealed record LogProblem(int SessionId, int? Sequence, string What)
{
    public override string ToString() => Sequence is { } n ? $"session {SessionId}, entry {n}: {What}" : $"session {SessionId}: {What}";
}

/// <summary>What <see cref="LogAudit.RunAsync"/> checked, and the first problem (null when everything holds).</summary>
public sealed record LogAuditResult(int Sessions, int Entries, int PublishedHeads, LogProblem? FirstProblem)
{
    public bool IsIntact => FirstProblem is null;
}

/// <summary>
/// Checks the whole database (ADR 0015, <c>verify-log</c>): every session's chain against the stored hashes and the
/// signatures, and every published minutes version's chain head (entries, hash, signature) against the log.
/// </summary>
public sealed partial class LogAudit(IDbContextFactory<DeliberationDbContext> dbFactory, SessionLogSigner signer)
{
    /// <summary>
    /// <c>verify-log</c>'s work and words: prints the first problem (session, entry, what is wrong) to
    /// <paramref name="error"/> and returns 1, or a summary to <paramref name="output"/> and returns 0.
    /// </summary>
    public async Task<int> ReportAsync(TextWriter output, TextWriter error, IReadOnlyCollection<int>? sessions = null, CancellationToken ct = default)
    {
        var result = await RunAsync(sessions, ct);
        if (result.FirstProblem is { } problem)
        {
            await error.WriteLineAsync($"verify-log: FAILED at {problem}");
            await error.WriteLineAsync($"verify-log: checked {result.Sessions} sessions up to there ({result.Entries} entries; {result.PublishedHeads} published chain heads in the database).");
            return 1;
        }

        await output.WriteLineAsync(
            $"verify-log: OK: {result.Sessions} sessions, {result.Entries} entries: every hash, link and signature checks (keys {string.Join(", ", signer.PublicKeys.Select(k => k.KeyId))}); " +
            $"{result.PublishedHeads} published chain heads are reached.");
        return 0;
    }

    /// <summary>Checks every session (or only <paramref name="sessionIds"/>) in id order and stops at the first problem.</summary>
    public async Task<LogAuditResult> RunAsync(IReadOnlyCollection<int>? sessionIds = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var heads = await (from v in db.MinutesVersions.AsNoTracking()
                           join m in db.Minutes on v.MinutesId equals m.Id
                           where v.PublishedAtUtc != null
                           select new { m.SessionId, v.Number, v.LogEntries, v.LogHash, v.LogKeyId, v.LogSignature, v.Markdown })
            .ToListAsync(ct);
        var headsBySession = heads.ToLookup(h => h.SessionId);
        var logged = await db.SessionLog.AsNoTracking().Select(e => e.SessionId).Distinct().ToListAsync(ct);
        var sessions = logged.Concat(heads.Select(h => h.SessionId)).Distinct().Where(id => sessionIds is null || sessionIds.Contains(id)).Order().ToList();
        var checkedHeads = heads.Count(h => sessions.Contains(h.SessionId));

        var entries = 0;
        foreach (var sessionId in sessions)
        {
            var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
            entries += log.Count;
            var chain = SessionLogChain.Verify(log, signer);
            if (!chain.IsValid)
            {
                return new LogAuditResult(sessions.Count, entries, checkedHeads, new LogProblem(sessionId, chain.BrokenAtSequence, chain.Problem!));
            }

            foreach (var head in headsBySession[sessionId].OrderBy(h => h.Number))
            {
                var stored = new LogHead(head.LogEntries, head.LogHash, head.LogKeyId, head.LogSignature);
                var problem = CheckHead(stored, log, signer);
                if (problem is null && HeadInText(head.Markdown) is { } inText && inText != stored)
                {
                    // The head written into the published text (what residents keep) must be the head stored with it.
                    problem = $"the chain head in the published text (entry {inText.Entries}) differs from the one stored with it";
                }

                if (problem is not null)
                {
                    return new LogAuditResult(sessions.Count, entries, checkedHeads,
                        new LogProblem(sessionId, head.LogEntries == 0 ? null : head.LogEntries, $"minutes version {head.Number}: {problem}"));
                }
            }
        }

        return new LogAuditResult(sessions.Count, entries, checkedHeads, null);
    }

    /// <summary>
    /// The chain head written at the end of generated minutes (<see cref="MinutesGenerator"/>): entries, hash and, when
    /// signed, key id and signature. Null when the text has no such line (a secretary may have edited it out).
    /// </summary>
    public static LogHead? HeadInText(string markdown)
    {
        var head = HeadLine().Match(markdown);
        if (!head.Success)
        {
            return null;
        }

        var signature = SignatureLine().Match(markdown, head.Index);
        return new LogHead(
            int.Parse(head.Groups["entries"].Value, System.Globalization.CultureInfo.InvariantCulture), head.Groups["hash"].Value,
            signature.Success ? signature.Groups["key"].Value : null, signature.Success ? signature.Groups["signature"].Value : null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("依据会议日志共 (?<entries>[0-9]+) 条,日志末条哈希\\(SHA-256\\):`(?<hash>[0-9a-f]{64})`", System.Text.RegularExpressions.RegexOptions.RightToLeft)]
    private static partial System.Text.RegularExpressions.Regex HeadLine();

    [System.Text.RegularExpressions.GeneratedRegex("日志末条签名\\(ECDSA P-256,密钥 `(?<key>[0-9a-f]{16})`\\):`(?<signature>[A-Za-z0-9+/=]+)`")]
    private static partial System.Text.RegularExpressions.Regex SignatureLine();

    /// <summary>
    /// Whether a published chain head is still reached by the log: the entry it names exists with that hash, and the
    /// head's signature checks. Null when it holds, otherwise what is wrong. A head published before signing began
    /// carries no signature; it is then held to the hash alone.
    /// </summary>
    public static string? CheckHead(LogHead head, IReadOnlyList<SessionLogEntry> log, SessionLogSigner signer)
    {
        if (head.Entries == 0)
        {
            return head.Hash == SessionLogEntry.Genesis ? null : "an empty log's head must be the genesis hash";
        }

        var entry = log.FirstOrDefault(e => e.Sequence == head.Entries);
        if (entry is null)
        {
            return $"the published head (entry {head.Entries}) is no longer in the log, which has {log.Count} entries";
        }

        if (entry.Hash != head.Hash)
        {
            return "the log's entry differs from the published head (hash)";
        }

        if (head.Signature is null)
        {
            return null;
        }

        return signer.Check(head.Hash, head.KeyId, head.Signature) switch
        {
            SignatureStatus.Valid => null,
            SignatureStatus.UnknownKey => $"the published head is signed by an unknown key ({head.KeyId})",
            _ => "the published head's signature does not verify",
        };
    }
}
