using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// Who may do what at a hearing (ADR 0012), from the offices in the term of the hearing's session: the moderator is the
/// presiding office (chair or vice-chair); the secretariat (presiding offices and the secretary) prepares the notice,
/// runs registration and selection, sees contacts, writes summaries, issues and responses, and publishes. Registering,
/// reading the notice and the report, and following one's registration need no account.
/// </summary>
public static class HearingPermissions
{
    /// <summary>Create and edit the notice, publish it, open and close registration, select and draw, record comments, issues, responses, the report and the feedback.</summary>
    public static bool MayPrepare(Offices offices) => offices.IsSecretariat;

    /// <summary>See the registrations with their contacts.</summary>
    public static bool MaySeeContacts(Offices offices) => offices.IsSecretariat;

    /// <summary>Start the live hearing, give and end the floor, extend, skip, end the spoken part.</summary>
    public static bool MayModerate(Offices offices) => offices.Presides;
}
