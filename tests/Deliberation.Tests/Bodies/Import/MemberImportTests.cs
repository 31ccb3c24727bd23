using System.Text;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Bodies.Import;

/// <summary>Member list imports against a real SQLite file: every problem reported, nothing stored until the file is clean.</summary>
public sealed class MemberImportTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private BodyAdminService Admin => fixture.Database.Services.GetRequiredService<BodyAdminService>();

    private static MemoryStream Csv(string text, bool bom = false) => BodyAdminServiceTests.Csv(text, bom);

    [Fact]
    public async Task FileWithBadRowsImportsNothingAndReportsEachLine()
    {
        var termId = await NewTermAsync();
        const string file = "name,role,organisation,user\r\n" +
                            "张伟,代表,jc-org-001,rep001\r\n" +
                            "\"李娜, 副主任\",副主任,,\r\n" +
                            ",代表,,\r\n" +
                            "王芳,部长,,\r\n" +
                            "赵强,代表,,rep001\r\n";

        var result = await Admin.ImportMembersAsync(_council.Admin, termId, Csv(file, bom: true), apply: true);

        Assert.False(result.IsClean);
        Assert.Equal(5, result.Rows);
        Assert.Equal(0, result.Imported);
        Assert.Equal([(4, "Import.NameRequired"), (5, "Import.UnknownRole"), (6, "Import.DuplicateUserInFile")], result.Problems.Select(p => (p.Line, p.Code)));
        Assert.Equal(0, await SeatCountAsync(termId));
    }

    [Fact]
    public async Task CleanFileImportsEveryRowInOneGo()
    {
        var termId = await NewTermAsync();
        var file = "姓名,角色,组织,账号\n" +
                   "张伟,代表,jc-org-001,rep001\n" +
                   "\"李娜, 副主任\",副主任,\"江川社区(街道)党工委\",\n" +
                   "\"王\"\"小\"\"芳\",Member,,REP002\n" +
                   "\n" +
                   "赵强,记录员,,\n";

        var check = await Admin.ImportMembersAsync(_council.Admin, termId, Csv(file), apply: false);
        Assert.True(check.IsClean);
        Assert.Equal((4, 0), (check.Rows, check.Imported));
        Assert.Equal(0, await SeatCountAsync(termId));

        var result = await Admin.ImportMembersAsync(_council.Admin, termId, Csv(file), apply: true);

        Assert.True(result.IsClean);
        Assert.Equal(4, result.Imported);
        var members = (await Admin.GetTermAsync(_council.Admin, termId)).Members;
        Assert.Equal(["张伟", "李娜, 副主任", "王\"小\"芳", "赵强"], members.Select(m => m.Name));
        Assert.Equal([MemberRole.Representative, MemberRole.DeputyDirector, MemberRole.Member, MemberRole.Secretary], members.Select(m => m.Role));
        Assert.Equal(["rep001", null, "rep002", null], members.Select(m => m.UserName));
        Assert.Equal("江川社区(街道)党工委", members[0].Organisation);
        Assert.Equal("江川社区(街道)党工委", members[1].Organisation);
    }

    [Fact]
    public async Task ImportingTheSameAccountsAgainIsRefusedAsAlreadyInTheTerm()
    {
        var termId = await NewTermAsync();
        const string file = "name,role,user\n张伟,代表,rep003\n李娜,代表,\n";
        Assert.Equal(2, (await Admin.ImportMembersAsync(_council.Admin, termId, Csv(file), apply: true)).Imported);

        var again = await Admin.ImportMembersAsync(_council.Admin, termId, Csv(file), apply: true);

        Assert.Equal((2, "Import.UserAlreadyInTerm"), (again.Problems.Single().Line, again.Problems.Single().Code));
        Assert.Equal(2, await SeatCountAsync(termId));
    }

    [Fact]
    public async Task FileOverOneMegabyteIsRefused()
    {
        var termId = await NewTermAsync();
        const string line = "张伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟伟,代表\n";
        var big = "name,role\n" + string.Concat(Enumerable.Repeat(line, Limits.ImportMaxBytes / Encoding.UTF8.GetByteCount(line) + 1));
        Assert.True(Encoding.UTF8.GetByteCount(big) > Limits.ImportMaxBytes);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.ImportMembersAsync(_council.Admin, termId, Csv(big), apply: true));

        Assert.Equal("Import.FileTooLarge", ex.Code);
        Assert.Equal(0, await SeatCountAsync(termId));
    }

    [Fact]
    public async Task MoreThanTwoThousandRowsAreRefused()
    {
        var termId = await NewTermAsync();
        var rows = string.Concat(Enumerable.Range(1, Limits.ImportMaxRows + 1).Select(i => $"成员{i},代表\n"));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.ImportMembersAsync(_council.Admin, termId, Csv("name,role\n" + rows), apply: true));

        Assert.Equal("Import.TooManyRows", ex.Code);
        Assert.Equal([Limits.ImportMaxRows, Limits.ImportMaxRows + 1], ex.Arguments);
    }

    [Fact]
    public async Task TwoThousandRowsImport()
    {
        var termId = await NewTermAsync();
        var rows = string.Concat(Enumerable.Range(1, Limits.ImportMaxRows).Select(i => $"成员{i},代表\n"));

        var result = await Admin.ImportMembersAsync(_council.Admin, termId, Csv("name,role\n" + rows), apply: true);

        Assert.Equal(Limits.ImportMaxRows, result.Imported);
        Assert.Equal(Limits.ImportMaxRows, await SeatCountAsync(termId));
    }

    [Fact]
    public async Task GbkFileIsRefusedAsNotUtf8()
    {
        var termId = await NewTermAsync();
        byte[] gbk = [.. "name,role\n"u8, 0xD5, 0xC5, 0xCE, 0xB0, 0x2C, 0xB4, 0xFA, 0xB1, 0xED, 0x0A];

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.ImportMembersAsync(_council.Admin, termId, new MemoryStream(gbk), apply: true));

        Assert.Equal("Import.NotUtf8", ex.Code);
    }

    [Fact]
    public async Task EmptyFileIsRefused()
    {
        var termId = await NewTermAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.ImportMembersAsync(_council.Admin, termId, new MemoryStream(), apply: true));

        Assert.Equal("Import.Empty", ex.Code);
    }

    [Fact]
    public async Task ImportIsRefusedWhileASessionOfTheTermIsOpen()
    {
        var (sessionId, _) = await _council.OpenSessionAsync();
        try
        {
            var termId = (await _council.LoadSessionAsync(sessionId)).TermId;
            var before = await SeatCountAsync(termId);

            var ex = await Assert.ThrowsAsync<DomainException>(() =>
                Admin.ImportMembersAsync(_council.Admin, termId, Csv("name,role\n迟到的代表,代表\n"), apply: true));

            Assert.Equal("Membership.SessionOpen", ex.Code);
            Assert.Equal(before, await SeatCountAsync(termId));
        }
        finally
        {
            await _council.Sessions.CloseAsync(_council.Chair, sessionId);
        }
    }

    private async Task<int> NewTermAsync()
    {
        var bodyId = await Admin.CreateBodyAsync(_council.Admin, new BodyInput($"import-{Guid.NewGuid():N}"[..30], "导入测试议事会", "Import test council", BodyKind.Council));
        return await Admin.AddTermAsync(_council.Admin, bodyId, new TermInput(1, "第一届", "1st term", new DateOnly(2026, 1, 1), null));
    }

    private async Task<int> SeatCountAsync(int termId)
    {
        await using var db = await _council.DbAsync();
        return await db.Memberships.CountAsync(m => m.TermId == termId);
    }
}
