using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>The read models of a hearing, shared by the secretariat's and the public service.</summary>
internal static class HearingQueries
{
    public static bool IsOf(SessionLogEvent entry, int hearingId) => entry is IHearingEntry h && h.HearingId == hearingId;

    public static async Task<HearingReportHeader> ReportHeaderAsync(DeliberationDbContext db, Hearing hearing, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == hearing.SessionId).Select(s => new { s.Title, Body = s.Body.Name }).SingleAsync(ct);
        return new HearingReportHeader(hearing.Topic, session.Body, session.Title, hearing.StartsAtUtc, hearing.Place, hearing.Seats);
    }

    public static async Task<HearingNoticeView> NoticeAsync(DeliberationDbContext db, Hearing hearing, DateTime nowUtc, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == hearing.SessionId)
            .Select(s => new { s.Title, Body = s.Body.Name, BodyEn = s.Body.NameEn }).SingleAsync(ct);
        var counts = await db.HearingRegistrations.AsNoTracking().Where(r => r.HearingId == hearing.Id)
            .GroupBy(r => new { r.Category, r.Status }).Select(g => new { g.Key.Category, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var seats = hearing.Seats.Select(s => new SeatsView(s.Category, s.Seats, counts.Where(c => c.Category == s.Category).Sum(c => c.Count),
            counts.Where(c => c.Category == s.Category && c.Status == RegistrationStatus.Selected).Sum(c => c.Count))).ToList();
        var testimonies = hearing.Stage >= HearingStage.Live
            ? await db.HearingRegistrations.AsNoTracking()
                .Where(r => r.HearingId == hearing.Id && r.Status == RegistrationStatus.Selected && r.Testimony != null)
                .OrderBy(r => r.Category).ThenBy(r => r.Id)
                .Select(r => new TestimonyView(r.Name, r.Category, r.Position, r.Testimony!)).ToListAsync(ct)
            : [];
        return new HearingNoticeView(hearing.Id, hearing.SessionId, session.Title, session.Body, session.BodyEn, hearing.Topic, hearing.Background, hearing.Place,
            hearing.StartsAtUtc, hearing.RegistrationDeadlineUtc, hearing.Stage, hearing.TestimonyLimit, hearing.SpeakingSeconds, seats,
            hearing.AcceptsRegistrations(nowUtc), hearing.Stage >= HearingStage.ReportPublished ? hearing.ReportMarkdown : null, hearing.FeedbackMarkdown, testimonies);
    }

    public static async Task<HearingManagementView> ManagementAsync(DeliberationDbContext db, Hearing hearing, bool mayPrepare, bool mayModerate, CancellationToken ct)
    {
        var notice = await NoticeAsync(db, hearing, DateTime.UtcNow, ct) with
        {
            ReportMarkdown = hearing.ReportMarkdown,
        };
        var registrations = await db.HearingRegistrations.AsNoTracking().Where(r => r.HearingId == hearing.Id).OrderBy(r => r.Id)
            .Select(r => new RegistrationRow(r.Id, r.Name, r.Category, r.Affiliation, r.Contact, r.Position, r.Testimony, r.TrackingCode, r.Status, r.Reason,
                r.WaitingPlace, r.CreatedAtUtc, r.CheckedInAtUtc)).ToListAsync(ct);
        var balance = hearing.Seats.Select(s =>
        {
            var inCategory = registrations.Where(r => r.Category == s.Category).ToList();
            var selected = inCategory.Where(r => r.Status == RegistrationStatus.Selected).ToList();
            return new BalanceRow(s.Category, s.Seats, inCategory.Count, inCategory.Count(r => r.Status == RegistrationStatus.Registered), selected.Count,
                inCategory.Count(r => r.Status == RegistrationStatus.WaitingList), selected.Count(r => r.Position == HearingPosition.Support),
                selected.Count(r => r.Position == HearingPosition.Oppose), selected.Count(r => r.Position == HearingPosition.Other));
        }).ToList();
        var draws = (await db.HearingDraws.AsNoTracking().Where(d => d.HearingId == hearing.Id).ToListAsync(ct))
            .OrderBy(d => d.DrawnAtUtc).Select(d => new DrawRow(d.Category, d.Seed, d.Candidates, d.Seats, d.Order, d.DrawnAtUtc)).ToList();
        var speeches = (await db.HearingSpeeches.AsNoTracking().Where(s => s.HearingId == hearing.Id).ToListAsync(ct))
            .OrderBy(s => s.StartedAtUtc).ThenBy(s => s.Id)
            .Select(s => new SpeechRow(s.Id, s.RegistrationId, s.SpeakerName, s.Category, s.Position, s.StartedAtUtc, s.EndedAtUtc, s.AllowedSeconds, s.WasSkipped, s.Summary,
                s.AskedBy))
            .ToList();
        var comments = (await db.HearingComments.AsNoTracking().Where(c => c.HearingId == hearing.Id).ToListAsync(ct))
            .OrderBy(c => c.CreatedAtUtc).ThenBy(c => c.Id)
            .Select(c => new CommentRow(c.Id, c.AuthorName, c.Category, c.Position, c.Text, c.CreatedAtUtc, c.HiddenReason)).ToList();
        var issues = hearing.Issues.OrderBy(i => i.Number).Select(i => new IssueRow(i.Id, i.Number, i.Title, i.SpeechIds, i.CommentIds, i.Response)).ToList();

        var turns = speeches.Where(s => !s.IsPanelQuestion).Select(s => new WaitingSpeaker(s.RegistrationId, s.Category, s.Position)).ToList();
        var called = turns.Select(s => s.RegistrationId).ToHashSet();
        var waiting = registrations.Where(r => r.Status == RegistrationStatus.Selected && !called.Contains(r.Id)).ToList();
        var order = Order(waiting.Where(r => r.CheckedInAtUtc is not null).Select(r => new WaitingSpeaker(r.Id, r.Category, r.Position)), turns);
        var minutes = await db.Minutes.AsNoTracking().Where(m => m.SessionId == hearing.SessionId).Select(m => (MinutesStatus?)m.Status).SingleOrDefaultAsync(ct);
        return new HearingManagementView(notice, balance, registrations, draws, speeches, speeches.FirstOrDefault(s => s.Id == hearing.CurrentSpeechId),
            order, comments, issues, hearing.IssuesWithoutResponse.Select(i => i.Title).ToList(), mayPrepare, mayModerate)
        {
            NotPresent = waiting.Where(r => r.CheckedInAtUtc is null).ToList(),
            ReportApproved = minutes is MinutesStatus.Approved or MinutesStatus.Published,
        };
    }

    /// <summary>
    /// The live speaking order: those present (checked in) who have not had their turn, arranged by <see cref="SpeakingOrder"/>
    /// after the turns so far (panel questions are not turns).
    /// </summary>
    public static IReadOnlyList<WaitingSpeaker> Order(IEnumerable<WaitingSpeaker> presentWaiting, IReadOnlyList<WaitingSpeaker> turns) =>
        SpeakingOrder.Arrange(presentWaiting, turns);
}
