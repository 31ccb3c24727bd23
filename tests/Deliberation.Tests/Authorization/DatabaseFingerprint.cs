using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>
/// Every row of every table of the test's SQLite file, hashed table by table: two fingerprints are equal only when
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

    internal static DatabaseFingerprint Take(SqliteConnection connection)
    {
        var names = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> $history ORDER BY name";
            list.Parameters.AddWithValue("$history", MigrationHistory);
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            tables[name] = HashTable(connection, name);
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

    private static (long Rows, string Hash) HashTable(SqliteConnection connection, string table)
    {
        // A full scan without ORDER BY: SQLite walks the same b-tree in the same order for the same content, so equal
        // tables hash equally (and WITHOUT ROWID tables need no rowid). Each value is written with its storage class.
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
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
                    case long number:
                        writer.Write((byte)'I');
                        writer.Write(number);
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
/// Takes <see cref="DatabaseFingerprint"/>s of the test's database on one plain connection of its own. It hashes the
/// rows again only when SQLite's <c>PRAGMA data_version</c> shows that another connection committed something since
/// the last fingerprint: while it has not changed, the content is the same by SQLite's guarantee, and so is the
/// fingerprint. (A commit that leaves the content as it was still hashes equal.)
/// </summary>
public sealed class Fingerprinter(TestDatabase database) : IDisposable
{
    private readonly SqliteConnection _connection = database.OpenRawConnection();
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
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }
}
