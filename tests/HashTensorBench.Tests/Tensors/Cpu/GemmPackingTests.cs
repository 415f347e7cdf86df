using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors.Cpu;

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
        // Lengths across the 32-, 16-, 8- and 1-wide loops, from an odd start, for every narrow type.
        var halves = Enumerable.Range(0, 80).Select(i => (Half)(i * 0.75 - 20)).ToArray();
        var bf16 = Enumerable.Range(0, 80).Select(i => (BFloat16)(i * 0.75f - 20)).ToArray();
        var int8 = Enumerable.Range(0, 80).Select(i => (sbyte)(i * 37 - 128)).ToArray();
        for (int count = 0; count <= 70; count++)
        {
            AssertWidened(halves, count, h => (float)h, (s, d, n) => GemmPacking.Widen(s, d, n));
            AssertWidened(bf16, count, x => (float)x, (s, d, n) => GemmPacking.Widen(s, d, n));
            AssertWidened(int8, count, x => x, (s, d, n) => GemmPacking.Widen(s, d, n));
        }
    }

    private unsafe delegate void Widener<T>(T* source, float* destination, int count) where T : unmanaged;

    private static unsafe void AssertWidened<T>(T[] values, int count, Func<T, float> expected, Widener<T> widen) where T : unmanaged
    {
        var singles = Enumerable.Repeat(float.NaN, values.Length).ToArray();
        fixed (T* source = values)
        fixed (float* destination = singles)
            widen(source + 3, destination, count);
        Assert.Equal(values.Skip(3).Take(count).Select(expected), singles.Take(count));
        Assert.All(singles.Skip(count), x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public unsafe void Packing_A_puts_every_element_where_the_kernels_read_it()
    {
        // Every row count up to each kernel's Mr (the 4-row, 2-row and 1-row paths and the zero padding) and depths
        // on both sides of the 4-wide blocks, from a row stride wider than the block.
        const int lda = 23;
        float[] source = [.. Enumerable.Range(0, 40 * lda).Select(i => (float)i)];
        foreach (int mr in (int[])[4, 6, 12])
        {
            for (int rows = 1; rows <= 2 * mr + 1; rows++)
            {
                foreach (int depth in (int[])[1, 3, 4, 5, 8, 9, 17])
                {
                    int panels = (rows + mr - 1) / mr;
                    var packed = Enumerable.Repeat(float.NaN, panels * mr * depth).ToArray();
                    fixed (float* a = source)
                    fixed (float* destination = packed)
                        GemmPacking.PackA(a + 2, lda, rows, depth, mr, destination, null);
                    for (int panel = 0; panel < panels; panel++)
                    {
                        for (int p = 0; p < depth; p++)
                        {
                            for (int i = 0; i < mr; i++)
                            {
                                int row = panel * mr + i;
                                float expected = row < rows ? source[row * lda + 2 + p] : 0;
                                Assert.Equal(expected, packed[panel * mr * depth + p * mr + i]);
                            }
                        }
                    }
                }
            }
        }
    }
}
