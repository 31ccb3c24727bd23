using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

/// <summary>Proposals with versions, co-sponsors and state history; amendments; residents' topics; the co-sponsor threshold.</summary>
[DbContext(typeof(DeliberationDbContext))]
[Migration("20261122000000_Proposals")]
public sealed class Proposals : SqlScriptMigration
{
    protected override string ScriptName => "20261122000000_Proposals";
}
