using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors;

/// <summary>Bad shapes, operands and options fail with a message that says what is wrong.</summary>
public class GemmArgumentTests
{
    private readonly CpuMatrixMultiplier _multiplier = new(CpuGemmKernel.Scalar, threads: 1);

    [Theory]
    [InlineData(0, 1, 1, "m", "M (rows of A and C) must be at least 1; it was 0.")]
    [InlineData(1, -3, 1, "n", "N (columns of B and C) must be at least 1; it was -3.")]
    [InlineData(1, 1, 0, "k", "K (columns of A, rows of B) must be at least 1; it was 0.")]
    public void A_size_below_one_is_rejected(int m, int n, int k, string parameter, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GemmShape(m, n, k));
        Assert.Equal(parameter, ex.ParamName);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_too_large_for_an_array_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GemmShape(100_000, 100_000, 1));
        Assert.StartsWith("C would have M×N = 100000×100000 = 10000000000 elements, more than an array can hold", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmShape(1, 65_536, 65_536));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmShape(65_536, 1, 65_536));
    }

    [Fact]
    public void The_shape_counts_elements_and_flops()
    {
        var shape = new GemmShape(2, 3, 4);
        Assert.Equal((8, 12, 6, 48L), (shape.ALength, shape.BLength, shape.CLength, shape.FlopCount));
        Assert.Equal("2x3x4", shape.ToString());
        Assert.Equal(2L * 46_340 * 46_340 * 46_340, new GemmShape(46_340, 46_340, 46_340).FlopCount);
    }

    [Theory]
    [InlineData(5, 12, 6, "a", "A must hold M×K = 2×3 = 6 elements (row-major); it holds 5.")]
    [InlineData(7, 12, 6, "a", "A must hold M×K = 2×3 = 6 elements (row-major); it holds 7.")]
    [InlineData(6, 11, 6, "b", "B must hold K×N = 3×4 = 12 elements (row-major); it holds 11.")]
    [InlineData(6, 12, 9, "c", "C must hold M×N = 2×4 = 8 elements (row-major); it holds 9.")]
    public void Operands_of_the_wrong_length_are_rejected(int aLength, int bLength, int cLength, string parameter, string message)
    {
        var shape = new GemmShape(2, 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => _multiplier.Multiply(shape, new float[aLength], new float[bLength], new float[cLength]));
        Assert.Equal(parameter, ex.ParamName);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _multiplier.Multiply(shape, new Half[aLength], new Half[bLength], new float[cLength]));
    }

    [Fact]
    public void C_may_not_share_memory_with_A_or_B()
    {
        var shape = new GemmShape(2, 2, 2);
        var buffer = new float[8];
        var ex = Assert.Throws<ArgumentException>(() => _multiplier.Multiply(shape, buffer.AsSpan(0, 4), new float[4], buffer.AsSpan(2, 4)));
        Assert.StartsWith("C must not share memory with A", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => _multiplier.Multiply(shape, new float[4], buffer.AsSpan(0, 4), buffer.AsSpan(3, 4)));
        Assert.StartsWith("C must not share memory with B", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_shape_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _multiplier.Multiply(default, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, Span<float>.Empty));
        Assert.Contains("new GemmShape(m, n, k)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_one_thread_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuMatrixMultiplier(CpuGemmKernel.Scalar, threads: 0));

    [Fact]
    public void An_unknown_kernel_name_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => CpuGemmKernels.Parse("avx9000"));
        Assert.StartsWith("Unknown CPU GEMM kernel \"avx9000\"; expected one of: scalar, avx2, avx512.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scalar_is_always_supported_and_last()
    {
        Assert.Equal(CpuGemmKernel.Scalar, CpuGemmKernels.Supported[^1]);
        Assert.Equal(CpuGemmKernel.Scalar, CpuGemmKernels.Parse(" SCALAR "));
        Assert.Equal("cpu/scalar x1", _multiplier.Name);
    }
}
