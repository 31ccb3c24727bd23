using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TamperEvidentLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "SessionLog",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Signature",
                table: "SessionLog",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogKeyId",
                table: "MinutesVersions",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogSignature",
                table: "MinutesVersions",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            // ADR 0015: the session log is append-only in the database itself. (A later migration that rebuilds the
            // SessionLog table drops these with it and must create them again; AppendOnlyLogTests fails if it does not.)
            migrationBuilder.Sql("""
                CREATE TRIGGER "SessionLog_NoUpdate" BEFORE UPDATE ON "SessionLog"
                BEGIN SELECT RAISE(ABORT, 'SessionLog is append-only: UPDATE refused (ADR 0015)'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SessionLog_NoDelete" BEFORE DELETE ON "SessionLog"
                BEGIN SELECT RAISE(ABORT, 'SessionLog is append-only: DELETE refused (ADR 0015)'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "SessionLog_NoDelete";""");
            migrationBuilder.Sql("""DROP TRIGGER "SessionLog_NoUpdate";""");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "SessionLog");

            migrationBuilder.DropColumn(
                name: "Signature",
                table: "SessionLog");

            migrationBuilder.DropColumn(
                name: "LogKeyId",
                table: "MinutesVersions");

            migrationBuilder.DropColumn(
                name: "LogSignature",
                table: "MinutesVersions");
        }
    }
}
