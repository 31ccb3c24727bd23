using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityDeliberation.Deliberation.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HearingCheckInAndPanelQuestions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AskedBy",
                table: "HearingSpeeches",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CheckedInAtUtc",
                table: "HearingRegistrations",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AskedBy",
                table: "HearingSpeeches");

            migrationBuilder.DropColumn(
                name: "CheckedInAtUtc",
                table: "HearingRegistrations");
        }
    }
}
