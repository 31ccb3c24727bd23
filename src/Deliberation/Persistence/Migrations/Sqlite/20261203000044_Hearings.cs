using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hearings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Hearings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    BodyId = table.Column<int>(type: "INTEGER", nullable: false),
                    TermId = table.Column<int>(type: "INTEGER", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Background = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartsAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RegistrationDeadlineUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    TestimonyLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    SpeakingSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NoticePublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReportPublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReportMarkdown = table.Column<string>(type: "TEXT", nullable: true),
                    FeedbackMarkdown = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    FeedbackPublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CurrentSpeechId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Hearings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Hearings_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingDraws",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Seed = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Candidates = table.Column<string>(type: "TEXT", nullable: false),
                    Order = table.Column<string>(type: "TEXT", nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false),
                    DrawnByUserId = table.Column<string>(type: "TEXT", nullable: true),
                    DrawnAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingDraws", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingDraws_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingIssues",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SpeechIds = table.Column<string>(type: "TEXT", nullable: false),
                    CommentIds = table.Column<string>(type: "TEXT", nullable: false),
                    Response = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingIssues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingIssues_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingRegistrations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Affiliation = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    IdentityKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Position = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Testimony = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    TrackingCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    WaitingPlace = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingRegistrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingRegistrations_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingSeats",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingSeats", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingSeats_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingComments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false),
                    RegistrationId = table.Column<int>(type: "INTEGER", nullable: true),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Position = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HiddenReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingComments_HearingRegistrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "HearingRegistrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HearingComments_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HearingSpeeches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HearingId = table.Column<int>(type: "INTEGER", nullable: false),
                    RegistrationId = table.Column<int>(type: "INTEGER", nullable: false),
                    SpeakerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Position = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AllowedSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    WasSkipped = table.Column<bool>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HearingSpeeches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HearingSpeeches_HearingRegistrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "HearingRegistrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HearingSpeeches_Hearings_HearingId",
                        column: x => x.HearingId,
                        principalTable: "Hearings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HearingComments_HearingId_CreatedAtUtc",
                table: "HearingComments",
                columns: new[] { "HearingId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HearingComments_RegistrationId",
                table: "HearingComments",
                column: "RegistrationId");

            migrationBuilder.CreateIndex(
                name: "IX_HearingDraws_HearingId_Category",
                table: "HearingDraws",
                columns: new[] { "HearingId", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_HearingIssues_HearingId_Number",
                table: "HearingIssues",
                columns: new[] { "HearingId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HearingRegistrations_HearingId_Category_Status",
                table: "HearingRegistrations",
                columns: new[] { "HearingId", "Category", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_HearingRegistrations_SourceKey_CreatedAtUtc",
                table: "HearingRegistrations",
                columns: new[] { "SourceKey", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HearingRegistrations_TrackingCode",
                table: "HearingRegistrations",
                column: "TrackingCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "UX_HearingRegistrations_Person",
                table: "HearingRegistrations",
                columns: new[] { "HearingId", "IdentityKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hearings_SessionId",
                table: "Hearings",
                column: "SessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hearings_Stage",
                table: "Hearings",
                column: "Stage");

            migrationBuilder.CreateIndex(
                name: "IX_HearingSeats_HearingId_Category",
                table: "HearingSeats",
                columns: new[] { "HearingId", "Category" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HearingSpeeches_HearingId_StartedAtUtc",
                table: "HearingSpeeches",
                columns: new[] { "HearingId", "StartedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HearingSpeeches_RegistrationId",
                table: "HearingSpeeches",
                column: "RegistrationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HearingComments");

            migrationBuilder.DropTable(
                name: "HearingDraws");

            migrationBuilder.DropTable(
                name: "HearingIssues");

            migrationBuilder.DropTable(
                name: "HearingSeats");

            migrationBuilder.DropTable(
                name: "HearingSpeeches");

            migrationBuilder.DropTable(
                name: "HearingRegistrations");

            migrationBuilder.DropTable(
                name: "Hearings");
        }
    }
}
