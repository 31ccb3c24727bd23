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
/// The statements a ballot batch writes besides its counter update (ADR 0008, "Rows of a batch" and "Round trips of a
/// batch"), in the caller's transaction:
/// <list type="bullet">
/// <item>rows as one multi-row <c>INSERT … VALUES (…), (…)</c> per table, not <c>SaveChanges</c>' statement per row
/// with every entity tracked (50–100 ms of the vote's row lock for 60–90 ballots on two instances); keys the database
/// generates are left to it, nothing reads them back;</item>
/// <item>the options' new votes as one <c>UPDATE … CASE</c>;</item>
/// <item>on a server database, the statements joined into one command (one round trip) until the next would pass the
/// parameter limit; on SQLite, in the process, a command each (nothing to save, and Microsoft.Data.Sqlite binds every
/// parameter of a command to every statement in it: a joined batch of 150 ballots took 1.6 times as long,
/// <c>bench/BallotBench</c>).</item>
/// </list>
/// Tables, columns and parameters come from the EF model and its type mappings (the ones <c>SaveChanges</c> uses), so a
/// renamed column or a changed type cannot drift from the migrations.
/// </summary>
/// <param name="db">The batch's context, its transaction begun.</param>
/// <param name="maxParameters">The most parameters in one command.</param>
/// <param name="join">Whether to join statements into one command; by default everywhere but on SQLite.</param>
internal sealed class BatchStatements(DeliberationDbContext db, int maxParameters = BatchStatements.MaxParameters, bool? join = null) : IDisposable
{
    /// <summary>Parameters per command, below SQLite's 32,766 per statement and PostgreSQL's 65,535.</summary>
    internal const int MaxParameters = 30_000;

    private readonly bool _join = join ?? !db.Database.IsSqlite();
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
    private readonly List<(StringBuilder Text, List<DbParameter> Parameters)> _commands = [];
    private readonly DbCommand _factory = db.Database.GetDbConnection().CreateCommand();

    /// <summary>Round trips <see cref="ExecuteAsync"/> will make.</summary>
    public int Commands => _commands.Count;

    /// <summary>Adds the rows of <typeparamref name="T"/> as multi-row inserts (as many rows per statement as the parameter limit allows).</summary>
    public void Insert<T>(IReadOnlyList<T> rows)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (entity, table) = Table<T>();
        var columns = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        if (columns.Any(p => p.IsShadowProperty()))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has a shadow property: insert it with SaveChanges");
        }

        var head = $"INSERT INTO {_sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(p => _sql.DelimitIdentifier(p.GetColumnName(table)!)))}) VALUES ";
        var perStatement = Math.Max(1, maxParameters / columns.Count);
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var (text, parameters) = Statement(chunk.Length * columns.Count);
            text.Append(head);
            var first = true;
            foreach (var row in chunk)
            {
                text.Append(first ? "(" : ", (");
                first = false;
                foreach (var column in columns)
                {
                    // The mapping converts the value to the column's type (as SaveChanges does) and names the parameter.
                    text.Append(column == columns[0] ? string.Empty : ", ").Append(Parameter(parameters, column, column.GetGetter().GetClrValueUsingContainingEntity(row)));
                }

                text.Append(')');
            }
        }
    }

    /// <summary>
    /// Adds <c>UPDATE PollOptions SET Votes = Votes + CASE Index WHEN … END</c>: every option's new votes in one statement
    /// (they were one statement per distinct total).
    /// </summary>
    public void AddOptionVotes(int pollId, IReadOnlyDictionary<int, int> votesByIndex)
    {
        if (votesByIndex.Count == 0)
        {
            return;
        }

        var (entity, table) = Table<PollOption>();
        IProperty Property(string name) => entity.FindProperty(name)!;
        string Column(IProperty property) => _sql.DelimitIdentifier(property.GetColumnName(table)!);
        var votes = Property(nameof(PollOption.Votes));
        var index = Property(nameof(PollOption.Index));
        var poll = Property(nameof(PollOption.PollId));

        var (text, parameters) = Statement(1 + (2 * votesByIndex.Count));
        text.Append(CultureInfo.InvariantCulture, $"UPDATE {_sql.DelimitIdentifier(table.Name, table.Schema)} SET {Column(votes)} = {Column(votes)} + CASE {Column(index)}");
        var options = new List<string>(votesByIndex.Count);
        foreach (var (option, add) in votesByIndex)
        {
            options.Add(Parameter(parameters, index, option));
            text.Append(" WHEN ").Append(options[^1]).Append(" THEN ").Append(Parameter(parameters, votes, add));
        }

        text.Append(" ELSE 0 END WHERE ").Append(Column(poll)).Append(" = ").Append(Parameter(parameters, poll, pollId))
            .Append(" AND ").Append(Column(index)).Append(" IN (").AppendJoin(", ", options).Append(')');
    }

    /// <summary>Runs the statements, one command (one round trip) per group.</summary>
    public async Task ExecuteAsync(CancellationToken ct)
    {
        foreach (var (text, parameters) in _commands)
        {
            await db.Database.ExecuteSqlRawAsync(text.ToString(), parameters, ct);
        }

        _commands.Clear();
    }

    public void Dispose() => _factory.Dispose();

    private (IEntityType Entity, StoreObjectIdentifier Table) Table<T>()
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        return (entity, StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()));
    }

    /// <summary>Starts a statement of <paramref name="parameterCount"/> parameters: in the open command if it still fits, else in a new one.</summary>
    private (StringBuilder Text, List<DbParameter> Parameters) Statement(int parameterCount)
    {
        if (_join && _commands.Count > 0 && _commands[^1].Parameters.Count + parameterCount <= maxParameters)
        {
            var open = _commands[^1];
            open.Text.Append(";\n");
            return open;
        }

        var command = (new StringBuilder(), new List<DbParameter>(parameterCount));
        _commands.Add(command);
        return command;
    }

    private string Parameter(List<DbParameter> parameters, IProperty property, object? value)
    {
        var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(property.GetRelationalTypeMapping().CreateParameter(_factory, _sql.GenerateParameterName(name), value, property.IsNullable));
        return _sql.GenerateParameterNamePlaceholder(name);
    }
}
