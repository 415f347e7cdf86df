using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors;

public class GemmMeasurementTests
{
    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    [InlineData("bf16")]
    public void A_correct_multiplier_measures_a_rounding_sized_error(string name)
    {
        var type = GemmElementType.Parse(name);
        var measured = GemmMeasurement.Run(new CpuMatrixMultiplier(threads: 2), new GemmShape(40, 50, 60), type, seed: 5, samples: 100);
        Assert.Equal(100, measured.SampledEntries);
        Assert.Equal(type, measured.Type);
        Assert.True(measured.WithinBound);
        Assert.True(measured.Elapsed > TimeSpan.Zero);
        // γ_K for K = 60 (see GemmReference): far below the ~1 of a wrong entry.
        Assert.InRange(measured.MaxRelativeError, 0, 60 * Math.ScaleB(1, -24));
    }

    [Fact]
    public void A_wrong_product_is_caught()
    {
        var measured = GemmMeasurement.Run(new OffByOneRow(), new GemmShape(8, 9, 10), GemmElementType.Fp32);
        // C has 72 entries, fewer than 256 samples: every one is checked.
        Assert.Equal(72, measured.SampledEntries);
        Assert.True(measured.MaxRelativeError > 0.01, $"max relative error {measured.MaxRelativeError}");
        Assert.False(measured.WithinBound);
    }

    [Fact]
    public void A_type_the_multiplier_has_no_kernel_for_is_refused_before_anything_is_filled()
    {
        var ex = Assert.Throws<NotSupportedException>(() =>
            GemmMeasurement.Run(new OffByOneRow(), new GemmShape(4, 4, 4), GemmElementType.Int8));
        Assert.Equal("broken has no int8 GEMM; it multiplies fp32.", ex.Message);
    }

    // Multiplies correctly, then shifts C down one row: the kind of indexing slip the check must see.
    private sealed class OffByOneRow : IMatrixMultiplier
    {
        // Holds no device.
        public void Dispose()
        {
        }

        private readonly CpuMatrixMultiplier _inner = new(CpuGemmKernel.Scalar, threads: 1);

        public string Name => "broken";

        public IReadOnlyList<GemmElementType> ElementTypes => [GemmElementType.Fp32];

        public void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
            TAccumulator alpha, TAccumulator beta) where TInput : unmanaged where TAccumulator : unmanaged
        {
            _inner.Multiply(shape, a, b, c, alpha, beta);
            c[..^shape.N].CopyTo(c[shape.N..]);
        }
    }
}
