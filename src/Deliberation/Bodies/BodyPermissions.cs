using CommunityDeliberation.Deliberation.Shared.Identity;

namespace CommunityDeliberation.Deliberation.Bodies;

/// <summary>
/// Who may manage bodies, terms and seats: the platform administrators (Identity role Admin). This is the one
/// platform-wide authority; it grants no office in any body, so an administrator does not chair, record or moderate a
/// body's meetings unless they hold that office in its term (ADR 0012).
/// </summary>
public static class BodyPermissions
{
    public static bool MayAdminister(Actor? actor) => actor?.IsAdmin == true;
}
