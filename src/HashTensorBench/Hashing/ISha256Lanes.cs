namespace HashTensorBench.Hashing;

/// <summary>
/// The SHA-256 operations over a vector of independent 32-bit lanes, one nonce per lane. One kernel,
/// the CPU's <c>Sha256dLaneKernel</c>, is written against this and specialized by the JIT for
/// each implementation (a struct type argument), so every instruction set shares the same tricks.
/// </summary>
/// <typeparam name="TVec">The vector: <see cref="uint"/> for scalar code, or a SIMD vector of them.</typeparam>
internal interface ISha256Lanes<TVec> where TVec : unmanaged
{
    /// <summary>How many lanes a vector has.</summary>
    static abstract int Count { get; }

    /// <summary>The same value in every lane.</summary>
    static abstract TVec Broadcast(uint value);

    /// <summary><paramref name="first"/> + lane index, wrapping.</summary>
    static abstract TVec Sequence(uint first);

    /// <summary>Lane-wise sum modulo 2^32.</summary>
    static abstract TVec Add(TVec x, TVec y);

    /// <summary>Lane-wise exclusive or.</summary>
    static abstract TVec Xor(TVec x, TVec y);

    /// <summary>Reverses the bytes of each lane (a little-endian field read as a big-endian SHA-256 word).</summary>
    static abstract TVec ReverseEndianness(TVec x);

    /// <summary>Σ0(x) = ROTR²(x) ⊕ ROTR¹³(x) ⊕ ROTR²²(x).</summary>
    static abstract TVec BigSigma0(TVec x);

    /// <summary>Σ1(x) = ROTR⁶(x) ⊕ ROTR¹¹(x) ⊕ ROTR²⁵(x).</summary>
    static abstract TVec BigSigma1(TVec x);

    /// <summary>σ0(x) = ROTR⁷(x) ⊕ ROTR¹⁸(x) ⊕ SHR³(x).</summary>
    static abstract TVec SmallSigma0(TVec x);

    /// <summary>σ1(x) = ROTR¹⁷(x) ⊕ ROTR¹⁹(x) ⊕ SHR¹⁰(x).</summary>
    static abstract TVec SmallSigma1(TVec x);

    /// <summary>Ch(e, f, g) = (e ∧ f) ⊕ (¬e ∧ g).</summary>
    static abstract TVec Choose(TVec e, TVec f, TVec g);

    /// <summary>Maj(a, b, c) = (a ∧ b) ⊕ (a ∧ c) ⊕ (b ∧ c).</summary>
    static abstract TVec Majority(TVec a, TVec b, TVec c);

    /// <summary>
    /// Maj(a, b, c) for a round whose b ⊕ c is known (it is the previous round's a ⊕ b); returns in
    /// <paramref name="aXorB"/> what the next round needs. Where Maj is one instruction, it may ignore both.
    /// </summary>
    static abstract TVec Majority(TVec a, TVec b, TVec c, TVec bXorC, out TVec aXorB);

    /// <summary>A mask with bit i set where lane i is at most <paramref name="bound"/> (unsigned).</summary>
    static abstract ulong AtMost(TVec x, uint bound);

    /// <summary>Copies the lanes to <paramref name="destination"/>.</summary>
    static abstract void Store(TVec x, Span<uint> destination);
}
