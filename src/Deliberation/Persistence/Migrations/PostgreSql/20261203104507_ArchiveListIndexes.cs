using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ArchiveListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ArchiveList",
                table: "Sessions",
                columns: new[] { "ScheduledAtUtc", "Id", "BodyId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Minutes_ArchiveList",
                table: "Minutes",
                columns: new[] { "SessionId", "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_ArchiveList",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Minutes_ArchiveList",
                table: "Minutes");
        }
    }
}
