using System.Numerics;
using HashTensorBench.Hashing;

namespace HashTensorBench.Mining;

/// <summary>
/// The version bits a pool lets the miner roll (BIP 310's <c>mining.configure</c> negotiates the mask;
/// BIP 320 reserves <c>0x1fffe000</c>). Roll <c>r</c> puts the bits of <c>r</c>, lowest first, into the
/// mask's set bits; with the whole BIP 320 mask that is <see cref="VersionRolling.Version"/>.
/// </summary>
public static class VersionMask
{
    /// <summary>The mask BIP 320 reserves for miners, the one <see cref="VersionRolling"/> rolls.</summary>
    public const int Bip320 = VersionRolling.Mask;

    /// <summary>How many versions a mask allows: 2 to the number of its bits (1 for no mask).</summary>
    public static long Rolls(int mask) => 1L << BitOperations.PopCount((uint)mask);

    /// <summary>The version of roll <paramref name="roll"/>: the roll's bits in the mask's positions, the other bits from <paramref name="baseVersion"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roll"/> is outside [0, <see cref="Rolls"/>).</exception>
    public static int Version(int baseVersion, int mask, long roll)
    {
        if (roll < 0 || roll >= Rolls(mask))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(roll), $"Mask 0x{mask:x8} allows rolls 0 to {Rolls(mask) - 1}; got {roll}.");
        if (mask == Bip320)
            return VersionRolling.Version(baseVersion, (int)roll);
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
}
