using System.Runtime.InteropServices;
using HashTensorBench.Tensors;

namespace HashTensorBench.Tests.Tensors;

/// <summary>The bytes a product needs, counted up front in 64 bits, and the check against the memory there is.</summary>
public class GemmMemoryTests
{
    [Fact]
    public void Bytes_are_counted_in_64_bits_past_2_GiB()
    {
        // 25000·25000 = 625,000,000 elements: 2.5 GB of FP32, more than int.MaxValue bytes.
        var shape = new GemmShape(25_000, 1, 25_000);
        Assert.Equal(2_500_000_000L, shape.ABytes(GemmElementType.Fp32));
        Assert.Equal(1_250_000_000L, shape.ABytes(GemmElementType.Fp16));
        Assert.Equal(100_000L, shape.BBytes(GemmElementType.Fp32));
        Assert.Equal(100_000L, shape.CBytes);
        Assert.Equal(625_000_000L, shape.ABytes(GemmElementType.Int8));
        // On the device and on the host alike (GemmOperands): A and B in their type, C in 4-byte accumulators.
        Assert.Equal(2_500_000_000L + 100_000 + 100_000, GemmMemory.Bytes(shape, GemmElementType.Fp32));
        Assert.Equal(1_250_000_000L + 50_000 + 100_000, GemmMemory.Bytes(shape, GemmElementType.Fp16));
        Assert.Equal(625_000_000L + 25_000 + 100_000, GemmMemory.Bytes(shape, GemmElementType.Int8));
    }

    [Fact]
    public void Sizes_whose_elements_overflow_2_pow_31_bytes_are_refused_with_what_is_needed_and_what_is_there()
    {
        var shape = new GemmShape(46_000, 46_000, 46_000);
        var ex = Assert.Throws<ArgumentException>(() => GemmMemory.CheckFits(shape, GemmElementType.Fp32, GemmMemory.Bytes(shape, GemmElementType.Fp32) - 1, "host RAM available"));
        Assert.StartsWith("A, B and C of 46000x46000x46000 (fp32) need 23.65 GiB (A 7.88 GiB, B 7.88 GiB, C 7.88 GiB); host RAM available is 23.65 GiB.", ex.Message, StringComparison.Ordinal);
        GemmMemory.CheckFits(shape, GemmElementType.Fp32, GemmMemory.Bytes(shape, GemmElementType.Fp32), "host RAM available");
    }

    [Fact]
    public void The_host_reports_the_memory_available()
    {
        long? available = GemmMemory.AvailableHostBytes();
        Assert.NotNull(available);
        Assert.InRange(available!.Value, 1L << 20, long.MaxValue);
    }

    [Fact]
    public void Operands_over_2_GiB_pass_the_overlap_check()
    {
        // Only addresses are compared (MemoryMarshal.AsBytes threw OverflowException past 2 GiB): A as a span of
        // 2.5 GB that starts right after C ends, and one that starts one float earlier, inside C. Nothing is read.
        var shape = new GemmShape(25_000, 1, 25_000);
        var b = new float[shape.BLength];
        var c = new float[shape.CLength + 1];
        var cSpan = c.AsSpan(0, shape.CLength);
        shape.CheckOperands(MemoryMarshal.CreateReadOnlySpan(ref c[shape.CLength], shape.ALength), b, cSpan);
        var ex = Assert.Throws<ArgumentException>(() =>
            shape.CheckOperands(MemoryMarshal.CreateReadOnlySpan(ref c[shape.CLength - 1], shape.ALength), b, c.AsSpan(0, shape.CLength)));
        Assert.StartsWith("C must not share memory with A", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_measurement_stops_before_multiplying()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var multiplier = new CountingMultiplier();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            GemmMeasurement.Run(multiplier, new GemmShape(64, 64, 64), GemmElementType.Fp32, cancellationToken: stop.Token));
        Assert.Equal(0, multiplier.Products);
    }

    private sealed class CountingMultiplier : IMatrixMultiplier
    {
        // Holds no device.
        public void Dispose()
        {
        }

        public int Products { get; private set; }

        public string Name => "counting";

        public IReadOnlyList<GemmElementType> ElementTypes => GemmElementType.All;

        public void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
            TAccumulator alpha, TAccumulator beta) where TInput : unmanaged where TAccumulator : unmanaged => Products++;
    }
}
