using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// Sends the due outbox messages: claims each (a conditional update of its next-attempt time, the lease), hands it to
/// the sender of its channel, and records the outcome — sent, or failed with the error and the next attempt after a
/// doubling wait, or given up after <see cref="SmtpOptions.MaxAttempts"/>. Idle when SMTP is off (no e-mail rows
/// exist then). A sent row is never picked again; a crash between the server's acceptance and the record can repeat
/// one message after its lease (with the same Message-ID).
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<DeliberationDbContext> dbFactory, IEnumerable<INotificationSender> senders, IOptions<SmtpOptions> options, TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>The most messages one pass takes.</summary>
    public const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("E-mail notifications are off (Notifications:Smtp:Enabled); notices are in-app only");
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Dispatching the outbox failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: every message due now (at most <see cref="BatchSize"/>). Returns how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct = default)
    {
        var smtp = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        List<(long Id, DateTime? Due)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var rows = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.SentAtUtc == null && m.GaveUpAtUtc == null && m.NextAttemptAtUtc != null && m.NextAttemptAtUtc <= now)
                .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id).Take(BatchSize)
                .Select(m => new { m.Id, m.NextAttemptAtUtc }).ToListAsync(ct);
            due = rows.Select(r => (r.Id, r.NextAttemptAtUtc)).ToList();
        }

        var sent = 0;
        var lease = now + smtp.Timeout * 2 + TimeSpan.FromMinutes(1);
        foreach (var (id, dueAt) in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);

            // The claim: only the dispatcher whose update still sees the due time it read owns the message.
            var claimed = await db.OutboxMessages.Where(m => m.Id == id && m.SentAtUtc == null && m.NextAttemptAtUtc == dueAt)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAtUtc, lease), ct);
            if (claimed != 1)
            {
                continue;
            }

            var message = await db.OutboxMessages.SingleAsync(m => m.Id == id, ct);
            var sender = senders.FirstOrDefault(s => s.Channel == message.Channel);
            try
            {
                if (sender is null)
                {
                    throw new InvalidOperationException($"No sender for the channel {message.Channel}");
                }

                await sender.SendAsync(message, MessageId(message), ct);
                message.Sent(clock.GetUtcNow().UtcDateTime);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                message.Failed($"{ex.GetType().Name}: {ex.Message}", clock.GetUtcNow().UtcDateTime, smtp.MaxAttempts, smtp.FirstRetryDelay, smtp.LongestRetryDelay);
                if (message.GaveUpAtUtc is not null)
                {
                    logger.LogError("Gave up outbox message {Id} after {Attempts} attempts: {Error}", message.Id, message.Attempts, message.LastError);
                }
                else
                {
                    logger.LogWarning("Outbox message {Id} failed (attempt {Attempts}), next at {Next:O}: {Error}", message.Id, message.Attempts, message.NextAttemptAtUtc, message.LastError);
                }
            }

            // Not the pass's token: a send that went out is recorded even while the host stops.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return sent;
    }

    /// <summary>The Message-ID of a row: the same on every attempt.</summary>
    public static string MessageId(OutboxMessage message) =>
        FormattableString.Invariant($"outbox-{message.Id}-{message.CreatedAtUtc.Ticks}@community-deliberation");
}
