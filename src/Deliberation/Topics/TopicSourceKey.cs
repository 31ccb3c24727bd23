using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Topics;

/// <summary>Configuration section "Topics".</summary>
public sealed class TopicOptions
{
    public const string Section = "Topics";

    /// <summary>The fewest characters a <see cref="SourceKeySecret"/> may have.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>
    /// The key of the HMAC that turns a sender's address into the stored source key. The host requires it outside
    /// Development (and makes and keeps one in Development); without it (tests, tools) a random key lives as long as
    /// the process, so the stored keys then match only within one run.
    /// </summary>
    public string? SourceKeySecret { get; set; }
}

/// <summary>
/// The stored stand-in for a topic sender's address (the per-source limit counts by it): HMAC-SHA256 with a secret from
/// configuration, so a copy of the database does not give the addresses back — 2^32 IPv4 addresses are hashed in
/// seconds, an HMAC key is not guessed. IPv6 addresses count per /64 (one household's or phone's prefix: the rest of
/// the address is the device's own choice), an IPv4-mapped IPv6 address as the IPv4 address.
/// </summary>
public sealed class TopicSourceKey
{
    private readonly byte[] _secret;

    public TopicSourceKey(IOptions<TopicOptions> options)
    {
        var secret = options.Value.SourceKeySecret;
        _secret = string.IsNullOrWhiteSpace(secret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>64 hexadecimal characters for the sender <paramref name="source"/> (an IP address, or any other text).</summary>
    public string For(string source)
    {
        var grouped = IPAddress.TryParse(source, out var address) ? Group(address) : source;
        return Convert.ToHexString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes("topic-intake:" + grouped)));
    }

    /// <summary>The address as the limits count it: IPv4 as is, IPv6 as its /64 prefix (<c>2001:db8:1:2::/64</c>).</summary>
    public static string Group(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
