using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Sixteen lanes in an AVX-512 register: rotates are one <c>vprord</c> each, and every three-input
/// XOR, Ch and Maj is one <c>vpternlogd</c>.
/// </summary>
internal readonly struct Vector512Lanes : ISha256Lanes<Vector512<uint>>
{
    // vpternlogd truth tables, indexed by (a << 2 | b << 1 | c) over the operands (a, b, c).
    private const byte Xor3 = 0x96;
    private const byte Select = 0xCA; // a ? b : c
    private const byte Majority3 = 0xE8;

    public static bool IsSupported => Avx512F.IsSupported && Avx512BW.IsSupported;

    public static int Count => Vector512<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Sequence(uint first) => Vector512.Create(first) + Vector512<uint>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Add(Vector512<uint> x, Vector512<uint> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Xor(Vector512<uint> x, Vector512<uint> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> ReverseEndianness(Vector512<uint> x) =>
        Avx512BW.Shuffle(x.AsByte(), Vector512.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> BigSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 2), Avx512F.RotateRight(x, 13), Avx512F.RotateRight(x, 22), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> BigSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 6), Avx512F.RotateRight(x, 11), Avx512F.RotateRight(x, 25), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> SmallSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 7), Avx512F.RotateRight(x, 18), Vector512.ShiftRightLogical(x, 3), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> SmallSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 17), Avx512F.RotateRight(x, 19), Vector512.ShiftRightLogical(x, 10), Xor3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Choose(Vector512<uint> e, Vector512<uint> f, Vector512<uint> g) => Avx512F.TernaryLogic(e, f, g, Select);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Majority(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c) => Avx512F.TernaryLogic(a, b, c, Majority3);

    // One vpternlogd: the XOR that the two-input form reuses is not needed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Majority(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> bXorC, out Vector512<uint> aXorB)
    {
        aXorB = bXorC;
        return Avx512F.TernaryLogic(a, b, c, Majority3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AtMost(Vector512<uint> x, uint bound) =>
        Vector512.LessThanOrEqual(x, Vector512.Create(bound)).ExtractMostSignificantBits();

    public static void Store(Vector512<uint> x, Span<uint> destination) => x.CopyTo(destination);
}
