using System.Runtime.CompilerServices;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// The warp- and memory-level steps of <see cref="TensorGemmKernel"/>: asynchronous copies into the shared ring,
/// <c>ldmatrix</c> and the mma. <see cref="CudaTensorOps{TElement}"/> issues the PTX instructions;
/// <see cref="EmulatedTensorOps{TElement}"/> computes the same registers on ILGPU's CPU accelerator.
/// Shared memory is addressed by byte offsets into the kernel's dynamic shared allocation.
/// </summary>
internal interface ITensorOps
{
    /// <summary>Copies 16 bytes at <paramref name="offset"/> of <paramref name="source"/> to shared byte <paramref name="destination"/>, or zeros when not <paramref name="inside"/>.</summary>
    void Copy(ArrayView<byte> source, long offset, bool inside, uint destination, ArrayView<UInt4> shared);

    /// <summary>Closes the group of copies issued since the last commit.</summary>
    void Commit();

    /// <summary>Waits until at most <see cref="TensorGemmKernel.Stages"/> − 2 groups are in flight: the oldest stage has landed.</summary>
    void WaitForOldestStage();

    /// <summary><c>ldmatrix.sync.aligned.m8n8.x4.shared.b16</c>: lane 8i + r gives the address of row r of matrix i.</summary>
    UInt4 LoadMatrix(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch);

    /// <summary>The same with <c>.trans</c>.</summary>
    UInt4 LoadMatrixTransposed(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch);

    /// <summary>One warp-wide mma of the element type.</summary>
    UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1, ArrayView<uint> scratch);

    /// <summary><c>prmt.b32</c>: byte n of the result is byte (selector nibble n) of the 8 bytes y:x.</summary>
    uint Permute(uint x, uint y, uint selector);
}

/// <summary>The PTX instructions, for a GPU. Scratch is not used.</summary>
internal readonly struct CudaTensorOps<TElement> : ITensorOps where TElement : struct, ITensorElement
{
    // Shared addresses are __dyn_shared_alloca (ILGPU's name for the dynamic allocation) plus the offset: ptxas
    // folds the symbol, so LDSM/LDGSTS take a register plus an immediate.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Copy(ArrayView<byte> source, long offset, bool inside, uint destination, ArrayView<UInt4> shared) =>
        // src-size 0 reads nothing and fills the 16 bytes with zeros; the address stays inside the buffer anyway.
        CudaAsm.Emit(
            "{ .reg .u32 d; .reg .u64 s; mov.u32 d, __dyn_shared_alloca; add.u32 d, d, %0; cvta.to.global.u64 s, %1; cp.async.cg.shared.global [d], [s], 16, %2; }",
            destination, KernelAddress.Of(ref source[inside ? offset : 0]), inside ? 16u : 0u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit() => CudaAsm.Emit("cp.async.commit_group;");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WaitForOldestStage() => CudaAsm.Emit(TensorGemmKernel.WaitForOldestStage);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt4 LoadMatrix(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch)
    {
        Output<uint> x = default, y = default, z = default, w = default;
        Input<uint> at = offset;
        CudaAsm.EmitRef(
            "{ .reg .u32 s; mov.u32 s, __dyn_shared_alloca; add.u32 s, s, %4; ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [s]; }",
            ref x, ref y, ref z, ref w, ref at);
        return new UInt4 { X = x.Value, Y = y.Value, Z = z.Value, W = w.Value };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt4 LoadMatrixTransposed(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch)
    {
        Output<uint> x = default, y = default, z = default, w = default;
        Input<uint> at = offset;
        CudaAsm.EmitRef(
            "{ .reg .u32 s; mov.u32 s, __dyn_shared_alloca; add.u32 s, s, %4; ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [s]; }",
            ref x, ref y, ref z, ref w, ref at);
        return new UInt4 { X = x.Value, Y = y.Value, Z = z.Value, W = w.Value };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1, ArrayView<uint> scratch) => default(TElement).Mma(c, a, b0, b1);

    // ptxas folds a constant selector into the PRMT; plain C# shifts and masks became 8 instructions a word.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Permute(uint x, uint y, uint selector)
    {
        Output<uint> result = default;
        Input<uint> ix = x, iy = y, iselector = selector;
        CudaAsm.EmitRef("prmt.b32 %0, %1, %2, %3;", ref result, ref ix, ref iy, ref iselector);
        return result.Value;
    }
}

/// <summary>
/// The same registers computed on ILGPU's CPU accelerator, following the PTX ISA's layouts, so that tests without
/// a GPU check the tiling, the swizzles, the ldmatrix addressing (.trans included) and the fragment layouts.
/// Copies are synchronous (the ring's waits become no-ops); ldmatrix and mma exchange through
/// <see cref="TensorGemmKernel.ScratchWordsPerLane"/> shared words per thread, between warp barriers.
/// </summary>
internal readonly struct EmulatedTensorOps<TElement> : ITensorOps where TElement : struct, ITensorElement
{
    public void Copy(ArrayView<byte> source, long offset, bool inside, uint destination, ArrayView<UInt4> shared) =>
        shared[(int)(destination >> 4)] = inside ? source.Cast<UInt4>()[offset >> 4] : default;

    public void Commit()
    {
    }

    public void WaitForOldestStage()
    {
    }

    /// <summary>Lane 4g + q gets word q of row g of each matrix i (rows from lanes 8i..8i+7).</summary>
    public UInt4 LoadMatrix(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch)
    {
        var rows = Publish(offset, scratch, out uint g, out uint q);
        var words = shared.Cast<uint>();
        var value = new UInt4
        {
            X = words[(int)((rows[(int)g] >> 2) + q)],
            Y = words[(int)((rows[8 + (int)g] >> 2) + q)],
            Z = words[(int)((rows[16 + (int)g] >> 2) + q)],
            W = words[(int)((rows[24 + (int)g] >> 2) + q)],
        };
        Warp.Barrier();
        return value;
    }

    /// <summary>Lane 4g + q gets halves g of rows 2q and 2q + 1 of each matrix i: column g of the transposed matrix.</summary>
    public UInt4 LoadMatrixTransposed(uint offset, ArrayView<UInt4> shared, ArrayView<uint> scratch)
    {
        var rows = Publish(offset, scratch, out uint g, out uint q);
        var halves = shared.Cast<ushort>();
        var value = new UInt4
        {
            X = Column(halves, rows, 0, g, q),
            Y = Column(halves, rows, 8, g, q),
            Z = Column(halves, rows, 16, g, q),
            W = Column(halves, rows, 24, g, q),
        };
        Warp.Barrier();
        return value;
    }

    /// <summary>
    /// The m16n8 product by the fragment layouts (<see cref="ITensorElement"/>): lane 4g + q owns C[g][2q, 2q+1]
    /// and C[g+8][2q, 2q+1]; word j of rows g and g+8 of A sits in lane 4g + j (a0, a1; word j + 4 in a2, a3), word
    /// j of column n of B in lane 4n + j (b0; word j + 4 in b1).
    /// </summary>
    public UInt4 Mma(UInt4 c, UInt4 a, uint b0, uint b1, ArrayView<uint> scratch)
    {
        var own = scratch.SubView(Warp.WarpIdx * 32 * TensorGemmKernel.ScratchWordsPerLane, 32 * TensorGemmKernel.ScratchWordsPerLane);
        int lane = Warp.LaneIdx, g = lane >> 2, q = lane & 3;
        own[lane] = a.X;
        own[32 + lane] = a.Y;
        own[64 + lane] = a.Z;
        own[96 + lane] = a.W;
        own[128 + lane] = b0;
        own[160 + lane] = b1;
        Warp.Barrier();
        var element = default(TElement);
        for (int j = 0; j < 4; j++)
        {
            int rows = 4 * g + j, column0 = 8 * q + j, column1 = column0 + 4;
            uint top = own[rows], bottom = own[32 + rows], topHigh = own[64 + rows], bottomHigh = own[96 + rows];
            uint left = own[128 + column0], leftHigh = own[160 + column0], right = own[128 + column1], rightHigh = own[160 + column1];
            c.X = element.Accumulate(c.X, top, left, topHigh, leftHigh);
            c.Y = element.Accumulate(c.Y, top, right, topHigh, rightHigh);
            c.Z = element.Accumulate(c.Z, bottom, left, bottomHigh, leftHigh);
            c.W = element.Accumulate(c.W, bottom, right, bottomHigh, rightHigh);
        }
        // The next step overwrites the exchange only after every lane has read this one.
        Warp.Barrier();
        return c;
    }

    public uint Permute(uint x, uint y, uint selector)
    {
        ulong bytes = x | (ulong)y << 32;
        uint result = 0;
        for (int n = 0; n < 4; n++)
            result |= (uint)(bytes >> (int)(8 * ((selector >> (4 * n)) & 7)) & 0xFF) << (8 * n);
        return result;
    }

    /// <summary>Publishes this lane's row address to its warp; returns the warp's 32 addresses.</summary>
    private static ArrayView<uint> Publish(uint offset, ArrayView<uint> scratch, out uint g, out uint q)
    {
        var rows = scratch.SubView(Warp.WarpIdx * 32 * TensorGemmKernel.ScratchWordsPerLane, 32);
        int lane = Warp.LaneIdx;
        rows[lane] = offset;
        Warp.Barrier();
        g = (uint)lane >> 2;
        q = (uint)lane & 3;
        return rows;
    }

    private static uint Column(ArrayView<ushort> halves, ArrayView<uint> rows, int matrix, uint g, uint q) =>
        halves[(int)((rows[matrix + 2 * (int)q] >> 1) + g)] | (uint)halves[(int)((rows[matrix + 2 * (int)q + 1] >> 1) + g)] << 16;
}
