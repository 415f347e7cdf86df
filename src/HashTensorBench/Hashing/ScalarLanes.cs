using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HashTensorBench.Hashing;

/// <summary>One lane in a general-purpose register: the portable fallback, and the host-side precomputation.</summary>
internal readonly struct ScalarLanes : ISha256Lanes<uint>
{
    public static int Count => 1;

    public static uint Broadcast(uint value) => value;

    public static uint Sequence(uint first) => first;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint x, uint y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Xor(uint x, uint y) => x ^ y;

    public static uint ReverseEndianness(uint x) => BinaryPrimitives.ReverseEndianness(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint BigSigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint BigSigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SmallSigma0(uint x) => BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SmallSigma1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Choose(uint e, uint f, uint g) => g ^ (e & (f ^ g));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Majority(uint a, uint b, uint c) => (a & b) | (c & (a | b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Majority(uint a, uint b, uint c, uint bXorC, out uint aXorB)
    {
        aXorB = a ^ b;
        return b ^ (aXorB & bXorC);
    }

    public static ulong AtMost(uint x, uint bound) => x <= bound ? 1UL : 0UL;

    public static void Store(uint x, Span<uint> destination) => destination[0] = x;
}
