using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// Writes the CREATE script of the current model for a provider: the source of a new migration script (ADR 0003).
/// Run: <c>dotnet run --project src/App -- schema-script sqlite|postgresql</c>.
/// </summary>
public static class SchemaScript
{
    public static string Generate(DatabaseProvider provider)
    {
        var settings = provider == DatabaseProvider.Sqlite
            ? new DatabaseSettings { Provider = provider, SqlitePath = ":memory:" }
            : new DatabaseSettings { Provider = provider, ConnectionString = "Host=localhost;Database=schema" };
        var options = new DbContextOptionsBuilder<DeliberationDbContext>();
        PersistenceSetup.Configure(options, settings);
        using var db = new DeliberationDbContext(options.Options);
        return db.Database.GenerateCreateScript();
    }
}
