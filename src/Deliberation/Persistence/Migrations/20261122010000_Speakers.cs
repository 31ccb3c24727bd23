using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

/// <summary>The speakers' queue: table SpeakerRequests with one waiting request per person and item, one speaker per session.</summary>
[DbContext(typeof(DeliberationDbContext))]
[Migration("20261122010000_Speakers")]
public sealed class Speakers : SqlScriptMigration
{
    protected override string ScriptName => "20261122010000_Speakers";
}
