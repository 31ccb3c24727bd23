using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountsAndAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DisabledAtUtc",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action_AtUtc",
                table: "AuditEntries",
                columns: new[] { "Action", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_AtUtc",
                table: "AuditEntries",
                column: "AtUtc");

            // The audit log is append-only: the database itself refuses to change or delete an entry.
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_NoUpdate\" BEFORE UPDATE ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_NoDelete\" BEFORE DELETE ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEntries_NoUpdate\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEntries_NoDelete\";");
            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "DisabledAtUtc",
                table: "AspNetUsers");
        }
    }
}
