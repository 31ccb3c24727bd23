using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Ledger;

/// <summary>Where a follow-up item was decided.</summary>
public enum LedgerSource
{
    CouncilVote,
    Consultation,
    Hearing,
    Proposal,
    Topic,
    Other,

    /// <summary>A finished service project of a joint conference (项目认领), closed out with its finish report.</summary>
    ServiceProject,
}

/// <summary>Who carries the item out: a named person, an office, or a member unit (驻区单位).</summary>
public enum LedgerOwnerKind
{
    Person,
    Office,
    MemberUnit,
}

/// <summary>open → in progress → done → closed out (销号); reopening returns it to in progress.</summary>
public enum LedgerStatus
{
    Open,
    InProgress,
    Done,
    ClosedOut,
}

/// <summary>
/// A follow-up item of the work ledger (工作台账): what a decision requires, who does it and by when, in which estate, and
/// how far it is. It is closed out (销号) only with evidence and only by the body's secretariat, never by its owner;
/// reopening keeps the history. A matter the community cannot settle is referred (escalated) to another body — the
/// sub-district level — with its history; that body's answer is recorded on the item ("小事不出社区、大事不出街道").
/// Every change is an entry in <see cref="History"/>.
/// </summary>
public sealed class LedgerItem
{
    public const int TitleMax = Limits.Title;
    public const int DetailsMax = 5_000;
    public const int OwnerMax = Limits.Name;
    public const int AreaMax = 100;
    public const int NoteMax = Limits.Reason;
    public const int EvidenceMax = 2_000;
    public const int LinkMax = 500;

    private readonly List<LedgerEntry> _history = [];

    private LedgerItem()
    {
        Title = Details = OwnerName = CreatedByUserId = string.Empty;
    }

    private LedgerItem(int bodyId, LedgerItemInput input, string byUserId, DateTime nowUtc)
    {
        BodyId = bodyId;
        Title = Guard.RequiredText(input.Title, TitleMax, "Ledger.Title");
        Details = Guard.OptionalText(input.Details, DetailsMax, "Ledger.Details") ?? string.Empty;
        OwnerKind = Enum.IsDefined(input.OwnerKind) ? input.OwnerKind : throw new DomainException("Ledger.OwnerKind");
        OwnerName = Guard.RequiredText(input.OwnerName, OwnerMax, "Ledger.Owner");
        OwnerUserId = input.OwnerKind == LedgerOwnerKind.Person ? input.OwnerUserId : null;
        Area = Guard.OptionalText(input.Area, AreaMax, "Ledger.Area");
        Source = Enum.IsDefined(input.Source) ? input.Source : throw new DomainException("Ledger.Source");
        SourceId = input.SourceId;
        DueOn = input.DueOn;
        Status = LedgerStatus.Open;
        CreatedAtUtc = nowUtc;
        CreatedByUserId = byUserId;
        _history.Add(LedgerEntry.Of(LedgerEntryKind.Recorded, null, LedgerStatus.Open, null, byUserId, nowUtc));
    }

    public int Id { get; private set; }

    public int BodyId { get; private set; }

    public string Title { get; private set; }

    /// <summary>Markdown (rendered with raw HTML disabled).</summary>
    public string Details { get; private set; }

    public LedgerOwnerKind OwnerKind { get; private set; }

    /// <summary>The person, office or unit, as residents read it.</summary>
    public string OwnerName { get; private set; }

    /// <summary>The owner's account when the owner is a person with one: they may report progress, never close out.</summary>
    public string? OwnerUserId { get; private set; }

    /// <summary>The estate or area (小区 / 片区) the item concerns.</summary>
    public string? Area { get; private set; }

    public LedgerSource Source { get; private set; }

    /// <summary>The id of the vote, consultation, hearing, proposal or topic it came from, when there is one.</summary>
    public int? SourceId { get; private set; }

    public DateOnly DueOn { get; private set; }

    public LedgerStatus Status { get; private set; }

    /// <summary>
    /// Whether <see cref="Status"/> is closed out, kept as a column of its own: the public progress page lists unfinished
    /// items first, and an index on (IsClosedOut, DueOn) gives it that order without sorting every item.
    /// </summary>
    public bool IsClosedOut { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public string CreatedByUserId { get; private set; }

    /// <summary>The evidence of the last close-out (text), with an optional link or photo reference.</summary>
    public string? Evidence { get; private set; }

    public string? EvidenceLink { get; private set; }

    public DateTime? ClosedOutAtUtc { get; private set; }

    /// <summary>The body the item was referred to (the sub-district level), while or after it was escalated.</summary>
    public int? EscalatedToBodyId { get; private set; }

    public string? EscalationAnswer { get; private set; }

    public DateTime? AnsweredAtUtc { get; private set; }

    /// <summary>Bumped by every change: two people changing one item at once cannot both win.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<LedgerEntry> History => _history;

    public static LedgerItem Record(int bodyId, LedgerItemInput input, string byUserId, DateTime nowUtc)
    {
        if (input.DueOn == default)
        {
            throw new DomainException("Ledger.DueOnRequired");
        }

        return new LedgerItem(bodyId, input, byUserId, nowUtc);
    }

    /// <summary>Overdue: not done or closed out after its due date.</summary>
    public bool IsOverdue(DateOnly today) => Status is LedgerStatus.Open or LedgerStatus.InProgress && DueOn < today;

    /// <summary>Whether this account owns the item (and so may report progress but not close it out).</summary>
    public bool IsOwnedBy(string? userId) => userId is not null && OwnerUserId == userId;

    /// <summary>The owner reports progress (a note); an open item is then in progress.</summary>
    public void ReportProgress(string? note, string byUserId, DateTime nowUtc)
    {
        EnsureNotClosedOut();
        if (Status == LedgerStatus.Done)
        {
            throw new DomainException("Ledger.AlreadyDone");
        }

        Move(LedgerEntryKind.Progress, LedgerStatus.InProgress, Guard.RequiredText(note, NoteMax, "Ledger.Note"), byUserId, nowUtc);
    }

    /// <summary>The work is done, waiting for the secretariat to check it and close it out.</summary>
    public void MarkDone(string? note, string byUserId, DateTime nowUtc)
    {
        EnsureNotClosedOut();
        if (Status == LedgerStatus.Done)
        {
            throw new DomainException("Ledger.AlreadyDone");
        }

        Move(LedgerEntryKind.Done, LedgerStatus.Done, Guard.OptionalText(note, NoteMax, "Ledger.Note"), byUserId, nowUtc);
    }

    /// <summary>销号: only a done item, only with evidence (text, and a link or photo reference if there is one).</summary>
    public void CloseOut(string? evidence, string? link, string byUserId, DateTime nowUtc)
    {
        EnsureNotClosedOut();
        if (Status != LedgerStatus.Done)
        {
            throw new DomainException("Ledger.NotDone");
        }

        Evidence = Guard.RequiredText(evidence, EvidenceMax, "Ledger.Evidence");
        EvidenceLink = Link(link);
        ClosedOutAtUtc = nowUtc;
        Move(LedgerEntryKind.ClosedOut, LedgerStatus.ClosedOut, Evidence, byUserId, nowUtc);
    }

    /// <summary>A done or closed-out item that was not really settled goes back to work; the history keeps everything.</summary>
    public void Reopen(string? reason, string byUserId, DateTime nowUtc)
    {
        if (Status is not (LedgerStatus.Done or LedgerStatus.ClosedOut))
        {
            throw new DomainException("Ledger.NotFinished");
        }

        ClosedOutAtUtc = null;
        Move(LedgerEntryKind.Reopened, LedgerStatus.InProgress, Guard.RequiredText(reason, NoteMax, "Ledger.Reason"), byUserId, nowUtc);
    }

    /// <summary>Refers the item to another body (the sub-district level) with a note; it stays in this body's ledger too.</summary>
    public void Escalate(int toBodyId, string? note, string byUserId, DateTime nowUtc)
    {
        EnsureNotClosedOut();
        if (toBodyId == BodyId)
        {
            throw new DomainException("Ledger.EscalateToItself");
        }

        if (EscalatedToBodyId is not null && EscalationAnswer is null)
        {
            throw new DomainException("Ledger.AlreadyEscalated");
        }

        EscalatedToBodyId = toBodyId;
        EscalationAnswer = null;
        AnsweredAtUtc = null;
        Move(LedgerEntryKind.Escalated, Status, Guard.RequiredText(note, NoteMax, "Ledger.Note"), byUserId, nowUtc);
    }

    /// <summary>The body it was referred to answers; the community sees the answer on the item.</summary>
    public void AnswerEscalation(string? answer, string byUserId, DateTime nowUtc)
    {
        if (EscalatedToBodyId is null)
        {
            throw new DomainException("Ledger.NotEscalated");
        }

        if (EscalationAnswer is not null)
        {
            throw new DomainException("Ledger.AlreadyAnswered");
        }

        EscalationAnswer = Guard.RequiredText(answer, EvidenceMax, "Ledger.Answer");
        AnsweredAtUtc = nowUtc;
        Move(LedgerEntryKind.Answered, Status, EscalationAnswer, byUserId, nowUtc);
    }

    /// <summary>
    /// The secretariat gives the item to another owner, moves its due date or its area; the history keeps what it was
    /// (the entry's note says what changed). A closed-out item is reopened first.
    /// </summary>
    public void Reassign(LedgerOwnerKind ownerKind, string? ownerName, string? ownerUserId, DateOnly dueOn, string? area, string byUserId, DateTime nowUtc)
    {
        EnsureNotClosedOut();
        if (!Enum.IsDefined(ownerKind))
        {
            throw new DomainException("Ledger.OwnerKind");
        }

        if (dueOn == default)
        {
            throw new DomainException("Ledger.DueOnRequired");
        }

        var name = Guard.RequiredText(ownerName, OwnerMax, "Ledger.Owner");
        var userId = ownerKind == LedgerOwnerKind.Person ? ownerUserId : null;
        var newArea = Guard.OptionalText(area, AreaMax, "Ledger.Area");
        var changes = new List<string>();
        if (name != OwnerName || ownerKind != OwnerKind || userId != OwnerUserId)
        {
            changes.Add($"{ReassignmentNote.Owner} {OwnerName} → {name}");
        }

        if (dueOn != DueOn)
        {
            changes.Add(FormattableString.Invariant($"{ReassignmentNote.Due} {DueOn:yyyy-MM-dd} → {dueOn:yyyy-MM-dd}"));
        }

        if (newArea != Area)
        {
            changes.Add($"{ReassignmentNote.Area} {Area ?? "—"} → {newArea ?? "—"}");
        }

        if (changes.Count == 0)
        {
            throw new DomainException("Ledger.NothingChanged");
        }

        OwnerKind = ownerKind;
        OwnerName = name;
        OwnerUserId = userId;
        DueOn = dueOn;
        Area = newArea;
        Move(LedgerEntryKind.Reassigned, Status, string.Join(ReassignmentNote.Separator, changes), byUserId, nowUtc);
    }

    private void Move(LedgerEntryKind kind, LedgerStatus to, string? note, string byUserId, DateTime nowUtc)
    {
        _history.Add(LedgerEntry.Of(kind, Status, to, note, byUserId, nowUtc));
        Status = to;
        IsClosedOut = to == LedgerStatus.ClosedOut;
        Version++;
    }

    private void EnsureNotClosedOut()
    {
        if (Status == LedgerStatus.ClosedOut)
        {
            throw new DomainException("Ledger.ClosedOut");
        }
    }

    private static string? Link(string? link)
    {
        var text = Guard.OptionalText(link, LinkMax, "Ledger.EvidenceLink");
        if (text is null)
        {
            return null;
        }

        // A web address, or a reference to a photo kept elsewhere (e.g. "照片 2024-05-12 第3张"); never a script address.
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is not ("http" or "https"))
        {
            throw new DomainException("Ledger.EvidenceLink");
        }

        return text;
    }
}

/// <summary>
/// How a reassignment's note is written: its parts, joined by <see cref="Separator"/>, each start with a label in both
/// languages (the stored record); pages show the label in the reader's language (App's <c>LedgerText</c>).
/// </summary>
public static class ReassignmentNote
{
    public const string Owner = "负责 Owner:";
    public const string Due = "期限 Due:";
    public const string Area = "片区 Area:";
    public const string Separator = "; ";
}

public enum LedgerEntryKind
{
    Recorded,
    Progress,
    Done,
    ClosedOut,
    Reopened,
    Escalated,
    Answered,

    /// <summary>Owner, due date or area changed by the secretariat.</summary>
    Reassigned,
}

/// <summary>One change of a ledger item: what, from which status to which, the note, who and when. Never changed.</summary>
public sealed class LedgerEntry
{
    private LedgerEntry()
    {
        ByUserId = string.Empty;
    }

    public long Id { get; private set; }

    public int LedgerItemId { get; private set; }

    public LedgerEntryKind Kind { get; private set; }

    public LedgerStatus? From { get; private set; }

    public LedgerStatus To { get; private set; }

    public string? Note { get; private set; }

    public string ByUserId { get; private set; }

    public DateTime AtUtc { get; private set; }

    internal static LedgerEntry Of(LedgerEntryKind kind, LedgerStatus? from, LedgerStatus to, string? note, string byUserId, DateTime nowUtc) =>
        new() { Kind = kind, From = from, To = to, Note = note, ByUserId = byUserId, AtUtc = nowUtc };
}

/// <summary>What the secretariat enters for a new item.</summary>
public sealed record LedgerItemInput(
    string? Title, string? Details, LedgerOwnerKind OwnerKind, string? OwnerName, string? OwnerUserId, string? Area, DateOnly DueOn,
    LedgerSource Source = LedgerSource.Other, int? SourceId = null);
