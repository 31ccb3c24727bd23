using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Topics;

/// <summary>
/// Who may see residents' topics with their contact details and triage them (accept, merge, reject, refer). Offices are
/// those of the current term of the body the topic was sent to. Submitting and tracking need no account.
/// </summary>
public static class TopicPermissions
{
    /// <summary>The secretariat of the topic's body: its chair, vice-chair or secretary.</summary>
    public static bool MayTriage(Offices offices) => offices.IsSecretariat;
}
