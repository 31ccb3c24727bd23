using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Deliberation.Proposals;

public sealed record ProposalInput(int BodyId, string? Title, string? Text, ProposalCategory Category, int? OrganisationId);

public sealed record ProposalSummary(
    int Id, int BodyId, string BodyName, string BodyNameEn, string Title, ProposalCategory Category, ProposalStatus Status,
    string AuthorName, int CoSponsors, int Threshold, DateTime CreatedAtUtc, int Version, bool FromResident);

public sealed record CoSponsorView(string UserId, string Name, DateTime AtUtc);

public sealed record StatusChangeView(ProposalStatus? From, ProposalStatus To, string ByName, DateTime AtUtc, string? Note);

public sealed record VersionView(int Number, string Title, string AuthorName, DateTime CreatedAtUtc, int? AmendmentNumber);

public sealed record AmendmentView(
    int Id, int Number, int ParagraphIndex, int BaseVersion, string OriginalText, string ProposedText, string? Rationale,
    string AuthorName, string AuthorUserId, DateTime CreatedAtUtc, AmendmentStatus Status, int? PollId, PollStatus? PollStatus,
    PollOutcome? PollOutcome, string? DecisionNote, int? ResultVersion, bool StillApplies, IReadOnlyList<DiffSegment> Diff);

/// <summary>What the viewer may do with the proposal; the service checks each again.</summary>
public sealed record ProposalPermissions(
    bool CanEdit, bool CanSubmit, bool CanWithdraw, bool CanCoSponsor, bool CanWithdrawCoSponsorship, bool CanAmend,
    bool CanPreside, bool CanPlaceOnAgenda, bool CanRefer, bool CanRecordDecision);

public sealed record AgendaLink(int SessionId, string SessionTitle, int AgendaItemId, int Position, string ItemTitle);

public sealed record ProposalDetail(
    int Id, int BodyId, string BodyName, string BodyNameEn, string Title, string Text, ProposalCategory Category,
    string? OrganisationName, string? OrganisationNameEn, string AuthorName, string AuthorUserId, ProposalStatus Status, int Version,
    DateTime CreatedAtUtc, DateTime? SubmittedAtUtc, int Threshold, IReadOnlyList<CoSponsorView> CoSponsors,
    IReadOnlyList<StatusChangeView> History, IReadOnlyList<VersionView> Versions, IReadOnlyList<AmendmentView> Amendments,
    AgendaLink? Agenda, int? DecidedByPollId, string? ReferredToName, int? ReferredFromProposalId, int? TopicId,
    IReadOnlyList<DecidablePoll> DecidablePolls, ProposalPermissions Can)
{
    public IReadOnlyList<string> Paragraphs => Proposals.Paragraphs.Split(Text);

    public bool IsAuthoredBy(string userId) => AuthorUserId == userId;
}

/// <summary>A closed vote on the proposal's agenda item that can be recorded as the decision on it or on an amendment.</summary>
public sealed record DecidablePoll(int PollId, string Question, PollOutcome? Outcome);

public sealed record VersionComparison(int From, int To, string FromTitle, string ToTitle, TextDiffResult Lines);

public sealed record SessionChoice(int SessionId, string Title, DateTime ScheduledAtUtc);

public sealed record TopicInput(int BodyId, string? Title, string? Text, ProposalCategory Category, string? Name, string? Contact);

public sealed record TopicReceipt(string TrackingCode);

public sealed record TopicStatusView(
    string TrackingCode, string Title, string BodyName, string BodyNameEn, DateTime CreatedAtUtc, TopicStatus Status, string? Reason,
    string? ReferredToName, int? ProposalId, string? ProposalTitle, ProposalStatus? ProposalStatus);

public sealed record TopicTriageView(
    int Id, int BodyId, string BodyName, string BodyNameEn, string Title, string Text, ProposalCategory Category, string SubmitterName,
    string Contact, DateTime CreatedAtUtc, TopicStatus Status, string? Reason, string? ReferredToName, int? ProposalId, string TrackingCode);

public sealed record BodyChoice(int Id, string Name, string NameEn, BodyKind Kind, int? ParentId);
