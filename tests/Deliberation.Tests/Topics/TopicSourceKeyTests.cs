using System.Net;
using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Deliberation.Topics;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Tests.Topics;

/// <summary>
/// The stored source key of a topic sender: a keyed HMAC of the address (not a plain hash anyone can recompute for all
/// 2^32 IPv4 addresses), one key per IPv6 /64.
/// </summary>
public sealed class TopicSourceKeyTests
{
    private static readonly TopicSourceKey First = Keys("first-secret-first-secret-first-secret");
    private static readonly TopicSourceKey Second = Keys("second-secret-second-secret-second-secret");

    [Fact]
    public void TheKeyDependsOnTheSecret()
    {
        Assert.NotEqual(First.For("203.0.113.7"), Second.For("203.0.113.7"));
        Assert.Equal(First.For("203.0.113.7"), Keys("first-secret-first-secret-first-secret").For("203.0.113.7"));
    }

    [Fact]
    public void TheKeyIsNotAPlainHashOfTheAddress()
    {
        var key = First.For("203.0.113.7");

        Assert.Equal(64, key.Length);
        Assert.NotEqual(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("topic-intake:203.0.113.7"))), key);
        Assert.DoesNotContain("203.0.113.7", key, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressesOfOneIPv6Slash64ShareOneKey()
    {
        var key = First.For("2001:db8:1:2::1");

        Assert.Equal(key, First.For("2001:db8:1:2:a1b2:c3d4:e5f6:789"));
        Assert.Equal(key, First.For("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"));
        Assert.NotEqual(key, First.For("2001:db8:1:3::1"));
    }

    [Fact]
    public void IPv4AddressesCountOneByOneAndAMappedAddressCountsAsItsIPv4()
    {
        Assert.NotEqual(First.For("203.0.113.7"), First.For("203.0.113.8"));
        Assert.Equal(First.For("203.0.113.7"), First.For("::ffff:203.0.113.7"));
    }

    [Theory]
    [InlineData("2001:db8:1:2:a1b2:c3d4:e5f6:789", "2001:db8:1:2::/64")]
    [InlineData("::ffff:198.51.100.4", "198.51.100.4")]
    [InlineData("198.51.100.4", "198.51.100.4")]
    public void TheLimitsGroupAddressesTheSameWay(string address, string group) =>
        Assert.Equal(group, TopicSourceKey.Group(IPAddress.Parse(address)));

    private static TopicSourceKey Keys(string secret) => new(Options.Create(new TopicOptions { SourceKeySecret = secret }));
}
