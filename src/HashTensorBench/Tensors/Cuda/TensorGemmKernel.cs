using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// Pipelined tensor-core GEMM, written once for FP16 and BF16 inputs with FP32 accumulation and INT8 inputs with
/// int32 accumulation: <c>C = alpha·A·B + beta·C</c>, A (M×K), B (K×N) and C (M×N) row-major, any positive M, N, K.
/// </summary>
/// <remarks>
/// <para>
/// A block of 8 warps owns a <see cref="TileM"/>×<see cref="TileN"/> tile of C, the warps in a 2×4 grid of 64×64
/// warp tiles (128 accumulators a thread), and walks K in tiles of 64 bytes of an A row (32 halves or 64 int8),
/// two mma k steps each. Tiles go from global to shared memory with <c>cp.async.cg</c> 16 bytes at a time, into a
/// ring of <see cref="Stages"/> stages: a thread waits for the oldest stage (<c>cp.async.wait_group</c>
/// <see cref="Stages"/> − 2), meets the block at a barrier (after which the slot read in the previous iteration is
/// free), issues the copies of the stage <see cref="Stages"/> − 1 ahead into that slot, and computes. Per k step a warp
/// issues 4 <c>ldmatrix.x4</c> for A, 4 <c>ldmatrix.x4.trans</c> for B and 32 mma (m16n8k16, or m16n8k32 for INT8):
/// 0.25 shared loads per mma.
/// </para>
/// <para>
/// Shared layouts (bytes), both XOR-swizzled so that the 8 rows of every ldmatrix matrix, and the 16-byte stores of
/// every 8 copying threads, hit 8 distinct 16-byte bank groups: A is 128 rows of 64 bytes, chunk c of row r stored at
/// c XOR (⌊r/2⌋ mod 4); B stays row-major as in global memory (the element type's layout, see
/// <see cref="HalfElement{TFormat}"/>'s <see cref="HalfLayout"/> and <see cref="Int8Element"/>). A stage is 8 KB of A and 16 KB
/// of B: <see cref="SharedBytes"/> = 96 KB of dynamic shared memory, more than the 48 KB a block gets unless the host
/// raises the function's limit (<c>CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES</c>).
/// </para>
/// <para>
/// <c>cp.async</c> needs 16-byte aligned rows: when K or N is not a multiple of 16 bytes' worth of elements
/// (<see cref="TensorGemmParameters.Aligned"/> zero), the same loop stages tiles byte by byte with ordinary loads
/// and zero fill, a slow path kept out of the aligned loop by a type parameter. Edges are bounds-checked either way:
/// <c>cp.async</c>'s src-size 0 zero-fills a chunk outside A or B (rows are whole 16-byte chunks when aligned).
/// </para>
/// <para>
/// Instantiated per element type (<see cref="ITensorElement"/>) and per step implementation
/// (<see cref="ITensorOps"/>): the GPU kernels carry inline PTX only, the <c>…Emulated</c> ones compute the same
/// registers on ILGPU's CPU accelerator. ILGPU's PTX keeps every inline-PTX operand in a small <c>.local</c> array,
/// which ptxas does not remove in a function that contains <c>cp.async</c>: load the GPU kernels through
/// <see cref="Platform.Cuda.PromotedKernelLoader"/>, which rewrites them into registers.
/// </para>
/// <para>
/// Estimate for an H100 SXM at 8192³ (FP16 and BF16; not measured):
/// docs/research/2026-11-27-tensor-gemm-kernel.md derives it from the SASS.
/// </para>
/// </remarks>
internal static class TensorGemmKernel
{
    /// <summary>Rows (M) and columns (N) of C per block.</summary>
    public const int TileM = 128, TileN = 256;

    /// <summary>Threads per block: 8 warps.</summary>
    public const int Threads = 256;

    /// <summary>Shared stages in the ring.</summary>
    public const int Stages = 4;

    /// <summary>
    /// Waits until at most <see cref="Stages"/> − 2 copy groups are in flight: the oldest stage has landed. PTX takes the
    /// count as an immediate and C# builds no constant string from an int, so it is written out and checked below.
    /// </summary>
    public const string WaitForOldestStage = "cp.async.wait_group 2;";

    /// <summary>The count in <see cref="WaitForOldestStage"/>: the build fails here (CS0031) when Stages − 2 is no longer 2.</summary>
    public const uint StagesLeftInFlight = Stages - 2 == 2 ? 2 : -1;

    /// <summary>Bytes of dynamic shared memory a block needs.</summary>
    public const int SharedBytes = Stages * StageBytes;

    /// <summary>Shared words per thread the emulated steps exchange through.</summary>
    public const int ScratchWordsPerLane = 6;

    // Bytes of an A row per K tile: two k steps of 32 bytes (16 halves or 32 int8, one mma's K).
    private const int TileKBytes = 64;
    private const int ABytes = TileM * TileKBytes;
    // B: TileKBytes / elementBytes rows of TileN elements, 16 KB for either element size; its second k step starts halfway.
    private const int BBytes = TileKBytes * TileN;
    private const int BStepBytes = BBytes / 2;
    private const int StageBytes = ABytes + BBytes;
    private const uint LastStage = (Stages - 1) * StageBytes;

    /// <summary>One block per multiprocessor: ptxas may use up to 255 registers a thread (128 accumulators).</summary>
    public static KernelSpecialization Specialization => new(Threads, 1);

    /// <summary>The grid for a product: one block per C tile, x along N.</summary>
    public static (int X, int Y) GridSize(int m, int n) => ((n + TileN - 1) / TileN, (m + TileM - 1) / TileM);

    /// <summary>FP16 on tensor cores.</summary>
    public static void Fp16(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, TensorGemmParameters p) =>
        Multiply<HalfElement<Fp16Format>, CudaTensorOps<HalfElement<Fp16Format>>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, default);

    /// <summary>FP16 on ILGPU's CPU accelerator.</summary>
    public static void Fp16Emulated(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, TensorGemmParameters p) =>
        Multiply<HalfElement<Fp16Format>, EmulatedTensorOps<HalfElement<Fp16Format>>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, Scratch());

    /// <summary>BF16 on tensor cores.</summary>
    public static void Bf16(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, TensorGemmParameters p) =>
        Multiply<HalfElement<Bf16Format>, CudaTensorOps<HalfElement<Bf16Format>>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, default);

    /// <summary>BF16 on ILGPU's CPU accelerator.</summary>
    public static void Bf16Emulated(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, TensorGemmParameters p) =>
        Multiply<HalfElement<Bf16Format>, EmulatedTensorOps<HalfElement<Bf16Format>>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, Scratch());

    /// <summary>INT8 on tensor cores.</summary>
    public static void Int8(ArrayView<sbyte> a, ArrayView<sbyte> b, ArrayView<int> c, TensorGemmParameters p) =>
        Multiply<Int8Element, CudaTensorOps<Int8Element>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, default);

    /// <summary>INT8 on ILGPU's CPU accelerator.</summary>
    public static void Int8Emulated(ArrayView<sbyte> a, ArrayView<sbyte> b, ArrayView<int> c, TensorGemmParameters p) =>
        Multiply<Int8Element, EmulatedTensorOps<Int8Element>>(a.Cast<byte>(), b.Cast<byte>(), c.Cast<uint>(), p, Scratch());

    private static ArrayView<uint> Scratch() => SharedMemory.Allocate<uint>(Threads * ScratchWordsPerLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply<TElement, TOps>(ArrayView<byte> a, ArrayView<byte> b, ArrayView<uint> c, TensorGemmParameters p, ArrayView<uint> scratch)
        where TElement : struct, ITensorElement where TOps : struct, ITensorOps
    {
        var shared = SharedMemory.GetDynamic<UInt4>();
        var element = default(TElement);
        // Unsigned, with shifts and masks: ptxas cannot know that signed thread indices are never negative.
        uint t = (uint)Group.IdxX, lane = t & 31, warp = t >> 5;
        uint warpM = warp >> 2, warpN = warp & 3;
        var origin = new Origin { Row = Grid.IdxY * TileM, Column = Grid.IdxX * TileN };

        // ldmatrix of A: lane 8i + r gives row 8·(i mod 2) + r of a 16-row block, 16-byte chunk ⌊i/2⌋ of the k step.
        uint matrix = lane >> 3, aRow = warpM * 64 + (matrix & 1) * 8 + (lane & 7), aSwizzle = (aRow >> 1) & 3;
        var lanes = new LaneOffsets
        {
            A0 = aRow * TileKBytes + (((matrix >> 1) ^ aSwizzle) << 4),
            A1 = aRow * TileKBytes + (((2 + (matrix >> 1)) ^ aSwizzle) << 4),
            B = new UInt4
            {
                X = ABytes + element.BLaneOffset(lane, warpN, 0), Y = ABytes + element.BLaneOffset(lane, warpN, 1),
                Z = ABytes + element.BLaneOffset(lane, warpN, 2), W = ABytes + element.BLaneOffset(lane, warpN, 3),
            },
        };

        // alpha = 0: C = beta·C, without the products (BLAS reads neither A nor B then).
        int tiles = element.SkipsProducts(p) ? 0 : (p.K * element.ElementBytes + TileKBytes - 1) / TileKBytes;
        var acc = p.Aligned != 0
            ? MainLoop<TElement, TOps, Aligned16>(a, b, shared, scratch, p, tiles, t, lanes, origin)
            : MainLoop<TElement, TOps, Unaligned>(a, b, shared, scratch, p, tiles, t, lanes, origin);

        int row = origin.Row + (int)(warpM * 64 + (lane >> 2)), column = origin.Column + (int)(warpN * 64);
        uint q = lane & 3;
        StoreRow<TElement>(c, p, acc.M0, row, column, q);
        StoreRow<TElement>(c, p, acc.M1, row + 16, column, q);
        StoreRow<TElement>(c, p, acc.M2, row + 32, column, q);
        StoreRow<TElement>(c, p, acc.M3, row + 48, column, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Accumulator MainLoop<TElement, TOps, TAlignment>(ArrayView<byte> a, ArrayView<byte> b, ArrayView<UInt4> shared,
        ArrayView<uint> scratch, in TensorGemmParameters p, int tiles, uint t, LaneOffsets lanes, Origin origin)
        where TElement : struct, ITensorElement where TOps : struct, ITensorOps where TAlignment : struct, IAlignment
    {
        var ops = default(TOps);
        var plan = CopyPlan.Create<TElement>(p, t, origin);
        var cursor = plan.First;
        for (int stage = 0; stage < Stages - 1; stage++)
        {
            if (stage < tiles)
                LoadTile<TOps, TAlignment>(a, b, shared, p, plan, cursor, (uint)(stage * StageBytes));
            // Always one group per stage, empty or not, so that the wait below counts stages.
            ops.Commit();
            cursor = plan.Next(cursor);
        }

        var acc = default(Accumulator);
        uint read = 0, write = LastStage;
        for (int tile = 0; tile < tiles; tile++)
        {
            ops.WaitForOldestStage();
            // Every thread's copies of this tile have landed, and every warp is done with the slot written next.
            Group.Barrier();
            if (tile + Stages - 1 < tiles)
                LoadTile<TOps, TAlignment>(a, b, shared, p, plan, cursor, write);
            ops.Commit();
            cursor = plan.Next(cursor);

            acc = KStep<TElement, TOps>(acc, read + lanes.A0, Offset(lanes.B, read), shared, scratch);
            acc = KStep<TElement, TOps>(acc, read + lanes.A1, Offset(lanes.B, read + BStepBytes), shared, scratch);
            read = read == LastStage ? 0 : read + StageBytes;
            write = write == LastStage ? 0 : write + StageBytes;
        }
        return acc;
    }

    /// <summary>Issues a thread's copies of the K tile at <paramref name="cursor"/> into the stage at shared byte <paramref name="stage"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTile<TOps, TAlignment>(ArrayView<byte> a, ArrayView<byte> b, ArrayView<UInt4> shared,
        in TensorGemmParameters p, in CopyPlan plan, Cursor cursor, uint stage)
        where TOps : struct, ITensorOps where TAlignment : struct, IAlignment
    {
        bool kInside = cursor.AColumn < plan.ARowBytes;
        Copy<TOps, TAlignment>(a, cursor.A, cursor.AColumn, plan.ARowBytes, plan.ARows0 && kInside, stage + plan.AAt, shared);
        // 64 rows on: the same swizzle.
        Copy<TOps, TAlignment>(a, cursor.A + plan.AHalfStep, cursor.AColumn, plan.ARowBytes, plan.ARows1 && kInside, stage + plan.AAt + 64 * TileKBytes, shared);
        // Rows RowsPerPass apart (8 or 16) share the swizzle: each pass is 4 KB further on.
        uint at = stage + plan.BAt;
        Copy<TOps, TAlignment>(b, cursor.B, plan.BColumn, plan.BRowBytes, cursor.BRow < p.K, at, shared);
        Copy<TOps, TAlignment>(b, cursor.B + plan.BPassStep, plan.BColumn, plan.BRowBytes, cursor.BRow + plan.RowsPerPass < p.K, at + 4096, shared);
        Copy<TOps, TAlignment>(b, cursor.B + 2 * plan.BPassStep, plan.BColumn, plan.BRowBytes, cursor.BRow + 2 * plan.RowsPerPass < p.K, at + 2 * 4096, shared);
        Copy<TOps, TAlignment>(b, cursor.B + 3 * plan.BPassStep, plan.BColumn, plan.BRowBytes, cursor.BRow + 3 * plan.RowsPerPass < p.K, at + 3 * 4096, shared);
    }

    /// <summary>
    /// Stages the 16 bytes at <paramref name="offset"/> of <paramref name="source"/>, byte <paramref name="column"/> of
    /// its row, with zeros outside the matrix; <paramref name="inside"/>: the row is in the matrix and the chunk
    /// starts in it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<TOps, TAlignment>(ArrayView<byte> source, long offset, int column, int rowBytes, bool inside,
        uint at, ArrayView<UInt4> shared)
        where TOps : struct, ITensorOps where TAlignment : struct, IAlignment
    {
        if (default(TAlignment).IsAligned)
        {
            // Aligned rows end on a chunk boundary: a chunk that starts inside is wholly inside.
            default(TOps).Copy(source, offset, inside, at, shared);
            return;
        }
        shared[(int)(at >> 4)] = new UInt4
        {
            X = Word(source, offset, rowBytes - column, inside),
            Y = Word(source, offset + 4, rowBytes - column - 4, inside),
            Z = Word(source, offset + 8, rowBytes - column - 8, inside),
            W = Word(source, offset + 12, rowBytes - column - 12, inside),
        };
    }

    /// <summary>Four bytes at <paramref name="offset"/>, those before the row's end (<paramref name="left"/> bytes on), the first in the low bits.</summary>
    private static uint Word(ArrayView<byte> source, long offset, int left, bool inside)
    {
        uint word = 0;
        for (int i = 0; i < 4; i++)
        {
            bool there = inside && i < left;
            uint value = source[there ? offset + i : 0];
            word |= (there ? value : 0u) << (8 * i);
        }
        return word;
    }

    /// <summary>
    /// One k step of the warp tile: B fragments of 4 column pairs (8 mma tiles), then per 16-row block its A
    /// fragment and 8 mma.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Accumulator KStep<TElement, TOps>(Accumulator acc, uint a, UInt4 b, ArrayView<UInt4> shared, ArrayView<uint> scratch)
        where TElement : struct, ITensorElement where TOps : struct, ITensorOps
    {
        var ops = default(TOps);
        var element = default(TElement);
        var fragments = new BFragments
        {
            P0 = Fragments<TOps>(ops.LoadMatrixTransposed(b.X, shared, scratch), element.PairsBytes),
            P1 = Fragments<TOps>(ops.LoadMatrixTransposed(b.Y, shared, scratch), element.PairsBytes),
            P2 = Fragments<TOps>(ops.LoadMatrixTransposed(b.Z, shared, scratch), element.PairsBytes),
            P3 = Fragments<TOps>(ops.LoadMatrixTransposed(b.W, shared, scratch), element.PairsBytes),
        };
        // 16 rows of 64 bytes on: the same swizzle.
        acc.M0 = MmaRow<TOps>(acc.M0, ops.LoadMatrix(a, shared, scratch), fragments, scratch);
        acc.M1 = MmaRow<TOps>(acc.M1, ops.LoadMatrix(a + 16 * TileKBytes, shared, scratch), fragments, scratch);
        acc.M2 = MmaRow<TOps>(acc.M2, ops.LoadMatrix(a + 32 * TileKBytes, shared, scratch), fragments, scratch);
        acc.M3 = MmaRow<TOps>(acc.M3, ops.LoadMatrix(a + 48 * TileKBytes, shared, scratch), fragments, scratch);
        return acc;
    }

    /// <summary>
    /// B fragments from an <c>ldmatrix.x4.trans</c>: as loaded for 16-bit types; for INT8 the byte pairs split into
    /// even bytes (registers 0, 1 → b0 and 2, 3 → b1 of the first mma tile) and odd bytes (the second), see
    /// <see cref="Int8Element"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt4 Fragments<TOps>(UInt4 loaded, bool pairsBytes) where TOps : struct, ITensorOps
    {
        if (!pairsBytes)
            return loaded;
        var ops = default(TOps);
        return new UInt4
        {
            X = ops.Permute(loaded.X, loaded.Y, 0x6420),
            Y = ops.Permute(loaded.Z, loaded.W, 0x6420),
            Z = ops.Permute(loaded.X, loaded.Y, 0x7531),
            W = ops.Permute(loaded.Z, loaded.W, 0x7531),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Row MmaRow<TOps>(Row row, UInt4 a, BFragments b, ArrayView<uint> scratch) where TOps : struct, ITensorOps
    {
        var ops = default(TOps);
        row.N0 = ops.Mma(row.N0, a, b.P0.X, b.P0.Y, scratch);
        row.N1 = ops.Mma(row.N1, a, b.P0.Z, b.P0.W, scratch);
        row.N2 = ops.Mma(row.N2, a, b.P1.X, b.P1.Y, scratch);
        row.N3 = ops.Mma(row.N3, a, b.P1.Z, b.P1.W, scratch);
        row.N4 = ops.Mma(row.N4, a, b.P2.X, b.P2.Y, scratch);
        row.N5 = ops.Mma(row.N5, a, b.P2.Z, b.P2.W, scratch);
        row.N6 = ops.Mma(row.N6, a, b.P3.X, b.P3.Y, scratch);
        row.N7 = ops.Mma(row.N7, a, b.P3.Z, b.P3.W, scratch);
        return row;
    }

    /// <summary>Writes one 16×64 strip: rows g and g + 8 of its 4 column pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TElement>(ArrayView<uint> c, in TensorGemmParameters p, Row acc, int row, int column, uint q)
        where TElement : struct, ITensorElement
    {
        StorePair<TElement>(c, p, acc.N0, acc.N1, row, column, q);
        StorePair<TElement>(c, p, acc.N2, acc.N3, row, column + 16, q);
        StorePair<TElement>(c, p, acc.N4, acc.N5, row, column + 32, q);
        StorePair<TElement>(c, p, acc.N6, acc.N7, row, column + 48, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair<TElement>(ArrayView<uint> c, in TensorGemmParameters p, UInt4 first, UInt4 second, int row, int column, uint q)
        where TElement : struct, ITensorElement
    {
        var element = default(TElement);
        int c0 = column + (int)element.Column(q, 0), c1 = column + (int)element.Column(q, 1);
        int c2 = column + (int)element.Column(q, 2), c3 = column + (int)element.Column(q, 3);
        Store<TElement>(c, p, row, c0, first.X);
        Store<TElement>(c, p, row, c1, first.Y);
        Store<TElement>(c, p, row, c2, second.X);
        Store<TElement>(c, p, row, c3, second.Y);
        Store<TElement>(c, p, row + 8, c0, first.Z);
        Store<TElement>(c, p, row + 8, c1, first.W);
        Store<TElement>(c, p, row + 8, c2, second.Z);
        Store<TElement>(c, p, row + 8, c3, second.W);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TElement>(ArrayView<uint> c, in TensorGemmParameters p, int row, int column, uint product)
        where TElement : struct, ITensorElement
    {
        if (row < p.M && column < p.N)
            default(TElement).Store(c, (long)row * p.N + column, product, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt4 Offset(UInt4 offsets, uint by) => new() { X = offsets.X + by, Y = offsets.Y + by, Z = offsets.Z + by, W = offsets.W + by };

    /// <summary>Whether a main loop stages with <c>cp.async</c> (rows 16-byte aligned) or byte by byte.</summary>
    private interface IAlignment
    {
        bool IsAligned { get; }
    }

    private readonly struct Aligned16 : IAlignment
    {
        public bool IsAligned => true;
    }

    private readonly struct Unaligned : IAlignment
    {
        public bool IsAligned => false;
    }

    /// <summary>
    /// A thread's share of every K tile's copies, fixed for the kernel: A's rows t/4 and t/4 + 64 at 16-byte chunk
    /// t mod 4; B's chunk t mod c of rows t/c + i·256/c, i = 0..3, for c chunks a row (a warp copies whole 128-byte
    /// lines of either).
    /// </summary>
    private struct CopyPlan
    {
        public Cursor First;
        public long AHalfStep, BPassStep, BTileStep;
        public int ARowBytes, BRowBytes, BColumn, RowsPerPass, TileRows;
        public bool ARows0, ARows1;
        public uint AAt, BAt;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static CopyPlan Create<TElement>(in TensorGemmParameters p, uint t, Origin origin) where TElement : struct, ITensorElement
        {
            var element = default(TElement);
            int elementBytes = element.ElementBytes, shift = element.BChunkShift;
            int aRowBytes = p.K * elementBytes, bRowBytes = p.N * elementBytes, row = origin.Row + (int)(t >> 2);
            uint chunk = t & ((1u << shift) - 1), k = t >> shift;
            int column = origin.Column * elementBytes + (int)chunk * 16, rowsPerPass = Threads >> shift;
            bool columns = column < bRowBytes;
            return new CopyPlan
            {
                First = new Cursor
                {
                    A = (long)row * aRowBytes + (t & 3) * 16,
                    AColumn = (int)(t & 3) * 16,
                    // Outside N, point at B's start: the chunk is never read.
                    B = columns ? (long)k * bRowBytes + column : 0,
                    // Outside N, a row beyond K: every pass's chunk is outside.
                    BRow = columns ? (int)k : p.K,
                },
                AHalfStep = 64L * aRowBytes,
                BPassStep = (long)rowsPerPass * bRowBytes,
                BTileStep = (long)(TileKBytes / elementBytes) * bRowBytes,
                ARowBytes = aRowBytes,
                BRowBytes = bRowBytes,
                BColumn = column,
                RowsPerPass = rowsPerPass,
                TileRows = TileKBytes / elementBytes,
                ARows0 = row < p.M,
                ARows1 = row + 64 < p.M,
                AAt = (t >> 2) * TileKBytes + (((t & 3) ^ ((t >> 3) & 3)) << 4),
                BAt = ABytes + (k << (shift + 4)) + ((chunk ^ element.BSwizzle(k)) << 4),
            };
        }

        /// <summary>The cursor of the next K tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Cursor Next(Cursor cursor) => new()
        {
            A = cursor.A + TileKBytes,
            AColumn = cursor.AColumn + TileKBytes,
            B = cursor.B + BTileStep,
            BRow = cursor.BRow + TileRows,
        };
    }

    /// <summary>Where a thread's copies of one K tile start: offsets in A and B, A's byte in its row, B's first row.</summary>
    private struct Cursor
    {
        public long A, B;
        public int AColumn, BRow;
    }

    /// <summary>The block's first row and column of C.</summary>
    private struct Origin
    {
        public int Row, Column;
    }

    /// <summary>A lane's ldmatrix offsets within a stage: A for each k step, B for the 4 column pairs (first k step).</summary>
    private struct LaneOffsets
    {
        public uint A0, A1;
        public UInt4 B;
    }

    /// <summary>B fragments of 4 column pairs: X, Y = b0, b1 of the pair's first mma tile, Z, W of its second.</summary>
    private struct BFragments
    {
        public UInt4 P0, P1, P2, P3;
    }

    /// <summary>A warp tile's accumulators: 4 blocks of 16 rows.</summary>
    private struct Accumulator
    {
        public Row M0, M1, M2, M3;
    }

    /// <summary>One thread's share of a 16×64 strip: c0..c3 (X..W) of 8 mma tiles, as bits (FP32 or int32).</summary>
    private struct Row
    {
        public UInt4 N0, N1, N2, N3, N4, N5, N6, N7;
    }
}
