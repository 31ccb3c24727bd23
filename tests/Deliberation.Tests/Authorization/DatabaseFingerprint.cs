using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Tests.Support;
using Npgsql;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>
/// Every row of every table of the test's database (SQLite file or PostgreSQL database), hashed table by table: two fingerprints are equal only when
/// nothing was stored, changed or deleted in between. Only EF's migration history is left out. Read on a plain
/// connection outside EF, so nothing the services cache can hide a write. Taken by a <see cref="Fingerprinter"/>.
/// </summary>
public sealed class DatabaseFingerprint
{
    private const string MigrationHistory = "__EFMigrationsHistory";

    private readonly IReadOnlyDictionary<string, (long Rows, string Hash)> _tables;

    private DatabaseFingerprint(IReadOnlyDictionary<string, (long Rows, string Hash)> tables)
    {
        _tables = tables;
    }

    internal static DatabaseFingerprint Take(DbConnection connection)
    {
        var postgres = connection is NpgsqlConnection;
        var names = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = postgres
                ? $"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '{MigrationHistory}' ORDER BY table_name"
                : $"SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '{MigrationHistory}' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            tables[name] = HashTable(connection, name, postgres);
        }

        return new DatabaseFingerprint(tables);
    }

    /// <summary>The tables whose rows differ between the two fingerprints, with their row counts; empty when equal.</summary>
    public IReadOnlyList<string> Differences(DatabaseFingerprint after)
    {
        var changed = new List<string>();
        foreach (var name in _tables.Keys.Union(after._tables.Keys).Order(StringComparer.Ordinal))
        {
            var had = _tables.TryGetValue(name, out var before);
            var has = after._tables.TryGetValue(name, out var now);
            if (!had || !has || before != now)
            {
                changed.Add($"{name} ({(had ? before.Rows : 0)} → {(has ? now.Rows : 0)} rows)");
            }
        }

        return changed;
    }

    private static (long Rows, string Hash) HashTable(DbConnection connection, string table, bool postgres)
    {
        // SQLite: a full scan without ORDER BY walks the same b-tree in the same order for the same content, so equal
        // tables hash equally (and WITHOUT ROWID tables need no rowid). PostgreSQL keeps no such order (an update moves
        // the row), so its rows are sorted by their whole text. Each value is written with its type.
        var quoted = $"\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        using var command = connection.CreateCommand();
        command.CommandText = postgres ? $"SELECT * FROM {quoted} AS r ORDER BY r::text" : $"SELECT * FROM {quoted}";
        using var reader = command.ExecuteReader();
        using var rows = new MemoryStream();
        using var writer = new BinaryWriter(rows, Encoding.UTF8);
        long count = 0;
        while (reader.Read())
        {
            count++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                {
                    case null:
                        writer.Write((byte)'N');
                        break;
                    case long or int or short or bool:
                        writer.Write((byte)'I');
                        writer.Write(Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case DateTime time:
                        writer.Write((byte)'D');
                        writer.Write(time.Ticks);
                        break;
                    case double real:
                        writer.Write((byte)'R');
                        writer.Write(real);
                        break;
                    case byte[] blob:
                        writer.Write((byte)'B');
                        writer.Write(blob.Length);
                        writer.Write(blob);
                        break;
                    case var text:
                        writer.Write((byte)'T');
                        writer.Write(Convert.ToString(text, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                        break;
                }
            }

            writer.Write((byte)'\n');
        }

        writer.Flush();
        return (count, Convert.ToHexString(SHA256.HashData(rows.GetBuffer().AsSpan(0, (int)rows.Length))));
    }
}

/// <summary>
/// Takes <see cref="DatabaseFingerprint"/>s of the test's database on one plain connection of its own. On SQLite it hashes
/// the rows again only when <c>PRAGMA data_version</c> shows that another connection committed something since the last
/// fingerprint: while it has not changed, the content is the same by SQLite's guarantee, and so is the fingerprint. (A
/// commit that leaves the content as it was still hashes equal.) PostgreSQL has no such counter: every fingerprint hashes.
/// </summary>
public sealed class Fingerprinter(TestDatabase database) : IDisposable
{
    private readonly DbConnection _connection = database.OpenAnyRawConnection();
    private long _version = -1;
    private DatabaseFingerprint? _last;

    /// <summary>How many times the rows were hashed (the other fingerprints were known unchanged).</summary>
    public int Hashed { get; private set; }

    public DatabaseFingerprint Take()
    {
        var version = DataVersion();
        if (_last is null || version != _version)
        {
            Hashed++;
            _last = DatabaseFingerprint.Take(_connection);
            _version = version;
        }

        return _last;
    }

    public void Dispose() => _connection.Dispose();

    private long DataVersion()
    {
        if (_connection is NpgsqlConnection)
        {
            return _version + 1;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }
}
