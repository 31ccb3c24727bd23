using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.PostgreSql
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Signature",
                table: "SessionLog",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogKeyId",
                table: "MinutesVersions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogSignature",
                table: "MinutesVersions",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            // ADR 0015: the session log is append-only in the database itself; TRUNCATE is refused as well.
            migrationBuilder.Sql("""
                CREATE FUNCTION session_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'SessionLog is append-only: % refused (ADR 0015)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SessionLog_AppendOnly" BEFORE UPDATE OR DELETE ON "SessionLog"
                FOR EACH ROW EXECUTE FUNCTION session_log_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SessionLog_NoTruncate" BEFORE TRUNCATE ON "SessionLog"
                FOR EACH STATEMENT EXECUTE FUNCTION session_log_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "SessionLog_NoTruncate" ON "SessionLog";""");
            migrationBuilder.Sql("""DROP TRIGGER "SessionLog_AppendOnly" ON "SessionLog";""");
            migrationBuilder.Sql("DROP FUNCTION session_log_append_only();");

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
