using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors;

public class GemmPackingTests
{
    [Fact]
    public unsafe void Widening_every_bf16_value_gives_the_float_whose_upper_half_it_is()
    {
        var values = new BFloat16[65_536];
        for (int i = 0; i < values.Length; i++)
            values[i] = BFloat16.FromBits((ushort)i);
        // An odd count so the scalar tail runs too.
        var singles = new float[values.Length - 3];
        fixed (BFloat16* source = values)
        fixed (float* destination = singles)
            GemmPacking.Widen(source, destination, singles.Length);
        for (int i = 0; i < singles.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(singles[i]) != (uint)i << 16)
                Assert.Fail($"BF16 0x{i:X4}: expected 0x{(uint)i << 16:X8}, got 0x{BitConverter.SingleToUInt32Bits(singles[i]):X8}.");
        }
    }

    [Fact]
    public unsafe void Widening_every_half_matches_the_runtime_bit_for_bit()
    {
        var halves = new Half[65_536];
        for (int i = 0; i < halves.Length; i++)
            halves[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        var singles = new float[halves.Length];
        fixed (Half* source = halves)
        fixed (float* destination = singles)
            GemmPacking.Widen(source, destination, halves.Length);
        for (int i = 0; i < halves.Length; i++)
        {
            uint expected = BitConverter.SingleToUInt32Bits((float)halves[i]), actual = BitConverter.SingleToUInt32Bits(singles[i]);
            if (expected != actual)
                Assert.Fail($"Half 0x{i:X4}: expected 0x{expected:X8}, got 0x{actual:X8}.");
        }
    }

    [Fact]
    public unsafe void Widening_covers_every_length_and_writes_nothing_past_it()
    {
        // Lengths across the 32-, 16- and 1-wide loops, from an odd start.
        var halves = Enumerable.Range(0, 80).Select(i => (Half)(i * 0.75 - 20)).ToArray();
        for (int count = 0; count <= 70; count++)
        {
            var singles = Enumerable.Repeat(float.NaN, 80).ToArray();
            fixed (Half* source = halves)
            fixed (float* destination = singles)
                GemmPacking.Widen(source + 3, destination, count);
            Assert.Equal(halves.Skip(3).Take(count).Select(h => (float)h), singles.Take(count));
            Assert.All(singles.Skip(count), x => Assert.True(float.IsNaN(x)));
        }
    }
}
