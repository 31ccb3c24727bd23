using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ArchiveSearchGrams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ADR 0021, "Search fast": PostgreSQL's counterpart of SQLite's MinutesSearch tables. One row per minutes (its
            // latest published version), written by MinutesSearchIndex.IndexAsync in the publication's unit of work: the
            // session's title and date (the sort keys, without a join) and the distinct lower-case character 1-, 2- and
            // 3-grams of title + text (none containing white space), under a GIN index. A term of up to three characters is
            // then one exact index lookup (also the 1–2-character Chinese terms pg_trgm cannot serve); a longer term's
            // trigrams give a small superset that is checked against the text.
            migrationBuilder.Sql("""
                CREATE TABLE "MinutesSearch" (
                    version_id integer PRIMARY KEY REFERENCES "MinutesVersions" ("Id") ON DELETE CASCADE,
                    minutes_id integer NOT NULL UNIQUE REFERENCES "Minutes" ("Id") ON DELETE CASCADE,
                    session_id integer NOT NULL,
                    scheduled_at_utc timestamp with time zone NOT NULL,
                    title text NOT NULL,
                    grams text[] NOT NULL);
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_MinutesSearch_Grams" ON "MinutesSearch" USING gin (grams);""");
            migrationBuilder.Sql("""CREATE INDEX "IX_MinutesSearch_Newest" ON "MinutesSearch" (scheduled_at_utc DESC, session_id DESC);""");

            // Minutes published before this migration: the same grams computed in SQL (MinutesSearchIndex.Grams computes
            // them in .NET for every later publication), then the helper is dropped so that only one definition stays.
            migrationBuilder.Sql("""
                CREATE FUNCTION pg_temp.archive_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS $$
                    SELECT coalesce(array_agg(DISTINCT g), '{}')
                    FROM (SELECT c, lead(c) OVER w AS c2, lead(c, 2) OVER w AS c3
                          FROM unnest(string_to_array(lower(t), NULL)) WITH ORDINALITY AS u(c, i) WINDOW w AS (ORDER BY i)) AS x,
                         LATERAL (VALUES (c), (c || c2), (c || c2 || c3)) AS y(g)
                    WHERE g IS NOT NULL AND g !~ '\s'
                $$;
                """);
            // In 50 statements (by version id), so that no single command of a large archive runs into the command timeout
            // (about 3–13 ms per minutes, measured on the 10,000-minutes benchmark database).
            for (var part = 0; part < 50; part++)
            {
                migrationBuilder.Sql($"""
                    INSERT INTO "MinutesSearch" (version_id, minutes_id, session_id, scheduled_at_utc, title, grams)
                    SELECT v."Id", v."MinutesId", s."Id", s."ScheduledAtUtc", s."Title", pg_temp.archive_grams(s."Title" || E'\n' || v."Markdown")
                    FROM "MinutesVersions" AS v
                    JOIN "Minutes" AS m ON m."Id" = v."MinutesId"
                    JOIN "Sessions" AS s ON s."Id" = m."SessionId"
                    WHERE v."Id" % 50 = {part} AND v."PublishedAtUtc" IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM "MinutesVersions" AS w WHERE w."MinutesId" = v."MinutesId" AND w."Number" > v."Number" AND w."PublishedAtUtc" IS NOT NULL);
                    """);
            }

            migrationBuilder.Sql("DROP FUNCTION pg_temp.archive_grams(text);");

            // Nothing searches through the trigram index any more (it made every publication's write larger for nothing).
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_MinutesVersions_Markdown_Trigram";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE "MinutesSearch";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_MinutesVersions_Markdown_Trigram" ON "MinutesVersions" USING gin ("Markdown" gin_trgm_ops);""");
        }
    }
}
