using System.Security.Cryptography;
using CommunityDeliberation.Deliberation.Persistence;
using CommunityDeliberation.Deliberation.Shared.Identity;
using CommunityDeliberation.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Tests.Persistence;

/// <summary>
/// The Data Protection key ring in the database (ADR 0015), on a real SQLite file: what one app host protects (a sign-in
/// cookie is such a payload) a second host on the same database unprotects, and the stored key XML is encrypted.
/// </summary>
public sealed class DataProtectionKeysTests
{
    private const string Secret = "data-protection-test-secret-0123456789abcdef";

    [Fact]
    public async Task ASecondHostOnTheSameDatabaseReadsWhatTheFirstProtected()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        string cookie;
        await using (var first = Host(database, Secret))
        {
            cookie = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in as rep011");
        }

        await using var second = Host(database, Secret);
        Assert.Equal("signed in as rep011", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie));

        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Single(await db.DataProtectionKeys.ToListAsync());
    }

    [Fact]
    public async Task TheStoredKeyXmlCarriesNoPlaintextKeyMaterial()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using (var host = Host(database, Secret))
        {
            host.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("x");
        }

        await using var db = await database.Factory.CreateDbContextAsync();
        var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync())!;
        Assert.Contains("urn:community-deliberation:data-protection:aes-gcm:1", xml, StringComparison.Ordinal);
        // The framework writes the master key as <masterKey><value>base64</value></masterKey>; here only the sealed form is stored.
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        Assert.Contains("decryptorType=\"" + typeof(AesGcmXmlDecryptor).FullName, xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostWithAnotherSecretCannotReadTheKeys()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        string cookie;
        await using (var first = Host(database, Secret))
        {
            cookie = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in");
        }

        await using var other = Host(database, Secret.Replace('0', '1'));
        Assert.ThrowsAny<CryptographicException>(() => other.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie));
    }

    /// <summary>One app host's services on the database: persistence, the scoped context Identity uses, Data Protection.</summary>
    private static ServiceProvider Host(TestDatabase database, string secret)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        PersistenceSetup.AddDeliberationPersistence(services, database.Settings, database.Directory);
        services.AddDeliberationAccounts();
        services.AddDataProtectionKeysInDatabase(secret);
        return services.BuildServiceProvider();
    }
}
