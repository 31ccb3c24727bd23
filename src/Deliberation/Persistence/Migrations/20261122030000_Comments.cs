using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

/// <summary>Threaded comments on proposals and amendments, with moderation, and reports of comments (one per person).</summary>
[DbContext(typeof(DeliberationDbContext))]
[Migration("20261122030000_Comments")]
public sealed class Comments : SqlScriptMigration
{
    protected override string ScriptName => "20261122030000_Comments";
}
