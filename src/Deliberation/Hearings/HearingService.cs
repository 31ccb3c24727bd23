using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Notifications;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Shared.Authority;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// The secretariat's and the moderator's commands on a hearing (<see cref="HearingPermissions"/>, offices in the term
/// of the hearing's session). Every step is written to the session's log in the same transaction
/// (<see cref="HearingStepEntry"/> and the other hearing entries); the report is generated from that log (<see cref="HearingReport"/>). The public
/// side (notice, registration, tracking, comments) is <see cref="HearingPublicService"/>.
/// </summary>
public sealed class HearingService(IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, IOptions<DisplayOptions> display, ISessionEventPublisher events,
    HearingFeedbackNotices feedbackNotices, LedgerFollowUps followUps)
{
    /// <summary>The public-hearing sessions of the bodies whose secretariat this person is in, with their hearing if any.</summary>
    public async Task<IReadOnlyList<HearingSessionOption>> ListSessionsAsync(Actor? actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var termIds = (await OfficeReader.EverywhereAsync(db, actor, ct)).Where(HearingPermissions.MayPrepare).Select(o => o.TermId).ToList();
        return await (
            from s in db.Sessions.AsNoTracking()
            where s.Kind == SessionKind.PublicHearing && termIds.Contains(s.TermId)
            join h in db.Hearings on s.Id equals h.SessionId into hs
            from h in hs.DefaultIfEmpty()
            orderby s.ScheduledAtUtc descending
            select new HearingSessionOption(s.Id, s.Title, s.Body.Name, s.Body.NameEn, s.ScheduledAtUtc, s.Place, h == null ? null : h.Id)).ToListAsync(ct);
    }

    /// <summary>Creates the hearing of a public-hearing session as a draft notice. Returns its id.</summary>
    public async Task<int> CreateAsync(Actor actor, int sessionId, HearingNotice notice, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("Session", sessionId);
        Permit.Require(HearingPermissions.MayPrepare(await OfficeReader.InTermAsync(db, actor, session.TermId, ct)), "Office.Secretariat");
        if (session.Kind != SessionKind.PublicHearing)
        {
            throw new DomainException("Hearing.NotAHearingSession");
        }

        if (await db.Hearings.AnyAsync(h => h.SessionId == sessionId, ct))
        {
            throw new DomainException("Hearing.AlreadyExists");
        }

        var hearing = Hearing.Create(sessionId, session.BodyId, session.TermId, notice, Now);
        db.Hearings.Add(hearing);
        await SaveAsync(db, ct);
        return hearing.Id;
    }

    public Task EditNoticeAsync(Actor actor, int hearingId, HearingNotice notice, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, (_, h) =>
        {
            h.Edit(notice);
            return Task.FromResult<SessionLogEvent?>(null);
        }, ct);

    public Task PublishNoticeAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, (_, h) => Step(h, () => h.PublishNotice(Now)), ct);

    public Task OpenRegistrationAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, (_, h) => Step(h, () => h.OpenRegistration(Now)), ct);

    public Task CloseRegistrationAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, (_, h) => Step(h, h.CloseRegistration), ct);

    /// <summary>Selects a registrant, declines them with a reason, or puts them on the waiting list.</summary>
    public async Task DecideAsync(Actor actor, int registrationId, RegistrationStatus status, string? reason, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            switch (status)
            {
                case RegistrationStatus.Selected:
                    var taken = await db.HearingRegistrations.CountAsync(r => r.HearingId == hearingId && r.Category == registration.Category && r.Status == RegistrationStatus.Selected, ct);
                    h.Select(registration, taken);
                    break;
                case RegistrationStatus.NotSelected:
                    h.Decline(registration, reason);
                    break;
                case RegistrationStatus.WaitingList:
                    h.PutOnWaitingList(registration);
                    break;
                default:
                    throw new DomainException("Hearing.UnknownDecision");
            }

            return new HearingDecidedEntry(hearingId, registration.Id, registration.Name, registration.Category.ToString(), registration.Position.ToString(),
                registration.Status.ToString(), registration.Reason);
        }, ct);
    }

    /// <summary>The fair draw in an oversubscribed category, from a fresh random seed that is recorded with the result.</summary>
    public async Task<FairDraw.Result> DrawAsync(Actor actor, int hearingId, ParticipantCategory category, CancellationToken ct = default)
    {
        FairDraw.Result? result = null;
        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var registrations = await db.HearingRegistrations.Where(r => r.HearingId == hearingId && r.Category == category).ToListAsync(ct);
            result = h.Draw(category, registrations, FairDraw.NewSeed());
            db.HearingDraws.Add(new HearingDraw(hearingId, category, result, actor.UserId, Now));
            foreach (var r in registrations.Where(r => result.Candidates.Contains(r.Id)))
            {
                await SessionLog.AppendAsync(db, h.SessionId, new HearingDecidedEntry(hearingId, r.Id, r.Name, r.Category.ToString(), r.Position.ToString(), r.Status.ToString(), null),
                    actor.UserId, Now, ct);
            }

            return new HearingDrawnEntry(hearingId, category.ToString(), result.SeedHex, result.Candidates, result.Seats, result.Order);
        }, ct);
        return result!;
    }

    /// <summary>The secretary checks in a registrant who arrived in person (no account needed); only those present get the floor.</summary>
    public async Task CheckInAsync(Actor actor, int registrationId, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            h.CheckIn(registration, Now);
            return new HearingCheckedInEntry(hearingId, registration.Id, registration.Name, registration.Category.ToString(), registration.Position.ToString(),
                registration.CheckedInAtUtc!.Value);
        }, ct);
    }

    // ---- Moderation -------------------------------------------------------------------------------------------------

    public Task GoLiveAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var selected = await db.HearingRegistrations.CountAsync(r => r.HearingId == hearingId && r.Status == RegistrationStatus.Selected, ct);
            return await Step(h, () => h.GoLive(selected));
        }, ct);

    /// <summary>Gives the floor to a selected participant (checked in by the secretary at the door, or online).</summary>
    public async Task GiveFloorAsync(Actor actor, int registrationId, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            var speech = h.GiveFloor(registration, Now);
            db.HearingSpeeches.Add(speech);
            await db.SaveChangesAsync(ct);
            h.Started(speech);
            return new HearingFloorEntry(hearingId, speech.Id, registration.Id, speech.SpeakerName, speech.Category.ToString(), speech.Position.ToString(),
                speech.StartedAtUtc, speech.AllowedSeconds);
        }, ct);
    }

    public Task ExtendAsync(Actor actor, int hearingId, int seconds, CancellationToken ct = default) =>
        ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var speech = await CurrentSpeechAsync(db, h, ct);
            h.Extend(speech, seconds);
            return new HearingExtendedEntry(hearingId, speech.Id, seconds, speech.AllowedSeconds);
        }, ct);

    public Task EndSpeechAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var speech = await CurrentSpeechAsync(db, h, ct);
            h.EndSpeech(speech, Now);
            return Spoke(speech);
        }, ct);

    /// <summary>
    /// Gives the floor to a panel question: a panel member or expert (<paramref name="askedBy"/>) asks a selected, present
    /// participant, who answers; timed, extended and ended like a speech, and logged with its times.
    /// </summary>
    public async Task GivePanelQuestionAsync(Actor actor, int registrationId, string? askedBy, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            var speech = h.GivePanelQuestion(registration, askedBy, Now);
            db.HearingSpeeches.Add(speech);
            await db.SaveChangesAsync(ct);
            h.Started(speech);
            return new HearingQuestionEntry(hearingId, speech.Id, speech.AskedBy!, registration.Id, speech.SpeakerName, speech.StartedAtUtc, speech.AllowedSeconds);
        }, ct);
    }

    /// <summary>A selected participant who did not arrive is marked absent when their turn comes (logged; in the report).</summary>
    public async Task MarkAbsentAsync(Actor actor, int registrationId, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            var called = await db.HearingSpeeches.AnyAsync(s => s.RegistrationId == registrationId && s.AskedBy == null, ct);
            if (called)
            {
                throw new DomainException("Hearing.AlreadyCalled");
            }

            var speech = h.MarkAbsent(registration, Now);
            db.HearingSpeeches.Add(speech);
            await db.SaveChangesAsync(ct);
            return new HearingAbsentEntry(hearingId, speech.Id, registration.Id, registration.Name, registration.Category.ToString(), registration.Position.ToString(),
                speech.StartedAtUtc);
        }, ct);
    }

    /// <summary>A selected participant was called and passed, or is absent: the turn is recorded as skipped.</summary>
    public async Task SkipAsync(Actor actor, int registrationId, CancellationToken ct = default)
    {
        var hearingId = await HearingOfRegistrationAsync(registrationId, ct);
        await ModerateAsync(actor, hearingId, async (db, h) =>
        {
            var registration = await db.HearingRegistrations.SingleAsync(r => r.Id == registrationId, ct);
            var speech = h.Skip(registration, Now);
            db.HearingSpeeches.Add(speech);
            await db.SaveChangesAsync(ct);
            return Spoke(speech);
        }, ct);
    }

    /// <summary>The spoken part ends; written comments stay open until the report is drafted.</summary>
    public Task OpenCommentsAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        ModerateAsync(actor, hearingId, (_, h) => Step(h, h.OpenComments), ct);

    // ---- After the hearing -------------------------------------------------------------------------------------------

    public async Task SummarizeAsync(Actor actor, int speechId, string? summary, CancellationToken ct = default)
    {
        int hearingId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            hearingId = await db.HearingSpeeches.Where(s => s.Id == speechId).Select(s => (int?)s.HearingId).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Speech", speechId);
        }

        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var speech = await db.HearingSpeeches.SingleAsync(s => s.Id == speechId, ct);
            await RequireMinutesNotApprovedAsync(db, h, ct);
            h.Summarize(speech, summary);
            return new HearingSummarizedEntry(hearingId, speech.Id, speech.Summary);
        }, ct);
    }

    /// <summary>Hides an off-topic or abusive written comment, with a reason (kept out of the report).</summary>
    public async Task HideCommentAsync(Actor actor, int commentId, string? reason, CancellationToken ct = default)
    {
        int hearingId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            hearingId = await db.HearingComments.Where(c => c.Id == commentId).Select(c => (int?)c.HearingId).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Comment", commentId);
        }

        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var comment = await db.HearingComments.SingleAsync(c => c.Id == commentId, ct);
            if (comment.HiddenReason is not null)
            {
                throw new DomainException("Hearing.CommentAlreadyHidden");
            }

            comment.Hide(reason);
            return new HearingCommentHiddenEntry(hearingId, comment.Id, comment.HiddenReason!);
        }, ct);
    }

    /// <summary>Groups speeches and comments of the hearing into one issue raised. Returns the issue's id.</summary>
    public async Task<int> RaiseIssueAsync(Actor actor, int hearingId, string? title, IReadOnlyCollection<int> speechIds, IReadOnlyCollection<int> commentIds, CancellationToken ct = default)
    {
        HearingIssue? issue = null;
        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var known = await db.HearingSpeeches.CountAsync(s => s.HearingId == hearingId && speechIds.Contains(s.Id) && !s.WasSkipped, ct)
                + await db.HearingComments.CountAsync(c => c.HearingId == hearingId && commentIds.Contains(c.Id) && c.HiddenReason == null, ct);
            if (known != speechIds.Distinct().Count() + commentIds.Distinct().Count())
            {
                throw new DomainException("Hearing.UnknownSource");
            }

            await RequireMinutesNotApprovedAsync(db, h, ct);
            issue = h.RaiseIssue(title, speechIds, commentIds);
            await db.SaveChangesAsync(ct);
            return new HearingIssueEntry(hearingId, issue.Id, issue.Number, issue.Title, issue.SpeechIds, issue.CommentIds);
        }, ct);
        return issue!.Id;
    }

    public async Task RespondAsync(Actor actor, int issueId, string? response, CancellationToken ct = default)
    {
        int hearingId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            hearingId = await db.HearingIssues.Where(i => i.Id == issueId).Select(i => (int?)i.HearingId).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Issue", issueId);
        }

        await PrepareAsync(actor, hearingId, async (db, h) =>
        {
            await RequireMinutesNotApprovedAsync(db, h, ct);
            var issue = h.Respond(issueId, response);
            return new HearingResponseEntry(hearingId, issue.Id, issue.Response!);
        }, ct);
    }

    /// <summary>
    /// Closes written comments and drafts the report from the log. The report is then published as the minutes of the
    /// hearing's session (<see cref="MinutesService"/>: generate, review, approve, publish), the one path where the
    /// gate on unanswered issues runs.
    /// </summary>
    public Task DraftReportAsync(Actor actor, int hearingId, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, async (db, h) =>
        {
            var markdown = await ReportAsync(db, h, ct);
            return await Step(h, () => h.DraftReport(markdown));
        }, ct);

    /// <summary>Publishes what was decided and how the hearing changed it; the report gains it as its last section.</summary>
    public Task PublishFeedbackAsync(Actor actor, int hearingId, string? feedback, CancellationToken ct = default) =>
        PrepareAsync(actor, hearingId, async (db, h) =>
        {
            h.PublishFeedback(feedback, Now);
            await SessionLog.AppendAsync(db, h.SessionId, new HearingStepEntry(hearingId, nameof(HearingStage.FeedbackPublished), h.FeedbackMarkdown), actor.UserId, Now, ct);
            await followUps.OnHearingFeedbackAsync(db, hearingId, h.BodyId, h.Topic, h.FeedbackMarkdown, actor.UserId, Now, ct);
            h.RefreshReport(await ReportAsync(db, h, ct));
            await feedbackNotices.AddAsync(db, h, Now, ct);
            return null;
        }, ct);

    // ---- Reading ----------------------------------------------------------------------------------------------------

    /// <summary>Everything about the hearing for its secretariat and moderator (contacts included); refused to everyone else.</summary>
    public async Task<HearingManagementView> GetManagementAsync(Actor actor, int hearingId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hearing = await db.Hearings.AsNoTracking().Include(h => h.Issues).Include("_seats").SingleOrDefaultAsync(h => h.Id == hearingId, ct)
            ?? throw new NotFoundException("Hearing", hearingId);
        var offices = await OfficeReader.InTermAsync(db, actor, hearing.TermId, ct);
        Permit.Require(HearingPermissions.MaySeeContacts(offices), "Office.Secretariat");
        return await HearingQueries.ManagementAsync(db, hearing, HearingPermissions.MayPrepare(offices), HearingPermissions.MayModerate(offices), ct);
    }

    // ---- Plumbing ---------------------------------------------------------------------------------------------------

    private Task PrepareAsync(Actor actor, int hearingId, Func<DeliberationDbContext, Hearing, Task<SessionLogEvent?>> work, CancellationToken ct) =>
        RunAsync(actor, hearingId, HearingPermissions.MayPrepare, "Office.Secretariat", work, ct);

    private Task ModerateAsync(Actor actor, int hearingId, Func<DeliberationDbContext, Hearing, Task<SessionLogEvent?>> work, CancellationToken ct) =>
        RunAsync(actor, hearingId, HearingPermissions.MayModerate, "Office.Presides", work, ct);

    /// <summary>
    /// One command: load the hearing, authorize from the offices in its session's term, run the domain step, append
    /// its log entry, save, all in one transaction (again from the start when another writer took the log's next number).
    /// </summary>
    private async Task RunAsync(Actor actor, int hearingId, Func<Offices, bool> may, string refusal, Func<DeliberationDbContext, Hearing, Task<SessionLogEvent?>> work, CancellationToken ct)
    {
        try
        {
            await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
            {
                var hearing = await db.Hearings.Include(h => h.Issues).Include("_seats").SingleOrDefaultAsync(h => h.Id == hearingId, ct)
                    ?? throw new NotFoundException("Hearing", hearingId);
                Permit.Require(may(await OfficeReader.InTermAsync(db, actor, hearing.TermId, ct)), refusal);
                var entry = await work(db, hearing);
                if (entry is not null)
                {
                    await SessionLog.AppendAsync(db, hearing.SessionId, entry, actor.UserId, Now, ct);
                }

                await db.SaveChangesAsync(ct);
                return true;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Hearing.ChangedMeanwhile");
        }

        // Observers of the live page reload once per change (HearingChanged).
        await events.PublishAsync(new HearingChanged(hearingId), ct);
    }

    /// <summary>
    /// Once the chair approved the hearing's report (the minutes of its session), what it says is fixed: issues, their
    /// responses and the summaries no longer change (a published report changes only through a minutes correction).
    /// </summary>
    private static async Task RequireMinutesNotApprovedAsync(DeliberationDbContext db, Hearing hearing, CancellationToken ct)
    {
        var status = await db.Minutes.Where(m => m.SessionId == hearing.SessionId).Select(m => (MinutesStatus?)m.Status).SingleOrDefaultAsync(ct);
        if (status is MinutesStatus.Approved or MinutesStatus.Published)
        {
            throw new DomainException("Hearing.ReportApproved");
        }
    }

    private static Task<SessionLogEvent?> Step(Hearing hearing, Action step)
    {
        step();
        return Task.FromResult<SessionLogEvent?>(new HearingStepEntry(hearing.Id, hearing.Stage.ToString(), null));
    }

    private static HearingSpokeEntry Spoke(HearingSpeech s) =>
        new(s.HearingId, s.Id, s.RegistrationId, s.SpeakerName, s.Category.ToString(), s.Position.ToString(), s.StartedAtUtc, s.EndedAtUtc ?? s.StartedAtUtc,
            s.SpokeSeconds ?? 0, s.AllowedSeconds, s.WasSkipped);

    private static async Task<HearingSpeech> CurrentSpeechAsync(DeliberationDbContext db, Hearing hearing, CancellationToken ct) =>
        hearing.CurrentSpeechId is { } id ? await db.HearingSpeeches.SingleAsync(s => s.Id == id, ct) : throw new DomainException("Hearing.NobodySpeaking");

    private async Task<int> HearingOfRegistrationAsync(int registrationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HearingRegistrations.Where(r => r.Id == registrationId).Select(r => (int?)r.HearingId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Registration", registrationId);
    }

    /// <summary>The report from the session log's hearing entries, including those added (not yet saved) in this unit of work.</summary>
    private async Task<string> ReportAsync(DeliberationDbContext db, Hearing hearing, CancellationToken ct)
    {
        var stored = await db.SessionLog.AsNoTracking().Where(e => e.SessionId == hearing.SessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        var pending = db.ChangeTracker.Entries<SessionLogEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(e => e.Sequence);
        var entries = stored.Concat(pending).Select(SessionLog.TryRead).OfType<SessionLogEvent>().Where(e => HearingQueries.IsOf(e, hearing.Id)).ToList();
        var header = await HearingQueries.ReportHeaderAsync(db, hearing, ct);
        return HearingReport.Write(header, entries, display.Value.Zone);
    }

    private static async Task SaveAsync(DeliberationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new DomainException("Hearing.AlreadyExists");
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
