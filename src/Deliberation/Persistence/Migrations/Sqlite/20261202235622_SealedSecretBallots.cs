using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SealedSecretBallots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CountedReceipts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PollId = table.Column<int>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CountedReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CountedReceipts_Polls_PollId",
                        column: x => x.PollId,
                        principalTable: "Polls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SealedBallots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PollId = table.Column<int>(type: "INTEGER", nullable: false),
                    Envelope = table.Column<byte[]>(type: "BLOB", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealedBallots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SealedBallots_Polls_PollId",
                        column: x => x.PollId,
                        principalTable: "Polls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CountedReceipts_PollId_Code",
                table: "CountedReceipts",
                columns: new[] { "PollId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SealedBallots_PollId",
                table: "SealedBallots",
                column: "PollId");

            // The receipts of secret votes already counted move to their own table, apart from the choices (ADR 0016).
            migrationBuilder.Sql("""
                INSERT INTO "CountedReceipts" ("PollId", "Code")
                SELECT "PollId", "ReceiptCode" FROM "Ballots" WHERE "ReceiptCode" IS NOT NULL ORDER BY "PollId", "ReceiptCode";
                """);

            migrationBuilder.DropIndex(
                name: "IX_Ballots_PollId_ReceiptCode",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "ReceiptCode",
                table: "Ballots");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CountedReceipts");

            migrationBuilder.DropTable(
                name: "SealedBallots");

            migrationBuilder.AddColumn<string>(
                name: "ReceiptCode",
                table: "Ballots",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Ballots_PollId_ReceiptCode",
                table: "Ballots",
                columns: new[] { "PollId", "ReceiptCode" },
                unique: true);
        }
    }
}
