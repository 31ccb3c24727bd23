using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Proposals;

/// <summary>
/// Who may do what to a proposal and its amendments. <c>member</c> offices are read in the current term of the
/// proposal's body; <c>presiding</c> offices in the term of the session whose agenda holds the proposal, or in the body's
/// current term while it is on no agenda. The proposal's own state rules (<see cref="Proposal.IsWithdrawable"/> …) are
/// asked here too, so a page's flag and the command that enforces it cannot drift.
/// </summary>
public static class ProposalPermissions
{
    /// <summary>Drafts a proposal in the body, co-sponsors and proposes amendments: a current seat with a vote.</summary>
    public static bool MayTakePart(Offices member) => member.IsVotingMember;

    /// <summary>A draft is seen by its author only; everything else by everyone.</summary>
    public static bool MayRead(string? userId, Proposal proposal) => proposal.Status != ProposalStatus.Draft || (userId is not null && proposal.IsAuthoredBy(userId));

    public static bool MayEdit(string userId, Proposal proposal) => proposal.IsAuthoredBy(userId) && proposal.IsEditable;

    public static bool MaySubmit(string userId, Proposal proposal) => proposal.IsAuthoredBy(userId) && proposal.Status == ProposalStatus.Draft;

    public static bool MayWithdraw(string userId, Proposal proposal) => proposal.IsAuthoredBy(userId) && proposal.IsWithdrawable;

    public static bool MayCoSponsor(Offices member, Proposal proposal) =>
        MayTakePart(member) && member.UserId is { } user && !proposal.IsAuthoredBy(user) && proposal.CoSponsors.All(c => c.UserId != user) && proposal.AcceptsCoSponsors;

    public static bool MayWithdrawCoSponsorship(string userId, Proposal proposal) => proposal.AcceptsCoSponsors && proposal.CoSponsors.Any(c => c.UserId == userId);

    public static bool MayAmend(Offices member, Proposal proposal) => MayTakePart(member) && proposal.IsAmendable;

    /// <summary>Accepts, rejects or puts amendments to a vote: the chair or a vice-chair who presides over the proposal.</summary>
    public static bool MayPreside(Offices presiding, Proposal proposal) => presiding.Presides && proposal.IsAmendable;

    /// <summary>Puts a submitted proposal on the agenda of one of the body's sessions: presides in that session's term.</summary>
    public static bool MayPlaceOnAgenda(Offices sessionTerm, Proposal proposal) => sessionTerm.Presides && proposal.Status == ProposalStatus.Submitted;

    /// <summary>Records a closed vote as the decision: presides in the term of the session whose agenda holds it.</summary>
    public static bool MayRecordDecision(Offices sessionTerm, Proposal proposal) => sessionTerm.Presides && proposal.AwaitsDecision;

    /// <summary>Refers the proposal to another body or level: the secretariat of the proposal's body.</summary>
    public static bool MayRefer(Offices member, Proposal proposal) => member.IsSecretariat && proposal.IsReferable;
}
