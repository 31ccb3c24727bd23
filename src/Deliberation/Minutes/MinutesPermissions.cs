using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>Who may draft, approve, publish and correct a session's minutes. Offices are those of the session's term.</summary>
public static class MinutesPermissions
{
    /// <summary>Generates, edits, circulates, resolves corrections, publishes and opens corrections: the secretariat.</summary>
    public static bool MayRecord(Offices offices) => offices.IsSecretariat;

    /// <summary>Approves the minutes: the chair or a vice-chair.</summary>
    public static bool MayApprove(Offices offices) => offices.Presides;

    /// <summary>Reads minutes that are not yet published: the secretariat and those who attended.</summary>
    public static bool MayReadUnpublished(Offices offices, bool attended) => offices.IsSecretariat || attended;
}
