using System.Security.Cryptography;
using System.Text;
using CommunityDeliberation.Deliberation.Minutes;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Tests.Minutes;

public sealed class SessionLogSignerTests
{
    private const string Secret = "a-test-secret-of-at-least-thirty-two-characters";
    private const string Hash = "3f1c0e0b5c9d6f4e2a1b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b";

    [Fact]
    public void TheSameSecretGivesTheSameKeyOnEveryInstance()
    {
        using var first = Signer(Secret);
        using var second = Signer(Secret);
        using var other = Signer(Secret + "!");
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.NotEqual(first.KeyId, other.KeyId);
        Assert.Matches("^[0-9a-f]{16}$", first.KeyId);
        Assert.Equal(SignatureStatus.Valid, second.Check(Hash, first.KeyId, first.Sign(Hash)));
        Assert.Equal(SignatureStatus.UnknownKey, other.Check(Hash, first.KeyId, first.Sign(Hash)));
    }

    [Fact]
    public void ASignatureChecksWithThePublishedPublicKeyAlone()
    {
        using var signer = Signer(Secret);
        var signature = signer.Sign(Hash);
        var published = Assert.Single(signer.PublicKeys);
        Assert.True(published.Current);
        using var resident = ECDsa.Create();
        resident.ImportFromPem(published.Pem);
        Assert.True(resident.VerifyData(Encoding.ASCII.GetBytes(Hash), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(resident.VerifyData(Encoding.ASCII.GetBytes(Hash.Replace('3', '4')), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void AfterARotationTheRetiredKeyStillChecksWhatItSigned()
    {
        using var old = Signer(Secret);
        var signature = old.Sign(Hash);
        var oldPem = old.PublicKeys[0].Pem;

        using var rotated = new SessionLogSigner(Options.Create(new SessionLogOptions { SigningKey = "a-new-secret-of-at-least-thirty-two-characters", RetiredPublicKeys = oldPem }));
        Assert.NotEqual(old.KeyId, rotated.KeyId);
        Assert.Equal([rotated.KeyId, old.KeyId], rotated.PublicKeys.Select(k => k.KeyId));
        Assert.False(rotated.PublicKeys[1].Current);
        Assert.Equal(SignatureStatus.Valid, rotated.Check(Hash, old.KeyId, signature));

        using var forgotten = Signer("a-new-secret-of-at-least-thirty-two-characters");
        Assert.Equal(SignatureStatus.UnknownKey, forgotten.Check(Hash, old.KeyId, signature));
    }

    [Fact]
    public void MissingAndMalformedSignaturesDoNotCheck()
    {
        using var signer = Signer(Secret);
        Assert.Equal(SignatureStatus.Missing, signer.Check(Hash, null, null));
        Assert.Equal(SignatureStatus.Invalid, signer.Check(Hash, signer.KeyId, "not base64!"));
        Assert.Equal(SignatureStatus.Invalid, signer.Check(Hash, signer.KeyId, Convert.ToBase64String(new byte[70])));
    }

    [Fact]
    public void AShortSecretOrABadRetiredKeyStopsTheStart()
    {
        Assert.Throws<InvalidOperationException>(() => Signer("short"));
        Assert.Throws<InvalidOperationException>(() => new SessionLogSigner(Options.Create(new SessionLogOptions { SigningKey = Secret, RetiredPublicKeys = "bm90IGEga2V5" })));
    }

    private static SessionLogSigner Signer(string secret) => new(Options.Create(new SessionLogOptions { SigningKey = secret }));
}
