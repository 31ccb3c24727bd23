namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>Sends one outbox message on its channel. Throws when it could not be handed over; the dispatcher retries.</summary>
public interface INotificationSender
{
    /// <summary>The channel this sender serves.</summary>
    OutboxChannel Channel { get; }

    /// <summary>
    /// Hands the message over (for e-mail: the SMTP server accepted it). <paramref name="messageId"/> is stable per outbox
    /// row, so a receiver can tell a repeat after a crash between the hand-over and its record.
    /// </summary>
    Task SendAsync(OutboxMessage message, string messageId, CancellationToken ct);
}
