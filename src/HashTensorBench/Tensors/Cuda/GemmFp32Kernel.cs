using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// FP32 GEMM on CUDA cores (SIMT): <c>C = alpha·A·B + beta·C</c>, row-major, any positive M, N, K.
/// </summary>
/// <remarks>
/// <para>
/// A block of <see cref="Threads"/> threads owns a <see cref="TileM"/>×<see cref="TileN"/> tile of C and walks K in
/// slices of <see cref="TileK"/>. Each thread accumulates an 8×8 micro-tile in registers: rows
/// <c>4·ty + {0..3}</c> and <c>64 + 4·ty + {0..3}</c>, columns <c>4·tx + {0..3}</c> and <c>64 + 4·tx + {0..3}</c>
/// of the block tile (tx, ty in 0..15). Splitting each dimension into two 4-wide halves 64 apart lets a warp read
/// its 16 column groups of B as 16 consecutive 16-byte vectors (no bank conflict) and its 2 row groups of A as
/// broadcasts. Per k step a thread issues 4 <c>LDS.128</c> for 64 FMAs.
/// </para>
/// <para>
/// A is stored transposed in shared memory (k-major) so that a thread's 4 consecutive rows are one vector. Two
/// shared stages double-buffer the K loop: the next slice is loaded from global memory into registers before
/// the current one is multiplied, and stored into the other stage after, so one barrier per slice suffices.
/// Global loads are bounds-checked, with zeros outside the matrices, so any shape works and the zeros add
/// nothing; when K and N are multiples of 4 (<see cref="GemmKernelParameters.Vectorized"/>) they are 16-byte
/// vectors checked once each, otherwise single floats.
/// </para>
/// </remarks>
internal static class GemmFp32Kernel
{
    /// <summary>Rows and columns of C per block.</summary>
    public const int TileM = 128, TileN = 128;

    /// <summary>The depth of one K slice in shared memory.</summary>
    public const int TileK = 16;

    /// <summary>Threads per block: 16×16, each with an 8×8 micro-tile.</summary>
    public const int Threads = 256;

    /// <summary>
    /// Two blocks per multiprocessor: ptxas then keeps to 128 registers a thread (64 accumulators, 16 operands,
    /// the prefetched slice, addresses) instead of hoisting every shared load of a slice into 220 registers.
    /// </summary>
    public static KernelSpecialization Specialization => new(Threads, 2);

    // Floats of one stage of A (k-major, TileK × TileM) and of B (TileK × TileN).
    private const int StageFloats = TileK * TileM;

    /// <summary>The grid for a product: one block per C tile, x along N.</summary>
    public static (int X, int Y) GridSize(int m, int n) => ((n + TileN - 1) / TileN, (m + TileM - 1) / TileM);

    /// <summary>How the kernel is launched: <see cref="Threads"/> a block, <see cref="GridSize"/>, 4 floats a 16-byte load.</summary>
    public static GemmLaunch Launch { get; } = new(Threads, GridSize, VectorWidth: 4);

    /// <summary>The kernel; launch <see cref="GridSize"/> blocks of <see cref="Threads"/> threads.</summary>
    public static void Multiply(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmKernelParameters p)
    {
        var sharedA = SharedMemory.Allocate<Float4>(2 * StageFloats / 4);
        var sharedB = SharedMemory.Allocate<Float4>(2 * StageFloats / 4);
        var sharedAFloats = sharedA.Cast<float>();

        // Masks and shifts rather than % and /: t is never negative, which ptxas cannot know.
        int t = Group.IdxX, tx = t & 15, ty = t >> 4;
        int blockRow = Grid.IdxY * TileM, blockCol = Grid.IdxX * TileN;

        // Each thread loads 4 consecutive k of rows r and r + 64 of A, and 4 consecutive columns of rows k and
        // k + 8 of B: a warp reads 8 rows × 64 bytes of A and 1 row × 512 bytes of B, whole 32-byte sectors.
        int loadRowA = t >> 2, loadKA = (t & 3) * 4;
        int loadKB = t >> 5, loadColB = (t & 31) * 4;

        var next = LoadSlice(a, b, p, blockRow + loadRowA, loadKA, loadKB, blockCol + loadColB);
        StoreA(sharedAFloats, 0, loadRowA, loadKA, next.A0);
        StoreA(sharedAFloats, 0, loadRowA + 64, loadKA, next.A1);
        sharedB[(loadKB * TileN + loadColB) / 4] = next.B0;
        sharedB[((loadKB + 8) * TileN + loadColB) / 4] = next.B1;
        Group.Barrier();

        var acc = default(Accumulator);
        // alpha = 0: C = beta·C, without the products (BLAS reads neither A nor B then).
        int slices = p.Alpha == 0 ? 0 : (p.K + TileK - 1) / TileK;
        for (int slice = 0; slice < slices; slice++)
        {
            int stage = slice & 1;
            bool more = slice + 1 < slices;
            if (more)
            {
                int k0 = (slice + 1) * TileK;
                next = LoadSlice(a, b, p, blockRow + loadRowA, k0 + loadKA, k0 + loadKB, blockCol + loadColB);
            }

            int stageVectors = stage * StageFloats / 4;
            acc = MultiplySlice(acc, sharedA.SubView(stageVectors + ty), sharedB.SubView(stageVectors + tx));

            if (more)
            {
                int other = (1 - stage) * StageFloats;
                StoreA(sharedAFloats, other, loadRowA, loadKA, next.A0);
                StoreA(sharedAFloats, other, loadRowA + 64, loadKA, next.A1);
                sharedB[(other + loadKB * TileN + loadColB) / 4] = next.B0;
                sharedB[(other + (loadKB + 8) * TileN + loadColB) / 4] = next.B1;
            }
            Group.Barrier();
        }

        int row0 = blockRow + 4 * ty, row1 = row0 + 64;
        int col0 = blockCol + 4 * tx, col1 = col0 + 64;
        StoreRow(c, p, row0, col0, col1, acc.R0L, acc.R0R);
        StoreRow(c, p, row0 + 1, col0, col1, acc.R1L, acc.R1R);
        StoreRow(c, p, row0 + 2, col0, col1, acc.R2L, acc.R2R);
        StoreRow(c, p, row0 + 3, col0, col1, acc.R3L, acc.R3R);
        StoreRow(c, p, row1, col0, col1, acc.R4L, acc.R4R);
        StoreRow(c, p, row1 + 1, col0, col1, acc.R5L, acc.R5R);
        StoreRow(c, p, row1 + 2, col0, col1, acc.R6L, acc.R6R);
        StoreRow(c, p, row1 + 3, col0, col1, acc.R7L, acc.R7R);
    }

    /// <summary>The 8×8 micro-tile: row r's left and right 4 columns. Named fields, not an array, so it stays in registers.</summary>
    private struct Accumulator
    {
        public Float4 R0L, R0R, R1L, R1R, R2L, R2R, R3L, R3R, R4L, R4R, R5L, R5R, R6L, R6R, R7L, R7R;
    }

    /// <summary>
    /// The <see cref="TileK"/> k steps of one stage, four written out per loop trip. ILGPU does not unroll, and it
    /// emits a basic block's loads first: with every step written out, ptxas held all of a slice's operands at
    /// once and spilled under the 128-register cap. Each load is a fixed offset from a base address, so ptxas
    /// folds the offsets into the <c>LDS.128</c>s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Accumulator MultiplySlice(Accumulator acc, ArrayView<Float4> a, ArrayView<Float4> b)
    {
        const int Row = TileM / 4, Unroll = 4;
        for (int k = Unroll; ; k += Unroll)
        {
            acc = Step(acc, a[0], a[16], b[0], b[16]);
            acc = Step(acc, a[Row], a[Row + 16], b[Row], b[Row + 16]);
            acc = Step(acc, a[2 * Row], a[2 * Row + 16], b[2 * Row], b[2 * Row + 16]);
            acc = Step(acc, a[3 * Row], a[3 * Row + 16], b[3 * Row], b[3 * Row + 16]);
            // Leave before moving the views: past the last stage they would end outside shared memory.
            if (k == TileK)
                return acc;
            a = a.SubView(Unroll * Row);
            b = b.SubView(Unroll * Row);
        }
    }

    /// <summary>One k step: the outer product of 8 values of A and 8 of B, 64 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Accumulator Step(Accumulator acc, Float4 a0, Float4 a1, Float4 b0, Float4 b1)
    {
        acc.R0L = Fma(a0.X, b0, acc.R0L);
        acc.R0R = Fma(a0.X, b1, acc.R0R);
        acc.R1L = Fma(a0.Y, b0, acc.R1L);
        acc.R1R = Fma(a0.Y, b1, acc.R1R);
        acc.R2L = Fma(a0.Z, b0, acc.R2L);
        acc.R2R = Fma(a0.Z, b1, acc.R2R);
        acc.R3L = Fma(a0.W, b0, acc.R3L);
        acc.R3R = Fma(a0.W, b1, acc.R3R);
        acc.R4L = Fma(a1.X, b0, acc.R4L);
        acc.R4R = Fma(a1.X, b1, acc.R4R);
        acc.R5L = Fma(a1.Y, b0, acc.R5L);
        acc.R5R = Fma(a1.Y, b1, acc.R5R);
        acc.R6L = Fma(a1.Z, b0, acc.R6L);
        acc.R6R = Fma(a1.Z, b1, acc.R6R);
        acc.R7L = Fma(a1.W, b0, acc.R7L);
        acc.R7R = Fma(a1.W, b1, acc.R7R);
        return acc;
    }

    // a·b + c as written: ILGPU emits mul.f32 and add.f32 without a rounding mode, which ptxas contracts into
    // one FFMA (MathF.FusedMultiplyAdd has no PTX mapping in ILGPU 1.5.3).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Float4 Fma(float a, Float4 b, Float4 c)
    {
        c.X += a * b.X;
        c.Y += a * b.Y;
        c.Z += a * b.Z;
        c.W += a * b.W;
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Load(ArrayView<float> matrix, int row, int column, int rows, int columns)
    {
        // Outside the matrix, read entry 0 and drop it: selects instead of branches around each load.
        bool inside = row < rows && column < columns;
        float value = matrix[inside ? row * columns + column : 0];
        return inside ? value : 0f;
    }

    /// <summary>A thread's share of one K slice: rows r and r + 64 of A at 4 consecutive k, rows k and k + 8 of B at 4 consecutive columns.</summary>
    private struct Slice
    {
        public Float4 A0, A1, B0, B1;
    }

    /// <summary>Loads a thread's share of a slice, deciding once between 16-byte vectors and single floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Slice LoadSlice(ArrayView<float> a, ArrayView<float> b, in GemmKernelParameters p, int row, int kA, int kB, int column)
    {
        if (p.Vectorized != 0)
        {
            return new Slice
            {
                A0 = LoadVector(a, row, kA, p.M, p.K),
                A1 = LoadVector(a, row + 64, kA, p.M, p.K),
                B0 = LoadVector(b, kB, column, p.K, p.N),
                B1 = LoadVector(b, kB + 8, column, p.K, p.N),
            };
        }
        return new Slice
        {
            A0 = LoadScalars(a, row, kA, p.M, p.K),
            A1 = LoadScalars(a, row + 64, kA, p.M, p.K),
            B0 = LoadScalars(b, kB, column, p.K, p.N),
            B1 = LoadScalars(b, kB + 8, column, p.K, p.N),
        };
    }

    /// <summary>4 consecutive entries of one row, each checked against the edges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Float4 LoadScalars(ArrayView<float> matrix, int row, int column, int rows, int columns) => new()
    {
        X = Load(matrix, row, column, rows, columns),
        Y = Load(matrix, row, column + 1, rows, columns),
        Z = Load(matrix, row, column + 2, rows, columns),
        W = Load(matrix, row, column + 3, rows, columns),
    };

    /// <summary>
    /// 4 floats in one 16-byte load. <paramref name="column"/> is a multiple of 4 and so is
    /// <paramref name="columns"/>, so the vector is wholly inside or wholly outside the matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Float4 LoadVector(ArrayView<float> matrix, int row, int column, int rows, int columns)
    {
        bool inside = row < rows && column < columns;
        var value = matrix.Cast<Float4>()[inside ? (row * columns + column) / 4 : 0];
        return new Float4
        {
            X = inside ? value.X : 0f,
            Y = inside ? value.Y : 0f,
            Z = inside ? value.Z : 0f,
            W = inside ? value.W : 0f,
        };
    }

    /// <summary>Stores 4 consecutive k of one row of A transposed: shared A is k-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreA(ArrayView<float> shared, int stageOffset, int row, int k, Float4 values)
    {
        int at = stageOffset + k * TileM + row;
        shared[at] = values.X;
        shared[at + TileM] = values.Y;
        shared[at + 2 * TileM] = values.Z;
        shared[at + 3 * TileM] = values.W;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ArrayView<float> c, in GemmKernelParameters p, int row, int col0, int col1, Float4 left, Float4 right)
    {
        if (row >= p.M)
            return;
        Store(c, p, row, col0, left.X);
        Store(c, p, row, col0 + 1, left.Y);
        Store(c, p, row, col0 + 2, left.Z);
        Store(c, p, row, col0 + 3, left.W);
        Store(c, p, row, col1, right.X);
        Store(c, p, row, col1 + 1, right.Y);
        Store(c, p, row, col1 + 2, right.Z);
        Store(c, p, row, col1 + 3, right.W);
    }

    /// <summary>Writes one entry of C; with beta 0 the old value is not read, so a NaN there does not survive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(ArrayView<float> c, in GemmKernelParameters p, int row, int column, float product)
    {
        if (column >= p.N)
            return;
        int at = row * p.N + column;
        float value = p.Alpha * product;
        if (p.Beta != 0)
            value += p.Beta * c[at];
        c[at] = value;
    }
}
