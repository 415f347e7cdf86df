using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Eight lanes in an AVX2 register. AVX2 has no vector rotate, so each rotate is two shifts and an OR; the
/// rotates of Σ are merged into six shifts and five XORs.
/// </summary>
internal readonly struct Vector256Lanes : ISha256Lanes<Vector256<uint>>
{
    public static bool IsSupported => Avx2.IsSupported;

    public static int Count => Vector256<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Sequence(uint first) => Vector256.Create(first) + Vector256<uint>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> x, Vector256<uint> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor(Vector256<uint> x, Vector256<uint> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> ReverseEndianness(Vector256<uint> x) =>
        Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> BigSigma0(Vector256<uint> x) =>
        (Vector256.ShiftRightLogical(x, 2) ^ Vector256.ShiftRightLogical(x, 13) ^ Vector256.ShiftRightLogical(x, 22))
        ^ (Vector256.ShiftLeft(x, 30) ^ Vector256.ShiftLeft(x, 19) ^ Vector256.ShiftLeft(x, 10));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> BigSigma1(Vector256<uint> x) =>
        (Vector256.ShiftRightLogical(x, 6) ^ Vector256.ShiftRightLogical(x, 11) ^ Vector256.ShiftRightLogical(x, 25))
        ^ (Vector256.ShiftLeft(x, 26) ^ Vector256.ShiftLeft(x, 21) ^ Vector256.ShiftLeft(x, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> SmallSigma0(Vector256<uint> x) =>
        (Vector256.ShiftRightLogical(x, 7) ^ Vector256.ShiftRightLogical(x, 18) ^ Vector256.ShiftRightLogical(x, 3))
        ^ (Vector256.ShiftLeft(x, 25) ^ Vector256.ShiftLeft(x, 14));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> SmallSigma1(Vector256<uint> x) =>
        (Vector256.ShiftRightLogical(x, 17) ^ Vector256.ShiftRightLogical(x, 19) ^ Vector256.ShiftRightLogical(x, 10))
        ^ (Vector256.ShiftLeft(x, 15) ^ Vector256.ShiftLeft(x, 13));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Choose(Vector256<uint> e, Vector256<uint> f, Vector256<uint> g) => g ^ (e & (f ^ g));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Majority(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c) => (a & b) | (c & (a | b));

    // b ⊕ ((a ⊕ b) ∧ (b ⊕ c)): where a = b that is b, else c. Three instructions, not four, as b ⊕ c is the previous round's a ⊕ b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Majority(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> bXorC, out Vector256<uint> aXorB)
    {
        aXorB = a ^ b;
        return b ^ (aXorB & bXorC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AtMost(Vector256<uint> x, uint bound) =>
        Vector256.LessThanOrEqual(x, Vector256.Create(bound)).ExtractMostSignificantBits();

    public static void Store(Vector256<uint> x, Span<uint> destination) => x.CopyTo(destination);
}
