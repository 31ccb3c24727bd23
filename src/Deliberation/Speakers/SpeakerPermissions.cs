using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Speakers;

/// <summary>Who may use a session's speakers' queue. Offices are those of the session's term.</summary>
public static class SpeakerPermissions
{
    /// <summary>Asks to speak: a held seat of the term (the service also requires a check-in).</summary>
    public static bool MayRequest(Offices offices) => offices.HoldsSeat;

    /// <summary>Takes back a waiting request: only the member who made it.</summary>
    public static bool MayWithdraw(Offices offices, SpeakerRequest request) => offices.MembershipId == request.MembershipId;

    /// <summary>Gives the floor, reorders, removes, extends and ends turns: the chair or a vice-chair.</summary>
    public static bool MayManageQueue(Offices offices) => offices.Presides;
}
