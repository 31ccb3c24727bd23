using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// One entry of a session's append-only log. Each entry carries the SHA-256 of the previous one, so changing,
/// removing or reordering any entry breaks the chain (<see cref="SessionLogChain.Verify"/>). Entries are never updated.
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

/// <summary>The result of checking a chain: where it first breaks, if anywhere.</summary>
public sealed record ChainVerification(bool IsValid, int Entries, string? LastHash, int? BrokenAtSequence, string? Problem);

public static class SessionLogChain
{
    /// <summary>Recomputes every hash and link of a session's entries, in sequence order.</summary>
    public static ChainVerification Verify(IReadOnlyList<SessionLogEntry> entries)
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

            previous = entry.Hash;
            expectedSequence++;
        }

        return new ChainVerification(true, entries.Count, entries.Count == 0 ? null : previous, null, null);
    }
}
