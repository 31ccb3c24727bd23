using CommunityDeliberation.Deliberation.Bodies.Import;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Accounts;

/// <summary>A data row of an account list as written in the file (trimmed), before anything is looked up.</summary>
public sealed record AccountCsvRow(int Line, string UserName, string DisplayName, string DisplayNameEn, string Body, string Seat, string? Error = null);

/// <summary>
/// The account list format (UTF-8 CSV, parsed by <see cref="CsvParser"/> like the member list): a header line, then one
/// account per line. Columns, in any order: <c>user</c> (账号, required: letters, digits and <c>-._@+</c>),
/// <c>display_name</c> (显示名, required), <c>display_name_en</c> (英文名, optional), <c>body</c> (机构: a body's key,
/// optional) and <c>seat</c> (席位: the name of a seat without an account in that body's current term; with
/// <c>body</c>).
/// </summary>
public static class AccountCsv
{
    public const int MaxUserNameLength = 100;

    private const int EchoLength = 40;

    public static readonly IReadOnlyDictionary<string, string[]> ColumnNames = new Dictionary<string, string[]>
    {
        ["user"] = ["user", "username", "user_name", "账号", "用户名"],
        ["display_name"] = ["display_name", "displayname", "name", "显示名", "姓名"],
        ["display_name_en"] = ["display_name_en", "name_en", "英文名"],
        ["body"] = ["body", "body_key", "机构"],
        ["seat"] = ["seat", "member", "席位"],
    };

    private static readonly string[] RequiredColumns = ["user", "display_name"];

    public static (IReadOnlyList<AccountCsvRow> Rows, IReadOnlyList<ImportProblem> Problems) ReadRows(IReadOnlyList<CsvRecord> records)
    {
        if (records.Count == 0)
        {
            throw new DomainException("Import.Empty");
        }

        var header = records[0];
        var problems = new List<ImportProblem>();
        if (header.Error is not null)
        {
            return ([], [new ImportProblem(header.Line, header.Error)]);
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var word = header.Fields[i].Trim();
            var column = ColumnNames.FirstOrDefault(c => c.Value.Contains(word, StringComparer.OrdinalIgnoreCase)).Key;
            if (column is null)
            {
                problems.Add(new ImportProblem(header.Line, "Import.UnknownColumn", Echo(word)));
            }
            else if (!positions.TryAdd(column, i))
            {
                problems.Add(new ImportProblem(header.Line, "Import.DuplicateColumn", Echo(word)));
            }
        }

        problems.AddRange(RequiredColumns.Where(c => !positions.ContainsKey(c)).Select(c => new ImportProblem(header.Line, "Import.MissingColumn", c)));
        if (problems.Count > 0)
        {
            return ([], problems);
        }

        string Cell(CsvRecord r, string column) =>
            positions.TryGetValue(column, out var p) && p < r.Fields.Count ? r.Fields[p].Trim() : string.Empty;

        var rows = records.Skip(1).Select(r => new AccountCsvRow(r.Line, Cell(r, "user"), Cell(r, "display_name"), Cell(r, "display_name_en"), Cell(r, "body"), Cell(r, "seat"),
            r.Error ?? (r.Fields.Count != header.Fields.Count ? "Import.ColumnCount" : null))).ToList();
        return (rows, []);
    }

    /// <summary>At most <see cref="EchoLength"/> characters of what a file said, for a problem's message.</summary>
    public static string Echo(string text) => text.Length <= EchoLength ? text : text[..EchoLength] + "…";
}
