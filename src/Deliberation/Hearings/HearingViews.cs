namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>A hearing in a list (home page, management list).</summary>
public sealed record HearingSummary(
    int Id, int SessionId, string Topic, string BodyName, string BodyNameEn, DateTime StartsAtUtc, string Place, DateTime RegistrationDeadlineUtc, HearingStage Stage);

/// <summary>A published hearing notice in the archive's Atom feed.</summary>
public sealed record HearingNoticeEntry(
    int Id, string Topic, string BodyName, string BodyNameEn, DateTime StartsAtUtc, string Place, DateTime RegistrationDeadlineUtc, DateTime NoticePublishedAtUtc,
    HearingStage Stage);

/// <summary>Seats of a category with how many registered and were selected.</summary>
public sealed record SeatsView(ParticipantCategory Category, int Seats, int Registered, int Selected);

/// <summary>What everyone sees on the notice page. Never a contact; names only of selected participants.</summary>
public sealed record HearingNoticeView(
    int Id, int SessionId, string SessionTitle, string BodyName, string BodyNameEn, string Topic, string Background, string Place, DateTime StartsAtUtc,
    DateTime RegistrationDeadlineUtc, HearingStage Stage, int TestimonyLimit, int SpeakingSeconds, IReadOnlyList<SeatsView> Seats, bool AcceptsRegistrations,
    string? ReportMarkdown, string? FeedbackMarkdown, IReadOnlyList<TestimonyView> Testimonies);

/// <summary>Written testimony of a selected participant, shown on the notice page once selection is done.</summary>
public sealed record TestimonyView(string Name, ParticipantCategory Category, HearingPosition Position, string Testimony);

/// <summary>What a registrant sees with the tracking code.</summary>
public sealed record RegistrationStatusView(
    string TrackingCode, int HearingId, string Topic, string Name, ParticipantCategory Category, HearingPosition Position, RegistrationStatus Status,
    string? Reason, int? WaitingPlace, HearingStage Stage, bool AcceptsComments);

/// <summary>The receipt of a registration: the tracking code.</summary>
public sealed record RegistrationReceipt(string TrackingCode);

/// <summary>A registration as the secretariat sees it, with the contact.</summary>
public sealed record RegistrationRow(
    int Id, string Name, ParticipantCategory Category, string Affiliation, string Contact, HearingPosition Position, string? Testimony, string TrackingCode,
    RegistrationStatus Status, string? Reason, int? WaitingPlace, DateTime CreatedAtUtc, DateTime? CheckedInAtUtc = null);

/// <summary>The balance of one category: seats against registered, selected (by position) and waiting.</summary>
public sealed record BalanceRow(
    ParticipantCategory Category, int Seats, int Registered, int Undecided, int Selected, int Waiting, int SelectedSupport, int SelectedOppose, int SelectedOther)
{
    /// <summary>More registrants still to decide than free seats: the secretariat draws.</summary>
    public bool Oversubscribed => Undecided > Seats - Selected;
}

public sealed record SpeechRow(
    int Id, int RegistrationId, string SpeakerName, ParticipantCategory Category, HearingPosition Position, DateTime StartedAtUtc, DateTime? EndedAtUtc,
    int AllowedSeconds, bool Skipped, string? Summary, string? AskedBy = null)
{
    public bool IsPanelQuestion => AskedBy is not null;
}

public sealed record CommentRow(int Id, string AuthorName, ParticipantCategory Category, HearingPosition Position, string Text, DateTime CreatedAtUtc, string? HiddenReason);

public sealed record IssueRow(int Id, int Number, string Title, IReadOnlyList<int> SpeechIds, IReadOnlyList<int> CommentIds, string? Response);

public sealed record DrawRow(ParticipantCategory Category, string Seed, IReadOnlyList<int> Candidates, int Seats, IReadOnlyList<int> Order, DateTime DrawnAtUtc);

/// <summary>The management page's view: everything about one hearing, for its secretariat and moderator.</summary>
public sealed record HearingManagementView(
    HearingNoticeView Notice, IReadOnlyList<BalanceRow> Balance, IReadOnlyList<RegistrationRow> Registrations, IReadOnlyList<DrawRow> Draws,
    IReadOnlyList<SpeechRow> Speeches, SpeechRow? CurrentSpeech, IReadOnlyList<WaitingSpeaker> SuggestedOrder, IReadOnlyList<CommentRow> Comments,
    IReadOnlyList<IssueRow> Issues, IReadOnlyList<string> IssuesWithoutResponse, bool MayPrepare, bool MayModerate)
{
    /// <summary>Selected participants not checked in and not yet called: the moderator marks them absent when their turn comes.</summary>
    public IReadOnlyList<RegistrationRow> NotPresent { get; init; } = [];

    /// <summary>Whether the chair approved the report (the minutes of the session): issues, responses and summaries are fixed.</summary>
    public bool ReportApproved { get; init; }
}

/// <summary>A public-hearing session the secretariat may attach a hearing to.</summary>
public sealed record HearingSessionOption(int SessionId, string Title, string BodyName, string BodyNameEn, DateTime ScheduledAtUtc, string Place, int? HearingId);
