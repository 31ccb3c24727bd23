using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Shared;

/// <summary>The address in feeds' absolute links never comes from an arbitrary Host header.</summary>
public sealed class PublicAddressTests
{
    private const string Fallback = "http://localhost:5080";

    [Fact]
    public void AConfiguredPublicBaseUrlWinsOverAnyHostHeader() =>
        Assert.Equal("https://deliberation.example.org", PublicAddress.Choose("https://deliberation.example.org/", "*", "http", "evil.example", "", Fallback));

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("deliberation.example.org")]
    [InlineData("*.example.org")]
    public void AHostNotListedInAllowedHostsIsNeverEchoed(string? allowedHosts) =>
        Assert.Equal(Fallback, PublicAddress.Choose(null, allowedHosts, "https", "evil.example:443", "", Fallback));

    [Theory]
    [InlineData("deliberation.example.org", "deliberation.example.org")]
    [InlineData("DELIBERATION.example.org:8443", "deliberation.example.org")]
    [InlineData("council.example.org", "*.example.org")]
    [InlineData("127.0.0.1:5123", "127.0.0.1;localhost")]
    public void AListedHostIsUsedWithItsSchemeAndPathBase(string host, string allowedHosts) =>
        Assert.Equal($"https://{host}/cd", PublicAddress.Choose(" ", allowedHosts, "https", host, "/cd", Fallback));

    [Theory]
    [InlineData("deliberation.example.org")]
    [InlineData("ftp://deliberation.example.org")]
    [InlineData("https://deliberation.example.org/?x=1")]
    public void AMalformedPublicBaseUrlIsRefusedAtStart(string configured) =>
        Assert.Throws<InvalidOperationException>(() => PublicAddress.Validate(configured));
}
