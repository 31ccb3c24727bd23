using System.Globalization;
using System.Net.Mail;
using System.Text;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>
/// The hearing's hook when its decision feedback is published: each registrant who asked to be told gets an in-app
/// notice (when they registered signed in) and, when SMTP is on and their contact is an e-mail address, an e-mail in
/// the outbox. Everything is added to the caller's unit of work, so it is saved with the feedback or not at all.
/// </summary>
public sealed class HearingFeedbackNotices(IOptions<SmtpOptions> smtp)
{
    /// <summary>Adds the notices and outbox rows for <paramref name="hearing"/>'s published feedback (the caller saves).</summary>
    public async Task AddAsync(DeliberationDbContext db, Hearing hearing, DateTime nowUtc, CancellationToken ct)
    {
        var asked = await db.HearingRegistrations.AsNoTracking().Where(r => r.HearingId == hearing.Id && r.NotifyOnDecision)
            .Select(r => new { r.Name, r.Contact, r.NotifyUserId }).ToListAsync(ct);
        if (asked.Count == 0)
        {
            return;
        }

        var link = $"/hearings/{hearing.Id}#hearing-feedback";
        var userIds = asked.Where(r => r.NotifyUserId != null).Select(r => r.NotifyUserId!).Distinct().ToList();
        var accounts = await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        foreach (var account in accounts)
        {
            db.Notices.Add(new Notice(account, NoticeKind.HearingFeedbackPublished, hearing.Topic, null, link, nowUtc));
        }

        var options = smtp.Value;
        if (!options.Enabled)
        {
            return;
        }

        foreach (var registrant in asked)
        {
            if (EmailAddress(registrant.Contact) is { } address)
            {
                db.OutboxMessages.Add(new OutboxMessage(OutboxChannel.Email, address, Subject(hearing.Topic),
                    Body(registrant.Name, hearing.Topic, hearing.FeedbackMarkdown, Absolute(options.PublicBaseUrl, link)), nowUtc));
            }
        }
    }

    /// <summary>The contact as one e-mail address, or null when it is a phone number or anything else.</summary>
    public static string? EmailAddress(string? contact)
    {
        var text = contact?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > OutboxMessage.RecipientMax || text.Any(char.IsWhiteSpace) || !text.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        return MailAddress.TryCreate(text, out var address) && address.Address == text && string.IsNullOrEmpty(address.DisplayName)
            && address.Host.Contains('.', StringComparison.Ordinal) ? text : null;
    }

    // E-mail goes to someone without an account, whose language we do not know: Chinese first, then English.
    private static string Subject(string topic) => $"听证会决定已公布 / Hearing decision published: {topic}";

    private static string Body(string name, string topic, string? feedback, string url)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name}，您好：\n\n您报名参加的听证会“{topic}”的决定反馈已经公布：作出了什么决定，听证会如何改变了它。\n查看：{url}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Hello {name},\n\nThe decision feedback of the hearing \"{topic}\" you registered for has been published: what was decided and how the hearing changed it.\nRead it: {url}\n\n");
        if (!string.IsNullOrWhiteSpace(feedback))
        {
            text.Append("——\n").Append(feedback.Trim()).Append("\n——\n\n");
        }

        text.Append("您收到这封邮件，是因为报名时选择了“决定公布时通知我”。\nYou receive this because you asked to be told when you registered.\n");
        return text.ToString();
    }

    private static string Absolute(string? baseUrl, string path) =>
        string.IsNullOrWhiteSpace(baseUrl) ? path : baseUrl.TrimEnd('/') + path;
}
