using System.Numerics;

namespace HashTensorBench.Economics.Risk;

/// <summary>
/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2018, the reference
/// <c>xoshiro256starstar.c</c>): fast, 2^256 − 1 period, passes BigCrush. Written out here rather than taken from
/// <see cref="Random"/>, whose algorithm a new .NET may change, which would change every seeded result.
/// </summary>
internal struct Xoshiro256StarStar
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose four state words are the next four SplitMix64 outputs from <paramref name="seed"/>, as the authors advise; never all zero.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SplitMix64.Next(ref seed);
        _s1 = SplitMix64.Next(ref seed);
        _s2 = SplitMix64.Next(ref seed);
        _s3 = SplitMix64.Next(ref seed);
    }

    /// <summary>A generator with the state given word for word, for the reference's known answers.</summary>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform draw in [0, 1): the top 53 bits, every value a multiple of 2^−53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * TwoToMinus53;
}
