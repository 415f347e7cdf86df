namespace HashTensorBench.Tensors;

/// <summary>
/// A general matrix multiply, <c>C = alpha·A·B + beta·C</c>, over row-major contiguous operands of one
/// <see cref="GemmElementType"/>. Every device (CPU SIMD, GPU) implements it with the same semantics, those of
/// BLAS <c>sgemm</c>: when <c>beta</c> is 0, C is only written (a NaN already in C does not survive), and when
/// <c>alpha</c> is 0, A and B are not read. Dispose it to release its device (a GPU context; the CPU's holds nothing).
/// </summary>
public interface IMatrixMultiplier : IDisposable
{
    /// <summary>The device and implementation, for reports (for example <c>cpu/avx512 x2</c>).</summary>
    string Name { get; }

    /// <summary>The element types this multiplier has a kernel for, in <see cref="GemmElementType.All"/>'s order.</summary>
    IReadOnlyList<GemmElementType> ElementTypes { get; }

    /// <summary>Computes <c>C = alpha·A·B + beta·C</c> for the element type <see cref="GemmElementType.Of{TInput, TAccumulator}"/>.</summary>
    /// <param name="shape">The sizes; A is M×K, B is K×N, C is M×N.</param>
    /// <param name="a">A, row-major, exactly <see cref="GemmShape.ALength"/> elements.</param>
    /// <param name="b">B, row-major, exactly <see cref="GemmShape.BLength"/> elements.</param>
    /// <param name="c">C, row-major, exactly <see cref="GemmShape.CLength"/> elements; must not overlap A or B.</param>
    /// <param name="alpha">Scales the product A·B.</param>
    /// <param name="beta">Scales the old C; 0 means C is not read.</param>
    /// <exception cref="ArgumentException">A length does not match the shape, or C overlaps A or B.</exception>
    /// <exception cref="NotSupportedException">The CLR types are no element type, or this multiplier has no kernel for it.</exception>
    void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
        TAccumulator alpha, TAccumulator beta)
        where TInput : unmanaged
        where TAccumulator : unmanaged;
}

/// <summary>The common calls of <see cref="IMatrixMultiplier"/> with BLAS's defaults, alpha = 1 and beta = 0.</summary>
public static class MatrixMultiplierExtensions
{
    /// <summary>
    /// Computes <c>C = alpha·A·B + beta·C</c> with FP32 accumulation: <typeparamref name="TInput"/> is
    /// <see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.
    /// </summary>
    /// <inheritdoc cref="IMatrixMultiplier.Multiply{TInput, TAccumulator}"/>
    public static void Multiply<TInput>(this IMatrixMultiplier multiplier, GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b,
        Span<float> c, float alpha = 1, float beta = 0) where TInput : unmanaged
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
    }

    /// <summary>Computes <c>C = alpha·A·B + beta·C</c> over 8-bit integers with exact 32-bit accumulation.</summary>
    /// <inheritdoc cref="IMatrixMultiplier.Multiply{TInput, TAccumulator}"/>
    public static void Multiply(this IMatrixMultiplier multiplier, GemmShape shape, ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b,
        Span<int> c, int alpha = 1, int beta = 0)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
    }

    /// <summary>Throws unless <paramref name="multiplier"/> has a kernel for <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">It has none; the message names those it has.</exception>
    public static void CheckSupports(this IMatrixMultiplier multiplier, GemmElementType type)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        if (!multiplier.ElementTypes.Contains(type))
            throw new NotSupportedException($"{multiplier.Name} has no {type.Name} GEMM; it multiplies {string.Join(", ", multiplier.ElementTypes.Select(t => t.Name))}.");
    }
}
