using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

/// <summary>Seats can be ended instead of deleted: when and why (BodyAdminService.EndSeatAsync).</summary>
[DbContext(typeof(DeliberationDbContext))]
[Migration("20261122020000_BodyAdmin")]
public sealed class BodyAdmin : SqlScriptMigration
{
    protected override string ScriptName => "20261122020000_BodyAdmin";
}
