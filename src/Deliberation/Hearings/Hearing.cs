using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// A public hearing (听证会) held in a session of kind public hearing: its notice (topic, background, time and place,
/// registration deadline, seats per category), its stage, the issues raised with their responses, the report and the
/// decision feedback. Each step is a method that refuses to run out of order (<c>Hearing.WrongStage</c>, naming the
/// stage it needs). Registrations, speeches and comments are entities of their own, checked against the hearing here.
/// </summary>
public sealed class Hearing
{
    private readonly List<HearingSeatRow> _seats = [];
    private readonly List<HearingIssue> _issues = [];

    private Hearing()
    {
        Topic = Background = Place = string.Empty;
    }

    private Hearing(int sessionId, int bodyId, int termId, HearingNotice notice, DateTime nowUtc)
    {
        SessionId = sessionId;
        BodyId = bodyId;
        TermId = termId;
        CreatedAtUtc = nowUtc;
        Stage = HearingStage.Draft;
        Topic = Background = Place = string.Empty;
        Edit(notice);
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int BodyId { get; private set; }

    /// <summary>The term of the session: its presiding office moderates, its secretariat runs registration and the report.</summary>
    public int TermId { get; private set; }

    public string Topic { get; private set; }

    /// <summary>Background material in Markdown (rendered through <see cref="SafeMarkdown"/>; attachments as links).</summary>
    public string Background { get; private set; }

    public string Place { get; private set; }

    public DateTime StartsAtUtc { get; private set; }

    public DateTime RegistrationDeadlineUtc { get; private set; }

    /// <summary>Written testimony may have at most this many characters (stated on the form).</summary>
    public int TestimonyLimit { get; private set; }

    /// <summary>Each speaker's time, in seconds.</summary>
    public int SpeakingSeconds { get; private set; }

    public HearingStage Stage { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? NoticePublishedAtUtc { get; private set; }

    public DateTime? ReportPublishedAtUtc { get; private set; }

    /// <summary>The report as Markdown, generated from the log when drafted and again when published.</summary>
    public string? ReportMarkdown { get; private set; }

    /// <summary>What was decided and how the hearing changed it (Markdown).</summary>
    public string? FeedbackMarkdown { get; private set; }

    public DateTime? FeedbackPublishedAtUtc { get; private set; }

    /// <summary>The speech that has the floor, if any.</summary>
    public int? CurrentSpeechId { get; private set; }

    public IReadOnlyList<HearingSeats> Seats => _seats.OrderBy(s => s.Category).Select(s => new HearingSeats(s.Category, s.Seats)).ToList();

    public IReadOnlyList<HearingIssue> Issues => _issues;

    /// <summary>Whether the public sees the notice (every stage after draft).</summary>
    public bool IsPublic => Stage != HearingStage.Draft;

    public static Hearing Create(int sessionId, int bodyId, int termId, HearingNotice notice, DateTime nowUtc) => new(sessionId, bodyId, termId, notice, nowUtc);

    /// <summary>Changes the notice: while it is a draft, or (time, place, background) until registration closes.</summary>
    public void Edit(HearingNotice notice)
    {
        if (Stage > HearingStage.RegistrationOpen)
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.RegistrationOpen));
        }

        var seats = notice.Seats ?? [];
        if (seats.Count == 0 || seats.All(s => s.Seats == 0))
        {
            throw new DomainException("Hearing.NoSeats");
        }

        if (seats.Any(s => !Enum.IsDefined(s.Category)))
        {
            throw new DomainException("Hearing.UnknownCategory");
        }

        if (seats.GroupBy(s => s.Category).Any(g => g.Count() > 1))
        {
            throw new DomainException("Hearing.DuplicateCategory");
        }

        if (seats.Any(s => s.Seats is < 0 or > HearingLimits.SeatsPerCategory))
        {
            throw new DomainException("Hearing.SeatsOutOfRange", HearingLimits.SeatsPerCategory);
        }

        if (notice.TestimonyLimit is < 0 or > HearingLimits.TestimonyMax)
        {
            throw new DomainException("Hearing.TestimonyLimitOutOfRange", HearingLimits.TestimonyMax);
        }

        if (notice.SpeakingSeconds is < HearingLimits.SpeakingSecondsMin or > HearingLimits.SpeakingSecondsMax)
        {
            throw new DomainException("Hearing.SpeakingTimeOutOfRange", HearingLimits.SpeakingSecondsMin, HearingLimits.SpeakingSecondsMax);
        }

        var starts = DateTime.SpecifyKind(notice.StartsAtUtc, DateTimeKind.Utc);
        var deadline = DateTime.SpecifyKind(notice.RegistrationDeadlineUtc, DateTimeKind.Utc);
        if (deadline > starts)
        {
            throw new DomainException("Hearing.DeadlineAfterStart");
        }

        if (Stage != HearingStage.Draft && seats.Count != _seats.Count)
        {
            throw new DomainException("Hearing.SeatsFixed");
        }

        Topic = Guard.RequiredText(notice.Topic, Limits.Title, "Hearing.Topic");
        Background = Guard.OptionalText(notice.Background?.Replace("\r\n", "\n", StringComparison.Ordinal), HearingLimits.Background, "Hearing.Background") ?? string.Empty;
        Place = Guard.RequiredText(notice.Place, Limits.Place, "Hearing.Place");
        StartsAtUtc = starts;
        RegistrationDeadlineUtc = deadline;
        TestimonyLimit = notice.TestimonyLimit;
        SpeakingSeconds = notice.SpeakingSeconds;
        _seats.Clear();
        _seats.AddRange(seats.Where(s => s.Seats > 0).Select(s => new HearingSeatRow(s.Category, s.Seats)));
    }

    public int SeatsOf(ParticipantCategory category) => _seats.FirstOrDefault(s => s.Category == category)?.Seats ?? 0;

    public bool HasCategory(ParticipantCategory category) => _seats.Any(s => s.Category == category);

    // ---- Lifecycle ----------------------------------------------------------------------------------------------

    public void PublishNotice(DateTime nowUtc)
    {
        Require(HearingStage.Draft);
        Stage = HearingStage.NoticePublished;
        NoticePublishedAtUtc = nowUtc;
    }

    public void OpenRegistration(DateTime nowUtc)
    {
        Require(HearingStage.NoticePublished);
        if (nowUtc >= RegistrationDeadlineUtc)
        {
            throw new DomainException("Hearing.DeadlinePassed");
        }

        Stage = HearingStage.RegistrationOpen;
    }

    public void CloseRegistration()
    {
        Require(HearingStage.RegistrationOpen);
        Stage = HearingStage.RegistrationClosed;
    }

    /// <summary>The hearing begins: only once participants are selected (at least one).</summary>
    public void GoLive(int selected)
    {
        Require(HearingStage.RegistrationClosed);
        if (selected == 0)
        {
            throw new DomainException("Hearing.NoneSelected");
        }

        Stage = HearingStage.Live;
    }

    /// <summary>The spoken part ends; written comments stay open until the report is drafted.</summary>
    public void OpenComments()
    {
        Require(HearingStage.Live);
        if (CurrentSpeechId is not null)
        {
            throw new DomainException("Hearing.SomeoneSpeaking");
        }

        Stage = HearingStage.CommentsOpen;
    }

    public void DraftReport(string markdown)
    {
        Require(HearingStage.CommentsOpen);
        Stage = HearingStage.ReportDrafted;
        ReportMarkdown = markdown;
    }

    /// <summary>
    /// Publishes the report: refused while any issue raised has no response (<c>Hearing.IssuesWithoutResponse</c>, naming
    /// them), or when no issue was recorded at all.
    /// </summary>
    public void PublishReport(string markdown, DateTime nowUtc)
    {
        Require(HearingStage.ReportDrafted);
        RequireEveryIssueAnswered();
        Stage = HearingStage.ReportPublished;
        ReportMarkdown = markdown;
        ReportPublishedAtUtc = nowUtc;
    }

    /// <summary>
    /// The report's completeness rule: at least one issue recorded and every one answered. Checked when the report (the
    /// minutes of the hearing's session) is approved and again when it is published.
    /// </summary>
    public void RequireEveryIssueAnswered()
    {
        if (_issues.Count == 0)
        {
            throw new DomainException("Hearing.NoIssues");
        }

        var missing = IssuesWithoutResponse;
        if (missing.Count > 0)
        {
            throw new DomainException("Hearing.IssuesWithoutResponse", string.Join("、", missing.Select(i => i.Title)));
        }
    }

    public void PublishFeedback(string? markdown, DateTime nowUtc)
    {
        Require(HearingStage.ReportPublished);
        FeedbackMarkdown = Guard.RequiredMultilineText(markdown?.Replace("\r\n", "\n", StringComparison.Ordinal), HearingLimits.Feedback, "Hearing.Feedback");
        Stage = HearingStage.FeedbackPublished;
        FeedbackPublishedAtUtc = nowUtc;
    }

    /// <summary>The published report regenerated from the log (after the feedback joined it).</summary>
    public void RefreshReport(string markdown)
    {
        if (Stage < HearingStage.ReportPublished)
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.ReportPublished));
        }

        ReportMarkdown = markdown;
    }

    public bool AcceptsRegistrations(DateTime nowUtc) => Stage == HearingStage.RegistrationOpen && nowUtc <= RegistrationDeadlineUtc;

    public bool AcceptsComments => Stage is HearingStage.Live or HearingStage.CommentsOpen;

    public bool AcceptsIssues => Stage is HearingStage.Live or HearingStage.CommentsOpen or HearingStage.ReportDrafted;

    public IReadOnlyList<HearingIssue> IssuesWithoutResponse => _issues.Where(i => i.Response is null).OrderBy(i => i.Number).ToList();

    // ---- Registration and selection -------------------------------------------------------------------------------

    /// <summary>A registration from the public form, checked against this hearing (open, before the deadline, a category with seats).</summary>
    public HearingRegistration Register(RegistrationInput input, string identityKey, DateTime nowUtc)
    {
        if (Stage != HearingStage.RegistrationOpen)
        {
            throw new DomainException("Hearing.RegistrationNotOpen");
        }

        if (nowUtc > RegistrationDeadlineUtc)
        {
            throw new DomainException("Hearing.DeadlinePassed");
        }

        if (!Enum.IsDefined(input.Category) || !HasCategory(input.Category))
        {
            throw new DomainException("Hearing.UnknownCategory");
        }

        return new HearingRegistration(Id, input, TestimonyLimit, identityKey, nowUtc);
    }

    /// <summary>Selects a registrant, refused when the category's seats are taken (<paramref name="selectedInCategory"/> already selected).</summary>
    public void Select(HearingRegistration registration, int selectedInCategory)
    {
        RequireSelecting(registration);
        if (registration.Status != RegistrationStatus.Selected && selectedInCategory >= SeatsOf(registration.Category))
        {
            throw new DomainException("Hearing.SeatsFull", SeatsOf(registration.Category));
        }

        registration.Decide(RegistrationStatus.Selected, null);
    }

    public void Decline(HearingRegistration registration, string? reason)
    {
        RequireSelecting(registration);
        registration.Decide(RegistrationStatus.NotSelected, Guard.RequiredMultilineText(reason, Limits.Reason, "Hearing.Reason"));
    }

    public void PutOnWaitingList(HearingRegistration registration)
    {
        RequireSelecting(registration);
        registration.Decide(RegistrationStatus.WaitingList, null);
    }

    /// <summary>
    /// The fair draw in an oversubscribed category: the registrants still to decide in <paramref name="registrations"/> are
    /// shuffled by <see cref="FairDraw"/> from <paramref name="seed"/>; the first free seats are selected, the rest go on
    /// the waiting list in drawn order. Refused when the category is not oversubscribed.
    /// </summary>
    public FairDraw.Result Draw(ParticipantCategory category, IReadOnlyList<HearingRegistration> registrations, byte[] seed)
    {
        Require(HearingStage.RegistrationClosed);
        if (!HasCategory(category))
        {
            throw new DomainException("Hearing.UnknownCategory");
        }

        var inCategory = registrations.Where(r => r.HearingId == Id && r.Category == category).ToList();
        var free = SeatsOf(category) - inCategory.Count(r => r.Status == RegistrationStatus.Selected);
        var candidates = inCategory.Where(r => r.Status == RegistrationStatus.Registered).OrderBy(r => r.Id).ToList();
        if (candidates.Count <= free)
        {
            throw new DomainException("Hearing.NotOversubscribed");
        }

        var result = FairDraw.Run(seed, candidates.Select(c => c.Id).ToList(), free);
        var byId = candidates.ToDictionary(c => c.Id);
        var place = 0;
        foreach (var id in result.Order)
        {
            var registration = byId[id];
            if (place < free)
            {
                registration.Decide(RegistrationStatus.Selected, null);
            }
            else
            {
                registration.Decide(RegistrationStatus.WaitingList, null, place - free + 1);
            }

            place++;
        }

        return result;
    }

    private void RequireSelecting(HearingRegistration registration)
    {
        Require(HearingStage.RegistrationClosed);
        if (registration.HearingId != Id)
        {
            throw new DomainException("Hearing.UnknownRegistration");
        }
    }

    // ---- The live hearing -------------------------------------------------------------------------------------------

    /// <summary>
    /// The secretary checks in a registrant who arrived in person (no account needed): once selection is done and while
    /// the hearing is live. Declined registrants are not checked in; a second check-in is refused.
    /// </summary>
    public void CheckIn(HearingRegistration registration, DateTime nowUtc)
    {
        if (Stage is not (HearingStage.RegistrationClosed or HearingStage.Live))
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.Live));
        }

        if (registration.HearingId != Id)
        {
            throw new DomainException("Hearing.UnknownRegistration");
        }

        if (registration.Status == RegistrationStatus.NotSelected)
        {
            throw new DomainException("Hearing.SpeakerNotSelected");
        }

        if (registration.IsPresent)
        {
            throw new DomainException("Hearing.AlreadyCheckedIn");
        }

        registration.CheckIn(nowUtc);
    }

    /// <summary>Gives the floor to a selected participant who is checked in (never to one who was not selected or is absent).</summary>
    public HearingSpeech GiveFloor(HearingRegistration registration, DateTime nowUtc)
    {
        RequireSpeaker(registration);
        return new HearingSpeech(Id, registration, nowUtc, SpeakingSeconds);
    }

    /// <summary>
    /// Gives the floor to a panel question: <paramref name="askedBy"/> (a panel member or expert) asks a selected,
    /// present participant, who answers. Timed, extended and ended like a speech; not counted as the participant's turn.
    /// </summary>
    public HearingSpeech GivePanelQuestion(HearingRegistration registration, string? askedBy, DateTime nowUtc)
    {
        var asker = Guard.RequiredText(askedBy, Limits.Name, "Hearing.AskedBy");
        RequireSpeaker(registration);
        return HearingSpeech.PanelQuestion(Id, registration, asker, nowUtc, HearingLimits.PanelQuestionSeconds);
    }

    /// <summary>
    /// A selected participant who did not arrive is marked absent when their turn comes: a skipped turn, no floor.
    /// Refused for one who is checked in (present participants speak or pass: <see cref="Skip"/>).
    /// </summary>
    public HearingSpeech MarkAbsent(HearingRegistration registration, DateTime nowUtc)
    {
        Require(HearingStage.Live);
        if (registration.HearingId != Id || registration.Status != RegistrationStatus.Selected)
        {
            throw new DomainException("Hearing.SpeakerNotSelected");
        }

        if (registration.IsPresent)
        {
            throw new DomainException("Hearing.SpeakerPresent");
        }

        return HearingSpeech.Skipped(Id, registration, nowUtc);
    }

    private void RequireSpeaker(HearingRegistration registration)
    {
        Require(HearingStage.Live);
        if (registration.HearingId != Id || registration.Status != RegistrationStatus.Selected)
        {
            throw new DomainException("Hearing.SpeakerNotSelected");
        }

        if (!registration.IsPresent)
        {
            throw new DomainException("Hearing.SpeakerNotCheckedIn");
        }

        if (CurrentSpeechId is not null)
        {
            throw new DomainException("Hearing.SomeoneSpeaking");
        }
    }

    /// <summary>Marks <paramref name="speech"/> (just saved, with its id) as the one with the floor.</summary>
    public void Started(HearingSpeech speech) => CurrentSpeechId = speech.Id;

    public void Extend(HearingSpeech speech, int seconds)
    {
        RequireCurrent(speech);
        speech.Extend(seconds);
    }

    public void EndSpeech(HearingSpeech speech, DateTime nowUtc)
    {
        RequireCurrent(speech);
        speech.End(nowUtc);
        CurrentSpeechId = null;
    }

    /// <summary>Records that a selected participant was called and passed (or was absent): a skipped turn, no floor.</summary>
    public HearingSpeech Skip(HearingRegistration registration, DateTime nowUtc)
    {
        Require(HearingStage.Live);
        if (registration.HearingId != Id || registration.Status != RegistrationStatus.Selected)
        {
            throw new DomainException("Hearing.SpeakerNotSelected");
        }

        return HearingSpeech.Skipped(Id, registration, nowUtc);
    }

    public void Summarize(HearingSpeech speech, string? summary)
    {
        if (speech.HearingId != Id)
        {
            throw new DomainException("Hearing.UnknownSpeech");
        }

        if (Stage is < HearingStage.Live or > HearingStage.ReportDrafted)
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.ReportDrafted));
        }

        speech.Summarize(summary);
    }

    private void RequireCurrent(HearingSpeech speech)
    {
        Require(HearingStage.Live);
        if (speech.HearingId != Id || CurrentSpeechId != speech.Id)
        {
            throw new DomainException("Hearing.NotTheCurrentSpeech");
        }
    }

    // ---- Issues raised ----------------------------------------------------------------------------------------------

    /// <summary>Groups speeches and comments (of this hearing: the caller checks the ids) into one issue.</summary>
    public HearingIssue RaiseIssue(string? title, IReadOnlyCollection<int> speechIds, IReadOnlyCollection<int> commentIds)
    {
        if (!AcceptsIssues)
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.ReportDrafted));
        }

        if (_issues.Count >= HearingLimits.IssuesPerHearing)
        {
            throw new DomainException("Hearing.TooManyIssues", HearingLimits.IssuesPerHearing);
        }

        if (speechIds.Count + commentIds.Count == 0)
        {
            throw new DomainException("Hearing.IssueWithoutSource");
        }

        var issue = new HearingIssue(_issues.Count + 1, Guard.RequiredText(title, HearingLimits.IssueTitle, "Hearing.IssueTitle"),
            speechIds.Distinct().Order().ToArray(), commentIds.Distinct().Order().ToArray());
        _issues.Add(issue);
        return issue;
    }

    public HearingIssue Respond(int issueId, string? response) =>
        Respond(_issues.SingleOrDefault(i => i.Id == issueId) ?? throw new DomainException("Hearing.UnknownIssue"), response);

    public HearingIssue Respond(HearingIssue issue, string? response)
    {
        if (!AcceptsIssues)
        {
            throw new DomainException("Hearing.WrongStage", nameof(HearingStage.ReportDrafted));
        }

        if (!_issues.Contains(issue))
        {
            throw new DomainException("Hearing.UnknownIssue");
        }

        issue.Answer(Guard.RequiredMultilineText(response?.Replace("\r\n", "\n", StringComparison.Ordinal), HearingLimits.Response, "Hearing.Response"));
        return issue;
    }

    private void Require(HearingStage stage)
    {
        if (Stage != stage)
        {
            throw new DomainException("Hearing.WrongStage", stage.ToString());
        }
    }
}

/// <summary>What the secretariat fills in for a hearing's notice.</summary>
public sealed record HearingNotice(
    string? Topic, string? Background, string? Place, DateTime StartsAtUtc, DateTime RegistrationDeadlineUtc, IReadOnlyList<HearingSeats>? Seats,
    int TestimonyLimit = HearingLimits.TestimonyDefault, int SpeakingSeconds = 300);

/// <summary>One row of a hearing's seats table (owned by <see cref="Hearing"/>).</summary>
internal sealed class HearingSeatRow(ParticipantCategory category, int seats)
{
    public ParticipantCategory Category { get; private set; } = category;

    public int Seats { get; private set; } = seats;
}
