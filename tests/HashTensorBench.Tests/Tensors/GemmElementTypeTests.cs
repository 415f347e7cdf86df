using HashTensorBench.Tensors;

namespace HashTensorBench.Tests.Tensors;

/// <summary>The element types as data: names, CLR types, bounds, BF16 rounding, and the exact INT8 check.</summary>
public class GemmElementTypeTests
{
    [Theory]
    [InlineData("fp32", 4, "fp32")]
    [InlineData("FP16", 2, "fp32")]
    [InlineData(" bf16 ", 2, "fp32")]
    [InlineData("Int8", 1, "int32")]
    public void Names_parse_in_any_case(string name, int inputBytes, string accumulator)
    {
        var type = GemmElementType.Parse(name);
        Assert.Equal(name.Trim().ToLowerInvariant(), type.Name);
        Assert.Equal((inputBytes, accumulator, 4), (type.InputBytes, type.Accumulator, type.AccumulatorBytes));
    }

    [Fact]
    public void An_unknown_name_is_an_error_that_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => GemmElementType.Parse("fp8"));
        Assert.StartsWith("Unknown GEMM element type \"fp8\"; known: fp32, fp16, bf16, int8.", ex.Message, StringComparison.Ordinal);
        Assert.False(GemmElementType.TryParse(null, out _));
    }

    [Fact]
    public void Clr_types_name_their_element_type_and_others_are_refused()
    {
        Assert.Same(GemmElementType.Fp32, GemmElementType.Of<float, float>());
        Assert.Same(GemmElementType.Fp16, GemmElementType.Of<Half, float>());
        Assert.Same(GemmElementType.Bf16, GemmElementType.Of<BFloat16, float>());
        Assert.Same(GemmElementType.Int8, GemmElementType.Of<sbyte, int>());
        var ex = Assert.Throws<NotSupportedException>(() => GemmElementType.Of<double, double>());
        Assert.Contains("No GEMM element type has Double inputs and Double accumulators", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Floats_are_bounded_by_fp32_accumulation_and_integers_are_exact()
    {
        Assert.Equal(302 * Math.ScaleB(1, -24), GemmElementType.Bf16.ErrorBound(100));
        Assert.Equal(0, GemmElementType.Int8.ErrorBound(100_000));
        Assert.True(GemmElementType.Int8.IsExact);
        Assert.False(GemmElementType.Fp16.IsExact);
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.0f, 0xC000)]
    [InlineData(1.00390625f, 0x3F80)]      // 1 + 2^-8: a tie, to the even 0x3F80
    [InlineData(1.01171875f, 0x3F82)]      // 1 + 3·2^-8: a tie, to the even 0x3F82
    [InlineData(1.004f, 0x3F81)]           // past the tie (1.0039…): up
    [InlineData(float.MaxValue, 0x7F80)]   // rounds past the largest BF16: infinity
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(1e-40f, 0x0001)]           // a float subnormal rounds to the nearest BF16 subnormal
    public void Bf16_rounds_to_nearest_even(float value, int bits)
    {
        Assert.Equal((ushort)bits, ((BFloat16)value).Bits);
        Assert.Equal(BitConverter.UInt32BitsToSingle((uint)bits << 16), (float)(BFloat16)value);
    }

    [Fact]
    public void Bf16_keeps_nan_a_nan()
    {
        Assert.True(float.IsNaN((float)(BFloat16)float.NaN));
        // A NaN whose payload lies in the dropped bits alone would round to infinity without the quiet bit.
        Assert.True(float.IsNaN((float)(BFloat16)BitConverter.UInt32BitsToSingle(0x7F800001)));
    }

    [Fact]
    public void Int8_operands_span_the_whole_range_and_are_checked_exactly()
    {
        var shape = new GemmShape(9, 11, 300);
        var operands = (GemmOperands<sbyte, int>)GemmOperands.Create(shape, GemmElementType.Int8, seed: 3);
        Assert.Contains(operands.A.ToArray(), x => x == sbyte.MinValue);
        Assert.Contains(operands.A.ToArray(), x => x == sbyte.MaxValue);

        var exact = GemmMeasurement.Run(new NaiveInt8(offByOne: false), operands);
        Assert.Equal((0.0, true), (exact.MaxAbsoluteError, exact.WithinBound));
        // One unit off in every entry: far inside any float tolerance, and still wrong for integers.
        var offByOne = GemmMeasurement.Run(new NaiveInt8(offByOne: true), operands);
        Assert.Equal((1.0, false), (offByOne.MaxAbsoluteError, offByOne.WithinBound));
    }

    // C = A·B over sbyte with int accumulation, plus one when told to.
    private sealed class NaiveInt8(bool offByOne) : IMatrixMultiplier
    {
        public string Name => "naive-int8";

        public IReadOnlyList<GemmElementType> ElementTypes => [GemmElementType.Int8];

        public void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
            TAccumulator alpha, TAccumulator beta) where TInput : unmanaged where TAccumulator : unmanaged
        {
            var sa = System.Runtime.InteropServices.MemoryMarshal.Cast<TInput, sbyte>(a);
            var sb = System.Runtime.InteropServices.MemoryMarshal.Cast<TInput, sbyte>(b);
            var sc = System.Runtime.InteropServices.MemoryMarshal.Cast<TAccumulator, int>(c);
            for (int i = 0; i < shape.M; i++)
            {
                for (int j = 0; j < shape.N; j++)
                {
                    int sum = offByOne ? 1 : 0;
                    for (int k = 0; k < shape.K; k++)
                        sum += sa[i * shape.K + k] * sb[k * shape.N + j];
                    sc[i * shape.N + j] = sum;
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
