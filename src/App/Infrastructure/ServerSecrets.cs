using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Persistence;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>
/// Secrets the server keeps outside the database (docs/security.md): the key of the topic senders' address hash, the
/// ballot sealing key, the log signing key. Each comes from configuration (an environment variable in production, the
/// same on every instance); outside Development a missing one stops the start with a sentence that says how to make
/// it. In Development one is made once and kept in a file next to the database (readable by its owner only), so a
/// restart keeps it and a fresh checkout needs no set-up.
/// </summary>
public static class ServerSecrets
{
    /// <summary>The fewest characters a secret may have (32 random bytes in base64 have 44).</summary>
    public const int MinimumLength = 32;

    /// <summary>The value of <paramref name="key"/>, made and kept in <paramref name="fileName"/> in Development when missing.</summary>
    /// <param name="purpose">What the secret protects, for the message when it is missing.</param>
    public static string Require(WebApplicationBuilder builder, string key, string fileName, string purpose)
    {
        var secret = builder.Configuration[key];
        if (string.IsNullOrWhiteSpace(secret) && builder.Environment.IsDevelopment())
        {
            var file = Path.Combine(DevelopmentFolder(builder), fileName);
            if (!File.Exists(file))
            {
                File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            secret = File.ReadAllText(file).Trim();
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>(key, secret)]);
        }

        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumLength)
        {
            throw new InvalidOperationException(
                $"{key} must be set to a random value of at least {MinimumLength} characters (e.g. `openssl rand -base64 32`, " +
                $"as the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}): {purpose}");
        }

        return secret;
    }

    private static string DevelopmentFolder(WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DatabaseSettings.SectionName).Get<DatabaseSettings>() ?? new DatabaseSettings();
        var folder = settings.Provider == DatabaseProvider.Sqlite
            ? Path.GetDirectoryName(PersistenceSetup.Resolve(settings, builder.Environment.ContentRootPath).SqlitePath)!
            : builder.Environment.ContentRootPath;
        Directory.CreateDirectory(folder);
        return folder;
    }
}
