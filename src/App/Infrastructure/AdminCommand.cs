using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Identity;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// <c>dotnet run --project src/App -- create-admin &lt;name&gt;</c> (or <c>dotnet CommunityDeliberation.App.dll create-admin
/// &lt;name&gt;</c>): creates the account, or makes an existing one an administrator, with the password read from the first
/// line of standard input. Exit code 0 when done, 1 with the reasons when refused (a weak password stores nothing).
/// </summary>
public static class AdminCommand
{
    public const string Name = "create-admin";

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length != 1 || string.IsNullOrWhiteSpace(args[0]))
        {
            await error.WriteLineAsync($"Usage: {Name} <user name>   (the password is read from standard input)");
            return 1;
        }

        var userName = args[0].Trim();
        try
        {
            await DatabaseInitializer.MigrateAsync(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DeliberationDbContext>>());
            if (!Console.IsInputRedirected)
            {
                await output.WriteAsync($"Password for {userName}: ");
            }

            var password = await input.ReadLineAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var result = await AdminAccounts.CreateOrPromoteAsync(
                services.GetRequiredService<UserManager<AppUser>>(), services.GetRequiredService<RoleManager<IdentityRole>>(),
                services.GetRequiredService<DeliberationDbContext>(), userName, password);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"{Name}: '{userName}' was not changed:");
                foreach (var reason in result.Errors)
                {
                    await error.WriteLineAsync("  - " + reason);
                }

                return 1;
            }

            await output.WriteLineAsync(result.Created
                ? $"{Name}: created the administrator '{userName}'."
                : $"{Name}: '{userName}' is an administrator; its password was replaced and any lockout cleared.");
            return 0;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"{Name}: failed: {ex.Message}");
            return 1;
        }
    }
}
