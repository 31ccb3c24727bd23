using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// The fair draw where a category has more registrants than free seats: a Fisher–Yates shuffle of the candidates'
/// registration ids (ascending) driven by SHA-256 of the recorded seed. Anyone with the seed and the candidate list
/// (both in the hearing's log) gets the same order: the random numbers are the 8-byte big-endian words of
/// SHA-256(seed ‖ counter) for counter = 0, 1, 2… (4-byte big-endian), each turned into an index below i + 1 by
/// rejection sampling (no modulo bias).
/// </summary>
public static class FairDraw
{
    /// <summary>The order drawn (all candidates), the seats filled from its head, and the seed as hexadecimal.</summary>
    public sealed record Result(string SeedHex, IReadOnlyList<int> Candidates, IReadOnlyList<int> Order, int Seats)
    {
        public IReadOnlyList<int> Selected => Order.Take(Seats).ToList();

        public IReadOnlyList<int> WaitingList => Order.Skip(Seats).ToList();
    }

    /// <summary>32 random bytes from the operating system's generator.</summary>
    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(32);

    public static Result Run(byte[] seed, IReadOnlyList<int> candidates, int seats)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var ordered = candidates.Order().ToList();
        return new Result(Convert.ToHexString(seed), ordered, Shuffle(seed, ordered), Math.Max(0, Math.Min(seats, ordered.Count)));
    }

    /// <summary>Reproduces a recorded draw from its hexadecimal seed.</summary>
    public static Result Reproduce(string seedHex, IReadOnlyList<int> candidates, int seats) => Run(Convert.FromHexString(seedHex), candidates, seats);

    private static List<int> Shuffle(byte[] seed, IReadOnlyList<int> items)
    {
        var order = items.ToList();
        var stream = new Stream64(seed);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = (int)stream.Below((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>Unsigned 64-bit words from SHA-256(seed ‖ counter), four per block.</summary>
    private sealed class Stream64(byte[] seed)
    {
        private readonly byte[] _input = [.. seed, 0, 0, 0, 0];
        private readonly byte[] _block = new byte[32];
        private uint _counter;
        private int _offset = 32;

        public ulong Below(ulong bound)
        {
            // The largest multiple of bound that fits: words at or above it are drawn again.
            var limit = ulong.MaxValue - (ulong.MaxValue % bound);
            while (true)
            {
                var word = Next();
                if (word < limit)
                {
                    return word % bound;
                }
            }
        }

        private ulong Next()
        {
            if (_offset == 32)
            {
                BinaryPrimitives.WriteUInt32BigEndian(_input.AsSpan(_input.Length - 4), _counter++);
                SHA256.HashData(_input, _block);
                _offset = 0;
            }

            var word = BinaryPrimitives.ReadUInt64BigEndian(_block.AsSpan(_offset, 8));
            _offset += 8;
            return word;
        }
    }
}
