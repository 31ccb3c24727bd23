using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>Configuration section "SessionLog" (ADR 0015).</summary>
public sealed class SessionLogOptions
{
    public const string Section = "SessionLog";

    /// <summary>The fewest characters a <see cref="SigningKey"/> may have (32 random bytes in base64 have 44).</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>
    /// The secret from which the ECDSA P-256 signing key of the session log is derived (the same secret always gives the
    /// same key). The host requires it outside Development and makes and keeps one in Development; without it (tests,
    /// tools) a random key lives as long as the process, and signatures then check only within that run.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Public keys of earlier signing keys (SubjectPublicKeyInfo, base64 or PEM), separated by ';': after a rotation the
    /// entries they signed still check, and they stay listed at /log/public-key.
    /// </summary>
    public string? RetiredPublicKeys { get; set; }
}

/// <summary>A public key of the log: its id (16 hex digits of the SHA-256 of the key), the key in PEM, and whether it signs now.</summary>
public sealed record SessionLogPublicKey(string KeyId, string Pem, bool Current);

/// <summary>What checking one signature found.</summary>
public enum SignatureStatus
{
    Valid,

    /// <summary>The entry carries no signature (written before signing began, or stripped).</summary>
    Missing,

    /// <summary>Signed by a key this server does not list.</summary>
    UnknownKey,

    /// <summary>The signature does not match the hash under the named key.</summary>
    Invalid,
}

/// <summary>
/// Signs each session-log entry's hash with an ECDSA P-256 key kept outside the database, and checks signatures against
/// the current and retired public keys. The signed message is the entry's hash as 64 lower-case hex characters (ASCII);
/// the signature is DER (RFC 3279), base64 — what <c>openssl dgst -sha256 -verify key.pem -signature sig.der</c> checks.
/// </summary>
public sealed class SessionLogSigner : IDisposable
{
    private const string DerivationLabel = "CommunityDeliberation session-log signing key, ECDSA P-256, v1";

    private readonly ECDsa _key;
    private readonly Lock _signing = new();
    private readonly Dictionary<string, ECDsa> _verifiers = new(StringComparer.Ordinal);

    public SessionLogSigner(IOptions<SessionLogOptions> options)
    {
        var secret = options.Value.SigningKey;
        _key = string.IsNullOrWhiteSpace(secret) ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : Derive(secret);
        KeyId = IdOf(_key.ExportSubjectPublicKeyInfo());
        _verifiers[KeyId] = _key;
        var keys = new List<SessionLogPublicKey> { new(KeyId, _key.ExportSubjectPublicKeyInfoPem(), true) };
        foreach (var text in (options.Value.RetiredPublicKeys ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var retired = ECDsa.Create();
            try
            {
                if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                {
                    retired.ImportFromPem(text);
                }
                else
                {
                    retired.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text), out _);
                }
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
            {
                retired.Dispose();
                throw new InvalidOperationException($"{SessionLogOptions.Section}:{nameof(SessionLogOptions.RetiredPublicKeys)}: '{text}' is not an EC public key (base64 SubjectPublicKeyInfo or PEM).", ex);
            }

            var id = IdOf(retired.ExportSubjectPublicKeyInfo());
            if (_verifiers.TryAdd(id, retired))
            {
                keys.Add(new SessionLogPublicKey(id, retired.ExportSubjectPublicKeyInfoPem(), false));
            }
            else
            {
                retired.Dispose();
            }
        }

        PublicKeys = keys;
    }

    /// <summary>The id of the key that signs now.</summary>
    public string KeyId { get; }

    /// <summary>The current key first, then the retired ones.</summary>
    public IReadOnlyList<SessionLogPublicKey> PublicKeys { get; }

    /// <summary>The base64 DER signature of <paramref name="hash"/> (64 hex characters) under the current key.</summary>
    public string Sign(string hash)
    {
        var message = Encoding.ASCII.GetBytes(hash);
        lock (_signing)
        {
            return Convert.ToBase64String(_key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    public SignatureStatus Check(string hash, string? keyId, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(keyId))
        {
            return SignatureStatus.Missing;
        }

        if (!_verifiers.TryGetValue(keyId, out var key))
        {
            return SignatureStatus.UnknownKey;
        }

        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length))
        {
            return SignatureStatus.Invalid;
        }

        lock (_signing)
        {
            return key.VerifyData(Encoding.ASCII.GetBytes(hash), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? SignatureStatus.Valid
                : SignatureStatus.Invalid;
        }
    }

    /// <summary>16 lower-case hex digits: the start of the SHA-256 of the key's SubjectPublicKeyInfo (DER).</summary>
    public static string IdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>
    /// The P-256 key of a secret: HKDF-SHA256 of the secret gives a 32-byte scalar, taken when it lies in [1, n-1]
    /// (otherwise the next counter is tried: a chance of about 2^-32). The same secret gives the same key on every instance.
    /// </summary>
    public static ECDsa Derive(string secret)
    {
        if (secret.Length < SessionLogOptions.MinimumSecretLength)
        {
            throw new InvalidOperationException($"{SessionLogOptions.Section}:{nameof(SessionLogOptions.SigningKey)} must have at least {SessionLogOptions.MinimumSecretLength} characters.");
        }

        var order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        var ikm = Encoding.UTF8.GetBytes(secret);
        for (byte counter = 0; ; counter++)
        {
            var d = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt: [], info: Encoding.ASCII.GetBytes(DerivationLabel + "/" + counter));
            if (d.AsSpan().SequenceCompareTo(order) < 0 && d.Any(b => b != 0))
            {
                var key = ECDsa.Create();
                key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
                return key;
            }
        }
    }

    public void Dispose()
    {
        foreach (var key in _verifiers.Values)
        {
            key.Dispose();
        }
    }
}
