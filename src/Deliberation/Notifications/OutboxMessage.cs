namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>How an outbox message goes out. E-mail is the only channel so far.</summary>
public enum OutboxChannel
{
    Email,
}

/// <summary>
/// A message to send, written in the same transaction as the change that causes it (so no mail is lost when the change
/// is kept and none is sent for a change that was rolled back), then sent by <see cref="OutboxDispatcher"/> with retries.
/// <see cref="NextAttemptAtUtc"/> is also the lease: a dispatcher claims a due row by moving it forward in one
/// conditional update, so two dispatchers never send the same row at once.
/// </summary>
public sealed class OutboxMessage
{
    public const int RecipientMax = 254;

    public const int SubjectMax = 300;

    public const int BodyMax = 20_000;

    public const int ErrorMax = 1_000;

    private OutboxMessage()
    {
        Recipient = Subject = Body = string.Empty;
    }

    internal OutboxMessage(OutboxChannel channel, string recipient, string subject, string body, DateTime nowUtc)
    {
        Channel = channel;
        Recipient = recipient.Length <= RecipientMax ? recipient : throw new ArgumentException("The recipient is too long.", nameof(recipient));
        Subject = subject.Length <= SubjectMax ? subject : subject[..SubjectMax];
        Body = body.Length <= BodyMax ? body : body[..BodyMax];
        CreatedAtUtc = nowUtc;
        NextAttemptAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public OutboxChannel Channel { get; private set; }

    /// <summary>The address (for e-mail, one mailbox).</summary>
    public string Recipient { get; private set; }

    public string Subject { get; private set; }

    /// <summary>Plain text.</summary>
    public string Body { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>Attempts made so far (a failed one counts; the successful one too).</summary>
    public int Attempts { get; private set; }

    /// <summary>When the next attempt is due; while a dispatcher works on it, the end of its lease. Null once sent or given up.</summary>
    public DateTime? NextAttemptAtUtc { get; private set; }

    public DateTime? SentAtUtc { get; private set; }

    /// <summary>When the dispatcher gave up after the most attempts; the message stays for the record.</summary>
    public DateTime? GaveUpAtUtc { get; private set; }

    public string? LastError { get; private set; }

    internal void Sent(DateTime nowUtc)
    {
        Attempts++;
        SentAtUtc = nowUtc;
        NextAttemptAtUtc = null;
        LastError = null;
    }

    internal void Failed(string error, DateTime nowUtc, int maxAttempts, TimeSpan firstDelay, TimeSpan longestDelay)
    {
        Attempts++;
        LastError = error.Length <= ErrorMax ? error : error[..ErrorMax];
        if (Attempts >= maxAttempts)
        {
            GaveUpAtUtc = nowUtc;
            NextAttemptAtUtc = null;
            return;
        }

        NextAttemptAtUtc = nowUtc + Backoff(Attempts, firstDelay, longestDelay);
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failure: doubling from <paramref name="first"/>, at most <paramref name="longest"/>.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan first, TimeSpan longest)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, longest.Ticks));
        return delay < longest ? delay : longest;
    }
}
