using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// <c>dotnet run --project src/App -- verify-log</c>: checks every session's log chain against the stored hashes and the
/// signatures (key from <c>SessionLog:SigningKey</c>, retired keys from <c>SessionLog:RetiredPublicKeys</c>), and every
/// published minutes version's chain head against the log (ADR 0015, <see cref="LogAudit"/>). Prints the first bad entry
/// (session, entry, what is wrong) and exits 1, or a summary and exits 0.
/// </summary>
public static class VerifyLogCommand
{
    public const string Name = "verify-log";

    public static async Task<int> RunAsync(WebApplication app, TextWriter output, TextWriter error)
    {
        try
        {
            await DatabaseInitializer.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<DeliberationDbContext>>());
            return await app.Services.GetRequiredService<LogAudit>().ReportAsync(output, error);
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"{Name}: failed: {ex.Message}");
            return 1;
        }
    }
}
