using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

[DbContext(typeof(DeliberationDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : SqlScriptMigration
{
    protected override string ScriptName => "20261121000000_Initial";
}
