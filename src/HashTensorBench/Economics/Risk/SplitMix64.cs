namespace HashTensorBench.Economics.Risk;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014; the seeding
/// generator Vigna recommends for xoshiro): turns a seed and a path index into a generator state, so each path's
/// draws depend on nothing else.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment, 2^64 ÷ φ.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>Advances <paramref name="state"/> and returns its next output.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>SplitMix64's finaliser: a bijection of 64-bit words that spreads every input bit over the output.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
