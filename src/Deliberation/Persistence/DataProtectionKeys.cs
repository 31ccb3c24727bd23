using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityDeliberation.Deliberation.Persistence;

/// <summary>
/// ASP.NET Core Data Protection (sign-in cookies, antiforgery tokens) with its key ring in the deliberation database, so a
/// restart or a second instance on the same database keeps everyone signed in (ADR 0015). Linux has no DPAPI, so each
/// key's XML is encrypted before it is stored, with AES-256-GCM under a key derived from a secret kept outside the
/// database (<see cref="SecretKey"/>): a copy of the database alone does not give the keys that sign the cookies.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>The configuration key of the secret that encrypts the stored key XML.</summary>
    public const string SecretKey = "DataProtection:KeyEncryptionSecret";

    /// <summary>The same on every instance: keys made by one are accepted by the others.</summary>
    public const string ApplicationName = "CommunityDeliberation";

    public static IServiceCollection AddDataProtectionKeysInDatabase(this IServiceCollection services, string secret)
    {
        services.AddSingleton(new KeyEncryptionKey(secret));
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<DeliberationDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<KeyEncryptionKey>((options, key) => options.XmlEncryptor = new AesGcmXmlEncryptor(key));
        return services;
    }
}

/// <summary>The AES-256 key that encrypts stored Data Protection keys: HKDF-SHA256 of the configured secret.</summary>
public sealed class KeyEncryptionKey
{
    public const int MinimumSecretLength = 32;

    public KeyEncryptionKey(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumSecretLength)
        {
            throw new InvalidOperationException($"{DataProtectionKeys.SecretKey} must have at least {MinimumSecretLength} characters.");
        }

        Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: "CommunityDeliberation data-protection key encryption v1"u8.ToArray());
        Id = Convert.ToHexStringLower(SHA256.HashData(Key))[..16];
    }

    internal byte[] Key { get; }

    /// <summary>Names the key in the stored XML (not secret), so a wrong secret is reported as such.</summary>
    public string Id { get; }
}

/// <summary>Encrypts a key element as <c>&lt;aesGcm keyId nonce&gt;ciphertext+tag&lt;/aesGcm&gt;</c> (base64).</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    internal static readonly XNamespace Ns = "urn:community-deliberation:data-protection:aes-gcm:1";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var sealedBytes = new byte[plaintext.Length + AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key.Key, AesGcm.TagByteSizes.MaxSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), Encoding.ASCII.GetBytes(key.Id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(Ns + "aesGcm",
            new XAttribute("keyId", key.Id),
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Made by Data Protection's activator from the type name in the stored XML; finds the key through DI.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyEncryptionKey>();
        var keyId = (string?)encryptedElement.Attribute("keyId");
        if (keyId != key.Id)
        {
            throw new CryptographicException($"This Data Protection key was encrypted under key {keyId}, not under the configured {DataProtectionKeys.SecretKey} ({key.Id}).");
        }

        var nonce = Convert.FromBase64String((string?)encryptedElement.Attribute("nonce") ?? string.Empty);
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var tagLength = AesGcm.TagByteSizes.MaxSize;
        var plaintext = new byte[sealedBytes.Length - tagLength];
        using (var aes = new AesGcm(key.Key, tagLength))
        {
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext, Encoding.ASCII.GetBytes(key.Id));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
