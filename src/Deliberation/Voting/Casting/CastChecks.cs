using System.Collections.Concurrent;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting.Casting;

/// <summary>
/// A vote as the checks of a cast see it: the entity as read (never changed here), its term, its spec, and the proxies
/// in force in its session (delegator → holder), read with it.
/// </summary>
internal sealed record CastPoll(Poll Poll, int TermId, PollSpec Spec, IReadOnlyDictionary<int, int> Delegations)
{
    public int Id => Poll.Id;

    public int SessionId => Poll.SessionId;

    public Secrecy Secrecy => Poll.Secrecy;
}

/// <summary>A member's seat in a term, as the eligibility check needs it.</summary>
internal sealed record Seat(int MembershipId, MemberRole Role);

/// <summary>
/// What the checks of a cast read, kept so that a burst of ballots does not read it again for every ballot (ADR 0008).
/// Only what cannot turn a refusal into an acceptance (or the other way round) is kept:
/// <list type="bullet">
/// <item>an open vote's method, options, session and term — fixed once it is open; its status is not trusted from here
/// (the writer's guarded <c>UPDATE … WHERE Status = 'Open'</c> decides), and the entry is dropped when the vote closes,
/// changes or refuses a write;</item>
/// <item>with it, the proxies in force for that vote — they cannot be given or taken back while a vote is open, and
/// each vote reads them afresh; the entry is dropped on <see cref="ProxiesChanged"/> all the same;</item>
/// <item>a term's seats — only the seed loader creates seats and none is ever changed; a user without a seat is looked up
/// again every time;</item>
/// <item>who has checked in — a check-in is never undone, so only "present" is kept; a member not seen present is read
/// again, so a ballot right after a check-in is accepted.</item>
/// </list>
/// Entries of a session are dropped on its events, received from the event bus (so from every instance once a
/// cross-instance transport exists). Every entry carries the session's version: an entry read while an event arrived
/// is used once and not kept. An open session is followed once it is watched or takes a ballot here; when a vote opens
/// in it (<see cref="PollOpened"/>, on every instance), its vote and seats are read at once rather than by the first
/// batch of its burst, and a vote already open when a screen joins is read then.
/// </summary>
public sealed class CastChecks(ISessionEventSubscriber subscriber, IDbContextFactory<DeliberationDbContext> dbFactory, ILogger<CastChecks> logger)
{
    private readonly ConcurrentDictionary<int, SessionEntry> _sessions = new();
    private readonly ConcurrentDictionary<int, CastPoll> _polls = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, Seat>> _seats = new();
    private readonly ConcurrentDictionary<int, byte> _warming = new();

    /// <summary>The vote, from the cache while it is open; null when there is no such vote.</summary>
    internal async Task<CastPoll?> PollAsync(DeliberationDbContext db, int pollId, CancellationToken ct)
    {
        if (_polls.TryGetValue(pollId, out var cached))
        {
            return cached;
        }

        var poll = await db.Polls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pollId, ct);
        if (poll is null)
        {
            return null;
        }

        var termId = await db.Sessions.AsNoTracking().Where(s => s.Id == poll.SessionId).Select(s => s.TermId).SingleAsync(ct);
        if (poll.Status != PollStatus.Open)
        {
            // Not kept, and no proxies needed: every cast of the batch is refused as the vote is (draft or closed).
            return new CastPoll(poll, termId, poll.Spec, new Dictionary<int, int>());
        }

        // Follow the session's events before reading what they protect, so none is missed between the read and the store.
        var session = Session(poll.SessionId);
        int version;
        lock (session)
        {
            version = session.Version;
        }

        var delegations = await db.Delegations.AsNoTracking().Where(d => d.SessionId == poll.SessionId && d.RevokedAtUtc == null)
            .ToDictionaryAsync(d => d.FromMembershipId, d => d.ToMembershipId, ct);
        var read = new CastPoll(poll, termId, poll.Spec, delegations);
        var stillOpen = await db.Polls.AsNoTracking().Where(p => p.Id == pollId).Select(p => p.Status).SingleAsync(ct) == PollStatus.Open;
        lock (session)
        {
            if (stillOpen && session.Version == version && !session.Closed)
            {
                _polls[pollId] = read;
                session.Polls.Add(pollId);
            }
        }

        return read;
    }

    /// <summary>The seats in <paramref name="termId"/> of these users; users without a seat are missing from the answer.</summary>
    /// <remarks>
    /// Kept per open vote, not per term: seats cannot change while a session of the term is open (BodyAdminService refuses
    /// it), so they cannot change while the vote is open; an ended seat is not a seat.
    /// </remarks>
    internal async Task<IReadOnlyDictionary<string, Seat>> SeatsAsync(DeliberationDbContext db, int pollId, int termId, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        if (!_seats.TryGetValue(pollId, out var seats))
        {
            var all = await db.Memberships.AsNoTracking().Where(m => m.TermId == termId && m.UserId != null && m.EndedAtUtc == null)
                .Select(m => new { UserId = m.UserId!, m.Id, m.Role }).ToListAsync(ct);
            seats = new ConcurrentDictionary<string, Seat>(all.Select(m => KeyValuePair.Create(m.UserId, new Seat(m.Id, m.Role))), StringComparer.Ordinal);
            seats = _seats.GetOrAdd(pollId, seats);
        }

        var missing = userIds.Where(u => !seats.ContainsKey(u)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var found = await db.Memberships.AsNoTracking().Where(m => m.TermId == termId && m.UserId != null && m.EndedAtUtc == null && missing.Contains(m.UserId))
                .Select(m => new { UserId = m.UserId!, m.Id, m.Role }).ToListAsync(ct);
            foreach (var m in found)
            {
                seats[m.UserId] = new Seat(m.Id, m.Role);
            }
        }

        return seats;
    }

    /// <summary>Which of these members have checked in to the session.</summary>
    internal async Task<IReadOnlySet<int>> PresentAsync(DeliberationDbContext db, int sessionId, IReadOnlyCollection<int> membershipIds, CancellationToken ct)
    {
        var session = Session(sessionId);
        HashSet<int> known;
        bool loaded;
        lock (session)
        {
            known = [.. session.Present];
            loaded = session.PresentLoaded;
        }

        var ask = membershipIds.Where(id => !known.Contains(id)).Distinct().ToList();
        if (ask.Count == 0)
        {
            return known;
        }

        // The first time, everyone present; later only the members not seen present yet (a check-in since then).
        var present = loaded
            ? await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId && ask.Contains(a.MembershipId)).Select(a => a.MembershipId).ToListAsync(ct)
            : await db.Attendances.AsNoTracking().Where(a => a.SessionId == sessionId).Select(a => a.MembershipId).ToListAsync(ct);
        lock (session)
        {
            // Present is a fact that never stops being true: kept whatever the version.
            session.Present.UnionWith(present);
            session.PresentLoaded = true;
        }

        known.UnionWith(present);
        return known;
    }

    /// <summary>
    /// Follows an open session watched on this instance (its ballots may come here): the checks of its votes are read
    /// as each opens, and those of <paramref name="openPollId"/>, the vote open now, at once.
    /// </summary>
    internal void Follow(int sessionId, int? openPollId)
    {
        Session(sessionId);
        if (openPollId is { } pollId)
        {
            Warm(pollId);
        }
    }

    /// <summary>True when the vote, its seats and who is present in its session are kept: the next cast of it reads none.</summary>
    internal bool Holds(int pollId)
    {
        if (!_polls.TryGetValue(pollId, out var poll) || !_seats.ContainsKey(pollId) || !_sessions.TryGetValue(poll.SessionId, out var session))
        {
            return false;
        }

        lock (session)
        {
            return session.PresentLoaded;
        }
    }

    /// <summary>
    /// Reads what the casts of a vote just opened will check (the vote, its proxies, its seats, who is present), so that
    /// the first batch of the burst that follows an opening does not read them while the voters wait. Only a head start:
    /// the same reads as a first cast's, under the same versions, and a failure leaves the first cast to read them itself.
    /// </summary>
    private void Warm(int pollId)
    {
        // One read per vote, however many screens join at once.
        if (Holds(pollId) || !_warming.TryAdd(pollId, 0))
        {
            return;
        }

        _ = Task.Run(() => WarmAsync(pollId));
    }

    private async Task WarmAsync(int pollId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            if (await PollAsync(db, pollId, CancellationToken.None) is { Poll.Status: PollStatus.Open } poll)
            {
                var seats = await SeatsAsync(db, pollId, poll.TermId, [], CancellationToken.None);
                await PresentAsync(db, poll.SessionId, seats.Values.Select(s => s.MembershipId).ToList(), CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Reading the checks of vote {PollId} ahead of its first cast failed; its first cast reads them", pollId);
        }
        finally
        {
            _warming.TryRemove(pollId, out _);
        }
    }

    /// <summary>Drops a vote (it closed, changed, or refused a write).</summary>
    internal void ForgetPoll(int pollId)
    {
        _polls.TryRemove(pollId, out _);
        _seats.TryRemove(pollId, out _);
    }

    private SessionEntry Session(int sessionId)
    {
        while (true)
        {
            var entry = _sessions.GetOrAdd(sessionId, id => new SessionEntry(id));
            lock (entry)
            {
                if (entry.Closed)
                {
                    // Dropped by its session's close just now: a fresh one starts following the events.
                    _sessions.TryRemove(new KeyValuePair<int, SessionEntry>(sessionId, entry));
                    continue;
                }

                entry.Subscription ??= subscriber.Subscribe(sessionId, e =>
                {
                    OnEvent(entry, e);
                    return Task.CompletedTask;
                });
                return entry;
            }
        }
    }

    private void OnEvent(SessionEntry entry, SessionEvent e)
    {
        if (e is PollOpened opened)
        {
            // A vote opened in a session watched or voted in here: its burst comes next, on every instance.
            Warm(opened.PollId);
            return;
        }

        lock (entry)
        {
            switch (e)
            {
                case PollClosed or PollChanged:
                    entry.Version++;
                    var pollId = e is PollClosed closed ? closed.PollId : ((PollChanged)e).PollId;
                    entry.Polls.Remove(pollId);
                    ForgetPoll(pollId);
                    break;
                case ProxiesChanged:
                    entry.Version++;
                    foreach (var id in entry.Polls)
                    {
                        ForgetPoll(id);
                    }

                    entry.Polls.Clear();
                    break;
                case SessionStatusChanged { Status: not Sessions.SessionStatus.Open }:
                    entry.Version++;
                    entry.Closed = true;
                    foreach (var id in entry.Polls)
                    {
                        ForgetPoll(id);
                    }

                    entry.Polls.Clear();
                    entry.Subscription?.Dispose();
                    _sessions.TryRemove(new KeyValuePair<int, SessionEntry>(entry.SessionId, entry));
                    break;
            }
        }
    }

    private sealed class SessionEntry(int sessionId)
    {
        public int SessionId { get; } = sessionId;

        public int Version;
        public bool Closed;
        public IDisposable? Subscription;
        public readonly HashSet<int> Polls = [];
        public readonly HashSet<int> Present = [];
        public bool PresentLoaded;
    }
}
