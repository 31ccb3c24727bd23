using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommunityDeliberation.Deliberation.Voting;

/// <summary>Closes votes whose closing time has passed (checked every second).</summary>
public sealed class PollTimerService(VotingService voting, ILogger<PollTimerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var closed = await voting.CloseExpiredAsync(stoppingToken);
                if (closed > 0)
                {
                    logger.LogInformation("Closed {Count} votes at their closing time", closed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Closing timed votes failed");
            }
        }
    }
}
