using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Consultations;

/// <summary>
/// Brings "1+X+1" consultations into a stage through the real services. In Chengli the convener (<c>convener</c>)
/// convenes and <c>expert</c> is the assessor office; in Jiangchuan (the matrix's body) its chair convenes.
/// Blocs get accounts as members: any account may be chosen for a bloc (a resident representative needs no seat).
/// </summary>
public sealed class ConsultationDesk(SeededDatabaseFixture fixture)
{
    public const string ChengliKey = "chengli-consultation-council";

    public JiangchuanCouncil Council { get; } = new(fixture);

    public ConsultationService Consultations { get; } = fixture.Database.Services.GetRequiredService<ConsultationService>();

    public ConsultationQueries Queries { get; } = fixture.Database.Services.GetRequiredService<ConsultationQueries>();

    public LedgerService Ledger { get; } = fixture.Database.Services.GetRequiredService<LedgerService>();

    public Actor Convener => Council.ActorFor("convener", Roles.Chair);

    public Actor Expert => Council.ActorFor("expert", Roles.Expert);

    public Actor Stakeholder => Council.ActorFor("stakeholder", Roles.Stakeholder);

    public static AssessmentInput Assessment() => new("技术可行:管网可分段更换。", "符合物业管理条例,维修资金使用须经业主大会同意。", "约 38 万元(占位估算)", "施工期间停暖风险,须在供暖季前完工。", "建议实施,分两期更换。");

    public static LedgerItemInput FollowUp(string title = "更换清华园小区暖气管道") =>
        new(title, "协商议定,物业公司负责。", LedgerOwnerKind.MemberUnit, "物业公司", null, "清华园小区", new DateOnly(2026, 10, 31));

    public Task<DeliberationDbContext> DbAsync() => Council.DbAsync();

    public async Task<int> ChengliIdAsync()
    {
        await using var db = await DbAsync();
        return await db.Bodies.Where(b => b.Key == ChengliKey).Select(b => b.Id).SingleAsync();
    }

    /// <summary>A consultation session of the body, scheduled by <paramref name="convener"/>.</summary>
    public async Task<int> SessionAsync(Actor convener, int bodyId)
    {
        var input = JiangchuanCouncil.Input("“1+X+1”协商会议", bodyId) with { Kind = SessionKind.Consultation };
        return await Council.Sessions.ScheduleAsync(convener, input);
    }

    /// <summary>A Chengli consultation on the heating pipes, in preparation, without blocs.</summary>
    public async Task<int> ChengliAsync(bool important = true, ConsultationSource source = ConsultationSource.None, int? sourceId = null)
    {
        var session = await SessionAsync(Convener, await ChengliIdAsync());
        return await Consultations.CreateAsync(Convener, session, new ConsultationInput("清华园小区暖气管道修缮", "清华园小区暖气管道老化,跑冒滴漏。", important, source, sourceId));
    }

    /// <summary>
    /// A consultation with three blocs: the property company (spokesperson <c>stakeholder</c>), the owners' committee
    /// (spokesperson <paramref name="owners"/>, with <paramref name="ownersMember"/> as a second member), the resident
    /// representatives (spokesperson <paramref name="residents"/>). Returns the consultation and the blocs' ids.
    /// </summary>
    public async Task<(int Id, int Property, int Owners, int Residents)> WithBlocsAsync(Actor convener, int consultationId, Actor owners, Actor residents, Actor? ownersMember = null,
        Actor? property = null)
    {
        var p = await Consultations.AddBlocAsync(convener, consultationId, "PropertyCompany", "物业公司");
        await Consultations.AddMemberAsync(convener, p, UserName(property ?? Stakeholder), null, true);
        var o = await Consultations.AddBlocAsync(convener, consultationId, "OwnersCommittee", "业主委员会");
        await Consultations.AddMemberAsync(convener, o, UserName(owners), null, true);
        if (ownersMember is not null)
        {
            await Consultations.AddMemberAsync(convener, o, UserName(ownersMember), null, false);
        }

        var r = await Consultations.AddBlocAsync(convener, consultationId, "ResidentRepresentatives", "居民代表");
        await Consultations.AddMemberAsync(convener, r, UserName(residents), null, true);
        return (consultationId, p, o, r);
    }

    /// <summary>A Chengli consultation with three blocs, one round held, assessed when important, the decision step open.</summary>
    public async Task<(int Id, int Property, int Owners, int Residents)> DecidingAsync(DecisionMethod method, bool important = false)
    {
        var c = await WithBlocsAsync(Convener, await ChengliAsync(important), Council.Rep(11), Council.Rep(12), Council.Rep(13));
        await Consultations.OpenRoundAsync(Convener, c.Id);
        await Consultations.CloseRoundAsync(Convener, c.Id);
        if (important)
        {
            await Consultations.FileAssessmentAsync(Expert, c.Id, Assessment());
        }

        await Consultations.OpenDecisionAsync(Convener, c.Id, method);
        return c;
    }

    // ---- For the authorization matrix: Jiangchuan, its chair convening -------------------------------------------

    /// <summary>A Jiangchuan consultation (not important) in preparation, convened by its chair.</summary>
    public async Task<int> JiangchuanAsync()
    {
        var session = await SessionAsync(Council.Chair, await Council.BodyIdAsync());
        return await Consultations.CreateAsync(Council.Chair, session, new ConsultationInput("小区停车协商", "消防通道晚上经常停满车。", false));
    }

    /// <summary>A Jiangchuan consultation with three blocs; <paramref name="member"/> is the property bloc's spokesperson.</summary>
    public async Task<(int Id, int Property, int Owners, int Residents)> JiangchuanWithBlocsAsync(Actor member) =>
        await WithBlocsAsync(Council.Chair, await JiangchuanAsync(), Council.Rep(141), Council.Rep(142), ownersMember: Council.Rep(143), property: member);

    /// <summary>A Jiangchuan consultation with one round held and the decision step open.</summary>
    public async Task<(int Id, int Property, int Owners, int Residents)> JiangchuanDecidingAsync(Actor member, DecisionMethod method)
    {
        var c = await JiangchuanWithBlocsAsync(member);
        await Consultations.OpenRoundAsync(Council.Chair, c.Id);
        await Consultations.CloseRoundAsync(Council.Chair, c.Id);
        await Consultations.OpenDecisionAsync(Council.Chair, c.Id, method);
        return c;
    }

    public string UserName(Actor actor) => fixture.UserIds.Single(u => u.Value == actor.UserId).Key;
}
