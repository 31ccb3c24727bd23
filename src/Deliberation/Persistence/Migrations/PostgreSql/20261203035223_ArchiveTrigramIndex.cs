using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ArchiveTrigramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ADR 0021: archive search on PostgreSQL matches terms as case-insensitive substrings (ILIKE), which a GIN
            // index of the text's trigrams answers, Chinese included (pg_trgm hashes every character, not only ASCII).
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX \"IX_MinutesVersions_Markdown_Trigram\" ON \"MinutesVersions\" USING gin (\"Markdown\" gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_MinutesVersions_Markdown_Trigram\";");
        }
    }
}
