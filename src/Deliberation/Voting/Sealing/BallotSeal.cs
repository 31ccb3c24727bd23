using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommunityDeliberation.Deliberation.Voting.Sealing;

/// <summary>Configuration section "Voting".</summary>
public sealed class BallotSealOptions
{
    public const string Section = "Voting";

    /// <summary>
    /// The secret from which each secret vote's sealing key is derived (ADR 0016). Kept outside the database: the host
    /// requires it outside Development (and makes and keeps one in Development); every instance of a deployment needs
    /// the same one. Without it (tests, tools) a random key lives as long as the process.
    /// </summary>
    public string? BallotSealingKey { get; set; }
}

/// <summary>
/// Seals the choice of a secret ballot until its vote closes (ADR 0016). A sealed ballot is AES-256-GCM under a key derived
/// (HKDF-SHA256) from <see cref="BallotSealOptions.BallotSealingKey"/> and the vote's id, with the vote's id as associated
/// data, so an envelope opens only for its own vote. The plain text has one length for every ballot of a vote (a version
/// byte, the 10-character receipt, one bit per option), so neither the length nor anything else of the stored envelope
/// tells one choice from another; the nonce is random.
/// </summary>
public sealed class BallotSeal
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int ReceiptSize = 10;

    /// <summary>The key used when none is configured: one per process, so instances in one process agree.</summary>
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    private readonly byte[] _master;

    public BallotSeal(IOptions<BallotSealOptions> options)
    {
        var secret = options.Value.BallotSealingKey;
        _master = string.IsNullOrWhiteSpace(secret) ? ProcessKey : Encoding.UTF8.GetBytes(secret.Trim());
    }

    /// <summary>The envelope of one ballot: the option indexes chosen (none for a blank ballot) and its receipt.</summary>
    public byte[] Seal(int pollId, int optionCount, IReadOnlyList<int> selections, string receipt)
    {
        if (receipt.Length != ReceiptSize || !Ascii.IsValid(receipt))
        {
            throw new ArgumentException("A receipt has 10 ASCII characters", nameof(receipt));
        }

        var plain = new byte[PlainSize(optionCount)];
        plain[0] = Version;
        Encoding.ASCII.GetBytes(receipt, plain.AsSpan(1, ReceiptSize));
        foreach (var index in selections)
        {
            if (index < 0 || index >= optionCount)
            {
                throw new ArgumentOutOfRangeException(nameof(selections), "An option index outside the vote");
            }

            plain[1 + ReceiptSize + (index / 8)] |= (byte)(1 << (index % 8));
        }

        var envelope = new byte[NonceSize + plain.Length + TagSize];
        var nonce = envelope.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(KeyFor(pollId), TagSize);
        aes.Encrypt(nonce, plain, envelope.AsSpan(NonceSize, plain.Length), envelope.AsSpan(NonceSize + plain.Length, TagSize), Associated(pollId));
        CryptographicOperations.ZeroMemory(plain);
        return envelope;
    }

    /// <summary>Opens an envelope of <paramref name="pollId"/>; throws <see cref="CryptographicException"/> when it was not sealed for it.</summary>
    public OpenedBallot Open(int pollId, int optionCount, byte[] envelope)
    {
        var size = PlainSize(optionCount);
        if (envelope.Length != NonceSize + size + TagSize)
        {
            throw new CryptographicException($"A sealed ballot of vote {pollId} has the wrong length");
        }

        var plain = new byte[size];
        using var aes = new AesGcm(KeyFor(pollId), TagSize);
        aes.Decrypt(envelope.AsSpan(0, NonceSize), envelope.AsSpan(NonceSize, size), envelope.AsSpan(NonceSize + size, TagSize), plain, Associated(pollId));
        if (plain[0] != Version)
        {
            throw new CryptographicException($"A sealed ballot of vote {pollId} has an unknown version");
        }

        var receipt = Encoding.ASCII.GetString(plain, 1, ReceiptSize);
        var selections = Enumerable.Range(0, optionCount).Where(i => (plain[1 + ReceiptSize + (i / 8)] & (1 << (i % 8))) != 0).ToArray();
        return new OpenedBallot(selections, receipt);
    }

    private static int PlainSize(int optionCount) => 1 + ReceiptSize + ((optionCount + 7) / 8);

    private static byte[] Associated(int pollId) => Encoding.ASCII.GetBytes("cd-ballot/v1/poll/" + pollId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private byte[] KeyFor(int pollId) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _master, 32, salt: [], info: Associated(pollId));
}

/// <summary>What a sealed ballot said: the options chosen and its receipt.</summary>
public sealed record OpenedBallot(IReadOnlyList<int> Selections, string Receipt);

/// <summary>A secret ballot as cast, sealed until its vote closes (<see cref="BallotSeal"/>). Deleted when the vote is counted.</summary>
public sealed class SealedBallot
{
    private SealedBallot()
    {
        Envelope = [];
    }

    public SealedBallot(int pollId, byte[] envelope)
    {
        PollId = pollId;
        Envelope = envelope;
    }

    public long Id { get; private set; }

    public int PollId { get; private set; }

    public byte[] Envelope { get; private set; }
}

/// <summary>
/// A receipt of a counted secret ballot: proves that the ballot was counted, not what it said. Written when the vote
/// closes, in an order of its own (by code), apart from the ballots' choices.
/// </summary>
public sealed class CountedReceipt
{
    private CountedReceipt()
    {
        Code = string.Empty;
    }

    public CountedReceipt(int pollId, string code)
    {
        PollId = pollId;
        Code = code;
    }

    public long Id { get; private set; }

    public int PollId { get; private set; }

    public string Code { get; private set; }
}
