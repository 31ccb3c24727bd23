using System.Data.Common;
using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Archive;

/// <summary>The PostgreSQL half of <see cref="ArchiveSearch"/>: the search over the character-gram index (ADR 0021).</summary>
public sealed partial class ArchiveSearch
{
    /// <summary>
    /// PostgreSQL (ADR 0021): the candidates come from the GIN index of character grams in <c>MinutesSearch</c> alone,
    /// ordered without reading any text — first by how many terms the title holds, then newest session first. A term of up
    /// to three characters is an exact gram, so such queries are answered from the index with their exact total. A longer
    /// term's trigrams give a superset that is checked against title + text (case-insensitively when the term has case):
    /// all candidates in one statement when there are at most <see cref="CheckAllInOneStatementUpTo"/> (exact total), otherwise
    /// in order only until the page is full (no total; <see cref="ArchiveSearchResult.HasMore"/> tells whether another page follows).
    /// </summary>
    private async Task<ArchiveSearchResult> GramSearchAsync(DeliberationDbContext db, string text, IReadOnlyList<string> terms, int page, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var grams = terms.SelectMany(MinutesSearchIndex.TermGrams).Distinct(StringComparer.Ordinal).ToArray();
        var toCheck = terms.Where(t => RuneLength(t) > MinutesSearchIndex.MaxGram).ToList();
        var titleHits = string.Join(" + ", terms.Select((_, i) => $"(strpos(lower(title), lower(@t{i})) > 0)::int"));
        var skip = (page - 1) * PageSize;
        if (toCheck.Count > 0 && await CountGramsAsync(connection, grams, ct) <= CheckAllInOneStatementUpTo)
        {
            return await CheckedInOneStatementAsync(db, connection, text, terms, grams, toCheck, titleHits, page, ct);
        }

        var sql = $"""
            SELECT version_id, count(*) OVER ()
            FROM "MinutesSearch" WHERE grams @> @grams
            ORDER BY {titleHits} DESC, scheduled_at_utc DESC, session_id DESC
            {(toCheck.Count == 0 ? "LIMIT @take OFFSET @skip" : string.Empty)}
            """;
        var candidates = new List<int>();
        var total = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            AddParameter(command, "@grams", grams);
            for (var i = 0; i < terms.Count; i++)
            {
                AddParameter(command, $"@t{i}", terms[i]);
            }

            if (toCheck.Count == 0)
            {
                AddParameter(command, "@take", PageSize);
                AddParameter(command, "@skip", skip);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                candidates.Add(reader.GetInt32(0));
                total = Convert.ToInt32(reader.GetInt64(1), CultureInfo.InvariantCulture);
            }
        }

        List<int> rows;
        int? knownTotal;
        bool hasMore;
        if (toCheck.Count == 0)
        {
            if (candidates.Count == 0 && skip > 0)
            {
                // Past the last page: the window count came with no row; ask for it alone.
                total = await CountGramsAsync(connection, grams, ct);
            }

            rows = candidates;
            knownTotal = total;
            hasMore = skip + PageSize < total;
        }
        else
        {
            // Checked in order, in growing batches, until the page and one more hit are found.
            var matching = new List<int>();
            var next = 0;
            var batch = PageSize * 4;
            while (matching.Count <= skip + PageSize && next < candidates.Count)
            {
                var chunk = candidates.Skip(next).Take(batch).ToList();
                var found = await ContainingAllAsync(connection, chunk, toCheck, ct);
                matching.AddRange(chunk.Where(found.Contains));
                next += chunk.Count;
                batch = Math.Min(batch * 2, 2_000);
            }

            rows = matching.Skip(skip).Take(PageSize).ToList();
            hasMore = matching.Count > skip + PageSize;
            knownTotal = next >= candidates.Count ? matching.Count : null;
        }

        return await ResultAsync(db, text, terms, rows, page, knownTotal, hasMore, usedFullText: true, ct);
    }

    /// <summary>
    /// A query with a term longer than three characters and at most <see cref="CheckAllInOneStatementUpTo"/> candidates:
    /// the gram filter, the check of every candidate's title and text, the order, the exact total (a window count) and the
    /// page in one statement, so the candidates' ids never travel to the app and back (ADR 0021, 2026-12-03: 4,995
    /// candidates checked in about 35–40 ms on an idle machine).
    /// </summary>
    private async Task<ArchiveSearchResult> CheckedInOneStatementAsync(
        DeliberationDbContext db, DbConnection connection, string text, IReadOnlyList<string> terms, string[] grams, List<string> toCheck, string titleHits, int page, CancellationToken ct)
    {
        var skip = (page - 1) * PageSize;
        var rows = new List<int>();
        var total = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT s.version_id, count(*) OVER ()
                FROM "MinutesSearch" AS s JOIN "MinutesVersions" AS v ON v."Id" = s.version_id
                WHERE s.grams @> @grams AND {CheckConditions(toCheck)}
                ORDER BY {titleHits} DESC, s.scheduled_at_utc DESC, s.session_id DESC
                LIMIT @take OFFSET @skip
                """;
            AddParameter(command, "@grams", grams);
            for (var i = 0; i < terms.Count; i++)
            {
                AddParameter(command, $"@t{i}", terms[i]);
            }

            for (var i = 0; i < toCheck.Count; i++)
            {
                AddParameter(command, $"@c{i}", toCheck[i]);
            }

            AddParameter(command, "@take", PageSize);
            AddParameter(command, "@skip", skip);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(reader.GetInt32(0));
                total = Convert.ToInt32(reader.GetInt64(1), CultureInfo.InvariantCulture);
            }
        }

        if (rows.Count == 0 && skip > 0)
        {
            // Past the last page: the window count came with no row; count the hits alone.
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT count(*) FROM "MinutesSearch" AS s JOIN "MinutesVersions" AS v ON v."Id" = s.version_id
                WHERE s.grams @> @grams AND {CheckConditions(toCheck)}
                """;
            AddParameter(command, "@grams", grams);
            for (var i = 0; i < toCheck.Count; i++)
            {
                AddParameter(command, $"@c{i}", toCheck[i]);
            }

            total = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        return await ResultAsync(db, text, terms, rows, page, total, skip + PageSize < total, usedFullText: true, ct);
    }

    /// <summary>
    /// Up to this many candidates (from the gram index's count) a query with a term longer than three characters is checked
    /// whole in one statement with its exact total; beyond, the check in batches stops after the page ("more"), since checking
    /// every text costs about 8 ms per thousand candidates idle and the search target is 100 ms (ADR 0021, 2026-12-03).
    /// </summary>
    public const int CheckAllInOneStatementUpTo = 5_000;

    private static async Task<int> CountGramsAsync(DbConnection connection, string[] grams, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM \"MinutesSearch\" WHERE grams @> @grams";
        AddParameter(command, "@grams", grams);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Which of the versions hold every term in their title or text (the short title first, so the text is only read
    /// when the title lacks the term). Terms without case (Chinese) are plain <c>strpos</c>; terms with case are compared
    /// lower-cased, ASCII-only terms under <c>COLLATE "C"</c> (whose lower-casing is ASCII-only and far cheaper than the
    /// locale's over a whole text, with the same result for an ASCII term).
    /// </summary>
    private static async Task<HashSet<int>> ContainingAllAsync(DbConnection connection, List<int> versionIds, List<string> terms, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT s.version_id FROM "MinutesSearch" AS s JOIN "MinutesVersions" AS v ON v."Id" = s.version_id
            WHERE s.version_id = ANY (@ids) AND {CheckConditions(terms)}
            """;
        AddParameter(command, "@ids", versionIds.ToArray());
        for (var i = 0; i < terms.Count; i++)
        {
            AddParameter(command, $"@c{i}", terms[i]);
        }

        var found = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(reader.GetInt32(0));
        }

        return found;
    }

    /// <summary>Every term in <c>s.title</c> or <c>v."Markdown"</c>, the term <c>i</c> being the parameter <c>@c{i}</c>.</summary>
    private static string CheckConditions(IEnumerable<string> terms) =>
        string.Join(" AND ", terms.Select((t, i) =>
        {
            var collate = Ascii.IsValid(t) ? " COLLATE \"C\"" : string.Empty;
            return HasCase(t)
                ? $"(strpos(lower(s.title{collate}), lower(@c{i}{collate})) > 0 OR strpos(lower(v.\"Markdown\"{collate}), lower(@c{i}{collate})) > 0)"
                : $"(strpos(s.title, @c{i}) > 0 OR strpos(v.\"Markdown\", @c{i}) > 0)";
        }));

    private static bool HasCase(string term) =>
        !string.Equals(term.ToLowerInvariant(), term, StringComparison.Ordinal) || !string.Equals(term.ToUpperInvariant(), term, StringComparison.Ordinal);
}
