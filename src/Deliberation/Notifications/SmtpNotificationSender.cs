using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>E-mail through an SMTP server with MailKit: one connection per message (notices are few; no pool to keep alive).</summary>
public sealed class SmtpNotificationSender(IOptions<SmtpOptions> options) : INotificationSender
{
    public OutboxChannel Channel => OutboxChannel.Email;

    public async Task SendAsync(OutboxMessage message, string messageId, CancellationToken ct)
    {
        var smtp = options.Value;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From!));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Subject = message.Subject;
        mail.MessageId = messageId;
        mail.Date = new DateTimeOffset(message.CreatedAtUtc, TimeSpan.Zero);
        mail.Body = new TextPart("plain") { Text = message.Body };

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Notifications:Smtp:Host is not set"), smtp.Port, smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, ct);
        }

        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
    }
}
