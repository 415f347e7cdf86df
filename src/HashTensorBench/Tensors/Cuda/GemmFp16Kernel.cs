using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// The first tensor-core GEMM (<c>mma-simple</c> in <see cref="GpuGemmKernels"/>): FP16 or BF16 inputs and FP32
/// accumulation, <c>C = alpha·A·B + beta·C</c>, row-major, any positive M, N, K; A and B arrive as the bits of IEEE
/// halves or of BF16 values (<see cref="ushort"/>). <see cref="TensorGemmKernel"/> is the default; this one is kept
/// as its fallback (it needs neither the PTX rewrite nor more than 48 KB of shared memory) and its baseline.
/// </summary>
/// <remarks>
/// <para>
/// A block of 8 warps owns a <see cref="TileM"/>×<see cref="TileN"/> tile of C, the warps in a 2×4 grid of
/// 64×32 warp tiles, and walks K in slices of <see cref="TileK"/>, double-buffered in shared memory as in
/// <see cref="GemmFp32Kernel"/>. Per 16-deep k step a warp issues 4×4 <c>mma.sync.aligned.m16n8k16</c>
/// (16×16 A times 16×8 B into 16×8 FP32). Shared A is row-major, shared B is stored transposed (n-major), both
/// with k pairs packed into 32-bit words, so every fragment register is one 32-bit shared load. Rows are padded
/// from 16 to 20 words: the 8 rows a fragment load touches then start 20 words apart, in distinct banks.
/// </para>
/// <para>
/// Fragment layouts of <c>mma.m16n8k16</c> with .f16 and .bf16 inputs (the same; PTX ISA, "Matrix Fragments for mma.m16n8k16"), for
/// lane = 4·g + q (g = groupID 0..7, q = threadID_in_group 0..3); each A and B register holds two halves, the
/// lower k in the low 16 bits:
/// A (16×16, row): a0 = A[g][2q, 2q+1], a1 = A[g+8][2q, 2q+1], a2 = A[g][2q+8, 2q+9], a3 = A[g+8][2q+8, 2q+9].
/// B (16×8, col): b0 = B[2q, 2q+1][g], b1 = B[2q+8, 2q+9][g].
/// C (16×8, FP32): c0, c1 = C[g][2q, 2q+1]; c2, c3 = C[g+8][2q, 2q+1].
/// </para>
/// <para>
/// The body is written once over the mma step (<see cref="IMmaStep"/>) and compiled as two kernels per format:
/// <see cref="MultiplyTensorCores"/> (<see cref="MultiplyBf16TensorCores"/>) issues <c>mma.sync</c> and nothing else, for a GPU;
/// <see cref="MultiplyEmulated"/> (<see cref="MultiplyBf16Emulated"/>), for ILGPU's CPU accelerator, computes each mma from the same fragment
/// registers with scalar FMAs, following the layouts above, so tests on a CPU check the tiling, the shared
/// layouts and the fragments against this reading of the PTX ISA; only the hardware's agreement with it needs a
/// GPU. (A branch on <see cref="CudaAsm.IsSupported"/> would not do: ILGPU folds it only after code generation,
/// so the GPU's PTX would carry all 32 emulated products too.)
/// </para>
/// <para>
/// Global loads are bounds-checked with zeros outside the matrices: 16-byte vectors when K and N are multiples of
/// 8 (<see cref="GemmKernelParameters.Vectorized"/>), single halves otherwise, staged through registers.
/// What it lacks for speed (no <c>ldmatrix</c>, no <c>cp.async</c> ring, padding instead of a swizzle) is what
/// <see cref="TensorGemmKernel"/> adds.
/// </para>
/// </remarks>
internal static class GemmFp16Kernel
{
    /// <summary>Rows and columns of C per block.</summary>
    public const int TileM = 128, TileN = 128;

    /// <summary>The depth of one K slice in shared memory: two mma k steps.</summary>
    public const int TileK = 32;

    /// <summary>Threads per block: 8 warps.</summary>
    public const int Threads = 256;

    /// <summary>Two blocks per multiprocessor: caps ptxas at 128 registers a thread (64 accumulators).</summary>
    public static KernelSpecialization Specialization => new(Threads, 2);

    // A shared row holds TileK halves as 16 words of k pairs, padded to 20.
    private const int RowWords = 20;
    private const int StageWords = TileM * RowWords;

    /// <summary>The grid for a product: one block per C tile, x along N.</summary>
    public static (int X, int Y) GridSize(int m, int n) => ((n + TileN - 1) / TileN, (m + TileM - 1) / TileM);

    /// <summary>How the kernel is launched: <see cref="Threads"/> a block, <see cref="GridSize"/>, 8 halves a 16-byte load.</summary>
    public static GemmLaunch Launch { get; } = new(Threads, GridSize, VectorWidth: 8);

    /// <summary>The FP16 GPU kernel (tensor cores); launch <see cref="GridSize"/> blocks of <see cref="Threads"/> threads.</summary>
    public static void MultiplyTensorCores(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, GemmKernelParameters p) =>
        Multiply<TensorCoreMma<Fp16Format>>(a, b, c, p, exchange: default);

    /// <summary>The same kernel for ILGPU's CPU accelerator, each mma emulated; launched like <see cref="MultiplyTensorCores"/>.</summary>
    public static void MultiplyEmulated(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, GemmKernelParameters p) =>
        Multiply<EmulatedMma<Fp16Format>>(a, b, c, p, SharedMemory.Allocate<uint>(Threads * WordsPerLane));

    /// <summary>The BF16 GPU kernel (tensor cores, <c>.bf16</c> inputs); launched like <see cref="MultiplyTensorCores"/>.</summary>
    public static void MultiplyBf16TensorCores(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, GemmKernelParameters p) =>
        Multiply<TensorCoreMma<Bf16Format>>(a, b, c, p, exchange: default);

    /// <summary>The BF16 kernel for ILGPU's CPU accelerator, each mma emulated.</summary>
    public static void MultiplyBf16Emulated(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, GemmKernelParameters p) =>
        Multiply<EmulatedMma<Bf16Format>>(a, b, c, p, SharedMemory.Allocate<uint>(Threads * WordsPerLane));

    /// <summary>Shared words per thread of the emulated step: the six fragment registers each lane publishes to its warp.</summary>
    private const int WordsPerLane = 6;

    /// <summary>The kernel body over the mma step; <paramref name="exchange"/> is the step's shared scratch (none for tensor cores).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply<TMma>(ArrayView<ushort> a, ArrayView<ushort> b, ArrayView<float> c, GemmKernelParameters p,
        ArrayView<uint> exchange) where TMma : struct, IMmaStep
    {
        // Allocated as 16-byte vectors so that the arrays are 16-byte aligned for the vector stores.
        var sharedA4 = SharedMemory.Allocate<UInt4>(2 * StageWords / 4);
        var sharedB4 = SharedMemory.Allocate<UInt4>(2 * StageWords / 4);
        var sharedA = sharedA4.Cast<uint>();
        var sharedB = sharedB4.Cast<uint>();

        int t = Group.IdxX;
        int blockRow = Grid.IdxY * TileM, blockCol = Grid.IdxX * TileN;
        // Masks and shifts rather than % and /: t is never negative, which ptxas cannot know.
        int lane = t & 31, warp = t >> 5;
        int warpRow = (warp >> 2) * 64, warpCol = (warp & 3) * 32;
        int g = lane >> 2, q = lane & 3;

        var next = LoadSlice(a, b, p, t, blockRow, blockCol, 0);
        StoreSlice(sharedA, sharedB, sharedA4, p, t, 0, next);
        Group.Barrier();

        var acc = default(Accumulator);
        // alpha = 0: C = beta·C, without the products (BLAS reads neither A nor B then).
        int slices = p.Alpha == 0 ? 0 : (p.K + TileK - 1) / TileK;
        for (int slice = 0; slice < slices; slice++)
        {
            int stage = (slice & 1) * StageWords;
            bool more = slice + 1 < slices;
            if (more)
            {
                int k0 = (slice + 1) * TileK;
                next = LoadSlice(a, b, p, t, blockRow, blockCol, k0);
            }

            // Word offsets of this thread's first fragment row of A and column of B; the second k step is 8 words on.
            int baseA = stage + (warpRow + g) * RowWords + q;
            int baseB = stage + (warpCol + g) * RowWords + q;
            // Views at the thread's first fragment word: every load below is a fixed offset that ptxas folds into
            // the LDS instead of computing each address.
            var fragmentA = sharedA.SubView(baseA);
            var fragmentB = sharedB.SubView(baseB);
            acc = TensorCoreStep<TMma>(acc, fragmentA, fragmentB, exchange);
            acc = TensorCoreStep<TMma>(acc, fragmentA.SubView(8), fragmentB.SubView(8), exchange);

            if (more)
            {
                int other = StageWords - stage;
                StoreSlice(sharedA, sharedB, sharedA4, p, t, other, next);
            }
            Group.Barrier();
        }

        int row = blockRow + warpRow + g, col = blockCol + warpCol + 2 * q;
        StoreRows(c, p, row, col, acc.M0);
        StoreRows(c, p, row + 16, col, acc.M1);
        StoreRows(c, p, row + 32, col, acc.M2);
        StoreRows(c, p, row + 48, col, acc.M3);
    }

    /// <summary>A warp tile's accumulators: 4 row blocks of 16 (<c>M0..M3</c>), each 4 column blocks of 8.</summary>
    private struct Accumulator
    {
        public Row M0, M1, M2, M3;
    }

    /// <summary>One thread's share of a 16×32 strip: the c0..c3 fragment of each of 4 mma tiles (X..W = c0..c3).</summary>
    private struct Row
    {
        public Float4 N0, N1, N2, N3;
    }

    /// <summary>8 words of packed k pairs: a thread's share of one slice of A or B on its way to shared memory, or its B fragments.</summary>
    private struct Words8
    {
        public uint W0, W1, W2, W3, W4, W5, W6, W7;
    }

    /// <summary>One 16-deep k step of the warp tile: 4 A fragments, 4 B fragments, 16 mma.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Accumulator TensorCoreStep<TMma>(Accumulator acc, ArrayView<uint> a, ArrayView<uint> b, ArrayView<uint> exchange)
        where TMma : struct, IMmaStep
    {
        const int Eight = 8 * RowWords;
        // b0 is k pair q (k 2q, 2q+1), b1 is k pair q + 4 (k 2q+8, 2q+9), of column g of each 8-column block.
        var fragmentsB = new Words8
        {
            W0 = b[0], W1 = b[4],
            W2 = b[Eight], W3 = b[Eight + 4],
            W4 = b[2 * Eight], W5 = b[2 * Eight + 4],
            W6 = b[3 * Eight], W7 = b[3 * Eight + 4],
        };
        acc.M0 = TensorCoreRow<TMma>(acc.M0, a, 0, fragmentsB, exchange);
        acc.M1 = TensorCoreRow<TMma>(acc.M1, a, 2 * Eight, fragmentsB, exchange);
        acc.M2 = TensorCoreRow<TMma>(acc.M2, a, 4 * Eight, fragmentsB, exchange);
        acc.M3 = TensorCoreRow<TMma>(acc.M3, a, 6 * Eight, fragmentsB, exchange);
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Row TensorCoreRow<TMma>(Row acc, ArrayView<uint> a, int row, Words8 b, ArrayView<uint> exchange)
        where TMma : struct, IMmaStep
    {
        // a0: row g, k pair q; a1: row g + 8; a2: k pair q + 4; a3: both.
        uint a0 = a[row], a1 = a[row + 8 * RowWords];
        uint a2 = a[row + 4], a3 = a[row + 8 * RowWords + 4];
        var mma = default(TMma);
        acc.N0 = mma.Mma(acc.N0, a0, a1, a2, a3, b.W0, b.W1, exchange);
        acc.N1 = mma.Mma(acc.N1, a0, a1, a2, a3, b.W2, b.W3, exchange);
        acc.N2 = mma.Mma(acc.N2, a0, a1, a2, a3, b.W4, b.W5, exchange);
        acc.N3 = mma.Mma(acc.N3, a0, a1, a2, a3, b.W6, b.W7, exchange);
        return acc;
    }

    /// <summary>
    /// One <c>m16n8k16</c> step of the warp: C += A·B for the 16×16 A and 16×8 B whose fragments the 32 lanes hold
    /// (layouts above). A struct so that each kernel instantiation calls its step directly, inlined.
    /// </summary>
    internal interface IMmaStep
    {
        /// <summary>Returns this lane's c0..c3 after the product; <paramref name="exchange"/> is the kernel's scratch for the step.</summary>
        Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1, ArrayView<uint> exchange);
    }

    /// <summary>One HMMA on the GPU: the format's <c>mma.sync.aligned.m16n8k16</c> (<see cref="IHalfFormat.Mma"/>).</summary>
    internal readonly struct TensorCoreMma<TFormat> : IMmaStep where TFormat : struct, IHalfFormat
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1, ArrayView<uint> exchange) =>
            default(TFormat).Mma(c, a0, a1, a2, a3, b0, b1);
    }

    /// <summary>
    /// The m16n8k16 product by the fragment layouts above, with scalar FMAs: lane 4g + q owns C[g][2q, 2q+1] and
    /// C[g+8][2q, 2q+1]; k pair j of rows g and g+8 of A sits in lane 4g + j (a0, a1; pair j + 4 in a2, a3), and
    /// k pair j of column n of B in lane 4n + j (b0; pair j + 4 in b1). So a fragment register in the wrong place
    /// fails the tests on the CPU as it would on the GPU.
    /// </summary>
    internal readonly struct EmulatedMma<TFormat> : IMmaStep where TFormat : struct, IHalfFormat
    {
        public Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1, ArrayView<uint> exchange)
        {
            // Shared memory and two warp barriers instead of 32 shuffles: far fewer rendezvous on CPU threads.
            var own = exchange.SubView(Warp.WarpIdx * 32 * WordsPerLane, 32 * WordsPerLane);
            int lane = Warp.LaneIdx, g = lane >> 2, q = lane & 3;
            own[lane] = a0;
            own[32 + lane] = a1;
            own[64 + lane] = a2;
            own[96 + lane] = a3;
            own[128 + lane] = b0;
            own[160 + lane] = b1;
            Warp.Barrier();
            var format = default(TFormat);
            for (int j = 0; j < 4; j++)
            {
                int rows = 4 * g + j, column0 = 8 * q + j, column1 = column0 + 4;
                uint top = own[rows], bottom = own[32 + rows];
                uint topHigh = own[64 + rows], bottomHigh = own[96 + rows];
                uint left = own[128 + column0], leftHigh = own[160 + column0];
                uint right = own[128 + column1], rightHigh = own[160 + column1];
                c.X += format.Dot2(top, left) + format.Dot2(topHigh, leftHigh);
                c.Y += format.Dot2(top, right) + format.Dot2(topHigh, rightHigh);
                c.Z += format.Dot2(bottom, left) + format.Dot2(bottomHigh, leftHigh);
                c.W += format.Dot2(bottom, right) + format.Dot2(bottomHigh, rightHigh);
            }
            // The next mma overwrites the exchange only after every lane has read this one.
            Warp.Barrier();
            return c;
        }
    }

    /// <summary>A thread's share of one K slice on its way from global to shared memory.</summary>
    private struct Slice
    {
        public Words8 A, B;
    }

    /// <summary>
    /// Loads a thread's share of the slice at <paramref name="k0"/>, deciding once between 16-byte vectors (K and N
    /// multiples of 8) and single halves.
    /// </summary>
    /// <remarks>
    /// Vectors: 8 halves of A at rows t/4 and t/4 + 64, k 8·(t mod 4); 8 halves of B at columns 8·(t/16), in rows
    /// 2·(t mod 16) and the next (a warp reads 16 bytes from each of 32 rows, whole 32-byte sectors across lane
    /// pairs). Halves: k pair t mod 16 of A's rows t/16 + 16·i, and column t mod 128 of B's k pairs t/128 + 2·i.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Slice LoadSlice(ArrayView<ushort> a, ArrayView<ushort> b, in GemmKernelParameters p, int t, int blockRow, int blockCol, int k0)
    {
        if (p.Vectorized != 0)
        {
            int row = blockRow + (t >> 2), kA = k0 + (t & 3) * 8;
            int kB = k0 + (t & 15) * 2, column = blockCol + (t >> 4) * 8;
            var a0 = LoadVector(a, row, kA, p.M, p.K);
            var a1 = LoadVector(a, row + 64, kA, p.M, p.K);
            var b0 = LoadVector(b, kB, column, p.K, p.N);
            var b1 = LoadVector(b, kB + 1, column, p.K, p.N);
            return new Slice
            {
                A = new Words8 { W0 = a0.X, W1 = a0.Y, W2 = a0.Z, W3 = a0.W, W4 = a1.X, W5 = a1.Y, W6 = a1.Z, W7 = a1.W },
                B = new Words8 { W0 = b0.X, W1 = b0.Y, W2 = b0.Z, W3 = b0.W, W4 = b1.X, W5 = b1.Y, W6 = b1.Z, W7 = b1.W },
            };
        }
        return new Slice
        {
            A = LoadA(a, p, blockRow + (t >> 4), k0 + 2 * (t & 15)),
            B = LoadB(b, p, k0 + 2 * (t >> 7), blockCol + (t & 127)),
        };
    }

    /// <summary>Stores what <see cref="LoadSlice"/> loaded into the stage at word <paramref name="stage"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSlice(ArrayView<uint> sharedA, ArrayView<uint> sharedB, ArrayView<UInt4> sharedA4, in GemmKernelParameters p,
        int t, int stage, Slice slice)
    {
        if (p.Vectorized != 0)
        {
            // A: two 16-byte chunks of rows, as loaded (a padded row is 80 bytes, a multiple of 16).
            int at = (stage + (t >> 2) * RowWords) / 4 + (t & 3);
            sharedA4[at] = new UInt4 { X = slice.A.W0, Y = slice.A.W1, Z = slice.A.W2, W = slice.A.W3 };
            sharedA4[at + 64 * RowWords / 4] = new UInt4 { X = slice.A.W4, Y = slice.A.W5, Z = slice.A.W6, W = slice.A.W7 };
            // B: the two rows' 8 columns become 8 k pairs, one per column of the transposed tile.
            var b = slice.B;
            int column = stage + (t >> 4) * 8 * RowWords + (t & 15);
            sharedB[column] = LowHalves(b.W0, b.W4);
            sharedB[column + RowWords] = HighHalves(b.W0, b.W4);
            sharedB[column + 2 * RowWords] = LowHalves(b.W1, b.W5);
            sharedB[column + 3 * RowWords] = HighHalves(b.W1, b.W5);
            sharedB[column + 4 * RowWords] = LowHalves(b.W2, b.W6);
            sharedB[column + 5 * RowWords] = HighHalves(b.W2, b.W6);
            sharedB[column + 6 * RowWords] = LowHalves(b.W3, b.W7);
            sharedB[column + 7 * RowWords] = HighHalves(b.W3, b.W7);
        }
        else
        {
            StoreA(sharedA, stage + (t >> 4) * RowWords + (t & 15), slice.A);
            StoreB(sharedB, stage + (t & 127) * RowWords + (t >> 7), slice.B);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LowHalves(uint k, uint kPlus1) => (k & 0xFFFFu) | (kPlus1 << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HighHalves(uint k, uint kPlus1) => (k >> 16) | (kPlus1 & 0xFFFF0000u);

    /// <summary>
    /// 8 halves in one 16-byte load. <paramref name="column"/> and <paramref name="columns"/> are multiples of 8,
    /// so the vector is wholly inside or wholly outside the matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt4 LoadVector(ArrayView<ushort> matrix, int row, int column, int rows, int columns)
    {
        bool inside = row < rows && column < columns;
        var value = matrix.Cast<UInt4>()[inside ? (row * columns + column) / 8 : 0];
        return new UInt4
        {
            X = inside ? value.X : 0u,
            Y = inside ? value.Y : 0u,
            Z = inside ? value.Z : 0u,
            W = inside ? value.W : 0u,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Load(ArrayView<ushort> matrix, int row, int column, int rows, int columns)
    {
        // Outside the matrix, read entry 0 and drop it: selects instead of branches around each load.
        bool inside = row < rows && column < columns;
        uint value = matrix[inside ? row * columns + column : 0];
        return inside ? value : 0u;
    }

    /// <summary>k pair (k, k + 1) of one row of A, lower k in the low half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PairA(ArrayView<ushort> a, in GemmKernelParameters p, int row, int k) =>
        Load(a, row, k, p.M, p.K) | Load(a, row, k + 1, p.M, p.K) << 16;

    /// <summary>k pair (k, k + 1) of one column of B, lower k in the low half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PairB(ArrayView<ushort> b, in GemmKernelParameters p, int k, int column) =>
        Load(b, k, column, p.K, p.N) | Load(b, k + 1, column, p.K, p.N) << 16;

    /// <summary>Rows <paramref name="row"/> + 16·i, i = 0..7, at k pair (k, k + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Words8 LoadA(ArrayView<ushort> a, in GemmKernelParameters p, int row, int k) => new()
    {
        W0 = PairA(a, p, row, k), W1 = PairA(a, p, row + 16, k),
        W2 = PairA(a, p, row + 32, k), W3 = PairA(a, p, row + 48, k),
        W4 = PairA(a, p, row + 64, k), W5 = PairA(a, p, row + 80, k),
        W6 = PairA(a, p, row + 96, k), W7 = PairA(a, p, row + 112, k),
    };

    /// <summary>k pairs starting at <paramref name="k"/> + 4·i, i = 0..7, of one column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Words8 LoadB(ArrayView<ushort> b, in GemmKernelParameters p, int k, int column) => new()
    {
        W0 = PairB(b, p, k, column), W1 = PairB(b, p, k + 4, column),
        W2 = PairB(b, p, k + 8, column), W3 = PairB(b, p, k + 12, column),
        W4 = PairB(b, p, k + 16, column), W5 = PairB(b, p, k + 20, column),
        W6 = PairB(b, p, k + 24, column), W7 = PairB(b, p, k + 28, column),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreA(ArrayView<uint> shared, int at, Words8 words)
    {
        const int Step = 16 * RowWords;
        shared[at] = words.W0;
        shared[at + Step] = words.W1;
        shared[at + 2 * Step] = words.W2;
        shared[at + 3 * Step] = words.W3;
        shared[at + 4 * Step] = words.W4;
        shared[at + 5 * Step] = words.W5;
        shared[at + 6 * Step] = words.W6;
        shared[at + 7 * Step] = words.W7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreB(ArrayView<uint> shared, int at, Words8 words)
    {
        shared[at] = words.W0;
        shared[at + 2] = words.W1;
        shared[at + 4] = words.W2;
        shared[at + 6] = words.W3;
        shared[at + 8] = words.W4;
        shared[at + 10] = words.W5;
        shared[at + 12] = words.W6;
        shared[at + 14] = words.W7;
    }

    /// <summary>Writes one 16×32 strip's fragments: rows g and g + 8 of each of its four 16×8 tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(ArrayView<float> c, in GemmKernelParameters p, int row, int col, Row acc)
    {
        StoreTile(c, p, row, col, acc.N0);
        StoreTile(c, p, row, col + 8, acc.N1);
        StoreTile(c, p, row, col + 16, acc.N2);
        StoreTile(c, p, row, col + 24, acc.N3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile(ArrayView<float> c, in GemmKernelParameters p, int row, int col, Float4 fragment)
    {
        if (row < p.M)
        {
            GemmFp32Kernel.Store(c, p, row, col, fragment.X);
            GemmFp32Kernel.Store(c, p, row, col + 1, fragment.Y);
        }
        if (row + 8 < p.M)
        {
            GemmFp32Kernel.Store(c, p, row + 8, col, fragment.Z);
            GemmFp32Kernel.Store(c, p, row + 8, col + 1, fragment.W);
        }
    }
}
