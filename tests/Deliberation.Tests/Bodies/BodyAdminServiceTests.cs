using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Bodies;

/// <summary>Bodies, sub-bodies, terms, rules and seats through the real <see cref="BodyAdminService"/> on the seeded SQLite file.</summary>
public sealed class BodyAdminServiceTests(SeededDatabaseFixture fixture) : IClassFixture<SeededDatabaseFixture>
{
    private readonly JiangchuanCouncil _council = new(fixture);

    private BodyAdminService Admin => fixture.Database.Services.GetRequiredService<BodyAdminService>();

    private Actor AdminActor => _council.Admin;

    private static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    public static TheoryData<string, string> NonAdmins => new()
    {
        { "chair", Roles.Chair },
        { "secretary", Roles.Secretary },
        { "rep001", Roles.Representative },
        { "resident", Roles.Resident },
    };

    [Theory]
    [MemberData(nameof(NonAdmins))]
    public async Task EveryOperationRefusesNonAdminsAndStoresNothing(string userName, string role)
    {
        var actor = _council.ActorFor(userName, role);
        var bodyId = await _council.BodyIdAsync();
        var termId = await TermIdAsync(JiangchuanCouncil.BodyKey);
        var seat = await _council.RepMembershipIdAsync(120);
        var before = await SnapshotAsync();

        var attempts = new Func<Task>[]
        {
            () => Admin.ListBodiesAsync(actor),
            () => Admin.GetBodyAsync(actor, bodyId),
            () => Admin.CreateBodyAsync(actor, new BodyInput(NewKey("x"), "越权新建", "Forbidden", BodyKind.Council)),
            () => Admin.AddSubBodyAsync(actor, bodyId, new BodyInput(NewKey("x"), "越权分会", "Forbidden", BodyKind.Council)),
            () => Admin.RenameBodyAsync(actor, bodyId, "越权改名", "Renamed"),
            () => Admin.SetRulesAsync(actor, bodyId, new BodyRulesInput(2, 3, 60, 2)),
            () => Admin.AddTermAsync(actor, bodyId, new TermInput(9, "第九届", "9th term", new DateOnly(2030, 1, 1), null)),
            () => Admin.GetTermAsync(actor, termId),
            () => Admin.ListOrganisationsAsync(actor),
            () => Admin.AddMemberAsync(actor, termId, new MemberInput("越权成员", MemberRole.Representative, null, null)),
            () => Admin.EditMemberAsync(actor, seat, new MemberInput("越权改名", MemberRole.Member, null, null)),
            () => Admin.EndSeatAsync(actor, seat, "越权"),
            () => Admin.ReinstateAsync(actor, seat),
            () => Admin.RemoveMemberAsync(actor, seat),
            () => Admin.ImportMembersAsync(actor, termId, Csv("name,role\n越权导入,代表\n"), apply: true),
        };

        foreach (var attempt in attempts)
        {
            var ex = await Assert.ThrowsAsync<DomainException>(attempt);
            Assert.Equal("Body.AdminOnly", ex.Code);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ActorWithoutRolesIsRefused()
    {
        var nobody = new Actor(_council.UserId("resident"), new HashSet<string>());

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.ListBodiesAsync(nobody));

        Assert.Equal("Body.AdminOnly", ex.Code);
    }

    [Fact]
    public async Task TreeListsSubBodiesUnderTheirParent()
    {
        var tree = await Admin.ListBodiesAsync(AdminActor);

        var weifang = tree.Single(n => n.Key == "weifang-committee");
        Assert.Equal(0, weifang.Depth);
        var children = tree.Where(n => n.ParentId == weifang.Id).ToList();
        Assert.Equal(6, children.Count); // five professional committees and the secretariat
        Assert.All(children, c => Assert.Equal(1, c.Depth));

        // Parents come before their children, each child group right after its parent.
        var index = tree.ToList().IndexOf(weifang);
        Assert.Equal(children.Select(c => c.Id).Order(), tree.Skip(index + 1).Take(6).Select(n => n.Id).Order());

        var council = tree.Single(n => n.Key == JiangchuanCouncil.BodyKey);
        Assert.Equal("第二届", council.LatestTermName);
        Assert.Equal(152, council.ActiveMembersInLatestTerm);
    }

    [Fact]
    public async Task AdminCreatesABodyWithASubBodyATermAndRules()
    {
        var key = NewKey("nanjing-road");
        var bodyId = await Admin.CreateBodyAsync(AdminActor, new BodyInput(key, "南京路社区委员会", "Nanjing Road Community Committee", BodyKind.CommunityCommittee));
        var subId = await Admin.AddSubBodyAsync(AdminActor, bodyId, new BodyInput(key + "-env", "环境卫生专业委员会", "Environment Committee", BodyKind.CommunityCommittee));
        var termId = await Admin.AddTermAsync(AdminActor, bodyId, new TermInput(1, "第一届", "1st term", new DateOnly(2026, 1, 1), new DateOnly(2028, 12, 31)));
        await Admin.SetRulesAsync(AdminActor, bodyId, new BodyRulesInput(2, 3, 240, 2, CoSponsorThreshold: 5));
        await Admin.RenameBodyAsync(AdminActor, bodyId, "南京路街道社区委员会", "Nanjing Road Sub-district Community Committee");

        var view = await Admin.GetBodyAsync(AdminActor, bodyId);
        Assert.Equal("南京路街道社区委员会", view.Name);
        Assert.Equal("Nanjing Road Sub-district Community Committee", view.NameEn);
        Assert.Equal((2, 3, 240, 2, 5), (view.QuorumNumerator, view.QuorumDenominator, view.SpeakingTimeSeconds, view.ProxyCap, view.CoSponsorThreshold));
        Assert.Equal(termId, Assert.Single(view.Terms).Id);
        Assert.Equal(subId, Assert.Single(view.SubBodies).Id);

        var sub = await Admin.GetBodyAsync(AdminActor, subId);
        Assert.Equal(bodyId, sub.ParentId);
        Assert.Equal("南京路街道社区委员会", sub.ParentName);

        await using var db = await _council.DbAsync();
        var stored = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == bodyId);
        Assert.Equal(new QuorumRule(2, 3), stored.Quorum);
        Assert.Equal(3, stored.Quorum.Required(4)); // more than two thirds of 4
    }

    [Fact]
    public async Task DuplicateOrMalformedBodyKeysAreRefused()
    {
        var duplicate = await Assert.ThrowsAsync<DomainException>(() =>
            Admin.CreateBodyAsync(AdminActor, new BodyInput(JiangchuanCouncil.BodyKey, "重复", "Duplicate", BodyKind.Council)));
        Assert.Equal("Body.DuplicateKey", duplicate.Code);

        var malformed = await Assert.ThrowsAsync<DomainException>(() =>
            Admin.CreateBodyAsync(AdminActor, new BodyInput("江川 council", "格式错误", "Malformed", BodyKind.Council)));
        Assert.Equal("Body.Key.Invalid", malformed.Code);

        var missingName = await Assert.ThrowsAsync<DomainException>(() =>
            Admin.CreateBodyAsync(AdminActor, new BodyInput(NewKey("ok"), "  ", "Name", BodyKind.Council)));
        Assert.Equal("Body.Name.Required", missingName.Code);
    }

    [Theory]
    [InlineData(1, 1, 180, 1, "Quorum.InvalidFraction")]
    [InlineData(1, 2, 5, 1, "Body.SpeakingTimeOutOfRange")]
    [InlineData(1, 2, 180, 11, "Body.ProxyCapOutOfRange")]
    [InlineData(1, 101, 180, 1, "Quorum.InvalidFraction")]
    public async Task InvalidRulesAreRefusedAndNothingChanges(int numerator, int denominator, int speaking, int cap, string code)
    {
        var bodyId = await Admin.CreateBodyAsync(AdminActor, new BodyInput(NewKey("rules"), "规则测试", "Rules", BodyKind.Council));

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.SetRulesAsync(AdminActor, bodyId, new BodyRulesInput(numerator, denominator, speaking, cap)));

        Assert.Equal(code, ex.Code);
        var view = await Admin.GetBodyAsync(AdminActor, bodyId);
        Assert.Equal((1, 2, 180, 1), (view.QuorumNumerator, view.QuorumDenominator, view.SpeakingTimeSeconds, view.ProxyCap));
    }

    [Fact]
    public async Task TermNumbersAreUniqueWithinABody()
    {
        var bodyId = await _council.BodyIdAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            Admin.AddTermAsync(AdminActor, bodyId, new TermInput(2, "第二届", "2nd term", new DateOnly(2026, 1, 1), null)));

        Assert.Equal("Term.DuplicateNumber", ex.Code);
    }

    [Fact]
    public async Task AdminAddsAndEditsASeatLinkedByUserName()
    {
        var (_, termId) = await NewBodyWithTermAsync();
        var orgs = await Admin.ListOrganisationsAsync(AdminActor);
        var property = orgs.Single(o => o.Key == "cl-org-004");

        var seat = await Admin.AddMemberAsync(AdminActor, termId, new MemberInput(" 刘玉峰 ", MemberRole.Member, property.Id, "  STAKEHOLDER "));
        var added = (await Admin.GetTermAsync(AdminActor, termId)).Members.Single(m => m.Id == seat);
        Assert.Equal(("刘玉峰", MemberRole.Member, property.Name, "stakeholder"), (added.Name, added.Role, added.Organisation, added.UserName));
        Assert.True(added.IsActive);
        Assert.False(added.HasHistory);

        await Admin.EditMemberAsync(AdminActor, seat, new MemberInput("刘玉峰(物业)", MemberRole.ViceChair, null, null));
        var edited = (await Admin.GetTermAsync(AdminActor, termId)).Members.Single(m => m.Id == seat);
        Assert.Equal(("刘玉峰(物业)", MemberRole.ViceChair, (string?)null, (string?)null), (edited.Name, edited.Role, edited.Organisation, edited.UserName));
    }

    [Fact]
    public async Task AnAccountHoldsOneSeatPerTerm()
    {
        var (_, termId) = await NewBodyWithTermAsync();
        var first = await Admin.AddMemberAsync(AdminActor, termId, new MemberInput("孟祥东", MemberRole.ThirdPartyAssessor, null, "expert"));
        var second = await Admin.AddMemberAsync(AdminActor, termId, new MemberInput("另一人", MemberRole.Member, null, null));

        var add = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput("孟祥东", MemberRole.Member, null, "Expert")));
        Assert.Equal("Membership.DuplicateUser", add.Code);

        var link = await Assert.ThrowsAsync<DomainException>(() => Admin.EditMemberAsync(AdminActor, second, new MemberInput("另一人", MemberRole.Member, null, "expert")));
        Assert.Equal("Membership.DuplicateUser", link.Code);

        // An ended seat keeps its account: it is reinstated, not duplicated.
        await Admin.EndSeatAsync(AdminActor, first, "任期内调离");
        var again = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput("孟祥东", MemberRole.Member, null, "expert")));
        Assert.Equal("Membership.DuplicateUser", again.Code);
        Assert.Equal(2, (await Admin.GetTermAsync(AdminActor, termId)).Members.Count);
    }

    [Fact]
    public async Task UnknownAccountsAndOrganisationsAreRefused()
    {
        var (_, termId) = await NewBodyWithTermAsync();

        var user = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput("张三", MemberRole.Member, null, "no-such-user")));
        Assert.Equal("Membership.UnknownUser", user.Code);

        var org = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput("张三", MemberRole.Member, 999_999, null)));
        Assert.Equal("Membership.UnknownOrganisation", org.Code);

        var role = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput("张三", (MemberRole)99, null, null)));
        Assert.Equal("Membership.UnknownRole", role.Code);

        var name = await Assert.ThrowsAsync<DomainException>(() => Admin.AddMemberAsync(AdminActor, termId, new MemberInput(new string('张', Limits.Name + 1), MemberRole.Member, null, null)));
        Assert.Equal("Membership.Name.TooLong", name.Code);

        Assert.Empty((await Admin.GetTermAsync(AdminActor, termId)).Members);
    }

    [Fact]
    public async Task UnknownIdsAreReportedAsNotFound()
    {
        Assert.Equal("Body.NotFound", (await Assert.ThrowsAsync<DomainException>(() => Admin.GetBodyAsync(AdminActor, 999_999))).Code);
        Assert.Equal("Body.TermNotFound", (await Assert.ThrowsAsync<DomainException>(() => Admin.GetTermAsync(AdminActor, 999_999))).Code);
        Assert.Equal("Membership.NotFound", (await Assert.ThrowsAsync<DomainException>(() => Admin.EndSeatAsync(AdminActor, 999_999, null))).Code);
    }

    internal static MemoryStream Csv(string text, bool bom = false) =>
        new((bom ? System.Text.Encoding.UTF8.GetPreamble() : []).Concat(System.Text.Encoding.UTF8.GetBytes(text)).ToArray());

    private async Task<(int BodyId, int TermId)> NewBodyWithTermAsync()
    {
        var bodyId = await Admin.CreateBodyAsync(AdminActor, new BodyInput(NewKey("seats"), "席位测试议事会", "Seat test council", BodyKind.ConsultationCouncil));
        var termId = await Admin.AddTermAsync(AdminActor, bodyId, new TermInput(1, "第一届", "1st term", new DateOnly(2026, 1, 1), null));
        return (bodyId, termId);
    }

    private async Task<int> TermIdAsync(string bodyKey)
    {
        await using var db = await _council.DbAsync();
        return await db.Terms.Where(t => t.Body.Key == bodyKey).OrderByDescending(t => t.Number).Select(t => t.Id).FirstAsync();
    }

    /// <summary>Everything an administrator could change, as one comparable string.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = await _council.DbAsync();
        var bodies = await db.Bodies.AsNoTracking().OrderBy(b => b.Id)
            .Select(b => $"{b.Id}|{b.Key}|{b.Name}|{b.NameEn}|{b.ParentId}|{b.Quorum.Numerator}/{b.Quorum.Denominator}|{b.SpeakingTimeSeconds}|{b.ProxyCapPerHolder}").ToListAsync();
        var terms = await db.Terms.AsNoTracking().OrderBy(t => t.Id).Select(t => $"{t.Id}|{t.BodyId}|{t.Number}|{t.Name}").ToListAsync();
        var seats = await db.Memberships.AsNoTracking().OrderBy(m => m.Id).Select(m => $"{m.Id}|{m.Name}|{m.Role}|{m.OrganisationId}|{m.UserId}|{m.EndedAtUtc}").ToListAsync();
        return string.Join("\n", bodies.Concat(terms).Concat(seats));
    }
}
