using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Projects;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Consultations;
using CommunityDeliberation.Tests.Hearings;
using CommunityDeliberation.Tests.Proposals;
using CommunityDeliberation.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>Which body a target belongs to: this body (Jiangchuan) or the other one (Chengli, chaired by <c>convener</c>).</summary>
public enum OfBody
{
    Jiangchuan,
    Chengli,
}

/// <summary>A session of a body: its id, term and first two agenda items.</summary>
public sealed record Meeting(int SessionId, int TermId, int FirstItemId, int SecondItemId);

/// <summary>A session with a vote on its first item.</summary>
public sealed record Vote(Meeting Meeting, int PollId);

/// <summary>A proposal with one amendment.</summary>
public sealed record AmendedProposal(int ProposalId, int AmendmentId);

/// <summary>A proposal on the agenda of an open session with quorum, the session moved to its item.</summary>
public sealed record OnAgenda(Meeting Meeting, int ProposalId, int ItemId);

/// <summary>A comment in a proposal's discussion.</summary>
public sealed record Discussed(int ProposalId, int CommentId);

/// <summary>A speaker's request in a session.</summary>
public sealed record Request(Meeting Meeting, int RequestId);

/// <summary>The minutes of a closed session.</summary>
public sealed record MinutesOf(Meeting Meeting, int MinutesId);

/// <summary>A body made by the administrator for one row, with a term and one seat.</summary>
public sealed record FreshBody(int BodyId, int TermId, int SeatId);

/// <summary>
/// What the rows of the matrix set up their targets and call services with: the real services on the seeded database,
/// the actors, and the steps that bring a fresh target into a state, each taken through the services by the chair,
/// the secretary, the convener or representatives. The representative playing <see cref="ActorKind.Member"/> is the
/// row's own; the steps use representatives from <see cref="Author"/> upwards as authors, co-sponsors, speakers and
/// proxy holders (<see cref="JiangchuanCouncil.EnsureQuorumAsync"/> checks them in with the rest of the room).
/// </summary>
public sealed class MatrixStage
{
    public const int Author = 140;
    public const int SponsorA = 141;
    public const int SponsorB = 142;
    public const int OtherSpeaker = 143;
    public const int HolderA = 144;
    public const int HolderB = 145;

    public const string Text = ProposalDesk.Text;

    private readonly SeededDatabaseFixture _fixture;
    private readonly JiangchuanCouncil _council;

    public MatrixStage(SeededDatabaseFixture fixture, int memberRep)
    {
        _fixture = fixture;
        _council = new JiangchuanCouncil(fixture);
        MemberRep = memberRep;
        var services = fixture.Database.Services;
        Sessions = services.GetRequiredService<SessionService>();
        Voting = services.GetRequiredService<VotingService>();
        Speakers = services.GetRequiredService<SpeakerService>();
        Proposals = services.GetRequiredService<ProposalService>();
        Amendments = services.GetRequiredService<AmendmentService>();
        Comments = services.GetRequiredService<CommentService>();
        Topics = services.GetRequiredService<TopicService>();
        Minutes = services.GetRequiredService<MinutesService>();
        Bodies = services.GetRequiredService<BodyAdminService>();
        Ledger = services.GetRequiredService<LedgerService>();
        Projects = services.GetRequiredService<ProjectService>();
        Accounts = services.GetRequiredService<AccountService>();
        Notices = services.GetRequiredService<NoticeService>();
        Follows = services.GetRequiredService<LedgerFollowService>();
        Hearings = new HearingDesk(fixture);
        Consultations = new ConsultationDesk(fixture);
        Anonymous = new Actor($"no-account-{Guid.NewGuid():N}", new HashSet<string>());
    }

    public SessionService Sessions { get; }

    public LedgerService Ledger { get; }

    public ProjectService Projects { get; }

    public VotingService Voting { get; }

    public SpeakerService Speakers { get; }

    public ProposalService Proposals { get; }

    public AmendmentService Amendments { get; }

    public CommentService Comments { get; }

    public TopicService Topics { get; }

    public MinutesService Minutes { get; }

    public BodyAdminService Bodies { get; }

    public AccountService Accounts { get; }

    public NoticeService Notices { get; }

    public LedgerFollowService Follows { get; }
    /// <summary>Hearings of this body brought into a stage by its secretary and chair (<see cref="HearingDesk"/>).</summary>
    public HearingDesk Hearings { get; }

    /// <summary>Consultations of this body convened by its chair (<see cref="ConsultationDesk"/>).</summary>
    public ConsultationDesk Consultations { get; }

    /// <summary>The representative number of this row's <see cref="ActorKind.Member"/>.</summary>
    public int MemberRep { get; }

    public Actor Member => Rep(MemberRep);

    public Actor Chair => _council.Chair;

    public Actor Secretary => _council.Secretary;

    public Actor Admin => _council.Admin;

    public Actor Resident => _council.ActorFor("resident", Roles.Resident);

    public Actor Convener => _council.ActorFor("convener", Roles.Chair);

    public Actor Stakeholder => _council.ActorFor("stakeholder", Roles.Stakeholder);

    public Actor Anonymous { get; }

    public Actor Rep(int number) => _council.Rep(number);

    public Caller CallerFor(ActorKind kind) => new(kind, kind switch
    {
        ActorKind.Anonymous => Anonymous,
        ActorKind.Resident => Resident,
        ActorKind.Member => Member,
        ActorKind.OtherMember => Stakeholder,
        ActorKind.Chair => Chair,
        ActorKind.OtherChair => Convener,
        ActorKind.Secretary => Secretary,
        ActorKind.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    public Task<DeliberationDbContext> DbAsync() => _fixture.Database.Factory.CreateDbContextAsync();

    // ---- Bodies and seats ----------------------------------------------------------------------------------

    public static string KeyOf(OfBody body) => body == OfBody.Jiangchuan ? JiangchuanCouncil.BodyKey : ProposalDesk.OtherBodyKey;

    public Actor ChairOf(OfBody body) => body == OfBody.Jiangchuan ? Chair : Convener;

    public async Task<int> BodyIdAsync(OfBody body = OfBody.Jiangchuan)
    {
        await using var db = await DbAsync();
        var key = KeyOf(body);
        return await db.Bodies.Where(b => b.Key == key).Select(b => b.Id).SingleAsync();
    }

    /// <summary>The seat of this person in the body's current term.</summary>
    public async Task<int> SeatAsync(Actor person, OfBody body = OfBody.Jiangchuan)
    {
        await using var db = await DbAsync();
        var key = KeyOf(body);
        return await db.Memberships.Where(m => m.Term.Body.Key == key && m.UserId == person.UserId && m.EndedAtUtc == null)
            .OrderByDescending(m => m.Term.Number).Select(m => m.Id).FirstAsync();
    }

    /// <summary>Every seat still held in the body's current term.</summary>
    public async Task<List<int>> SeatsAsync(OfBody body)
    {
        await using var db = await DbAsync();
        var key = KeyOf(body);
        var term = await db.Terms.Where(t => t.Body.Key == key).OrderByDescending(t => t.Number).Select(t => t.Id).FirstAsync();
        return await db.Memberships.Where(m => m.TermId == term && m.EndedAtUtc == null).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
    }

    /// <summary>A seat to check in at the door: <see cref="OtherSpeaker"/> in Jiangchuan, a member without an account in Chengli.</summary>
    public async Task<int> DoorSeatAsync(OfBody body)
    {
        await using var db = await DbAsync();
        var key = KeyOf(body);
        var term = await db.Terms.Where(t => t.Body.Key == key).OrderByDescending(t => t.Number).Select(t => t.Id).FirstAsync();
        return body == OfBody.Jiangchuan
            ? await SeatAsync(Rep(OtherSpeaker))
            : await db.Memberships.Where(m => m.TermId == term && m.EndedAtUtc == null && m.UserId == null && m.Role == MemberRole.Member)
                .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
    }

    // ---- Sessions and votes --------------------------------------------------------------------------------

    /// <summary>The body's chair schedules a session with two agenda items.</summary>
    public async Task<Meeting> DraftSessionAsync(OfBody body = OfBody.Jiangchuan)
    {
        var input = JiangchuanCouncil.Input("矩阵测试会议", await BodyIdAsync(body)) with
        {
            Kind = body == OfBody.Jiangchuan ? SessionKind.CouncilSession : SessionKind.Consultation,
        };
        var sessionId = await Sessions.ScheduleAsync(ChairOf(body), input);
        await using var db = await DbAsync();
        var session = await db.Sessions.AsNoTracking().Include(s => s.Agenda).SingleAsync(s => s.Id == sessionId);
        var items = session.Agenda.OrderBy(a => a.Position).Select(a => a.Id).ToList();
        return new Meeting(sessionId, session.TermId, items[0], items[1]);
    }

    /// <summary>A session opened by its chair, with these people checked in by the chair.</summary>
    public async Task<Meeting> OpenSessionAsync(OfBody body, params Actor[] present)
    {
        var meeting = await DraftSessionAsync(body);
        await Sessions.OpenAsync(ChairOf(body), meeting.SessionId);
        if (present.Length > 0)
        {
            var seats = new List<int>();
            foreach (var person in present)
            {
                seats.Add(await SeatAsync(person, body));
            }

            await Sessions.CheckInMembersAsync(ChairOf(body), meeting.SessionId, seats);
        }

        return meeting;
    }

    public Task<Meeting> OpenSessionAsync(params Actor[] present) => OpenSessionAsync(OfBody.Jiangchuan, present);

    /// <summary>An open session with these people checked in and the quorum made up by the chair.</summary>
    public async Task<Meeting> QuorateSessionAsync(OfBody body, params Actor[] present)
    {
        var meeting = await OpenSessionAsync(body, present);
        if (body == OfBody.Jiangchuan)
        {
            await _council.EnsureQuorumAsync(meeting.SessionId);
        }
        else
        {
            await Sessions.CheckInMembersAsync(Convener, meeting.SessionId, await SeatsAsync(OfBody.Chengli));
        }

        return meeting;
    }

    public Task<Meeting> QuorateSessionAsync(params Actor[] present) => QuorateSessionAsync(OfBody.Jiangchuan, present);

    /// <summary>A quorate session with a draft yes / no / abstain vote on its first item.</summary>
    public async Task<Vote> DraftPollAsync()
    {
        var meeting = await QuorateSessionAsync();
        return new Vote(meeting, await Voting.CreatePollAsync(Chair, meeting.SessionId, JiangchuanCouncil.Motion(meeting.FirstItemId)));
    }

    /// <summary>A quorate session with an open vote on its first item; these people are checked in.</summary>
    public async Task<Vote> OpenPollAsync(OfBody body, params Actor[] present)
    {
        var meeting = await QuorateSessionAsync(body, present);
        return new Vote(meeting, await Voting.OpenPollAsync(ChairOf(body), meeting.SessionId, meeting.FirstItemId, JiangchuanCouncil.Question));
    }

    public Task<Vote> OpenPollAsync(params Actor[] present) => OpenPollAsync(OfBody.Jiangchuan, present);

    /// <summary>A vote the chair has closed, with one ballot in it.</summary>
    public async Task<Vote> ClosedPollAsync()
    {
        var vote = await OpenPollAsync(Rep(SponsorA));
        await Voting.CastAsync(Rep(SponsorA), vote.PollId, BallotChoice.Yes);
        await Voting.ClosePollAsync(Chair, vote.PollId);
        return vote;
    }

    /// <summary>A session the chair opened and closed, these people checked in.</summary>
    public async Task<Meeting> ClosedSessionAsync(OfBody body, params Actor[] present)
    {
        var meeting = await OpenSessionAsync(body, present);
        await Sessions.CloseAsync(ChairOf(body), meeting.SessionId);
        return meeting;
    }

    /// <summary>A draft session where the row's member gave their proxy to <see cref="HolderA"/> and the chair to <see cref="HolderB"/>.</summary>
    public async Task<Meeting> DelegatedAsync()
    {
        var meeting = await DraftSessionAsync();
        await Sessions.DelegateAsync(Member, meeting.SessionId, await SeatAsync(Rep(HolderA)));
        await Sessions.DelegateAsync(Chair, meeting.SessionId, await SeatAsync(Rep(HolderB)));
        return meeting;
    }

    // ---- Speakers ------------------------------------------------------------------------------------------

    /// <summary>
    /// An open session where <see cref="OtherSpeaker"/> and then the row's member asked to speak on the first item;
    /// the target is the member's waiting request (second in the queue).
    /// </summary>
    public async Task<Request> WaitingRequestAsync()
    {
        var meeting = await OpenSessionAsync(Member, Rep(OtherSpeaker));
        await Speakers.RequestAsync(Rep(OtherSpeaker), meeting.SessionId, meeting.FirstItemId, SpeakerMark.Pro);
        return new Request(meeting, await Speakers.RequestAsync(Member, meeting.SessionId, meeting.FirstItemId, SpeakerMark.Contra));
    }

    /// <summary>The row's member has the floor.</summary>
    public async Task<Request> SpeakingRequestAsync()
    {
        var request = await WaitingRequestAsync();
        await Speakers.GrantAsync(Chair, request.RequestId);
        return request;
    }

    // ---- Proposals -----------------------------------------------------------------------------------------

    /// <summary>The author of the body's proposals in a step: <see cref="Author"/> in Jiangchuan, <c>stakeholder</c> in Chengli.</summary>
    public Actor AuthorOf(OfBody body) => body == OfBody.Jiangchuan ? Rep(Author) : Stakeholder;

    public async Task<int> DraftAsync(Actor author, OfBody body = OfBody.Jiangchuan) =>
        await Proposals.CreateAsync(author, new ProposalInput(await BodyIdAsync(body), "关于楼道加装扶手的提案", Text, ProposalCategory.Facilities, null));

    public async Task<int> SubmittedAsync(Actor author, OfBody body = OfBody.Jiangchuan)
    {
        var id = await DraftAsync(author, body);
        await Proposals.SubmitAsync(author, id);
        return id;
    }

    public Task<int> SubmittedAsync(OfBody body = OfBody.Jiangchuan) => SubmittedAsync(AuthorOf(body), body);

    /// <summary>A submitted proposal of <see cref="Author"/> with the council's two co-sponsors.</summary>
    public async Task<int> CoSponsoredAsync()
    {
        var id = await SubmittedAsync();
        await Proposals.CoSponsorAsync(Rep(SponsorA), id);
        await Proposals.CoSponsorAsync(Rep(SponsorB), id);
        return id;
    }

    /// <summary>A submitted proposal with an amendment to its first paragraph by <paramref name="by"/>.</summary>
    public async Task<AmendedProposal> AmendmentAsync(Actor by, OfBody body = OfBody.Jiangchuan)
    {
        var id = await SubmittedAsync(body);
        return new AmendedProposal(id, await Amendments.ProposeAmendmentAsync(by, id, 0, "部分楼道没有扶手。", null));
    }

    /// <summary>A co-sponsored proposal on the agenda of a quorate session, which the chair moved to it.</summary>
    public async Task<OnAgenda> UnderDeliberationAsync()
    {
        var id = await CoSponsoredAsync();
        var meeting = await QuorateSessionAsync();
        var itemId = await Proposals.PlaceOnAgendaAsync(Chair, id, meeting.SessionId, 20);
        await Sessions.MoveToAgendaItemAsync(Chair, meeting.SessionId, itemId);
        return new OnAgenda(meeting, id, itemId);
    }

    /// <summary>A proposal under deliberation whose vote on its item the chair has closed; the target is that vote.</summary>
    public async Task<(OnAgenda Deliberation, int PollId)> DecidableAsync()
    {
        var deliberation = await UnderDeliberationAsync();
        var pollId = await Voting.OpenPollAsync(Chair, deliberation.Meeting.SessionId, deliberation.ItemId, "是否通过该提案?");
        await Voting.CastAsync(Rep(SponsorA), pollId, BallotChoice.Yes);
        await Voting.ClosePollAsync(Chair, pollId);
        return (deliberation, pollId);
    }

    /// <summary>A proposal under deliberation with an amendment by <see cref="SponsorA"/>.</summary>
    public async Task<(OnAgenda Deliberation, int AmendmentId)> AmendmentUnderDeliberationAsync()
    {
        var deliberation = await UnderDeliberationAsync();
        return (deliberation, await Amendments.ProposeAmendmentAsync(Rep(SponsorA), deliberation.ProposalId, 0, "部分楼道没有扶手。", null));
    }

    // ---- Discussion ----------------------------------------------------------------------------------------

    /// <summary>A comment by <paramref name="author"/> on a submitted proposal of the body.</summary>
    public async Task<Discussed> CommentAsync(Actor author, OfBody body = OfBody.Jiangchuan)
    {
        var proposalId = await SubmittedAsync(body);
        return new Discussed(proposalId, await Comments.PostAsync(author, proposalId, null, CommentStance.Support, "同意,楼道扶手很有必要。"));
    }

    /// <summary>A comment of <see cref="Author"/>, reported by <see cref="SponsorA"/> and hidden by the secretary.</summary>
    public async Task<Discussed> HiddenCommentAsync()
    {
        var discussed = await CommentAsync(Rep(Author));
        await Comments.ReportAsync(Rep(SponsorA), discussed.CommentId, "离题");
        await Comments.HideAsync(Secretary, discussed.CommentId, "离题");
        return discussed;
    }

    // ---- Topics --------------------------------------------------------------------------------------------

    /// <summary>A resident's topic sent to the body through the public form (from a source of its own).</summary>
    public async Task<int> TopicAsync(OfBody body = OfBody.Jiangchuan)
    {
        var receipt = await Topics.SubmitAsync(
            new TopicInput(await BodyIdAsync(body), "小区晚上停车太乱", "消防通道晚上经常停满车。", ProposalCategory.Parking, "王阿姨", "138-0000-1234"),
            $"matrix-{Guid.NewGuid():N}");
        await using var db = await DbAsync();
        return await db.TopicSubmissions.Where(t => t.TrackingCode == receipt.TrackingCode).Select(t => t.Id).SingleAsync();
    }

    // ---- Ledger --------------------------------------------------------------------------------------------

    /// <summary>
    /// A ledger item of the body, recorded by its chair and owned by <paramref name="owner"/> (a person with an account)
    /// when given, brought to <paramref name="status"/> (open, in progress or done); with <paramref name="escalatedTo"/>,
    /// referred to that body.
    /// </summary>
    public async Task<int> LedgerItemAsync(OfBody body = OfBody.Jiangchuan, LedgerStatus status = LedgerStatus.Open, Actor? owner = null, OfBody? escalatedTo = null)
    {
        var keeper = body == OfBody.Jiangchuan ? Chair : Convener;
        var id = await Ledger.RecordAsync(keeper, await BodyIdAsync(body), new LedgerItemInput(
            "修复3号楼供暖管道", "协商决定:物业公司负责更换管道。", owner is null ? LedgerOwnerKind.Office : LedgerOwnerKind.Person,
            owner is null ? "物业公司" : "负责人", owner?.UserId, "清华园小区", new DateOnly(2026, 12, 31), LedgerSource.Consultation));
        if (status >= LedgerStatus.InProgress)
        {
            await Ledger.ReportProgressAsync(keeper, id, "已开工");
        }

        if (status >= LedgerStatus.Done)
        {
            await Ledger.MarkDoneAsync(keeper, id, "已完工");
        }

        if (escalatedTo is { } target)
        {
            await Ledger.EscalateAsync(keeper, id, await BodyIdAsync(target), "需要街道协调资金");
        }

        return id;
    }

    /// <summary>A ledger item of this body that the row's member follows.</summary>
    public async Task<int> FollowedLedgerItemAsync()
    {
        var id = await LedgerItemAsync();
        await Follows.FollowAsync(Member, id);
        return id;
    }

    /// <summary>An unread notice of the row's member: they follow an item, the chair reports progress on it. Returns its id.</summary>
    public async Task<long> NoticeAsync()
    {
        var item = await FollowedLedgerItemAsync();
        await Ledger.ReportProgressAsync(Chair, item, "已开工");
        await using var db = await _fixture.Database.Factory.CreateDbContextAsync();
        return await db.Notices.Where(n => n.UserId == Member.UserId && n.Link == $"/ledger/{item}").Select(n => n.Id).SingleAsync();
    }

    // ---- Minutes -------------------------------------------------------------------------------------------

    /// <summary>
    /// Minutes of a closed session the row's member attended (in Chengli: the stakeholder), brought by the body's
    /// secretariat to <paramref name="status"/>; circulated minutes carry one correction request of that attendee.
    /// </summary>
    public async Task<MinutesOf> MinutesAsync(MinutesStatus status, OfBody body = OfBody.Jiangchuan)
    {
        var attendee = body == OfBody.Jiangchuan ? Member : Stakeholder;
        var chair = ChairOf(body);
        var meeting = await ClosedSessionAsync(body, attendee);
        var minutesId = await Minutes.GenerateAsync(chair, meeting.SessionId);
        if (status == MinutesStatus.Circulated)
        {
            await Minutes.CirculateAsync(chair, minutesId);
            await Minutes.RequestCorrectionAsync(attendee, minutesId, "第二项议程的时间记录有误。");
        }

        if (status is MinutesStatus.Approved or MinutesStatus.Published)
        {
            await Minutes.ApproveAsync(chair, minutesId);
        }

        if (status == MinutesStatus.Published)
        {
            await Minutes.PublishAsync(chair, minutesId);
        }

        return new MinutesOf(meeting, minutesId);
    }

    public async Task<int> CorrectionIdAsync(int minutesId)
    {
        await using var db = await DbAsync();
        return await db.Minutes.Where(m => m.Id == minutesId).SelectMany(m => m.Corrections).Select(c => c.Id).SingleAsync();
    }

    // ---- Bodies (administration) ---------------------------------------------------------------------------

    /// <summary>A new account without a seat, made by the administrator for one row: its user id.</summary>
    public async Task<string> FreshAccountAsync() =>
        (await Accounts.CreateAccountAsync(Admin, new NewAccountInput(NewKey("matrix-account"), "矩阵账号", null, null))).UserId;

    public static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    /// <summary>A body the administrator creates for the row, with a first term and one seat (no account).</summary>
    public async Task<FreshBody> FreshBodyAsync(bool seatEnded = false)
    {
        var bodyId = await Bodies.CreateBodyAsync(Admin, new BodyInput(NewKey("matrix"), "矩阵测试议事会", "Matrix test council", BodyKind.ConsultationCouncil));
        var termId = await Bodies.AddTermAsync(Admin, bodyId, new TermInput(1, "第一届", "1st term", new DateOnly(2026, 1, 1), null));
        var seatId = await Bodies.AddMemberAsync(Admin, termId, new MemberInput("测试成员", MemberRole.Member, null, null));
        if (seatEnded)
        {
            await Bodies.EndSeatAsync(Admin, seatId, "离任");
        }

        return new FreshBody(bodyId, termId, seatId);
    }

    public static MemoryStream Csv(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    // ---- Projects ------------------------------------------------------------------------------------------

    /// <summary>
    /// A service project the chair publishes in this body, for one unit: the unit the row's member holds a seat for. With
    /// <paramref name="claim"/> the member claims it; with <paramref name="confirmed"/> the chair confirms the claim.
    /// </summary>
    public async Task<Claimed> ProjectAsync(bool claim = false, bool confirmed = false)
    {
        var projectId = await Projects.PublishAsync(Chair, await BodyIdAsync(), new ProjectInput("矩阵认领项目", "为居民提供义诊。", ProjectCategory.ServiceGuidance, 1));
        int unit;
        await using (var db = await DbAsync())
        {
            var seat = await SeatAsync(Member);
            unit = await db.Memberships.Where(m => m.Id == seat).Select(m => m.OrganisationId!.Value).SingleAsync();
        }

        var claimId = claim || confirmed ? await Projects.ClaimAsync(Member, projectId, unit, null) : 0;
        if (confirmed)
        {
            await Projects.ConfirmAsync(Chair, claimId);
        }

        return new Claimed(projectId, unit, claimId);
    }
}

/// <summary>A service project, the unit of the row's member, and that unit's claim (0 when not claimed).</summary>
public sealed record Claimed(int ProjectId, int UnitId, int ClaimId);
