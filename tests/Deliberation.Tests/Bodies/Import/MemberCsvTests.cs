using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Bodies.Import;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Bodies.Import;

/// <summary>Checking member list rows without a database: every problem of every row, with its line number.</summary>
public sealed class MemberCsvTests
{
    private static readonly MemberImportContext Context = new(
        [
            new OrganisationRef(1, "jc-org-001", "江川社区(街道)党工委", "Jiangchuan Party Working Committee"),
            new OrganisationRef(2, "cl-org-004", "城里社区物业公司", "Chengli Property Company"),
            new OrganisationRef(3, "dup-a", "同名单位", "Same Name A"),
            new OrganisationRef(4, "dup-b", "同名单位", "Same Name B"),
        ],
        new Dictionary<string, string> { ["REP001"] = "u-rep001", ["REP002"] = "u-rep002", ["STAKEHOLDER"] = "u-stakeholder" },
        new HashSet<string> { "u-stakeholder" });

    private static (IReadOnlyList<MemberImportRow> Rows, IReadOnlyList<ImportProblem> Problems) Check(string csv)
    {
        var (rows, headerProblems) = MemberCsv.ReadRows(CsvParser.Parse(csv));
        Assert.Empty(headerProblems);
        return MemberCsv.Check(rows, Context);
    }

    [Fact]
    public void CleanRowsResolveRolesOrganisationsAndAccounts()
    {
        var (rows, problems) = Check("""
            name,role,organisation,user
            张伟,代表,jc-org-001,rep001
            李娜,Representative,城里社区物业公司,
            王芳,member,Chengli Property Company,REP002
            赵强,记录员,,
            """);

        Assert.Empty(problems);
        Assert.Equal(
            [
                new MemberImportRow(2, "张伟", MemberRole.Representative, 1, "u-rep001"),
                new MemberImportRow(3, "李娜", MemberRole.Representative, 2, null),
                new MemberImportRow(4, "王芳", MemberRole.Member, 2, "u-rep002"),
                new MemberImportRow(5, "赵强", MemberRole.Secretary, null, null),
            ],
            rows);
    }

    [Fact]
    public void ColumnsMayComeInAnyOrderWithChineseNames()
    {
        var (rows, problems) = Check("角色,姓名\n主任,王倩\n");

        Assert.Empty(problems);
        Assert.Equal(new MemberImportRow(2, "王倩", MemberRole.Director, null, null), Assert.Single(rows));
    }

    [Fact]
    public void EveryBadRowIsReportedWithItsLineAndReason()
    {
        var longName = new string('张', Limits.Name + 1);
        var (rows, problems) = Check($"""
            name,role,organisation,user
            张伟,代表,jc-org-001,rep001
            ,代表,,
            李娜,部长,,
            王芳,代表,不存在的单位,
            赵强,代表,,nobody
            钱七,代表,,REP001
            孙八,代表,,stakeholder
            {longName},代表,,
            周九,代表
            吴十,代表,同名单位,
            """);

        Assert.Equal(
            [
                (3, "Import.NameRequired"),
                (4, "Import.UnknownRole"),
                (5, "Import.UnknownOrganisation"),
                (6, "Import.UnknownUser"),
                (7, "Import.DuplicateUserInFile"),
                (8, "Import.UserAlreadyInTerm"),
                (9, "Import.NameTooLong"),
                (10, "Import.ColumnCount"),
                (11, "Import.AmbiguousOrganisation"),
            ],
            problems.Select(p => (p.Line, p.Code)));
        Assert.Equal(["部长"], problems[1].Arguments);
        Assert.Equal(["REP001", 2], problems[4].Arguments);
        Assert.Equal([Limits.Name, Limits.Name + 1], problems[6].Arguments);
        Assert.Equal([4, 2], problems[7].Arguments);
        Assert.Single(rows);
    }

    [Fact]
    public void ARowWithSeveralProblemsReportsEachOfThem()
    {
        var (_, problems) = Check("name,role,organisation,user\n,,nowhere,nobody\n");

        Assert.Equal(["Import.NameRequired", "Import.RoleRequired", "Import.UnknownOrganisation", "Import.UnknownUser"], problems.Select(p => p.Code));
        Assert.All(problems, p => Assert.Equal(2, p.Line));
    }

    [Fact]
    public void LineNumbersFollowTheFileAcrossQuotedLineBreaks()
    {
        var (_, problems) = Check("name,role,organisation\r\n\"张伟\",代表,\"江川社区\r\n(街道)党工委\"\r\n李娜,部长,\r\n");

        // The organisation with a line break is unknown (line 2); the bad role is on line 4 of the file.
        Assert.Equal([(2, "Import.UnknownOrganisation"), (4, "Import.UnknownRole")], problems.Select(p => (p.Line, p.Code)));
    }

    [Fact]
    public void MalformedRecordIsReportedAndTheRestStillChecked()
    {
        var (rows, problems) = Check("name,role\n\"张伟\"x,代表\n李娜,代表\n");

        Assert.Equal((2, "Import.TextAfterQuote"), (problems.Single().Line, problems.Single().Code));
        Assert.Equal("李娜", Assert.Single(rows).Name);
    }

    [Fact]
    public void HeaderProblemsAreReportedOnTheHeaderLine()
    {
        var (rows, problems) = MemberCsv.ReadRows(CsvParser.Parse("姓名,title,姓名\n张伟,x,y\n"));

        Assert.Empty(rows);
        Assert.Equal(
            [(1, "Import.UnknownColumn"), (1, "Import.DuplicateColumn"), (1, "Import.MissingColumn")],
            problems.Select(p => (p.Line, p.Code)));
        Assert.Equal(["role"], problems[2].Arguments);
    }

    [Fact]
    public void HeaderWithoutRowsIsReported()
    {
        var (_, problems) = MemberCsv.ReadRows(CsvParser.Parse("name,role\n"));

        Assert.Equal((1, "Import.NoRows"), (problems.Single().Line, problems.Single().Code));
    }

    [Fact]
    public void EmptyFileIsRefused()
    {
        Assert.Equal("Import.Empty", Assert.Throws<DomainException>(() => MemberCsv.ReadRows(CsvParser.Parse("\n"))).Code);
    }

    [Fact]
    public void LongValuesAreShortenedWhenQuotedBack()
    {
        var role = new string('长', 300);
        var (_, problems) = Check($"name,role\n张伟,{role}\n");

        var echoed = (string)problems.Single().Arguments[0];
        Assert.True(echoed.Length <= 41);
        Assert.EndsWith("…", echoed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("代表", MemberRole.Representative)]
    [InlineData("REPRESENTATIVE", MemberRole.Representative)]
    [InlineData("主持人", MemberRole.Chair)]
    [InlineData("副主任", MemberRole.DeputyDirector)]
    [InlineData("秘书", MemberRole.Secretary)]
    [InlineData(" 第三方评估员 ", MemberRole.ThirdPartyAssessor)]
    public void RolesAreReadByEnumNameOrChineseLabel(string word, MemberRole expected)
    {
        Assert.True(MemberRoleNames.TryParse(word, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("")]
    [InlineData("部长")]
    [InlineData("7")]
    public void UnknownRoleWordsAreNotRoles(string word)
    {
        Assert.False(MemberRoleNames.TryParse(word, out _));
    }
}
