using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Proposals.Amendments;

public enum AmendmentStatus
{
    Proposed,
    Voting,
    Accepted,
    Adopted,
    Rejected,
    Defeated,
    Withdrawn,
}

/// <summary>
/// A representative's amendment to one paragraph of a proposal: the paragraph as it was (<see cref="OriginalText"/>)
/// and the proposed wording (empty: delete the paragraph). The chair accepts it into the text, rejects it, or puts it
/// to a vote; accepted or adopted, it produces a new version of the proposal.
/// </summary>
public sealed class Amendment
{
    private Amendment()
    {
        OriginalText = ProposedText = AuthorUserId = AuthorName = string.Empty;
    }

    private Amendment(Proposal proposal, int number, int paragraphIndex, string originalText, string proposedText, string? rationale, string authorUserId, string authorName, DateTime nowUtc)
    {
        ProposalId = proposal.Id;
        Number = number;
        ParagraphIndex = paragraphIndex;
        BaseVersion = proposal.Version;
        OriginalText = originalText;
        ProposedText = proposedText;
        Rationale = rationale;
        AuthorUserId = authorUserId;
        AuthorName = authorName;
        CreatedAtUtc = nowUtc;
        Status = AmendmentStatus.Proposed;
    }

    public int Id { get; private set; }

    public int ProposalId { get; private set; }

    /// <summary>Running number within the proposal (修正案 1, 2, …).</summary>
    public int Number { get; private set; }

    public int ParagraphIndex { get; private set; }

    /// <summary>The proposal version the amendment was written against.</summary>
    public int BaseVersion { get; private set; }

    public string OriginalText { get; private set; }

    public string ProposedText { get; private set; }

    public string? Rationale { get; private set; }

    public string AuthorUserId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public AmendmentStatus Status { get; private set; }

    public int? PollId { get; private set; }

    public string? DecidedByUserId { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public string? DecisionNote { get; private set; }

    /// <summary>The proposal version the amendment produced.</summary>
    public int? ResultVersion { get; private set; }

    public bool IsOpen => Status is AmendmentStatus.Proposed or AmendmentStatus.Voting;

    /// <summary>Drafts an amendment to paragraph <paramref name="paragraphIndex"/> of the proposal's current text.</summary>
    public static Amendment Propose(Proposal proposal, int number, int paragraphIndex, string? proposedText, string? rationale, string authorUserId, string authorName, DateTime nowUtc)
    {
        if (proposal.Status is not (ProposalStatus.Submitted or ProposalStatus.OnAgenda or ProposalStatus.UnderDeliberation))
        {
            throw new DomainException("Proposal.NotAmendable");
        }

        var paragraphs = Paragraphs.Split(proposal.Text);
        if (paragraphIndex < 0 || paragraphIndex >= paragraphs.Count)
        {
            throw new DomainException("Amendment.UnknownParagraph", paragraphs.Count);
        }

        var proposed = Guard.OptionalText(proposedText?.Replace("\r\n", "\n", StringComparison.Ordinal), Limits.AmendmentText, "Amendment.Text") ?? string.Empty;
        if (Paragraphs.Split(proposed).Count > 1)
        {
            throw new DomainException("Amendment.OneParagraph");
        }

        if (proposed == paragraphs[paragraphIndex])
        {
            throw new DomainException("Amendment.NoChange");
        }

        return new Amendment(proposal, number, paragraphIndex, paragraphs[paragraphIndex], proposed, Guard.OptionalText(rationale, Limits.Reason, "Amendment.Rationale"), authorUserId, authorName, nowUtc);
    }

    /// <summary>The chair accepts it into the text without a vote.</summary>
    public ProposalVersion Accept(Proposal proposal, string chairUserId, string chairName, DateTime nowUtc)
    {
        RequireProposed();
        var version = proposal.ApplyAmendment(this, chairUserId, chairName, nowUtc);
        Decide(AmendmentStatus.Accepted, chairUserId, nowUtc, null);
        ResultVersion = version.Number;
        return version;
    }

    public void Reject(string chairUserId, DateTime nowUtc, string? reason)
    {
        RequireProposed();
        Decide(AmendmentStatus.Rejected, chairUserId, nowUtc, Guard.OptionalText(reason, Limits.Reason, "Amendment.Reason"));
    }

    public void PutToVote(int pollId)
    {
        RequireProposed();
        PollId = pollId;
        Status = AmendmentStatus.Voting;
    }

    /// <summary>The vote on it closed: adopted amendments change the text.</summary>
    public ProposalVersion? RecordVote(Proposal proposal, bool adopted, string chairUserId, string chairName, DateTime nowUtc)
    {
        if (Status != AmendmentStatus.Voting)
        {
            throw new DomainException("Amendment.NotVoting");
        }

        if (!adopted)
        {
            Decide(AmendmentStatus.Defeated, chairUserId, nowUtc, null);
            return null;
        }

        var version = proposal.ApplyAmendment(this, chairUserId, chairName, nowUtc);
        Decide(AmendmentStatus.Adopted, chairUserId, nowUtc, null);
        ResultVersion = version.Number;
        return version;
    }

    public void Withdraw(string userId, DateTime nowUtc)
    {
        if (userId != AuthorUserId)
        {
            throw new DomainException("Amendment.NotAuthor");
        }

        RequireProposed();
        Decide(AmendmentStatus.Withdrawn, userId, nowUtc, null);
    }

    private void RequireProposed()
    {
        if (Status != AmendmentStatus.Proposed)
        {
            throw new DomainException("Amendment.AlreadyDecided", Status.ToString());
        }
    }

    private void Decide(AmendmentStatus status, string userId, DateTime nowUtc, string? note)
    {
        Status = status;
        DecidedByUserId = userId;
        DecidedAtUtc = nowUtc;
        DecisionNote = note;
    }
}
