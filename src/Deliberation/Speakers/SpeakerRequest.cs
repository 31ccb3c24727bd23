using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Speakers;

/// <summary>What a speaker says they will do: speak for (支持), against (反对), or ask a question (提问).</summary>
public enum SpeakerMark
{
    Pro,
    Contra,
    Question,
}

public enum SpeakerRequestStatus
{
    /// <summary>In the queue of its agenda item.</summary>
    Waiting,

    /// <summary>Has the floor now (at most one per session: filtered unique index).</summary>
    Speaking,

    /// <summary>The turn is over; <see cref="SpeakerRequest.StartedAtUtc"/> and <see cref="SpeakerRequest.EndedAtUtc"/> say how long it took.</summary>
    Spoken,

    /// <summary>Taken back by the participant before being called.</summary>
    Withdrawn,

    /// <summary>Taken off the queue by the chair, optionally with a reason.</summary>
    Removed,
}

/// <summary>
/// A participant's request to speak on one agenda item, and — once the chair gives the floor — the turn itself:
/// the time limit at the start (the body's speaking time), extensions granted by the chair, and when it started and ended.
/// Overrunning the limit is allowed (the chair decides); the actual speaking time is what the minutes record.
/// </summary>
public sealed class SpeakerRequest
{
    public const int MinExtensionSeconds = 10;
    public const int MaxExtensionSeconds = 600;

    /// <summary>The most a turn may be given in total (limit plus extensions).</summary>
    public const int MaxAllowedSeconds = 7200;

    private SpeakerRequest()
    {
    }

    internal SpeakerRequest(int sessionId, int agendaItemId, int membershipId, SpeakerMark mark, int position, DateTime nowUtc)
    {
        if (!Enum.IsDefined(mark))
        {
            throw new DomainException("Speaker.InvalidMark");
        }

        SessionId = sessionId;
        AgendaItemId = agendaItemId;
        MembershipId = membershipId;
        Mark = mark;
        Position = position;
        Status = SpeakerRequestStatus.Waiting;
        RequestedAtUtc = Millis(nowUtc);
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int AgendaItemId { get; private set; }

    public int MembershipId { get; private set; }

    public SpeakerMark Mark { get; private set; }

    public SpeakerRequestStatus Status { get; private set; }

    /// <summary>Order in the item's queue (lower speaks first). The chair moves requests up and down by swapping positions.</summary>
    public int Position { get; private set; }

    public DateTime RequestedAtUtc { get; private set; }

    /// <summary>The time limit when the floor was given (the body's speaking time then); null while waiting.</summary>
    public int? TimeLimitSeconds { get; private set; }

    /// <summary>Seconds added by the chair while the turn ran.</summary>
    public int ExtensionSeconds { get; private set; }

    public DateTime? StartedAtUtc { get; private set; }

    public DateTime? EndedAtUtc { get; private set; }

    /// <summary>When the request was withdrawn or removed.</summary>
    public DateTime? ClosedAtUtc { get; private set; }

    public string? RemovalReason { get; private set; }

    public bool IsWaiting => Status == SpeakerRequestStatus.Waiting;

    public bool IsSpeaking => Status == SpeakerRequestStatus.Speaking;

    /// <summary>Limit plus extensions; 0 before the floor was given.</summary>
    public int AllowedSeconds => (TimeLimitSeconds ?? 0) + ExtensionSeconds;

    /// <summary>How long the turn actually took, in whole seconds (null until it ended).</summary>
    public int? SpokeSeconds => StartedAtUtc is { } start && EndedAtUtc is { } end ? SecondsBetween(start, end) : null;

    public static int SecondsBetween(DateTime startUtc, DateTime endUtc) =>
        (int)Math.Round(Math.Max(0, (endUtc - startUtc).TotalSeconds), MidpointRounding.AwayFromZero);

    public void Withdraw(DateTime nowUtc)
    {
        EnsureWaiting();
        Status = SpeakerRequestStatus.Withdrawn;
        ClosedAtUtc = Millis(nowUtc);
    }

    public void Remove(string? reason, DateTime nowUtc)
    {
        EnsureWaiting();
        RemovalReason = Guard.OptionalText(reason, Limits.SpeakerRemovalReason, "Speaker.Reason");
        Status = SpeakerRequestStatus.Removed;
        ClosedAtUtc = Millis(nowUtc);
    }

    /// <summary>Gives this request the floor. Only through <see cref="SpeakerQueue.Grant"/>, which knows whether the floor is free.</summary>
    internal void Grant(int timeLimitSeconds, DateTime nowUtc)
    {
        EnsureWaiting();
        if (timeLimitSeconds is < 1 or > MaxAllowedSeconds)
        {
            throw new DomainException("Speaker.TimeLimitOutOfRange", 1, MaxAllowedSeconds);
        }

        Status = SpeakerRequestStatus.Speaking;
        TimeLimitSeconds = timeLimitSeconds;
        StartedAtUtc = Millis(nowUtc);
    }

    public void Extend(int seconds)
    {
        EnsureSpeaking();
        if (seconds is < MinExtensionSeconds or > MaxExtensionSeconds)
        {
            throw new DomainException("Speaker.ExtensionOutOfRange", MinExtensionSeconds, MaxExtensionSeconds);
        }

        if (AllowedSeconds + seconds > MaxAllowedSeconds)
        {
            throw new DomainException("Speaker.TooMuchTime", MaxAllowedSeconds / 60);
        }

        ExtensionSeconds += seconds;
    }

    public void End(DateTime nowUtc)
    {
        EnsureSpeaking();
        Status = SpeakerRequestStatus.Spoken;
        var end = Millis(nowUtc);
        EndedAtUtc = end < StartedAtUtc ? StartedAtUtc : end;
    }

    internal void MoveTo(int position) => Position = position;

    private void EnsureWaiting()
    {
        if (Status != SpeakerRequestStatus.Waiting)
        {
            throw new DomainException("Speaker.NotWaiting");
        }
    }

    private void EnsureSpeaking()
    {
        if (Status != SpeakerRequestStatus.Speaking)
        {
            throw new DomainException("Speaker.NotSpeaking");
        }
    }

    /// <summary>Times to the millisecond, as the session log writes them, so the table and the log agree exactly.</summary>
    private static DateTime Millis(DateTime utc) =>
        DateTime.SpecifyKind(new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond)), DateTimeKind.Utc);
}

/// <summary>
/// The speakers' queue of one agenda item, with whoever holds the floor in the session. The rules that span requests
/// live here: one waiting request per person and item, one speaker at a time, moving a request up or down.
/// </summary>
public sealed class SpeakerQueue
{
    private readonly List<SpeakerRequest> _requests;

    /// <param name="requests">All requests of the item (any status).</param>
    /// <param name="floor">The request that has the floor in the session now, whatever its item; null when the floor is free.</param>
    public SpeakerQueue(int sessionId, int agendaItemId, IEnumerable<SpeakerRequest> requests, SpeakerRequest? floor)
    {
        SessionId = sessionId;
        AgendaItemId = agendaItemId;
        _requests = requests.ToList();
        if (_requests.Any(r => r.AgendaItemId != agendaItemId || r.SessionId != sessionId))
        {
            throw new ArgumentException("Requests of another item", nameof(requests));
        }

        Floor = floor;
    }

    public int SessionId { get; }

    public int AgendaItemId { get; }

    public SpeakerRequest? Floor { get; private set; }

    /// <summary>Waiting requests in speaking order.</summary>
    public IReadOnlyList<SpeakerRequest> Waiting => _requests.Where(r => r.IsWaiting).OrderBy(r => r.Position).ThenBy(r => r.Id).ToList();

    /// <summary>Adds a request at the end of the queue. The caller stores it.</summary>
    public SpeakerRequest Request(int membershipId, SpeakerMark mark, DateTime nowUtc)
    {
        if (_requests.Any(r => r.IsWaiting && r.MembershipId == membershipId))
        {
            throw new DomainException("Speaker.AlreadyWaiting");
        }

        var position = _requests.Count == 0 ? 1 : _requests.Max(r => r.Position) + 1;
        var request = new SpeakerRequest(SessionId, AgendaItemId, membershipId, mark, position, nowUtc);
        _requests.Add(request);
        return request;
    }

    /// <summary>Moves a waiting request <paramref name="offset"/> places (-1 up, +1 down). Returns its new place (1-based).</summary>
    public int Move(int requestId, int offset)
    {
        if (offset is not (-1 or 1))
        {
            throw new DomainException("Speaker.CannotMove");
        }

        var waiting = Waiting;
        var index = IndexOf(waiting, requestId);
        var target = index + offset;
        if (target < 0 || target >= waiting.Count)
        {
            throw new DomainException("Speaker.CannotMove");
        }

        // Positions are unique within the item (each new request takes max + 1), so swapping keeps them unique.
        var (a, b) = (waiting[index], waiting[target]);
        var (pa, pb) = (a.Position, b.Position);
        if (pa == pb)
        {
            pb = offset < 0 ? pa - 1 : pa + 1;
        }

        a.MoveTo(pb);
        b.MoveTo(pa);
        return target + 1;
    }

    /// <summary>Gives a waiting request the floor, if nobody has it.</summary>
    public SpeakerRequest Grant(int requestId, int timeLimitSeconds, DateTime nowUtc)
    {
        if (Floor is not null)
        {
            throw new DomainException("Speaker.FloorTaken");
        }

        var request = _requests.SingleOrDefault(r => r.Id == requestId) ?? throw new DomainException("Speaker.UnknownRequest");
        request.Grant(timeLimitSeconds, nowUtc);
        Floor = request;
        return request;
    }

    private static int IndexOf(IReadOnlyList<SpeakerRequest> waiting, int requestId)
    {
        for (var i = 0; i < waiting.Count; i++)
        {
            if (waiting[i].Id == requestId)
            {
                return i;
            }
        }

        throw new DomainException("Speaker.NotWaiting");
    }
}
