using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.App.Infrastructure;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Sign-out is a POST with an antiforgery token (the form in the app bar), so a link elsewhere cannot sign a user out.
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/");
        });
    }
}
