using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// One entry of a session's append-only log. Each entry carries the SHA-256 of the previous one, so changing,
/// removing or reordering any entry breaks the chain (<see cref="SessionLogChain.Verify"/>). Each entry's hash is signed
/// with a key kept outside the database (<see cref="SessionLogSigner"/>, set as the entry is saved), so whoever can only
/// write the database cannot recompute a valid chain. Entries are never updated or deleted: the database refuses it (ADR 0015).
/// </summary>
public sealed class SessionLogEntry
{
    /// <summary>The previous hash of a session's first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private SessionLogEntry()
    {
        Kind = PayloadJson = PreviousHash = Hash = string.Empty;
    }

    internal SessionLogEntry(int sessionId, int sequence, DateTime atUtc, string kind, string? actorUserId, string payloadJson, string previousHash)
    {
        SessionId = sessionId;
        Sequence = sequence;
        AtUtc = DateTime.SpecifyKind(new DateTime(atUtc.Ticks - (atUtc.Ticks % TimeSpan.TicksPerMillisecond)), DateTimeKind.Utc);
        Kind = kind;
        ActorUserId = actorUserId;
        PayloadJson = payloadJson;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    public long Id { get; private set; }

    public int SessionId { get; private set; }

    /// <summary>1, 2, 3… within the session; unique, so two writers cannot both append entry n.</summary>
    public int Sequence { get; private set; }

    /// <summary>UTC, to the millisecond (what every database stores exactly).</summary>
    public DateTime AtUtc { get; private set; }

    public string Kind { get; private set; }

    public string? ActorUserId { get; private set; }

    /// <summary>The facts of the entry as JSON: a typed <see cref="SessionLogEvent"/> of the kind, serialized (<see cref="SessionLog.Read"/>).</summary>
    public string PayloadJson { get; private set; }

    public string PreviousHash { get; private set; }

    public string Hash { get; private set; }

    /// <summary>The id of the key that signed <see cref="Hash"/> (<see cref="SessionLogSigner.KeyId"/>); null for entries written before signing.</summary>
    public string? KeyId { get; private set; }

    /// <summary>Base64 DER ECDSA P-256 signature of <see cref="Hash"/> (as 64 ASCII hex characters).</summary>
    public string? Signature { get; private set; }

    /// <summary>Signs the entry before it is first saved (<see cref="SessionLogSigning"/>); an entry is signed once.</summary>
    internal void Sign(SessionLogSigner signer)
    {
        if (Signature is not null)
        {
            throw new InvalidOperationException($"Entry {Sequence} of session {SessionId} is already signed.");
        }

        KeyId = signer.KeyId;
        Signature = signer.Sign(Hash);
    }

    /// <summary>SHA-256 (lower-case hex) over the entry's fields and the previous hash, in a fixed text form.</summary>
    public string ComputeHash()
    {
        var text = string.Join('\n',
            SessionId.ToString(CultureInfo.InvariantCulture),
            Sequence.ToString(CultureInfo.InvariantCulture),
            AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            Kind,
            ActorUserId ?? string.Empty,
            PayloadJson,
            PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>
/// A session's chain head as published with minutes: how many entries, the last one's hash, and its signature and key id
/// (null for a log written before signing). A resident's copy of it anchors the history up to that entry.
/// </summary>
public sealed record LogHead(int Entries, string Hash, string? KeyId, string? Signature)
{
    public static LogHead Of(IReadOnlyList<SessionLogEntry> log)
    {
        var last = log.Count == 0 ? null : log.MaxBy(e => e.Sequence);
        return last is null ? new LogHead(0, SessionLogEntry.Genesis, null, null) : new LogHead(last.Sequence, last.Hash, last.KeyId, last.Signature);
    }
}

/// <summary>The result of checking a chain: where it first breaks, if anywhere.</summary>
public sealed record ChainVerification(bool IsValid, int Entries, string? LastHash, int? BrokenAtSequence, string? Problem);

public static class SessionLogChain
{
    /// <summary>
    /// Recomputes every hash and link of a session's entries, in sequence order, and with <paramref name="signer"/> checks
    /// each entry's signature: a rewritten entry whose hash and every later hash were recomputed is caught here.
    /// </summary>
    public static ChainVerification Verify(IReadOnlyList<SessionLogEntry> entries, SessionLogSigner? signer = null)
    {
        var previous = SessionLogEntry.Genesis;
        var expectedSequence = 1;
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            if (entry.Sequence != expectedSequence)
            {
                return new ChainVerification(false, entries.Count, null, entry.Sequence, $"expected entry {expectedSequence}, found {entry.Sequence}");
            }

            if (entry.PreviousHash != previous)
            {
                return new ChainVerification(false, entries.Count, null, entry.Sequence, "the link to the previous entry does not match");
            }

            if (entry.ComputeHash() != entry.Hash)
            {
                return new ChainVerification(false, entries.Count, null, entry.Sequence, "the entry's contents do not match its hash");
            }

            if (signer is not null && signer.Check(entry.Hash, entry.KeyId, entry.Signature) is var status && status != SignatureStatus.Valid)
            {
                return new ChainVerification(false, entries.Count, null, entry.Sequence, status switch
                {
                    SignatureStatus.Missing => "the entry carries no signature",
                    SignatureStatus.UnknownKey => $"the entry is signed by an unknown key ({entry.KeyId})",
                    _ => $"the signature does not match the entry's hash (key {entry.KeyId})",
                });
            }

            previous = entry.Hash;
            expectedSequence++;
        }

        return new ChainVerification(true, entries.Count, entries.Count == 0 ? null : previous, null, null);
    }
}
