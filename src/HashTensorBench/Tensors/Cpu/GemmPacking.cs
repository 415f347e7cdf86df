using System.Runtime.CompilerServices;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// Copies blocks of A and B into the layouts the micro-kernels stream through, widening FP16 to FP32 on
/// the way (exactly: every half is a float). Packing touches each element once per block against the
/// block's Kc (or more) multiply-adds per element, so plain scalar loops are cheap enough here.
/// Padding rows and columns only feed parts of edge tiles that are thrown away; they are zeroed anyway,
/// because fresh memory may hold denormals, which cost microcode assists on some cores.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="rows"/>×<paramref name="depth"/> of A into micro-panels of <paramref name="mr"/>
    /// rows: panel i holds, for each k, the column of its rows; rows past the end are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* source, nint lda, int rows, int depth, int mr, float* destination) where T : unmanaged
    {
        for (int first = 0; first < rows; first += mr)
        {
            int count = Math.Min(mr, rows - first);
            float* panel = destination + (nint)first * depth;
            for (int i = 0; i < count; i++)
            {
                T* row = source + (first + i) * lda;
                for (int p = 0; p < depth; p++)
                    panel[p * mr + i] = ToSingle(row[p]);
            }
            for (int i = count; i < mr; i++)
            {
                for (int p = 0; p < depth; p++)
                    panel[p * mr + i] = 0;
            }
        }
    }

    /// <summary>
    /// Packs <paramref name="depth"/>×<paramref name="columns"/> of B into micro-panels of <paramref name="nr"/>
    /// columns: panel j holds, for each k, its part of row k; columns past the end are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* source, nint ldb, int depth, int columns, int nr, float* destination) where T : unmanaged
    {
        for (int first = 0; first < columns; first += nr)
        {
            int count = Math.Min(nr, columns - first);
            float* panel = destination + (nint)first * depth;
            for (int p = 0; p < depth; p++)
            {
                T* row = source + p * ldb + first;
                float* packed = panel + p * nr;
                if (typeof(T) == typeof(float))
                {
                    new ReadOnlySpan<float>(row, count).CopyTo(new Span<float>(packed, count));
                }
                else
                {
                    for (int j = 0; j < count; j++)
                        packed[j] = ToSingle(row[j]);
                }
                new Span<float>(packed + count, nr - count).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToSingle<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : (float)Unsafe.As<T, Half>(ref value);
}
