using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>Configuration section "Hearings".</summary>
public sealed class HearingOptions
{
    public const string Section = "Hearings";

    /// <summary>
    /// The key of the HMAC that turns a registrant's contact into the stored identity key (one registration per person
    /// and hearing). Required outside Development (made and kept in Development); without it (tests, tools) a random
    /// key lives as long as the process.
    /// </summary>
    public string? IdentityKeySecret { get; set; }

    /// <summary>At most this many registrations from one source (keyed hash of the address) per hour, all hearings.</summary>
    public int RegistrationsPerSourcePerHour { get; set; } = HearingPublicService.PerHour;

    /// <summary>At most this many registrations from one source per day, all hearings.</summary>
    public int RegistrationsPerSourcePerDay { get; set; } = HearingPublicService.PerDay;
}

/// <summary>
/// Who a registrant is, for "one registration per person per hearing": HMAC-SHA256 (secret from configuration) of the
/// hearing and the normalised contact. The unique index (HearingId, IdentityKey) refuses a second registration, also
/// when two arrive at once. Normalised: Unicode NFKC (full-width digits become ASCII), lower case, without spaces,
/// hyphens, dots in phone numbers or brackets; a mainland mobile number with +86/0086 is the number itself.
/// </summary>
public sealed class HearingIdentityKey
{
    private readonly byte[] _secret;

    public HearingIdentityKey(IOptions<HearingOptions> options)
    {
        var secret = options.Value.IdentityKeySecret;
        _secret = string.IsNullOrWhiteSpace(secret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(secret);
    }

    public string For(int hearingId, string? contact) =>
        Convert.ToHexString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(FormattableString.Invariant($"hearing-registrant:{hearingId}:{Normalize(contact)}"))));

    public static string Normalize(string? contact)
    {
        var text = (contact ?? string.Empty).Normalize(NormalizationForm.FormKC).Trim().ToLower(CultureInfo.InvariantCulture);
        if (text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '(' or ')' or '.')).ToArray());
        if (compact.StartsWith("+86", StringComparison.Ordinal))
        {
            compact = compact[3..];
        }
        else if (compact.StartsWith("0086", StringComparison.Ordinal))
        {
            compact = compact[4..];
        }

        return compact;
    }
}
