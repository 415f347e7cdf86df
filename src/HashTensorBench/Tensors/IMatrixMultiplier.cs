namespace HashTensorBench.Tensors;

/// <summary>
/// A general matrix multiply, <c>C = alpha·A·B + beta·C</c>, over row-major contiguous FP32 or FP16
/// inputs with FP32 accumulation and an FP32 result. Every device (CPU SIMD, GPU) implements it with the
/// same semantics, those of BLAS <c>sgemm</c>: when <c>beta</c> is 0, C is only written (a NaN already in
/// C does not survive), and when <c>alpha</c> is 0, A and B are not read. Dispose it to release its device (a GPU
/// context; the CPU's holds nothing).
/// </summary>
public interface IMatrixMultiplier : IDisposable
{
    /// <summary>The device and implementation, for reports (for example <c>cpu/avx512 x2</c>).</summary>
    string Name { get; }

    /// <summary>Computes <c>C = alpha·A·B + beta·C</c> with FP32 inputs.</summary>
    /// <param name="shape">The sizes; A is M×K, B is K×N, C is M×N.</param>
    /// <param name="a">A, row-major, exactly <see cref="GemmShape.ALength"/> elements.</param>
    /// <param name="b">B, row-major, exactly <see cref="GemmShape.BLength"/> elements.</param>
    /// <param name="c">C, row-major, exactly <see cref="GemmShape.CLength"/> elements; must not overlap A or B.</param>
    /// <param name="alpha">Scales the product A·B.</param>
    /// <param name="beta">Scales the old C; 0 means C is not read.</param>
    /// <exception cref="ArgumentException">A length does not match the shape, or C overlaps A or B.</exception>
    void Multiply(GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float alpha = 1, float beta = 0);

    /// <summary>Computes <c>C = alpha·A·B + beta·C</c> with FP16 inputs, widened exactly to FP32, and FP32 accumulation.</summary>
    /// <inheritdoc cref="Multiply(GemmShape, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float, float)"/>
    void Multiply(GemmShape shape, ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, Span<float> c, float alpha = 1, float beta = 0);
}
