namespace HashTensorBench.Hashing;

/// <summary>
/// The nonces <c>[Start, Start + Count)</c> of a search; a header has 2^32 of them.
/// </summary>
public readonly record struct NonceRange
{
    /// <summary>How many nonces a header has.</summary>
    public const long NonceCount = 1L << 32;

    /// <summary>Creates the range <c>[start, start + count)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or the range passes nonce 2^32 − 1.</exception>
    public NonceRange(uint start, long count)
    {
        if (count < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), $"A nonce range needs at least one nonce; the count was {count}.");
        if (start + count > NonceCount)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count),
                $"The range starting at {start} with {count} nonces passes the last nonce, {uint.MaxValue}: at most {NonceCount - start} nonces remain.");
        Start = start;
        Count = count;
    }

    /// <summary>Every nonce, 0 to 2^32 − 1.</summary>
    public static NonceRange All => new(0, NonceCount);

    /// <summary>The first nonce.</summary>
    public uint Start { get; }

    /// <summary>How many nonces, from 1 to 2^32.</summary>
    public long Count { get; }

    /// <summary>One past the last nonce, up to 2^32.</summary>
    public long End => Start + Count;

    /// <summary>The last nonce.</summary>
    public uint Last => (uint)(End - 1);

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}, {End})";
}
