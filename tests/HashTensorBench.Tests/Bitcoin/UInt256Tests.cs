using System.Numerics;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Tests.Bitcoin;

public class UInt256Tests
{
    [Fact]
    public void Small_values_sit_in_the_low_limb()
    {
        // NBitcoin's uint256(ulong) puts 2^32 at 2^64; ours must not.
        Assert.Equal("0000000000000000000000000000000000000000000000000000000100000000", new UInt256(1UL << 32).ToString());
        Assert.Equal("000000000000000000000000000000000000000000000000ffffffffffffffff", new UInt256(ulong.MaxValue).ToString());
        Assert.Equal(BigInteger.One << 32, new UInt256(1UL << 32).ToBigInteger());
    }

    [Theory]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("8000000000000000000000000000000000000000000000000000000000000001")]
    public void Parse_and_ToString_round_trip(string hex)
    {
        var value = UInt256.Parse(hex);
        Assert.Equal(hex, value.ToString());
        Assert.Equal(value, UInt256.Parse("0x" + hex.ToUpperInvariant()));
        Assert.Equal(BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber), value.ToBigInteger());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26")]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f0")]
    [InlineData("g00000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")]
    public void Parse_rejects_anything_but_64_hex_digits(string hex)
    {
        Assert.False(UInt256.TryParse(hex, out _));
        var ex = Assert.Throws<FormatException>(() => UInt256.Parse(hex));
        Assert.Contains("64 hex digits", ex.Message);
    }

    [Fact]
    public void Byte_orders_are_mirror_images()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var little = UInt256.FromLittleEndian(bytes);
        var big = UInt256.FromBigEndian(bytes.Reverse().ToArray());
        Assert.Equal(little, big);
        var written = new byte[32];
        little.WriteLittleEndian(written);
        Assert.Equal(bytes, written);
        Assert.Throws<ArgumentException>(() => UInt256.FromLittleEndian(new byte[31]));
    }

    [Fact]
    public void Comparison_orders_by_the_most_significant_limb_first()
    {
        var values = new[]
        {
            UInt256.Zero, new UInt256(1), new UInt256(1UL << 32), new UInt256(ulong.MaxValue),
            new UInt256(0, 1, 0, 0), new UInt256(ulong.MaxValue, ulong.MaxValue, 0, 0), new UInt256(0, 0, 0, 1), UInt256.MaxValue,
        };
        for (int i = 0; i < values.Length; i++)
        {
            for (int j = 0; j < values.Length; j++)
            {
                Assert.Equal(i.CompareTo(j), Math.Sign(values[i].CompareTo(values[j])));
                Assert.Equal(i < j, values[i] < values[j]);
                Assert.Equal(i <= j, values[i] <= values[j]);
                Assert.Equal(i == j, values[i] == values[j]);
                Assert.Equal(values[i].ToBigInteger().CompareTo(values[j].ToBigInteger()), values[i].CompareTo(values[j]));
            }
        }
    }

    [Fact]
    public void Shifts_match_big_integer_arithmetic()
    {
        var value = UInt256.Parse("00000000ffff0000000000000000000000000000000000000000000000000001");
        var mask = (BigInteger.One << 256) - 1;
        foreach (int shift in new[] { 0, 1, 8, 31, 32, 63, 64, 200, 255 })
        {
            Assert.Equal((value.ToBigInteger() << shift) & mask, (value << shift).ToBigInteger());
            Assert.Equal(value.ToBigInteger() >> shift, (value >> shift).ToBigInteger());
        }
        Assert.Equal(UInt256.Zero, value << 256);
        Assert.Equal(UInt256.Zero, value >> 256);
    }

    [Fact]
    public void FromBigInteger_rejects_negative_and_oversized_values()
    {
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(-1));
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(BigInteger.One << 256));
        Assert.Equal(UInt256.MaxValue, UInt256.FromBigInteger((BigInteger.One << 256) - 1));
    }
}
