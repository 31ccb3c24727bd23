using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// The public side of hearings, without an account: the notice, registration (one per person, rate-limited per source
/// like topic intake), following a registration with its tracking code, written comments by registrants, and the
/// published report. Never shows a contact.
/// </summary>
public sealed class HearingPublicService(
    IDbContextFactory<DeliberationDbContext> dbFactory, TimeProvider clock, HearingIdentityKey identities, TopicSourceKey sources, IOptions<HearingOptions> options)
{
    /// <summary>
    /// By default at most this many registrations from one source per hour, and <see cref="PerDay"/> per day (all
    /// hearings); <see cref="HearingOptions"/> may set other limits.
    /// </summary>
    public const int PerHour = 5;

    public const int PerDay = 20;

    /// <summary>Hearings whose registration is open, soonest deadline first (for the home page).</summary>
    public async Task<IReadOnlyList<HearingSummary>> ListOpenAsync(CancellationToken ct = default)
    {
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await Summaries(db, h => h.Stage == HearingStage.RegistrationOpen && h.RegistrationDeadlineUtc >= now).ToListAsync(ct);
        return list.OrderBy(h => h.RegistrationDeadlineUtc).Take(20).ToList();
    }

    /// <summary>The newest published notices (at most <paramref name="max"/>), newest first, for the archive's Atom feed.</summary>
    public async Task<IReadOnlyList<HearingNoticeEntry>> ListNoticesAsync(int max = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (
            from h in db.Hearings.AsNoTracking().Where(h => h.Stage != HearingStage.Draft && h.NoticePublishedAtUtc != null)
            join s in db.Sessions on h.SessionId equals s.Id
            select new HearingNoticeEntry(h.Id, h.Topic, s.Body.Name, s.Body.NameEn, h.StartsAtUtc, h.Place, h.RegistrationDeadlineUtc, h.NoticePublishedAtUtc!.Value, h.Stage))
            .ToListAsync(ct);
        return rows.OrderByDescending(n => n.NoticePublishedAtUtc).ThenByDescending(n => n.Id).Take(max).ToList();
    }

    /// <summary>Every hearing whose notice is public, newest first (at most 100).</summary>
    public async Task<IReadOnlyList<HearingSummary>> ListPublicAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await Summaries(db, h => h.Stage != HearingStage.Draft).ToListAsync(ct);
        return list.OrderByDescending(h => h.StartsAtUtc).Take(100).ToList();
    }

    /// <summary>The public notice; null for an unknown hearing or one still in draft.</summary>
    public async Task<HearingNoticeView?> GetNoticeAsync(int hearingId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hearing = await db.Hearings.AsNoTracking().Include("_seats").SingleOrDefaultAsync(h => h.Id == hearingId, ct);
        return hearing is null || !hearing.IsPublic ? null : await HearingQueries.NoticeAsync(db, hearing, Now, ct);
    }

    /// <summary>
    /// Registers a person for a hearing. <paramref name="source"/> is the sender's address, kept only as a keyed hash
    /// for the rate limit. A second registration with the same contact (normalised) is refused with
    /// <c>Hearing.AlreadyRegistered</c>, also when both arrive at once (the unique index decides).
    /// </summary>
    public async Task<RegistrationReceipt> RegisterAsync(int hearingId, RegistrationInput input, string source, CancellationToken ct = default)
    {
        var sourceKey = sources.For(source);
        try
        {
            return await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
            {
                var now = Now;
                var hearing = await db.Hearings.Include("_seats").SingleOrDefaultAsync(h => h.Id == hearingId, ct);
                if (hearing is null || !hearing.IsPublic)
                {
                    throw new NotFoundException("Hearing", hearingId);
                }

                var identity = identities.For(hearingId, input.Contact);
                var registration = hearing.Register(input, identity, now);
                if (await db.HearingRegistrations.AnyAsync(r => r.HearingId == hearingId && r.IdentityKey == identity, ct))
                {
                    throw new DomainException("Hearing.AlreadyRegistered");
                }

                var recent = await db.HearingRegistrations.Where(r => r.SourceKey == sourceKey && r.CreatedAtUtc > now.AddDays(-1)).Select(r => r.CreatedAtUtc).ToListAsync(ct);
                var (perHour, perDay) = (options.Value.RegistrationsPerSourcePerHour, options.Value.RegistrationsPerSourcePerDay);
                if (recent.Count(t => t > now.AddHours(-1)) >= perHour || recent.Count >= perDay)
                {
                    throw new DomainException("Hearing.TooMany", perHour, perDay);
                }

                registration.From(sourceKey);
                db.HearingRegistrations.Add(registration);
                await db.SaveChangesAsync(ct);
                await SessionLog.AppendAsync(db, hearing.SessionId,
                    new HearingRegisteredEntry(hearingId, registration.Id, registration.Category.ToString(), registration.Position.ToString(), registration.Testimony is not null),
                    null, now, ct);
                await db.SaveChangesAsync(ct);
                return new RegistrationReceipt(registration.TrackingCode);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Retried until the attempts ran out: the same person kept winning the race against themselves.
            throw new DomainException("Hearing.AlreadyRegistered");
        }
    }

    /// <summary>What the registrant sees with the tracking code; null for an unknown code. Never the contact.</summary>
    public async Task<RegistrationStatusView?> TrackAsync(string? code, CancellationToken ct = default)
    {
        var normalized = Normalize(code);
        if (normalized is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await (
            from r in db.HearingRegistrations.AsNoTracking()
            where r.TrackingCode == normalized
            join h in db.Hearings on r.HearingId equals h.Id
            select new { r, h.Topic, h.Stage }).SingleOrDefaultAsync(ct);
        return row is null
            ? null
            : new RegistrationStatusView(row.r.TrackingCode, row.r.HearingId, row.Topic, row.r.Name, row.r.Category, row.r.Position, row.r.Status, row.r.Reason,
                row.r.WaitingPlace, row.Stage, row.Stage is HearingStage.Live or HearingStage.CommentsOpen);
    }

    /// <summary>A registrant's written comment during the hearing and until the report is drafted, with their tracking code.</summary>
    public async Task CommentAsync(string? code, string? text, CancellationToken ct = default)
    {
        var normalized = Normalize(code) ?? throw new DomainException("Hearing.UnknownCode");
        await SessionLog.InUnitOfWorkAsync(dbFactory, async db =>
        {
            var registration = await db.HearingRegistrations.SingleOrDefaultAsync(r => r.TrackingCode == normalized, ct) ?? throw new DomainException("Hearing.UnknownCode");
            var hearing = await db.Hearings.SingleAsync(h => h.Id == registration.HearingId, ct);
            if (!hearing.AcceptsComments)
            {
                throw new DomainException("Hearing.CommentsClosed");
            }

            var comment = new HearingComment(hearing.Id, registration.Id, registration.Name, registration.Category, registration.Position, text, Now);
            db.HearingComments.Add(comment);
            await db.SaveChangesAsync(ct);
            await SessionLog.AppendAsync(db, hearing.SessionId,
                new HearingCommentedEntry(hearing.Id, comment.Id, comment.AuthorName, comment.Category.ToString(), comment.Position.ToString(), comment.Text), null, Now, ct);
            await db.SaveChangesAsync(ct);
            return comment.Id;
        }, ct);
    }

    /// <summary>The live view for observers; null for an unknown hearing or one still in draft. One query set per change, shared by every observer.</summary>
    public async Task<HearingLiveView?> GetLiveAsync(int hearingId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hearing = await db.Hearings.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hearingId, ct);
        if (hearing is null || !hearing.IsPublic)
        {
            return null;
        }

        var selected = await db.HearingRegistrations.AsNoTracking().Where(r => r.HearingId == hearingId && r.Status == RegistrationStatus.Selected)
            .Select(r => new { r.Id, r.Name, r.Category, r.Position, Present = r.CheckedInAtUtc != null }).ToListAsync(ct);
        var speeches = (await db.HearingSpeeches.AsNoTracking().Where(s => s.HearingId == hearingId).ToListAsync(ct)).OrderBy(s => s.StartedAtUtc).ThenBy(s => s.Id).ToList();
        var turns = speeches.Where(s => !s.IsPanelQuestion).ToList();
        var called = turns.Select(s => s.RegistrationId).ToHashSet();
        var order = HearingQueries.Order(selected.Where(r => r.Present && !called.Contains(r.Id)).Select(r => new WaitingSpeaker(r.Id, r.Category, r.Position)),
            turns.Select(s => new WaitingSpeaker(s.RegistrationId, s.Category, s.Position)).ToList());
        var names = selected.ToDictionary(r => r.Id, r => r.Name);
        var current = speeches.FirstOrDefault(s => s.Id == hearing.CurrentSpeechId);
        return new HearingLiveView(hearing.Id, hearing.Topic, hearing.Stage, current is null ? null : new LiveSpeaker(current.SpeakerName, current.Category, current.Position),
            current?.StartedAtUtc, current?.AllowedSeconds ?? 0, order.Select(o => new LiveSpeaker(names[o.RegistrationId], o.Category, o.Position)).ToList(),
            turns.Count(s => !s.WasSkipped && s.EndedAtUtc is not null), current?.AskedBy);
    }

    private static string? Normalize(string? code)
    {
        var normalized = (code ?? string.Empty).Trim().ToUpperInvariant();
        return normalized.Length is 0 or > 16 ? null : normalized;
    }

    private static IQueryable<HearingSummary> Summaries(DeliberationDbContext db, System.Linq.Expressions.Expression<Func<Hearing, bool>> which) =>
        from h in db.Hearings.AsNoTracking().Where(which)
        join s in db.Sessions on h.SessionId equals s.Id
        select new HearingSummary(h.Id, h.SessionId, h.Topic, s.Body.Name, s.Body.NameEn, h.StartsAtUtc, h.Place, h.RegistrationDeadlineUtc, h.Stage);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
