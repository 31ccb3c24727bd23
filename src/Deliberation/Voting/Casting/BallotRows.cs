using System.Data.Common;
using System.Globalization;
using System.Text;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CommunityDeliberation.Deliberation.Voting.Casting;

/// <summary>
/// Inserts a batch's participations and ballots with one multi-row <c>INSERT … VALUES (…), (…)</c> per table (ADR 0008,
/// "Rows of a batch"), in the caller's transaction. <c>SaveChanges</c> sent one statement per row (with
/// <c>RETURNING "Id"</c> on PostgreSQL) and tracked every entity: for a batch of 60–90 ballots on two instances that was
/// 50–100 ms of the vote's row lock. The columns, their names and their parameters come from the EF model (the same type
/// mappings <c>SaveChanges</c> uses), so a renamed column or a changed type cannot drift from the migrations. Keys the
/// database generates are left to it; nothing reads them back.
/// </summary>
internal static class BallotRows
{
    /// <summary>Parameters per statement, below SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    internal const int MaxParameters = 30_000;

    public static async Task InsertAsync<T>(DeliberationDbContext db, IReadOnlyList<T> rows, CancellationToken ct, int maxParameters = MaxParameters)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        if (columns.Any(p => p.IsShadowProperty()))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has a shadow property: insert it with SaveChanges");
        }

        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) VALUES ";
        using var factory = db.Database.GetDbConnection().CreateCommand();
        var perStatement = Math.Max(1, maxParameters / columns.Count);
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var text = new StringBuilder(head);
            var parameters = new List<DbParameter>(chunk.Length * columns.Count);
            foreach (var row in chunk)
            {
                text.Append(parameters.Count == 0 ? "(" : ", (");
                foreach (var column in columns)
                {
                    // The mapping converts the value to the column's type (as SaveChanges does) and names the parameter.
                    var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                    var value = column.GetGetter().GetClrValueUsingContainingEntity(row);
                    parameters.Add(column.GetRelationalTypeMapping().CreateParameter(factory, sql.GenerateParameterName(name), value, column.IsNullable));
                    text.Append(column == columns[0] ? string.Empty : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                }

                text.Append(')');
            }

            await db.Database.ExecuteSqlRawAsync(text.ToString(), parameters, ct);
        }
    }
}
