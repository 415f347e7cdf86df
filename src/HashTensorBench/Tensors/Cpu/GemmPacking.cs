using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// Copies blocks of A and B into the layouts the micro-kernels stream through, widening FP16, BF16 and INT8 to
/// FP32 on the way (exactly: every half, BF16 value and 8-bit integer is a float). Packing is O(n²) against the product's O(n³), but at
/// n = 512 a scalar A transpose and scalar half conversion still cost 10–40 % of the time, so both are
/// vectorized, and compiled fully optimized from the first call like the micro-kernels.
/// Padding rows and columns only feed parts of edge tiles that are thrown away; they are zeroed anyway,
/// because fresh memory may hold denormals, which cost microcode assists on some cores.
/// </summary>
internal static unsafe class GemmPacking
{
    // 2^112 = 2^(127 − 15): moves a half's exponent, read in a float's exponent field, to the float bias.
    private const float TwoTo112 = 5.192296858534828e33f;

    /// <summary>
    /// Packs <paramref name="rows"/>×<paramref name="depth"/> of A into micro-panels of <paramref name="mr"/>
    /// rows: panel i holds, for each k, the column of its rows; rows past the end are zero. For FP16 and BF16, the
    /// rows are first widened into <paramref name="scratch"/> (<paramref name="mr"/>·<paramref name="depth"/> floats; unused for FP32).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* source, nint lda, int rows, int depth, int mr, float* destination, float* scratch) where T : unmanaged
    {
        for (int first = 0; first < rows; first += mr)
        {
            int count = Math.Min(mr, rows - first);
            float* panel = destination + (nint)first * depth;
            if (typeof(T) == typeof(float))
            {
                PackPanelA((float*)source + first * lda, lda, count, depth, mr, panel);
            }
            else
            {
                for (int i = 0; i < count; i++)
                    Widen(source + (first + i) * lda, scratch + (nint)i * depth, depth);
                PackPanelA(scratch, depth, count, depth, mr, panel);
            }
        }
    }

    private const int PackAhead = 8;

    /// <summary>
    /// Packs <paramref name="depth"/>×<paramref name="columns"/> of B into micro-panels of <paramref name="nr"/>
    /// columns: panel j holds, for each k, its part of row k; columns past the end are zero. B is read row by
    /// row (each row of the block is contiguous, which the hardware prefetchers follow) and each row's pieces
    /// are stored into the panels with vector copies; a library copy call per 64-byte piece cost 5 % of a
    /// 2048³ product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* source, nint ldb, int depth, int columns, int nr, float* destination) where T : unmanaged
    {
        nint panelStride = (nint)nr * depth;
        int whole = columns - columns % nr;
        bool vectorCopy = typeof(T) == typeof(float) && nr % 8 == 0 && Vector256.IsHardwareAccelerated;
        for (int p = 0; p < depth; p++)
        {
            T* row = source + p * ldb;
            float* packed = destination + (nint)p * nr;
            int first = 0;
            if (vectorCopy)
            {
                // The rows lie ldb apart (8 KiB at n 2048), a stride the hardware prefetcher follows late:
                // fetch the same columns PackAhead rows on (a prefetch past the matrix's end does not fault).
                T* ahead = row + PackAhead * ldb;
                for (; first < whole; first += nr, packed += panelStride)
                {
                    for (int j = 0; Sse.IsSupported && j < nr; j += 16)
                        Sse.Prefetch0((float*)ahead + first + j);
                    for (int j = 0; j < nr; j += 8)
                        Vector256.Store(Vector256.Load((float*)row + first + j), packed + j);
                }
            }
            for (; first < columns; first += nr, packed += panelStride)
            {
                int count = Math.Min(nr, columns - first);
                if (typeof(T) == typeof(float))
                    new ReadOnlySpan<float>((float*)row + first, count).CopyTo(new Span<float>(packed, count));
                else
                    Widen(row + first, packed, count);
                new Span<float>(packed + count, nr - count).Clear();
            }
        }
    }

    // FP16, BF16 or INT8 to floats; the JIT keeps only the branch of T.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen<T>(T* source, float* destination, int count) where T : unmanaged
    {
        if (typeof(T) == typeof(Half))
            Widen((Half*)source, destination, count);
        else if (typeof(T) == typeof(sbyte))
            Widen((sbyte*)source, destination, count);
        else
            Widen((BFloat16*)source, destination, count);
    }

    /// <summary>Converts <paramref name="count"/> 8-bit integers to floats (exactly).</summary>
    /// <remarks>Eight at a time (<c>vpmovsxbd</c> from memory, then <c>vcvtdq2ps</c>): B is widened a micro-panel's width
    /// (24 or 32 values) at a time, too few for wider steps.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(sbyte* source, float* destination, int count)
    {
        int i = 0;
        if (Avx2.IsSupported)
        {
            for (; i + 8 <= count; i += 8)
                Vector256.Store(Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(source + i)), destination + i);
        }
        for (; i < count; i++)
            destination[i] = source[i];
    }

    /// <summary>Converts <paramref name="count"/> BF16 values to floats: each is the upper half of its float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(BFloat16* source, float* destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(Vector256.Load((ushort*)source + i));
                Vector256.Store((low << 16).AsSingle(), destination + i);
                Vector256.Store((high << 16).AsSingle(), destination + i + 8);
            }
            // A micro-panel's width of B (24) leaves eight.
            for (; i + 8 <= count; i += 8)
                Vector256.Store((Vector256.WidenLower(Vector128.Load((ushort*)source + i).ToVector256()) << 16).AsSingle(), destination + i);
        }
        for (; i < count; i++)
            destination[i] = (float)source[i];
    }

    /// <summary>Converts <paramref name="count"/> halves to floats, exactly, with the results of <c>(float)Half</c> bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(Half* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= count; i += 32)
            {
                (Vector512<uint> low, Vector512<uint> high) = Vector512.Widen(Vector512.Load((ushort*)source + i));
                Vector512.Store(Widen(low), destination + i);
                Vector512.Store(Widen(high), destination + i + 16);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(Vector256.Load((ushort*)source + i));
                Vector256.Store(Widen(low), destination + i);
                Vector256.Store(Widen(high), destination + i + 8);
            }
            // A micro-panel's width of B (24) leaves eight.
            for (; i + 8 <= count; i += 8)
                Vector256.Store(Widen(Vector256.WidenLower(Vector128.Load((ushort*)source + i).ToVector256())), destination + i);
        }
        for (; i < count; i++)
            destination[i] = (float)source[i];
    }

    // One half per lane (zero-extended). Finite halves, normal or subnormal: the magnitude shifted into a
    // float's exponent and mantissa fields is 2^-112 times the value, and one exact multiply fixes the scale.
    // Infinity and NaN: all-ones exponent, payload kept, NaN made quiet (as (float)Half and vcvtph2ps do).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen(Vector512<uint> half)
    {
        Vector512<uint> magnitude = half & Vector512.Create(0x7FFFu), shifted = magnitude << 13;
        Vector512<uint> finite = (shifted.AsSingle() * Vector512.Create(TwoTo112)).AsUInt32();
        Vector512<uint> special = shifted | Vector512.Create(0x7F800000u)
            | (Vector512.GreaterThan(magnitude, Vector512.Create(0x7C00u)) & Vector512.Create(0x00400000u));
        Vector512<uint> bits = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(0x7C00u)), special, finite);
        return (bits | ((half & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(Vector256<uint> half)
    {
        Vector256<uint> magnitude = half & Vector256.Create(0x7FFFu), shifted = magnitude << 13;
        Vector256<uint> finite = (shifted.AsSingle() * Vector256.Create(TwoTo112)).AsUInt32();
        Vector256<uint> special = shifted | Vector256.Create(0x7F800000u)
            | (Vector256.GreaterThan(magnitude, Vector256.Create(0x7C00u)) & Vector256.Create(0x00400000u));
        Vector256<uint> bits = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x7C00u)), special, finite);
        return (bits | ((half & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    // Transposes count ≤ mr rows of A into one micro-panel: 4×4 blocks in SSE registers, then 2×4 blocks,
    // the ragged edges one element at a time. (Four blocks at once in AVX-512 registers measured no faster: the stores bound it.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanelA(float* rows, nint lda, int count, int depth, int mr, float* panel)
    {
        int i = 0;
        if (Sse.IsSupported)
        {
            for (; i + 4 <= count; i += 4)
            {
                float* r0 = rows + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
                int p = 0;
                for (; p + 4 <= depth; p += 4)
                {
                    Vector128<float> t0 = Sse.UnpackLow(Sse.LoadVector128(r0 + p), Sse.LoadVector128(r1 + p));
                    Vector128<float> t1 = Sse.UnpackHigh(Sse.LoadVector128(r0 + p), Sse.LoadVector128(r1 + p));
                    Vector128<float> t2 = Sse.UnpackLow(Sse.LoadVector128(r2 + p), Sse.LoadVector128(r3 + p));
                    Vector128<float> t3 = Sse.UnpackHigh(Sse.LoadVector128(r2 + p), Sse.LoadVector128(r3 + p));
                    float* column = panel + p * mr + i;
                    Sse.Store(column, Sse.MoveLowToHigh(t0, t2));
                    Sse.Store(column + mr, Sse.MoveHighToLow(t2, t0));
                    Sse.Store(column + 2 * mr, Sse.MoveLowToHigh(t1, t3));
                    Sse.Store(column + 3 * mr, Sse.MoveHighToLow(t3, t1));
                }
                for (; p < depth; p++)
                {
                    float* column = panel + p * mr + i;
                    (column[0], column[1], column[2], column[3]) = (r0[p], r1[p], r2[p], r3[p]);
                }
            }
            // Two rows (the last two of the AVX2 kernel's six): pairs of columns, 8 bytes per store.
            for (; i + 2 <= count; i += 2)
            {
                float* r0 = rows + i * lda, r1 = r0 + lda;
                int p = 0;
                for (; p + 4 <= depth; p += 4)
                {
                    Vector128<float> low = Sse.UnpackLow(Sse.LoadVector128(r0 + p), Sse.LoadVector128(r1 + p));
                    Vector128<float> high = Sse.UnpackHigh(Sse.LoadVector128(r0 + p), Sse.LoadVector128(r1 + p));
                    float* column = panel + p * mr + i;
                    Sse.StoreLow(column, low);
                    Sse.StoreHigh(column + mr, low);
                    Sse.StoreLow(column + 2 * mr, high);
                    Sse.StoreHigh(column + 3 * mr, high);
                }
                for (; p < depth; p++)
                {
                    float* column = panel + p * mr + i;
                    (column[0], column[1]) = (r0[p], r1[p]);
                }
            }
        }
        for (; i < count; i++)
        {
            float* row = rows + i * lda;
            for (int p = 0; p < depth; p++)
                panel[p * mr + i] = row[p];
        }
        for (; i < mr; i++)
        {
            for (int p = 0; p < depth; p++)
                panel[p * mr + i] = 0;
        }
    }
}
