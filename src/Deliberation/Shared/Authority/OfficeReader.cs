using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.Deliberation.Shared.Authority;

/// <summary>
/// Reads a person's <see cref="Offices"/> from their seats. A body's current term is its latest (highest number); a
/// session, poll or speaker request belongs to the term its session was scheduled in.
/// </summary>
public static class OfficeReader
{
    /// <summary>The offices of a person in one term.</summary>
    public static async Task<Offices> InTermAsync(DeliberationDbContext db, Actor? actor, int termId, CancellationToken ct)
    {
        var bodyId = await db.Terms.Where(t => t.Id == termId).Select(t => (int?)t.BodyId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Term", termId);
        return await ReadAsync(db, actor, bodyId, termId, ct);
    }

    /// <summary>
    /// The offices of a person in a body's current term: none when the body has no term yet, or when
    /// <paramref name="today"/> is given and that term has ended.
    /// </summary>
    public static async Task<Offices> InBodyAsync(DeliberationDbContext db, Actor? actor, int bodyId, CancellationToken ct, DateOnly? today = null)
    {
        var term = await db.Terms.Where(t => t.BodyId == bodyId).OrderByDescending(t => t.Number).Select(t => new { t.Id, t.EndsOn }).FirstOrDefaultAsync(ct);
        return term is null || (today is { } day && term.EndsOn < day)
            ? Offices.None(actor, bodyId, term?.Id ?? 0)
            : await ReadAsync(db, actor, bodyId, term.Id, ct);
    }

    /// <summary>The person's offices in the current term of every body where they hold a seat.</summary>
    public static async Task<IReadOnlyList<Offices>> EverywhereAsync(DeliberationDbContext db, Actor? actor, CancellationToken ct, DateOnly? today = null)
    {
        if (actor is null)
        {
            return [];
        }

        var seats = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == actor.UserId && m.EndedAtUtc == null)
            .Where(m => m.Term.Number == db.Terms.Where(t => t.BodyId == m.Term.BodyId).Max(t => t.Number))
            .Where(m => today == null || m.Term.EndsOn == null || m.Term.EndsOn >= today)
            .Select(m => new { m.Id, m.Role, m.TermId, m.Term.BodyId })
            .ToListAsync(ct);
        return seats.Select(s => new Offices(actor.UserId, actor.IsAdmin, s.BodyId, s.TermId, s.Id, s.Role)).ToList();
    }

    private static async Task<Offices> ReadAsync(DeliberationDbContext db, Actor? actor, int bodyId, int termId, CancellationToken ct)
    {
        if (actor is null)
        {
            return Offices.None(null, bodyId, termId);
        }

        var seat = await db.Memberships.AsNoTracking()
            .Where(m => m.TermId == termId && m.UserId == actor.UserId && m.EndedAtUtc == null)
            .Select(m => new { m.Id, m.Role })
            .SingleOrDefaultAsync(ct);
        return seat is null
            ? Offices.None(actor, bodyId, termId)
            : new Offices(actor.UserId, actor.IsAdmin, bodyId, termId, seat.Id, seat.Role);
    }
}
