using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors;

public class GemmMeasurementTests
{
    [Theory]
    [InlineData(GemmDataType.Fp32)]
    [InlineData(GemmDataType.Fp16)]
    public void A_correct_multiplier_measures_a_rounding_sized_error(GemmDataType dataType)
    {
        var measured = GemmMeasurement.Run(new CpuMatrixMultiplier(threads: 2), new GemmShape(40, 50, 60), dataType, seed: 5, samples: 100);
        Assert.Equal(100, measured.SampledEntries);
        Assert.Equal(dataType, measured.DataType);
        Assert.True(measured.Elapsed > TimeSpan.Zero);
        // γ_K for K = 60 (see GemmReference): far below the ~1 of a wrong entry.
        Assert.InRange(measured.MaxRelativeError, 0, 60 * Math.ScaleB(1, -24));
    }

    [Fact]
    public void A_wrong_product_is_caught()
    {
        var measured = GemmMeasurement.Run(new OffByOneRow(), new GemmShape(8, 9, 10), GemmDataType.Fp32);
        // C has 72 entries, fewer than 256 samples: every one is checked.
        Assert.Equal(72, measured.SampledEntries);
        Assert.True(measured.MaxRelativeError > 0.01, $"max relative error {measured.MaxRelativeError}");
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

        public void Multiply(GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float alpha = 1, float beta = 0)
        {
            _inner.Multiply(shape, a, b, c, alpha, beta);
            c[..^shape.N].CopyTo(c[shape.N..]);
        }

        public void Multiply(GemmShape shape, ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, Span<float> c, float alpha = 1, float beta = 0) =>
            throw new NotSupportedException();
    }
}
