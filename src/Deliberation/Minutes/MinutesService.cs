using CommunityDeliberation.Deliberation.Archive;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Minutes;

public sealed record MinutesVersionView(int Number, string? Reason, string LogHash, int LogEntries, string ContentHash, DateTime UpdatedAtUtc, DateTime? PublishedAtUtc);

public sealed record CorrectionView(int Id, int VersionNumber, string MemberName, string Text, DateTime CreatedAtUtc, bool? Accepted, string? Resolution);

/// <summary>The minutes workflow page: what the viewer may do, the working text, versions and corrections.</summary>
public sealed record MinutesWorkView(
    int Id, SessionSummary Session, MinutesStatus Status, string WorkingMarkdown, int WorkingNumber,
    IReadOnlyList<MinutesVersionView> Versions, IReadOnlyList<CorrectionView> Corrections,
    bool CanEdit, bool CanApprove, bool CanPublish, bool CanCorrect, bool CanRequestCorrection);

/// <summary>
/// Generating minutes from the session log and taking them through review, approval and publication.
/// The secretary (or the chair) edits; attendees file corrections while circulated; the chair approves.
/// </summary>
public sealed class MinutesService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, IOptions<DisplayOptions> display, SessionLogSigner signer)
{
    private readonly TimeZoneInfo _zone = display.Value.Zone;

    /// <summary>Generates the minutes of a closed session from its log (or regenerates a still untouched draft).</summary>
    public async Task<int> GenerateAsync(Actor actor, int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().Include(s => s.Agenda).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        await AuthorizeRecorderAsync(db, actor, session, ct);
        var hearing = await db.Hearings.AsNoTracking().SingleOrDefaultAsync(h => h.SessionId == sessionId, ct);
        if (hearing is not null)
        {
            // A hearing's minutes are its report: generated once the report is drafted (comments closed), not when the session closes.
            if (hearing.Stage < HearingStage.ReportDrafted)
            {
                throw new DomainException("Hearing.WrongStage", nameof(HearingStage.ReportDrafted));
            }
        }
        else if (session.Status != SessionStatus.Closed)
        {
            throw new DomainException("Minutes.SessionNotClosed");
        }

        var (markdown, log) = await RenderAsync(db, session, _zone, ct);
        var existing = await db.Minutes.SingleOrDefaultAsync(m => m.SessionId == sessionId, ct);
        if (existing is not null)
        {
            existing.Edit(markdown, actor.UserId, Now);
            await db.SaveChangesAsync(ct);
            return existing.Id;
        }

        var minutes = SessionMinutes.Generate(sessionId, markdown, LogHead.Of(log), actor.UserId, Now);
        db.Minutes.Add(minutes);
        await db.SaveChangesAsync(ct);
        return minutes.Id;
    }

    /// <summary>The Markdown the generator makes for a session now (used by generation and by the benchmark).</summary>
    public async Task<string> PreviewAsync(int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().Include(s => s.Agenda).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        return (await RenderAsync(db, session, _zone, ct)).Markdown;
    }

    public async Task<int?> FindBySessionAsync(int sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Minutes.Where(m => m.SessionId == sessionId).Select(m => (int?)m.Id).SingleOrDefaultAsync(ct);
    }

    public async Task<MinutesWorkView> GetAsync(Actor actor, int minutesId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == minutes.SessionId, ct);
        var summary = await SessionService.SummaryQuery(db.Sessions.Where(s => s.Id == session.Id)).SingleAsync(ct);
        var offices = await OfficeReader.InTermAsync(db, actor, session.TermId, ct);
        var isChair = MinutesPermissions.MayApprove(offices);
        var isRecorder = MinutesPermissions.MayRecord(offices);
        var attendee = await AttendeeAsync(db, actor, session, ct);
        Permit.Require(minutes.LatestPublished is not null || MinutesPermissions.MayReadUnpublished(offices, attendee is not null));

        return new MinutesWorkView(
            minutes.Id, summary, minutes.Status, isRecorder || minutes.Status == MinutesStatus.Circulated ? minutes.Working.Markdown : minutes.LatestPublished?.Markdown ?? string.Empty,
            minutes.Working.Number,
            minutes.Versions.OrderBy(v => v.Number).Select(v => new MinutesVersionView(v.Number, v.Reason, v.LogHash, v.LogEntries, v.ContentHash, v.UpdatedAtUtc, v.PublishedAtUtc)).ToList(),
            minutes.Corrections.OrderBy(c => c.CreatedAtUtc).Select(c => new CorrectionView(c.Id, c.VersionNumber, c.MemberName, c.Text, c.CreatedAtUtc, c.Accepted, c.Resolution)).ToList(),
            CanEdit: isRecorder && minutes.Status is MinutesStatus.Draft or MinutesStatus.Circulated,
            CanApprove: isChair && minutes.Status is MinutesStatus.Draft or MinutesStatus.Circulated,
            CanPublish: isRecorder && minutes.Status == MinutesStatus.Approved,
            CanCorrect: isRecorder && minutes.Status == MinutesStatus.Published,
            CanRequestCorrection: attendee is not null && minutes.Status == MinutesStatus.Circulated);
    }

    public Task SaveAsync(Actor actor, int minutesId, string? markdown, CancellationToken ct = default) =>
        UpdateAsync(actor, minutesId, recorderOnly: true, (m, _) => m.Edit(markdown, actor.UserId, Now), ct);

    public Task CirculateAsync(Actor actor, int minutesId, CancellationToken ct = default) =>
        UpdateAsync(actor, minutesId, recorderOnly: true, (m, _) => m.Circulate(), ct);

    public Task ResolveCorrectionAsync(Actor actor, int minutesId, int correctionId, bool accepted, string? note, CancellationToken ct = default) =>
        UpdateAsync(actor, minutesId, recorderOnly: true, (m, _) =>
            (m.Corrections.SingleOrDefault(c => c.Id == correctionId) ?? throw new NotFoundException("Correction", correctionId)).Resolve(accepted, note), ct);

    public Task StartCorrectionAsync(Actor actor, int minutesId, string? reason, CancellationToken ct = default) =>
        UpdateAsync(actor, minutesId, recorderOnly: true, (m, _) => m.StartCorrection(reason, actor.UserId, Now), ct);

    public async Task ApproveAsync(Actor actor, int minutesId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var minutes = await db.Minutes.SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == minutes.SessionId, ct);
        Permit.Require(MinutesPermissions.MayApprove(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Minutes.OnlyChairApproves");

        // A hearing's report is approved complete: every issue answered (checked again when it is published).
        var hearing = await db.Hearings.AsNoTracking().Include(h => h.Issues).SingleOrDefaultAsync(h => h.SessionId == session.Id, ct);
        hearing?.RequireEveryIssueAnswered();
        minutes.Approve(actor.UserId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Publishes the approved version: frozen from now on, indexed for search, shown in the public archive. For a
    /// hearing's session this is the one way its report is published: the hearing's gate runs first (refused while any
    /// issue has no response, naming them), and the hearing records the published text and its step in the log.
    /// </summary>
    public async Task PublishAsync(Actor actor, int minutesId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var minutes = await db.Minutes.SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == minutes.SessionId, ct);
        await AuthorizeRecorderAsync(db, actor, session, ct);
        await PublishInAsync(db, minutes, session, actor.UserId, Now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The publication step inside the caller's transaction (also used by the demo seed).</summary>
    internal static async Task PublishInAsync(DeliberationDbContext db, SessionMinutes minutes, Session session, string? userId, DateTime nowUtc, CancellationToken ct)
    {
        var version = minutes.Publish(nowUtc);
        var hearing = await db.Hearings.Include(h => h.Issues).SingleOrDefaultAsync(h => h.SessionId == session.Id, ct);
        if (hearing is not null)
        {
            if (hearing.Stage < HearingStage.ReportPublished)
            {
                hearing.PublishReport(version.Markdown, nowUtc);
                await SessionLog.AppendAsync(db, session.Id, new HearingStepEntry(hearing.Id, hearing.Stage.ToString(), null), userId, nowUtc, ct);
            }
            else
            {
                hearing.RefreshReport(version.Markdown);
            }
        }

        await db.SaveChangesAsync(ct);
        await MinutesSearchIndex.IndexAsync(db, minutes.Id, version.Id, session.Title, version.Markdown, ct);
    }

    /// <summary>An attendee of the session asks for a correction of circulated minutes.</summary>
    public async Task RequestCorrectionAsync(Actor actor, int minutesId, string? text, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var minutes = await db.Minutes.SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == minutes.SessionId, ct);
        var attendee = await AttendeeAsync(db, actor, session, ct) ?? throw new ForbiddenException("Minutes.OnlyAttendees");
        minutes.RequestCorrection(attendee.Id, attendee.Name, text, Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Checks the session's whole log chain now, and whether a version's log hash is in it.</summary>
    public async Task<(ChainVerification Chain, bool VersionHashInChain)> VerifyAsync(int minutesId, int versionNumber, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var version = minutes.Versions.SingleOrDefault(v => v.Number == versionNumber && v.PublishedAtUtc != null) ?? throw new NotFoundException("MinutesVersion", versionNumber);
        var entries = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == minutes.SessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        var chain = SessionLogChain.Verify(entries, signer);
        var inChain = version.LogHash == SessionLogEntry.Genesis && entries.Count == 0
            || entries.Any(e => e.Hash == version.LogHash && e.Sequence == version.LogEntries);
        return (chain, inChain);
    }

    private async Task UpdateAsync(Actor actor, int minutesId, bool recorderOnly, Action<SessionMinutes, Session> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var minutes = await db.Minutes.SingleOrDefaultAsync(m => m.Id == minutesId, ct) ?? throw new NotFoundException("Minutes", minutesId);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == minutes.SessionId, ct);
        if (recorderOnly)
        {
            await AuthorizeRecorderAsync(db, actor, session, ct);
        }

        change(minutes, session);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The minutes of a session as generated now from its log (also used by the demo seed).</summary>
    internal static async Task<(string Markdown, List<SessionLogEntry> Log)> RenderAsync(DeliberationDbContext db, Session session, TimeZoneInfo zone, CancellationToken ct)
    {
        var log = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == session.Id).OrderBy(e => e.Sequence).ToListAsync(ct);
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == session.BodyId, ct);
        var term = await db.Terms.AsNoTracking().SingleAsync(t => t.Id == session.TermId, ct);
        var chair = await db.Users.AsNoTracking().Where(u => u.Id == session.ChairUserId).Select(u => u.DisplayName).SingleAsync(ct);
        // Seats held when the session met: a seat ended later still counts for this session's minutes.
        var met = session.OpenedAtUtc ?? session.ScheduledAtUtc;
        var seated = db.Memberships.AsNoTracking().Where(m => m.TermId == session.TermId && (m.EndedAtUtc == null || m.EndedAtUtc > met));
        var recorder = await seated.Where(m => m.Role == MemberRole.Secretary).OrderBy(m => m.Id).Select(m => m.Name).FirstOrDefaultAsync(ct);
        var voting = await seated.Where(m => Membership.VotingRoles.Contains(m.Role)).Select(m => m.Id).ToListAsync(ct);
        var members = voting.Count;
        var kind = session.Kind switch
        {
            SessionKind.PublicHearing => "听证会",
            SessionKind.Consultation => "“1+X+1”协商",
            _ => "议事会会议",
        };
        var hearing = await db.Hearings.AsNoTracking().Include("_seats").SingleOrDefaultAsync(h => h.SessionId == session.Id, ct);
        var header = new MinutesHeader(body.Name, term.Name, session.Number, kind, session.Title, session.ScheduledAtUtc, session.Place, chair, recorder, members,
            session.Agenda.Select(a => (a.Position, a.Id, a.Title, a.PlannedMinutes)).ToList(), body.Quorum.Required(members),
            hearing is null ? null : new MinutesHearing(hearing.Id, hearing.Topic, hearing.Seats), voting.ToHashSet());
        return (MinutesGenerator.Generate(header, log, zone), log);
    }

    private static async Task AuthorizeRecorderAsync(DeliberationDbContext db, Actor actor, Session session, CancellationToken ct)
    {
        Permit.Require(MinutesPermissions.MayRecord(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Secretariat");
    }

    private static async Task<(int Id, string Name)?> AttendeeAsync(DeliberationDbContext db, Actor actor, Session session, CancellationToken ct)
    {
        var row = await (from a in db.Attendances
                         join m in db.Memberships on a.MembershipId equals m.Id
                         where a.SessionId == session.Id && m.UserId == actor.UserId
                         select new { m.Id, m.Name }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.Id, row.Name);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
