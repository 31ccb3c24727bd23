using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Discussion;

/// <summary>Who may read, post in and moderate a proposal's discussion. Offices are those of the proposal's body's current term.</summary>
public static class DiscussionPermissions
{
    /// <summary>Reads the discussion: anyone signed in, except a draft's (its author only).</summary>
    public static bool MayRead(string userId, Proposal proposal) => ProposalPermissions.MayRead(userId, proposal);

    /// <summary>Hides and shows comments and sees reports and hidden text: the secretariat of the proposal's body.</summary>
    public static bool MayModerate(Offices offices) => offices.IsSecretariat;
}
