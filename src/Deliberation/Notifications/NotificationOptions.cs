namespace CommunityDeliberation.Deliberation.Notifications;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a relay on the same host or network only).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (refused when the server does not offer it).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// Configuration section <c>Notifications:Smtp</c>. Off by default: then notices are in-app only, no e-mail row is ever
/// written and the dispatcher idles. The password comes from configuration (an environment variable such as
/// <c>Notifications__Smtp__Password</c>), never from the database.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Notifications:Smtp";

    public bool Enabled { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Sign in with this name (and <see cref="Password"/>); none: no authentication.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>社区议事厅 &lt;noreply@example.org&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>Attempts before a message is given up (recorded on the row).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles after each further one, up to <see cref="LongestRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LongestRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often the dispatcher looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connection attempt and one send may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The site's address for absolute links in e-mail (bound from <c>App:PublicBaseUrl</c>); unset: the path only.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>What is wrong with an enabled configuration, in words; empty when it can send (or when it is off).</summary>
    public IReadOnlyList<string> Problems()
    {
        if (!Enabled)
        {
            return [];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("Notifications:Smtp:Host is required when Notifications:Smtp:Enabled is true");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add("Notifications:Smtp:Port must be between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            problems.Add("Notifications:Smtp:From must be a mailbox such as \"Name <noreply@example.org>\"");
        }

        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
        {
            problems.Add("Notifications:Smtp:Password is required with Notifications:Smtp:UserName (as the environment variable Notifications__Smtp__Password)");
        }

        if (MaxAttempts < 1)
        {
            problems.Add("Notifications:Smtp:MaxAttempts must be at least 1");
        }

        return problems;
    }
}
