using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// EF Core's SQLite migrations SQL with one addition it has no model setting for: the <c>Ballots</c> table is
/// <c>WITHOUT ROWID</c>, so ballots are stored in random-id order rather than casting order and a secret ballot cannot be
/// matched to a participation (ADR 0005). It applies to every CREATE TABLE of it: the baseline migration, a later table
/// rebuild (which EF writes as <c>ef_temp_Ballots</c> and renames) and <c>EnsureCreated</c>.
/// </summary>
public sealed class DeliberationSqliteMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, IRelationalAnnotationProvider annotations)
    : SqliteMigrationsSqlGenerator(dependencies, annotations)
{
    public static readonly IReadOnlySet<string> WithoutRowIdTables = new HashSet<string>(StringComparer.Ordinal) { "Ballots" };

    protected override void Generate(CreateTableOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        var name = operation.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) ? operation.Name[TemporaryPrefix.Length..] : operation.Name;
        if (!WithoutRowIdTables.Contains(name))
        {
            base.Generate(operation, model, builder, terminate);
            return;
        }

        base.Generate(operation, model, builder, terminate: false);
        builder.Append(" WITHOUT ROWID");
        if (terminate)
        {
            builder.AppendLine(Dependencies.SqlGenerationHelper.StatementTerminator);
            EndStatement(builder);
        }
    }

    /// <summary>The name EF gives the new table while it rebuilds one (SQLite cannot alter most of a table in place).</summary>
    private const string TemporaryPrefix = "ef_temp_";
}
