using System.Security.Claims;

namespace CommunityDeliberation.Deliberation.Shared.Identity;

/// <summary>Who is calling a service. Built from the signed-in principal by the host; services authorize on it.</summary>
public sealed record Actor(string UserId, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsAdmin => IsInRole(Identity.Roles.Admin);

    public static Actor? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var roles = principal.FindAll(principal.Identities.First().RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Actor(id, roles);
    }
}
