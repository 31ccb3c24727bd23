using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Sessions;

/// <summary>
/// Who may do what to a body's sessions. Offices are read in the body's current term (scheduling) or in the session's
/// own term (everything else); the service commands and the pages' flags both ask here.
/// </summary>
public static class SessionPermissions
{
    /// <summary>Schedules a session of the body: its chair, vice-chair or secretary.</summary>
    public static bool MaySchedule(Offices offices) => offices.IsSecretariat;

    /// <summary>Opens, moves through the agenda and closes a session: the chair or a vice-chair of its term.</summary>
    public static bool MayPreside(Offices offices) => offices.Presides;

    /// <summary>Sees the roster and checks members in: those who preside and the secretary of the session's term.</summary>
    public static bool MayRecord(Offices offices) => offices.IsSecretariat;

    /// <summary>Checks oneself in: any held seat of the session's term.</summary>
    public static bool MayCheckIn(Offices offices) => offices.HoldsSeat;
}
