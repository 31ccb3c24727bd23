namespace CommunityDeliberation.Deliberation.Ledger;

/// <summary>A ledger item as anyone may read it (no contact, no account ids).</summary>
public sealed record LedgerItemView(
    int Id, int BodyId, string BodyKey, string BodyName, string BodyNameEn, string Title, string Details, LedgerOwnerKind OwnerKind,
    string OwnerName, string? Area, LedgerSource Source, int? SourceId, DateOnly DueOn, LedgerStatus Status, bool IsOverdue,
    string? Evidence, string? EvidenceLink, DateTime? ClosedOutAtUtc, string? EscalatedToBodyName, string? EscalatedToBodyNameEn,
    string? EscalationAnswer, DateTime? AnsweredAtUtc, DateTime CreatedAtUtc)
{
    /// <summary>The changes, oldest first (filled for one item, empty in lists).</summary>
    public IReadOnlyList<LedgerEntryView> History { get; init; } = [];
}

/// <summary>One change of an item, as residents read it.</summary>
public sealed record LedgerEntryView(LedgerEntryKind Kind, LedgerStatus? From, LedgerStatus To, string? Note, DateTime AtUtc);

/// <summary>What the public progress page filters by; every part optional.</summary>
public sealed record LedgerFilter(string? BodyKey = null, string? Area = null, LedgerStatus? Status = null, bool OverdueOnly = false);

/// <summary>One body's figures for its secretariat's dashboard.</summary>
public sealed record LedgerDashboard(int BodyId, string BodyName, string BodyNameEn, int Open, int InProgress, int Done, int Overdue, int ClosedOutThisMonth)
{
    /// <summary>Items escalated to this body and not answered yet.</summary>
    public int AwaitingAnswer { get; init; }
}

/// <summary>One change of an item, for the feeds: which item, what happened, when.</summary>
public sealed record LedgerChangeView(long Id, int ItemId, string Title, string BodyName, string BodyNameEn, LedgerEntryKind Kind, LedgerStatus To, string? Note, DateTime AtUtc);

/// <summary>One page of the public progress page and how many items the filter found.</summary>
public sealed record LedgerPage(IReadOnlyList<LedgerItemView> Items, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
