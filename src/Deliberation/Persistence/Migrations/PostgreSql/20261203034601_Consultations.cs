using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Consultations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Consultations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SessionId = table.Column<int>(type: "integer", nullable: false),
                    BodyId = table.Column<int>(type: "integer", nullable: false),
                    TermId = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TopicMarkdown = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    IsImportant = table.Column<bool>(type: "boolean", nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: true),
                    Stage = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    Method = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Adopted = table.Column<bool>(type: "boolean", nullable: true),
                    DecisionMarkdown = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consultations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Consultations_Bodies_BodyId",
                        column: x => x.BodyId,
                        principalTable: "Bodies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Consultations_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationAssessments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsultationId = table.Column<int>(type: "integer", nullable: false),
                    Feasibility = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Legality = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Cost = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Risks = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Recommendation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    AssessorUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    AssessorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FiledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationAssessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationAssessments_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationBlocs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsultationId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationBlocs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationBlocs_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationBlocMembers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BlocId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    IsSpokesperson = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationBlocMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationBlocMembers_ConsultationBlocs_BlocId",
                        column: x => x.BlocId,
                        principalTable: "ConsultationBlocs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationDissents",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsultationId = table.Column<int>(type: "integer", nullable: false),
                    BlocId = table.Column<int>(type: "integer", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationDissents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationDissents_ConsultationBlocs_BlocId",
                        column: x => x.BlocId,
                        principalTable: "ConsultationBlocs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsultationDissents_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationPositions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BlocId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    AfterRound = table.Column<int>(type: "integer", nullable: false),
                    Stance = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Markdown = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    ByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    FiledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationPositions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationPositions_ConsultationBlocs_BlocId",
                        column: x => x.BlocId,
                        principalTable: "ConsultationBlocs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConsultationVotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConsultationId = table.Column<int>(type: "integer", nullable: false),
                    BlocId = table.Column<int>(type: "integer", nullable: false),
                    Choice = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CastByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CastByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CastAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultationVotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultationVotes_ConsultationBlocs_BlocId",
                        column: x => x.BlocId,
                        principalTable: "ConsultationBlocs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsultationVotes_Consultations_ConsultationId",
                        column: x => x.ConsultationId,
                        principalTable: "Consultations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationAssessments_ConsultationId",
                table: "ConsultationAssessments",
                column: "ConsultationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationBlocMembers_BlocId_UserId",
                table: "ConsultationBlocMembers",
                columns: new[] { "BlocId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationBlocMembers_OneSpokesperson",
                table: "ConsultationBlocMembers",
                column: "BlocId",
                unique: true,
                filter: "\"IsSpokesperson\" = TRUE");

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationBlocs_ConsultationId_Name",
                table: "ConsultationBlocs",
                columns: new[] { "ConsultationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationDissents_BlocId",
                table: "ConsultationDissents",
                column: "BlocId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationDissents_ConsultationId_BlocId",
                table: "ConsultationDissents",
                columns: new[] { "ConsultationId", "BlocId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationPositions_BlocId_Number",
                table: "ConsultationPositions",
                columns: new[] { "BlocId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_BodyId_Stage",
                table: "Consultations",
                columns: new[] { "BodyId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Consultations_SessionId",
                table: "Consultations",
                column: "SessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationVotes_BlocId",
                table: "ConsultationVotes",
                column: "BlocId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsultationVotes_ConsultationId_BlocId",
                table: "ConsultationVotes",
                columns: new[] { "ConsultationId", "BlocId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsultationAssessments");

            migrationBuilder.DropTable(
                name: "ConsultationBlocMembers");

            migrationBuilder.DropTable(
                name: "ConsultationDissents");

            migrationBuilder.DropTable(
                name: "ConsultationPositions");

            migrationBuilder.DropTable(
                name: "ConsultationVotes");

            migrationBuilder.DropTable(
                name: "ConsultationBlocs");

            migrationBuilder.DropTable(
                name: "Consultations");
        }
    }
}
