using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;

namespace CommunityDeliberation.Deliberation.Proposals;

/// <summary>Where a proposal stands. Terminal: adopted, rejected, withdrawn, referred.</summary>
public enum ProposalStatus
{
    Draft,
    Submitted,
    OnAgenda,
    UnderDeliberation,
    Adopted,
    Rejected,
    Withdrawn,
    Referred,
}

public enum ProposalCategory
{
    Housing,
    Parking,
    Environment,
    Facilities,
    Safety,
    SocialServices,
    CommunityLife,
    Other,
}

/// <summary>
/// A proposal (提案 / 议题) to a body: submitted by a representative or accepted from a resident's topic, co-sponsored,
/// put on an agenda, deliberated (amendments, comments) and decided. Every text edit is a new version; every change of
/// state is recorded with who and when. <see cref="Version"/> is the optimistic-concurrency token of edits.
/// </summary>
public sealed class Proposal
{
    private readonly List<ProposalVersion> _versions = [];
    private readonly List<CoSponsorship> _coSponsors = [];
    private readonly List<ProposalStatusChange> _history = [];

    private Proposal()
    {
        Title = Text = AuthorUserId = AuthorName = string.Empty;
    }

    private Proposal(int bodyId, string title, string text, ProposalCategory category, int? organisationId, string authorUserId, string authorName, int? topicId, int? referredFromProposalId, DateTime nowUtc)
    {
        BodyId = bodyId;
        Title = CheckTitle(title);
        Text = CheckText(text);
        Category = category;
        OrganisationId = organisationId;
        AuthorUserId = authorUserId;
        AuthorName = Guard.RequiredText(authorName, Limits.Name, "Proposal.AuthorName");
        TopicId = topicId;
        ReferredFromProposalId = referredFromProposalId;
        CreatedAtUtc = nowUtc;
        Status = ProposalStatus.Draft;
        Version = 1;
        _versions.Add(new ProposalVersion(this, 1, Title, Text, authorUserId, authorName, nowUtc, null));
        _history.Add(new ProposalStatusChange(this, null, ProposalStatus.Draft, authorUserId, nowUtc, null));
    }

    public int Id { get; private set; }

    public int BodyId { get; private set; }

    public string Title { get; private set; }

    /// <summary>The current text, Markdown. Paragraphs are separated by blank lines.</summary>
    public string Text { get; private set; }

    public ProposalCategory Category { get; private set; }

    /// <summary>The organisation behind the proposal.</summary>
    public int? OrganisationId { get; private set; }

    public string AuthorUserId { get; private set; }

    public string AuthorName { get; private set; }

    public ProposalStatus Status { get; private set; }

    /// <summary>The current version number; also the concurrency token of edits.</summary>
    public int Version { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? SubmittedAtUtc { get; private set; }

    /// <summary>The agenda item it was put on, while on an agenda or after.</summary>
    public int? AgendaItemId { get; private set; }

    /// <summary>The vote that decided it.</summary>
    public int? DecidedByPollId { get; private set; }

    /// <summary>The resident topic it came from (public intake).</summary>
    public int? TopicId { get; private set; }

    /// <summary>Set when another body referred this proposal here.</summary>
    public int? ReferredFromProposalId { get; private set; }

    /// <summary>Where it was referred: a body in the system or a higher level outside it (e.g. the sub-district).</summary>
    public int? ReferredToBodyId { get; private set; }

    public string? ReferredToName { get; private set; }

    public IReadOnlyList<ProposalVersion> Versions => _versions;

    public IReadOnlyList<CoSponsorship> CoSponsors => _coSponsors;

    public IReadOnlyList<ProposalStatusChange> History => _history;

    public bool IsClosed => Status is ProposalStatus.Adopted or ProposalStatus.Rejected or ProposalStatus.Withdrawn or ProposalStatus.Referred;

    public static Proposal Draft(int bodyId, string title, string text, ProposalCategory category, int? organisationId, string authorUserId, string authorName, DateTime nowUtc) =>
        new(bodyId, title, text, category, organisationId, authorUserId, authorName, null, null, nowUtc);

    /// <summary>A resident's topic accepted by the secretariat: submitted at once, in the secretary's name, linked to the topic.</summary>
    public static Proposal FromTopic(int bodyId, TopicSubmission topic, string secretaryUserId, string secretaryName, DateTime nowUtc)
    {
        var proposal = new Proposal(bodyId, topic.Title, topic.Text, topic.Category, null, secretaryUserId, secretaryName, topic.Id == 0 ? null : topic.Id, null, nowUtc);
        proposal.Submit(secretaryUserId, nowUtc);
        return proposal;
    }

    /// <summary>The copy a referral creates in the receiving body; it keeps a link to the original and its history.</summary>
    public Proposal ReferredCopy(int toBodyId, string byUserId, string byName, DateTime nowUtc)
    {
        var copy = new Proposal(toBodyId, Title, Text, Category, OrganisationId, byUserId, byName, TopicId, Id, nowUtc);
        copy.Submit(byUserId, nowUtc);
        return copy;
    }

    public bool IsAuthoredBy(string userId) => AuthorUserId == userId;

    /// <summary>Edits title and text. <paramref name="expectedVersion"/> is the version the editor started from.</summary>
    public ProposalVersion Edit(string userId, string userName, string title, string text, int expectedVersion, DateTime nowUtc)
    {
        if (Status is not (ProposalStatus.Draft or ProposalStatus.Submitted))
        {
            throw new DomainException("Proposal.NotEditable");
        }

        if (expectedVersion != Version)
        {
            throw new DomainException("Proposal.EditConflict", Version, _versions.LastOrDefault()?.AuthorName ?? string.Empty);
        }

        var newTitle = CheckTitle(title);
        var newText = CheckText(text);
        if (newTitle == Title && newText == Text)
        {
            throw new DomainException("Proposal.NothingChanged");
        }

        return AddVersion(newTitle, newText, userId, userName, nowUtc, null);
    }

    /// <summary>Applies an accepted or adopted amendment: the paragraph is replaced and a new version recorded.</summary>
    internal ProposalVersion ApplyAmendment(Amendment amendment, string userId, string userName, DateTime nowUtc)
    {
        if (Status is not (ProposalStatus.Submitted or ProposalStatus.OnAgenda or ProposalStatus.UnderDeliberation))
        {
            throw new DomainException("Proposal.NotAmendable");
        }

        var paragraphs = Paragraphs.Split(Text).ToList();
        var index = Paragraphs.Locate(paragraphs, amendment.ParagraphIndex, amendment.OriginalText)
            ?? throw new DomainException("Amendment.Outdated", amendment.Number);
        if (string.IsNullOrEmpty(amendment.ProposedText))
        {
            paragraphs.RemoveAt(index);
        }
        else
        {
            paragraphs[index] = amendment.ProposedText;
        }

        return AddVersion(Title, CheckText(Paragraphs.Join(paragraphs)), userId, userName, nowUtc, amendment.Number);
    }

    private ProposalVersion AddVersion(string title, string text, string userId, string userName, DateTime nowUtc, int? amendmentNumber)
    {
        Title = title;
        Text = text;
        Version++;
        var version = new ProposalVersion(this, Version, title, text, userId, userName, nowUtc, amendmentNumber);
        _versions.Add(version);
        return version;
    }

    public void Submit(string userId, DateTime nowUtc)
    {
        Require(ProposalStatus.Draft);
        SubmittedAtUtc = nowUtc;
        MoveTo(ProposalStatus.Submitted, userId, nowUtc, null);
    }

    /// <summary>Co-sponsorship (附议) by another member of the body, while the proposal is submitted.</summary>
    public CoSponsorship CoSponsor(string userId, string name, DateTime nowUtc)
    {
        if (Status != ProposalStatus.Submitted)
        {
            throw new DomainException("Proposal.CoSponsorClosed");
        }

        if (IsAuthoredBy(userId))
        {
            throw new DomainException("Proposal.CoSponsorOwn");
        }

        if (_coSponsors.Any(c => c.UserId == userId))
        {
            throw new DomainException("Proposal.AlreadyCoSponsored");
        }

        var sponsorship = new CoSponsorship(this, userId, name, nowUtc);
        _coSponsors.Add(sponsorship);
        return sponsorship;
    }

    public void WithdrawCoSponsorship(string userId)
    {
        if (Status != ProposalStatus.Submitted)
        {
            throw new DomainException("Proposal.CoSponsorClosed");
        }

        var sponsorship = _coSponsors.SingleOrDefault(c => c.UserId == userId) ?? throw new DomainException("Proposal.NotCoSponsored");
        _coSponsors.Remove(sponsorship);
    }

    /// <summary>Puts a submitted proposal on an agenda item; it needs at least <paramref name="threshold"/> co-sponsors.</summary>
    public void PlaceOnAgenda(int agendaItemId, int threshold, string userId, DateTime nowUtc)
    {
        Require(ProposalStatus.Submitted);
        if (_coSponsors.Count < threshold)
        {
            throw new DomainException("Proposal.CoSponsorsMissing", threshold - _coSponsors.Count, threshold);
        }

        AgendaItemId = agendaItemId;
        MoveTo(ProposalStatus.OnAgenda, userId, nowUtc, null);
    }

    /// <summary>The meeting reached its agenda item.</summary>
    public bool BeginDeliberation(string userId, DateTime nowUtc)
    {
        if (Status != ProposalStatus.OnAgenda)
        {
            return false;
        }

        MoveTo(ProposalStatus.UnderDeliberation, userId, nowUtc, null);
        return true;
    }

    /// <summary>Records the outcome of the vote on the proposal itself.</summary>
    public void RecordDecision(int pollId, bool adopted, string userId, DateTime nowUtc)
    {
        if (Status is not (ProposalStatus.OnAgenda or ProposalStatus.UnderDeliberation))
        {
            throw new DomainException("Proposal.NotUnderDeliberation");
        }

        DecidedByPollId = pollId;
        MoveTo(adopted ? ProposalStatus.Adopted : ProposalStatus.Rejected, userId, nowUtc, null);
    }

    /// <summary>The author withdraws it, before it is decided.</summary>
    public void Withdraw(string userId, DateTime nowUtc, string? reason)
    {
        if (IsClosed || Status == ProposalStatus.UnderDeliberation)
        {
            throw new DomainException("Proposal.CannotWithdraw");
        }

        MoveTo(ProposalStatus.Withdrawn, userId, nowUtc, Guard.OptionalText(reason, Limits.Reason, "Proposal.Reason"));
    }

    /// <summary>Refers it to another body (<paramref name="toBodyId"/>) or to a level outside the system (name only).</summary>
    public void Refer(int? toBodyId, string toName, string reason, string userId, DateTime nowUtc)
    {
        if (IsClosed)
        {
            throw new DomainException("Proposal.AlreadyClosed");
        }

        if (Status == ProposalStatus.Draft)
        {
            throw new DomainException("Proposal.WrongState", Status.ToString());
        }

        if (toBodyId == BodyId)
        {
            throw new DomainException("Proposal.ReferToSelf");
        }

        // Check both texts before changing anything: a refused referral leaves the proposal as it was.
        var name = Guard.RequiredText(toName, Limits.Title, "Proposal.ReferredTo");
        var note = Guard.RequiredMultilineText(reason, Limits.Reason, "Proposal.Reason");
        ReferredToBodyId = toBodyId;
        ReferredToName = name;
        MoveTo(ProposalStatus.Referred, userId, nowUtc, note);
    }

    private void Require(ProposalStatus status)
    {
        if (Status != status)
        {
            throw new DomainException("Proposal.WrongState", Status.ToString());
        }
    }

    private void MoveTo(ProposalStatus to, string userId, DateTime nowUtc, string? note)
    {
        _history.Add(new ProposalStatusChange(this, Status, to, userId, nowUtc, note));
        Status = to;
    }

    private static string CheckTitle(string? title) => Guard.RequiredText(title, Limits.Title, "Proposal.Title");

    private static string CheckText(string? text)
    {
        var value = Guard.OptionalText(text?.Replace("\r\n", "\n", StringComparison.Ordinal), Limits.ProposalText, "Proposal.Text");
        return value ?? throw new DomainException("Proposal.Text.Required");
    }
}

/// <summary>One version of a proposal's title and text.</summary>
public sealed class ProposalVersion
{
    private ProposalVersion()
    {
        Title = Text = AuthorUserId = AuthorName = string.Empty;
    }

    internal ProposalVersion(Proposal proposal, int number, string title, string text, string authorUserId, string authorName, DateTime createdAtUtc, int? amendmentNumber)
    {
        Proposal = proposal;
        Number = number;
        Title = title;
        Text = text;
        AuthorUserId = authorUserId;
        AuthorName = authorName;
        CreatedAtUtc = createdAtUtc;
        AmendmentNumber = amendmentNumber;
    }

    public int Id { get; private set; }

    public int ProposalId { get; private set; }

    public Proposal? Proposal { get; private set; }

    public int Number { get; private set; }

    public string Title { get; private set; }

    public string Text { get; private set; }

    public string AuthorUserId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>Set when the version came from an amendment.</summary>
    public int? AmendmentNumber { get; private set; }
}

/// <summary>A member's co-sponsorship (附议). One per member and proposal (unique index).</summary>
public sealed class CoSponsorship
{
    private CoSponsorship()
    {
        UserId = Name = string.Empty;
    }

    internal CoSponsorship(Proposal proposal, string userId, string name, DateTime atUtc)
    {
        Proposal = proposal;
        UserId = userId;
        Name = name;
        AtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int ProposalId { get; private set; }

    public Proposal? Proposal { get; private set; }

    public string UserId { get; private set; }

    public string Name { get; private set; }

    public DateTime AtUtc { get; private set; }
}

/// <summary>A change of a proposal's state: from, to, who, when, and a note (reason) where one applies.</summary>
public sealed class ProposalStatusChange
{
    private ProposalStatusChange()
    {
        ByUserId = string.Empty;
    }

    internal ProposalStatusChange(Proposal proposal, ProposalStatus? from, ProposalStatus to, string byUserId, DateTime atUtc, string? note)
    {
        Proposal = proposal;
        From = from;
        To = to;
        ByUserId = byUserId;
        AtUtc = atUtc;
        Note = note;
    }

    public int Id { get; private set; }

    public int ProposalId { get; private set; }

    public Proposal? Proposal { get; private set; }

    public ProposalStatus? From { get; private set; }

    public ProposalStatus To { get; private set; }

    public string ByUserId { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? Note { get; private set; }
}
