using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Seeding;
using CommunityDeliberation.Deliberation.Shared.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// Accounts, start-up data, headers, proxies and abuse limits (docs/security.md, ADR 0013), kept out of Program.cs.
/// </summary>
public static class SecuritySetup
{
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddDeliberationAccounts().AddDefaultTokenProviders();
        return builder;
    }

    /// <summary>
    /// Runs <c>create-admin</c> when the arguments name it (then returns false: the process ends with its exit code);
    /// otherwise migrates the database, turns lockout on for every account, and loads the demo data when
    /// <see cref="LoadsDemoData"/> allows it.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app, DatabaseSettings database, string[] args)
    {
        // The command may follow host options (`--contentRoot <path> create-admin <name>`), never an option's value.
        var at = Array.IndexOf(args, AdminCommand.Name);
        if (at >= 0 && (at == 0 || !args[at - 1].StartsWith('-') || args[at - 1].Contains('=')))
        {
            Environment.ExitCode = await AdminCommand.RunAsync(app, args[(at + 1)..], Console.In, Console.Out, Console.Error);
            return false;
        }

        var factory = app.Services.GetRequiredService<IDbContextFactory<DeliberationDbContext>>();
        await DatabaseInitializer.MigrateAsync(factory);
        var unlocked = await AccountPolicy.EnableLockoutForEveryoneAsync(factory);
        if (unlocked > 0)
        {
            app.Logger.LogInformation("Lockout turned on for {Count} accounts that had it off", unlocked);
        }

        if (LoadsDemoData(database, app.Environment))
        {
            var folder = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, database.SeedFolder!));
            var report = await SeedLoader.LoadAsync(factory, folder, TimeProvider.System);
            if (report.Loaded && !app.Environment.IsDevelopment())
            {
                app.Logger.LogWarning("Demo accounts with the passwords published in the README were created (Database:LoadDemoData=true)");
            }

            app.Logger.LogInformation("Demo data from {Folder}: {Report}", folder, report);
        }

        return true;
    }

    /// <summary>The demo data (with its published passwords) loads only in Development, or when configuration asks for it.</summary>
    public static bool LoadsDemoData(DatabaseSettings database, IHostEnvironment environment) =>
        !string.IsNullOrWhiteSpace(database.SeedFolder) && (database.LoadDemoData ?? environment.IsDevelopment());
}
