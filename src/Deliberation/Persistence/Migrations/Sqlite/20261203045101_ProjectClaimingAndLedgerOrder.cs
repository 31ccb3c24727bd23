using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProjectClaimingAndLedgerOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsClosedOut",
                table: "LedgerItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Items closed out before this column existed.
            migrationBuilder.Sql("UPDATE \"LedgerItems\" SET \"IsClosedOut\" = (\"Status\" = 'ClosedOut');");

            migrationBuilder.CreateTable(
                name: "ServiceProjects",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BodyId = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UnitsNeeded = table.Column<int>(type: "INTEGER", nullable: false),
                    PlacesHeld = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfirmedUnits = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    FinishReport = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LedgerItemId = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceProjects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceProjects_Bodies_BodyId",
                        column: x => x.BodyId,
                        principalTable: "Bodies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceProjects_LedgerItems_LedgerItemId",
                        column: x => x.LedgerItemId,
                        principalTable: "LedgerItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ProjectClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RequestedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProjectClaims_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProjectClaims_ServiceProjects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "ServiceProjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProjectReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProjectReports_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProjectReports_ServiceProjects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "ServiceProjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerItems_IsClosedOut_DueOn_Id",
                table: "LedgerItems",
                columns: new[] { "IsClosedOut", "DueOn", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerItems_Status_DueOn",
                table: "LedgerItems",
                columns: new[] { "Status", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectClaims_OrganisationId_Status",
                table: "ProjectClaims",
                columns: new[] { "OrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectClaims_ProjectId_OrganisationId",
                table: "ProjectClaims",
                columns: new[] { "ProjectId", "OrganisationId" },
                unique: true,
                filter: "\"Status\" IN ('Requested', 'Confirmed')");

            migrationBuilder.CreateIndex(
                name: "IX_ProjectReports_OrganisationId",
                table: "ProjectReports",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ProjectReports_ProjectId_AtUtc",
                table: "ProjectReports",
                columns: new[] { "ProjectId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceProjects_BodyId_Category_Id",
                table: "ServiceProjects",
                columns: new[] { "BodyId", "Category", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceProjects_LedgerItemId",
                table: "ServiceProjects",
                column: "LedgerItemId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProjectClaims");

            migrationBuilder.DropTable(
                name: "ProjectReports");

            migrationBuilder.DropTable(
                name: "ServiceProjects");

            migrationBuilder.DropIndex(
                name: "IX_LedgerItems_IsClosedOut_DueOn_Id",
                table: "LedgerItems");

            migrationBuilder.DropIndex(
                name: "IX_LedgerItems_Status_DueOn",
                table: "LedgerItems");

            migrationBuilder.DropColumn(
                name: "IsClosedOut",
                table: "LedgerItems");
        }
    }
}
