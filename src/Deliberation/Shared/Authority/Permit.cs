namespace CommunityDeliberation.Deliberation.Shared.Authority;

/// <summary>Turns a permissions answer into the refusal every service throws: <see cref="ForbiddenException"/>, nothing stored.</summary>
public static class Permit
{
    public static void Require(bool allowed, string code = "NotAllowed")
    {
        if (!allowed)
        {
            throw new ForbiddenException(code);
        }
    }
}
