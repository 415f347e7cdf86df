using System.Numerics;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Mining;

/// <summary>
/// The pool's share difficulty and the target it stands for: difficulty 1 is the target of nBits
/// <c>0x1d00ffff</c> (<c>0x00000000FFFF0000…</c>), and difficulty <c>d</c> is that target divided by
/// <c>d</c>. A share target is the pool's; the network target of a block is the job's nBits.
/// </summary>
public static class ShareTarget
{
    /// <summary>The target of pool difficulty <paramref name="difficulty"/>: <c>floor(0xFFFF·2^208 / difficulty)</c>, capped at 2^256 − 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The difficulty is zero, negative, infinite or not a number.</exception>
    public static Target FromDifficulty(double difficulty)
    {
        if (!(difficulty > 0) || double.IsInfinity(difficulty))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(difficulty), $"A pool difficulty must be a positive finite number; got {difficulty}.");
        // A double is mantissa·2^exponent exactly, so the division below is exact before the floor.
        long bits = BitConverter.DoubleToInt64Bits(difficulty);
        int rawExponent = (int)((bits >> 52) & 0x7ff);
        long fraction = bits & 0xfffffffffffffL;
        BigInteger mantissa = rawExponent == 0 ? fraction : fraction | (1L << 52);
        int exponent = (rawExponent == 0 ? 1 : rawExponent) - 1075;
        BigInteger one = Target.Difficulty1.Value.ToBigInteger();
        BigInteger value = exponent >= 0 ? one / (mantissa << exponent) : (one << -exponent) / mantissa;
        var max = UInt256.MaxValue.ToBigInteger();
        return new Target(UInt256.FromBigInteger(BigInteger.Min(value, max)));
    }

    /// <summary>The difficulty a hash reaches (as pools and miners report a share): <c>0xFFFF·2^208 / hash</c>; infinity for a zero hash.</summary>
    public static double DifficultyOf(UInt256 hash) =>
        hash.IsZero ? double.PositiveInfinity : Target.Difficulty1.Value.ToDouble() / hash.ToDouble();
}
