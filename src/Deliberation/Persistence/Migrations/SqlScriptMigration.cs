using Microsoft.EntityFrameworkCore.Migrations;

namespace CommunityDeliberation.Deliberation.Persistence.Migrations;

/// <summary>
/// A migration whose body is a SQL script per provider, embedded next to this file as
/// <c>Scripts/{MigrationId}.{provider}.sql</c> (provider: sqlite or postgresql). See ADR 0003.
/// </summary>
public abstract class SqlScriptMigration : Migration
{
    protected abstract string ScriptName { get; }

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var provider = migrationBuilder.ActiveProvider switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => "sqlite",
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "postgresql",
            var other => throw new InvalidOperationException($"No migration script for provider {other}"),
        };
        migrationBuilder.Sql(Load($"{ScriptName}.{provider}.sql"));
    }

    public static string Load(string fileName)
    {
        var assembly = typeof(SqlScriptMigration).Assembly;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Migration script {fileName} is not embedded");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
