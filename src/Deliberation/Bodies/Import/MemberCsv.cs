using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Bodies.Import;

/// <summary>A problem with one line of an import file: a code (UI key <c>Error.{Code}</c>) and its arguments.</summary>
public sealed record ImportProblem(int Line, string Code, IReadOnlyList<object> Arguments)
{
    public ImportProblem(int line, string code, params object[] arguments)
        : this(line, code, (IReadOnlyList<object>)arguments)
    {
    }
}

/// <summary>A data row as written in the file (trimmed), before anything is looked up.</summary>
public sealed record MemberCsvRow(int Line, string Name, string Role, string Organisation, string User, string? Error = null)
{
    /// <summary>For <c>Import.ColumnCount</c>: how many columns the header has and how many this line has.</summary>
    public int ExpectedColumns { get; init; }

    public int ActualColumns { get; init; }
}

/// <summary>An organisation a row may name, by key, Chinese name or English name.</summary>
public sealed record OrganisationRef(int Id, string Key, string Name, string NameEn);

/// <summary>What the rows are checked against: organisations, accounts by normalized user name, accounts already seated in the term.</summary>
public sealed record MemberImportContext(
    IReadOnlyList<OrganisationRef> Organisations,
    IReadOnlyDictionary<string, string> UserIdsByNormalizedName,
    IReadOnlySet<string> UserIdsInTerm);

/// <summary>A row that passed every check, ready to become a seat.</summary>
public sealed record MemberImportRow(int Line, string Name, MemberRole Role, int? OrganisationId, string? UserId);

/// <summary>
/// The member list format: a header line, then one member per line. Columns, in any order:
/// <c>name</c> (姓名, required), <c>role</c> (角色, required: enum name or Chinese label, see <see cref="MemberRoleNames"/>),
/// <c>organisation</c> (组织, optional: key, Chinese or English name), <c>user</c> (账号, optional: user name).
/// Checking is pure: the caller supplies the organisations and accounts (<see cref="MemberImportContext"/>).
/// </summary>
public static class MemberCsv
{
    public const int MaxUserNameLength = 256;

    private const int EchoLength = 40;

    /// <summary>Column names a header may use, English first.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ColumnNames = new Dictionary<string, string[]>
    {
        ["name"] = ["name", "姓名"],
        ["role"] = ["role", "角色"],
        ["organisation"] = ["organisation", "organization", "组织", "单位"],
        ["user"] = ["user", "username", "账号", "用户名"],
    };

    private static readonly string[] RequiredColumns = ["name", "role"];

    /// <summary>
    /// Reads the header and the data rows. Header problems (line 1 or the first non-blank line) stop here, since the
    /// rows cannot be read without knowing the columns; malformed rows are returned with their error.
    /// </summary>
    public static (IReadOnlyList<MemberCsvRow> Rows, IReadOnlyList<ImportProblem> Problems) ReadRows(IReadOnlyList<CsvRecord> records)
    {
        if (records.Count == 0)
        {
            throw new DomainException("Import.Empty");
        }

        var header = records[0];
        var problems = new List<ImportProblem>();
        if (header.Error is not null)
        {
            problems.Add(new ImportProblem(header.Line, header.Error));
            return ([], problems);
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

        foreach (var required in RequiredColumns.Where(c => !positions.ContainsKey(c)))
        {
            problems.Add(new ImportProblem(header.Line, "Import.MissingColumn", required));
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        string Cell(CsvRecord r, string column) =>
            positions.TryGetValue(column, out var p) && p < r.Fields.Count ? r.Fields[p].Trim() : string.Empty;

        var rows = new List<MemberCsvRow>(records.Count - 1);
        foreach (var record in records.Skip(1))
        {
            var error = record.Error;
            if (error is null && record.Fields.Count != header.Fields.Count)
            {
                error = "Import.ColumnCount";
            }

            rows.Add(new MemberCsvRow(record.Line, Cell(record, "name"), Cell(record, "role"), Cell(record, "organisation"), Cell(record, "user"), error)
            {
                ExpectedColumns = header.Fields.Count,
                ActualColumns = record.Fields.Count,
            });
        }

        if (rows.Count == 0)
        {
            problems.Add(new ImportProblem(header.Line, "Import.NoRows"));
        }

        return (rows, problems);
    }

    /// <summary>Checks every row and reports every problem of every row; the plan is usable only when there is none.</summary>
    public static (IReadOnlyList<MemberImportRow> Rows, IReadOnlyList<ImportProblem> Problems) Check(IReadOnlyList<MemberCsvRow> rows, MemberImportContext context)
    {
        var problems = new List<ImportProblem>();
        var ready = new List<MemberImportRow>(rows.Count);
        var firstLineOfUser = new Dictionary<string, int>(StringComparer.Ordinal);
        var byKey = context.Organisations.ToLookup(o => o.Key, StringComparer.OrdinalIgnoreCase);
        var byName = context.Organisations.ToLookup(o => o.Name, StringComparer.Ordinal);
        var byNameEn = context.Organisations.ToLookup(o => o.NameEn, StringComparer.OrdinalIgnoreCase);

        foreach (var row in rows)
        {
            if (row.Error is not null)
            {
                problems.Add(row.Error == "Import.ColumnCount"
                    ? new ImportProblem(row.Line, row.Error, row.ExpectedColumns, row.ActualColumns)
                    : new ImportProblem(row.Line, row.Error));
                continue;
            }

            var before = problems.Count;

            if (row.Name.Length == 0)
            {
                problems.Add(new ImportProblem(row.Line, "Import.NameRequired"));
            }
            else if (row.Name.Length > Limits.Name)
            {
                problems.Add(new ImportProblem(row.Line, "Import.NameTooLong", Limits.Name, row.Name.Length));
            }
            else if (row.Name.Any(char.IsControl))
            {
                problems.Add(new ImportProblem(row.Line, "Import.NameInvalid"));
            }

            var role = default(MemberRole);
            if (row.Role.Length == 0)
            {
                problems.Add(new ImportProblem(row.Line, "Import.RoleRequired"));
            }
            else if (!MemberRoleNames.TryParse(row.Role, out role) || !Enum.IsDefined(role))
            {
                problems.Add(new ImportProblem(row.Line, "Import.UnknownRole", Echo(row.Role)));
            }

            int? organisationId = null;
            if (row.Organisation.Length > Limits.Title)
            {
                problems.Add(new ImportProblem(row.Line, "Import.OrganisationTooLong", Limits.Title, row.Organisation.Length));
            }
            else if (row.Organisation.Length > 0)
            {
                var matches = byKey[row.Organisation].ToList();
                if (matches.Count == 0)
                {
                    matches = byName[row.Organisation].Concat(byNameEn[row.Organisation]).DistinctBy(o => o.Id).ToList();
                }

                if (matches.Count == 1)
                {
                    organisationId = matches[0].Id;
                }
                else
                {
                    problems.Add(new ImportProblem(row.Line, matches.Count == 0 ? "Import.UnknownOrganisation" : "Import.AmbiguousOrganisation", Echo(row.Organisation)));
                }
            }

            string? userId = null;
            if (row.User.Length > MaxUserNameLength)
            {
                problems.Add(new ImportProblem(row.Line, "Import.UserTooLong", MaxUserNameLength, row.User.Length));
            }
            else if (row.User.Length > 0)
            {
                var normalized = NormalizeUserName(row.User);
                if (firstLineOfUser.TryGetValue(normalized, out var firstLine))
                {
                    problems.Add(new ImportProblem(row.Line, "Import.DuplicateUserInFile", Echo(row.User), firstLine));
                }
                else
                {
                    firstLineOfUser[normalized] = row.Line;
                    if (!context.UserIdsByNormalizedName.TryGetValue(normalized, out userId))
                    {
                        problems.Add(new ImportProblem(row.Line, "Import.UnknownUser", Echo(row.User)));
                    }
                    else if (context.UserIdsInTerm.Contains(userId))
                    {
                        problems.Add(new ImportProblem(row.Line, "Import.UserAlreadyInTerm", Echo(row.User)));
                    }
                }
            }

            if (problems.Count == before)
            {
                ready.Add(new MemberImportRow(row.Line, row.Name, role, organisationId, userId));
            }
        }

        return (ready, problems);
    }

    /// <summary>As ASP.NET Core Identity normalizes user names.</summary>
    public static string NormalizeUserName(string userName) => userName.Trim().ToUpperInvariant();

    /// <summary>A value quoted back in a message, shortened so a pasted paragraph does not flood the error table.</summary>
    private static string Echo(string value) => value.Length <= EchoLength ? value : value[..EchoLength] + "…";
}
