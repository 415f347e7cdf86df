using System.Numerics;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>
/// The version bits a miner rolls, in one place: BIP 320 reserves <c>0x1fffe000</c>, and a pool may allow any mask (BIP 310's
/// <c>mining.configure</c>). Roll <c>r</c> puts the bits of <c>r</c>, lowest first, into the mask's set bits. With the
/// whole BIP 320 mask a header has 2^16 versions of 2^32 nonces, so that a benchmark can run for minutes at billions
/// of hashes per second: work item <c>i</c> is nonce <c>i mod 2^32</c> of roll <c>i / 2^32</c>.
/// </summary>
public static class VersionRolling
{
    /// <summary>The version bits BIP 320 gives to miners.</summary>
    public const int Mask = 0x1fffe000;

    /// <summary>How many versions the mask allows.</summary>
    public const int Rolls = 1 << 16;

    /// <summary>How many work items a header has with every roll: 2^48.</summary>
    public const long WorkItems = Rolls * NonceRange.NonceCount;

    /// <summary>The version of roll <paramref name="roll"/>: its 16 bits in the mask's positions, the other bits from <paramref name="baseVersion"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roll"/> is outside [0, 2^16).</exception>
    public static int Version(int baseVersion, int roll)
    {
        if ((uint)roll >= Rolls)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(roll), $"A BIP 320 roll is from 0 to {Rolls - 1}; got {roll}.");
        // The mask is one contiguous run of 16 bits starting at bit 13.
        return (baseVersion & ~Mask) | (roll << 13);
    }

    /// <summary>How many versions <paramref name="mask"/> allows: 2 to the number of its bits (1 for no mask).</summary>
    public static long RollsOf(int mask) => 1L << BitOperations.PopCount((uint)mask);

    /// <summary>The version of roll <paramref name="roll"/> under <paramref name="mask"/>: the roll's bits in the mask's positions, the other bits from <paramref name="baseVersion"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roll"/> is outside [0, <see cref="RollsOf"/>).</exception>
    public static int Version(int baseVersion, int mask, long roll)
    {
        if (roll < 0 || roll >= RollsOf(mask))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(roll), $"Mask 0x{mask:x8} allows rolls 0 to {RollsOf(mask) - 1}; got {roll}.");
        if (mask == Mask)
            return Version(baseVersion, (int)roll);
        uint bits = 0;
        uint remaining = (uint)mask;
        for (int i = 0; remaining != 0; i++)
        {
            uint lowest = remaining & (~remaining + 1);
            if (((roll >> i) & 1) != 0)
                bits |= lowest;
            remaining &= remaining - 1;
        }
        return (baseVersion & ~mask) | (int)bits;
    }

    /// <summary>
    /// The full version a pool rebuilds from a submitted <c>version_bits</c> (BIP 310):
    /// <c>(jobVersion &amp; ~mask) | (versionBits &amp; mask)</c>.
    /// </summary>
    public static int Apply(int jobVersion, int mask, int versionBits) => (jobVersion & ~mask) | (versionBits & mask);

    /// <summary>
    /// Searches work items <c>[first, first + count)</c>: each roll's nonces in turn, on any device.
    /// Every hit says which version it used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The work range is empty or passes 2^48.</exception>
    public static NonceSearchResult SearchRolling(this INonceSearcher searcher, in BlockHeader header, Target target, long first, long count,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        if (first < 0 || count < 1 || first + count > WorkItems)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), $"Work items run from 0 to 2^48 - 1; [{first}, {first + count}) is not inside.");
        var hits = new List<NonceHit>();
        var elapsed = TimeSpan.Zero;
        for (long item = first; item < first + count;)
        {
            int roll = (int)(item >> 32);
            var range = new NonceRange((uint)item, Math.Min(NonceRange.NonceCount - (uint)item, first + count - item));
            long done = item - first;
            var part = searcher.Search(header.WithVersion(Version(header.Version, roll)), target, range,
                progress is null ? null : new OffsetProgress(progress, done), cancellationToken);
            hits.AddRange(part.Hits);
            elapsed += part.Elapsed;
            item += range.Count;
        }
        return new NonceSearchResult(searcher.Name, count, hits, elapsed);
    }

    // Progress<T> would post reports to the thread pool, out of order; this passes them on at once.
    private sealed class OffsetProgress(IProgress<long> inner, long offset) : IProgress<long>
    {
        public void Report(long value) => inner.Report(offset + value);
    }
}
