using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Topics;

public enum TopicStatus
{
    New,
    Accepted,
    Merged,
    Rejected,
    Referred,
}

/// <summary>
/// A topic a resident submitted through the public intake form (议题征集), without an account. The secretariat triages
/// it: accept as a proposal, merge into an existing one, reject with a reason the submitter sees, or refer elsewhere.
/// The submitter follows it with the tracking code; the contact is for the secretariat only.
/// </summary>
public sealed class TopicSubmission
{
    private TopicSubmission()
    {
        Title = Text = SubmitterName = Contact = TrackingCode = SourceKey = string.Empty;
    }

    private TopicSubmission(int bodyId, string title, string text, ProposalCategory category, string submitterName, string contact, string sourceKey, DateTime nowUtc)
    {
        BodyId = bodyId;
        Title = Guard.RequiredText(title, Limits.Title, "Topic.Title");
        Text = Guard.OptionalText(text?.Replace("\r\n", "\n", StringComparison.Ordinal), Limits.TopicText, "Topic.Text") ?? throw new DomainException("Topic.Text.Required");
        Category = category;
        SubmitterName = Guard.RequiredText(submitterName, Limits.Name, "Topic.Name");
        Contact = Guard.RequiredText(contact, Limits.Contact, "Topic.Contact");
        SourceKey = sourceKey;
        CreatedAtUtc = nowUtc;
        Status = TopicStatus.New;
        TrackingCode = NewTrackingCode();
    }

    public int Id { get; private set; }

    public int BodyId { get; private set; }

    public string Title { get; private set; }

    public string Text { get; private set; }

    public ProposalCategory Category { get; private set; }

    public string SubmitterName { get; private set; }

    /// <summary>Phone, e-mail or address: required, shown to the secretariat only.</summary>
    public string Contact { get; private set; }

    /// <summary>A hash of where it came from, for the rate limit; never shown.</summary>
    public string SourceKey { get; private set; }

    /// <summary>The code the submitter uses to follow the topic.</summary>
    public string TrackingCode { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public TopicStatus Status { get; private set; }

    /// <summary>The reason given to the submitter on rejection or referral.</summary>
    public string? Reason { get; private set; }

    /// <summary>The proposal it became (accepted) or was merged into.</summary>
    public int? ProposalId { get; private set; }

    public string? ReferredToName { get; private set; }

    public string? TriagedByUserId { get; private set; }

    public DateTime? TriagedAtUtc { get; private set; }

    public static TopicSubmission Submit(int bodyId, string? title, string? text, ProposalCategory category, string? submitterName, string? contact, string sourceKey, DateTime nowUtc) =>
        new(bodyId, title ?? string.Empty, text ?? string.Empty, category, submitterName ?? string.Empty, contact ?? string.Empty, sourceKey, nowUtc);

    public void AcceptAs(Proposal proposal, string userId, DateTime nowUtc) => Triage(TopicStatus.Accepted, userId, nowUtc, null, proposal.Id);

    public void MergeInto(Proposal proposal, string userId, DateTime nowUtc)
    {
        if (proposal.IsClosed)
        {
            throw new DomainException("Topic.MergeTargetClosed");
        }

        Triage(TopicStatus.Merged, userId, nowUtc, null, proposal.Id);
    }

    public void Reject(string? reason, string userId, DateTime nowUtc) =>
        Triage(TopicStatus.Rejected, userId, nowUtc, Guard.RequiredMultilineText(reason, Limits.Reason, "Topic.Reason"), null);

    public void Refer(string? toName, string? reason, string userId, DateTime nowUtc)
    {
        var target = Guard.RequiredText(toName, Limits.Title, "Topic.ReferredTo");
        Triage(TopicStatus.Referred, userId, nowUtc, Guard.RequiredMultilineText(reason, Limits.Reason, "Topic.Reason"), null);
        ReferredToName = target;
    }

    /// <summary>Links the accepted topic to the proposal once the proposal has its id.</summary>
    internal void LinkProposal(int proposalId) => ProposalId = proposalId;

    private void Triage(TopicStatus status, string userId, DateTime nowUtc, string? reason, int? proposalId)
    {
        if (Status != TopicStatus.New)
        {
            throw new DomainException("Topic.AlreadyTriaged");
        }

        Status = status;
        Reason = reason;
        ProposalId = proposalId;
        TriagedByUserId = userId;
        TriagedAtUtc = nowUtc;
    }

    private static string NewTrackingCode()
    {
        // 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L): easy to read out on the phone.
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return string.Create(10, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
