using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// What <see cref="TensorGemmKernel"/> needs to know about one input type: the B tile's shared layout and the
/// <c>ldmatrix</c> rows that produce B fragments, the mma (inline PTX and its scalar emulation), and the epilogue.
/// A struct type parameter, so that every call is resolved and inlined per instantiation.
/// </summary>
/// <remarks>
/// Fragments of <c>mma.m16n8k16</c> (.f16, .bf16) and <c>mma.m16n8k32</c> (.s8) are the same in bytes (PTX ISA,
/// "Matrix Fragments for mma.m16n8k16 / mma.m16n8k32"), for lane = 4g + q: a0 = A[g] bytes 4q..4q+3, a1 = A[g+8] bytes
/// 4q..4q+3, a2 and a3 the same 16 bytes on; b0 = column g of B at k bytes 4q..4q+3 (2 halves or 4 int8 in k order,
/// the lower k in the low bits), b1 16 bytes on; c0, c1 = C[g][2q, 2q+1], c2, c3 = C[g+8][2q, 2q+1].
/// </remarks>
internal interface ITensorElement
{
    /// <summary>Bytes per input element: 2 or 1.</summary>
    int ElementBytes { get; }

    /// <summary>log2 of the 16-byte chunks in one row of the shared B tile (a row is 256 elements of N).</summary>
    int BChunkShift { get; }

    /// <summary>The XOR applied to the 16-byte chunk index of shared B row <paramref name="k"/> (row within a tile).</summary>
    uint BSwizzle(uint k);

    /// <summary>
    /// The byte offset, from the start of a stage's B tile, of the row that <paramref name="lane"/> addresses in the
    /// <c>ldmatrix.x4.trans</c> for 16-column pair <paramref name="pair"/> of warp column <paramref name="warpN"/>, first k step.
    /// </summary>
    uint BLaneOffset(uint lane, uint warpN, uint pair);

    /// <summary>
    /// Whether that <c>ldmatrix</c> brings byte pairs to be split into B fragments (INT8) rather than the fragments
    /// themselves (b0, b1 of the pair's first mma tile, then of its second).
    /// </summary>
    bool PairsBytes { get; }

    /// <summary>
    /// The column, within a 16-column pair, of a lane's accumulator <paramref name="which"/>: 0, 1 = c0, c1 of the
    /// pair's first mma tile, 2, 3 = c0, c1 of its second (c2, c3 are the same columns 8 rows down).
    /// </summary>
    uint Column(uint q, uint which);

    /// <summary>One mma on tensor cores: <c>c += a·b</c>, accumulators as bits.</summary>
    UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1);

    /// <summary>The emulation's step: <paramref name="c"/> plus the dot products of the words' elements, a0·b0 + a1·b1.</summary>
    uint Accumulate(uint c, uint a0, uint b0, uint a1, uint b1);

    /// <summary>Whether alpha is zero: C = beta·C without reading A or B.</summary>
    bool SkipsProducts(in TensorGemmParameters p);

    /// <summary>Writes <c>alpha·product + beta·C</c> to C at <paramref name="index"/>; C is not read when beta is zero.</summary>
    void Store(ArrayView<uint> c, long index, uint product, in TensorGemmParameters p);
}

/// <summary>
/// The layout both 16-bit types share. The shared B tile is row-major like B in global memory (32 k rows of 256
/// halves, 512 bytes), staged as is by <c>cp.async</c>; <c>ldmatrix.x4.trans</c> then hands out B's column
/// fragments: matrices (k 0-7, n 0-7), (k 8-15, n 0-7), (k 0-7, n 8-15), (k 8-15, n 8-15) are b0, b1 of the pair's
/// first 8 columns and b0, b1 of the next 8. Chunk c of row k sits at chunk c XOR (k mod 8): the 8 rows one matrix
/// reads (k..k+7 at one chunk) fall in 8 different 16-byte bank groups.
/// </summary>
internal static class HalfLayout
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint BLaneOffset(uint lane, uint warpN, uint pair)
    {
        uint matrix = lane >> 3, row = lane & 7;
        uint k = (matrix & 1) * 8 + row;
        uint chunk = warpN * 8 + pair * 2 + (matrix >> 1);
        return k * 512 + ((chunk ^ row) << 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Column(uint q, uint which) => (which >> 1) * 8 + 2 * q + (which & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ArrayView<uint> c, long index, uint product, in TensorGemmParameters p)
    {
        float value = p.Alpha * Interop.IntAsFloat(product);
        if (p.Beta != 0)
            value += p.Beta * Interop.IntAsFloat(c[index]);
        c[index] = Interop.FloatAsInt(value);
    }
}

/// <summary>The 16-bit element types (<see cref="Fp16Format"/>, <see cref="Bf16Format"/>): one layout (<see cref="HalfLayout"/>), their own mma.</summary>
internal readonly struct HalfElement<TFormat> : ITensorElement where TFormat : struct, IHalfFormat
{
    public int ElementBytes => 2;

    public int BChunkShift => 5;

    public uint BSwizzle(uint k) => k & 7;

    public uint BLaneOffset(uint lane, uint warpN, uint pair) => HalfLayout.BLaneOffset(lane, warpN, pair);

    public bool PairsBytes => false;

    public uint Column(uint q, uint which) => HalfLayout.Column(q, which);

    // The accumulators travel as bits through the kernel (one body for f32 and s32); the float views of them cost no instruction.
    public UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1)
    {
        var sum = default(TFormat).Mma(new Float4 { X = Interop.IntAsFloat(c.X), Y = Interop.IntAsFloat(c.Y), Z = Interop.IntAsFloat(c.Z), W = Interop.IntAsFloat(c.W) },
            a.X, a.Y, a.Z, a.W, b0, b1);
        return new UInt4 { X = Interop.FloatAsInt(sum.X), Y = Interop.FloatAsInt(sum.Y), Z = Interop.FloatAsInt(sum.Z), W = Interop.FloatAsInt(sum.W) };
    }

    public uint Accumulate(uint c, uint a0, uint b0, uint a1, uint b1) =>
        Interop.FloatAsInt(Interop.IntAsFloat(c) + (default(TFormat).Dot2(a0, b0) + default(TFormat).Dot2(a1, b1)));

    public bool SkipsProducts(in TensorGemmParameters p) => p.Alpha == 0;

    public void Store(ArrayView<uint> c, long index, uint product, in TensorGemmParameters p) => HalfLayout.Store(c, index, product, p);
}

/// <summary>
/// Signed 8-bit inputs, exact int32 accumulation: <c>mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32</c>.
/// </summary>
/// <remarks>
/// <para>
/// ldmatrix has no 8-bit transpose, and B's fragment wants 4 consecutive k of one column per register while B is
/// row-major (n contiguous). The shared B tile stays row-major (64 k rows of 256 bytes) so that <c>cp.async</c>
/// stages it untouched, and <c>ldmatrix.x4.trans</c> moves byte pairs: with 16-byte rows of one k each, lane
/// 4g + q receives, from matrix i, the byte pair (columns 2g, 2g+1) of rows 2q and 2q+1. The lanes address rows
/// k = 4⌊r/2⌋ + (r mod 2) + 2(i mod 2) + 16⌊i/2⌋ (r = lane mod 8), so matrices 0 and 1 bring k 4q..4q+3 and
/// matrices 2 and 3 k 4q+16..4q+19; a byte permute (<c>prmt</c> 0x6420) of registers 0 and 1 gives b0 of column 2g,
/// one of registers 2 and 3 its b1, and the odd bytes (0x7531) b0 and b1 of column 2g + 1. So the pair's first mma tile holds the 16 columns' even
/// ones, its second the odd ones, and a lane's accumulators land in columns 4q, 4q+2 (first tile) and 4q+1, 4q+3.
/// </para>
/// <para>
/// The 8 rows one matrix reads are k ∈ {0,1,4,5,8,9,12,13} (+2, +16, +32): chunks are XORed with bit 0 of k and
/// bits 2-3 of k as the swizzle's bits 0-2, which differ across those 8 rows, so they fall in 8 different 16-byte
/// bank groups of a 128-byte line.
/// </para>
/// </remarks>
internal readonly struct Int8Element : ITensorElement
{
    public int ElementBytes => 1;

    public int BChunkShift => 4;

    public uint BSwizzle(uint k) => (k & 1) | ((k >> 1) & 6);

    public uint BLaneOffset(uint lane, uint warpN, uint pair)
    {
        uint matrix = lane >> 3, row = lane & 7;
        uint k = 4 * (row >> 1) + (row & 1) + 2 * (matrix & 1) + 16 * (matrix >> 1);
        uint chunk = warpN * 4 + pair;
        return k * 256 + ((chunk ^ BSwizzle(k)) << 4);
    }

    public bool PairsBytes => true;

    public uint Column(uint q, uint which) => 4 * q + ((which & 1) << 1) + (which >> 1);

    public UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1)
    {
        Ref<uint> c0 = c.X, c1 = c.Y, c2 = c.Z, c3 = c.W;
        Input<uint> a0 = a.X, a1 = a.Y, a2 = a.Z, a3 = a.W, ib0 = b0, ib1 = b1;
        CudaAsm.EmitRef(
            "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
            ref c0, ref c1, ref c2, ref c3, ref a0, ref a1, ref a2, ref a3, ref ib0, ref ib1);
        return new UInt4 { X = c0.Value, Y = c1.Value, Z = c2.Value, W = c3.Value };
    }

    public uint Accumulate(uint c, uint a0, uint b0, uint a1, uint b1) => (uint)((int)c + Dot(a0, b0) + Dot(a1, b1));

    public bool SkipsProducts(in TensorGemmParameters p) => p.IntAlpha == 0;

    public void Store(ArrayView<uint> c, long index, uint product, in TensorGemmParameters p)
    {
        int value = p.IntAlpha * (int)product;
        if (p.IntBeta != 0)
            value += p.IntBeta * (int)c[index];
        c[index] = (uint)value;
    }

    private static int Dot(uint x, uint y) =>
        (sbyte)x * (sbyte)y + (sbyte)(x >> 8) * (sbyte)(y >> 8) + (sbyte)(x >> 16) * (sbyte)(y >> 16) + (sbyte)(x >> 24) * (sbyte)(y >> 24);
}
