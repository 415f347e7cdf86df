using System.Globalization;
using System.Numerics;
using HashTensorBench.Bitcoin;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Bitcoin;

public class TargetTests
{
    // Bitcoin Core's arith_uint256 SetCompact/GetCompact cases (src/test/arith_uint256_tests.cpp).
    [Theory]
    [InlineData(0x00000000u, "0", 0x00000000u)]
    [InlineData(0x00123456u, "0", 0x00000000u)]
    [InlineData(0x01003456u, "0", 0x00000000u)]
    [InlineData(0x02000056u, "0", 0x00000000u)]
    [InlineData(0x03000000u, "0", 0x00000000u)]
    [InlineData(0x04000000u, "0", 0x00000000u)]
    [InlineData(0x00923456u, "0", 0x00000000u)]
    [InlineData(0x01803456u, "0", 0x00000000u)]
    [InlineData(0x02800056u, "0", 0x00000000u)]
    [InlineData(0x03800000u, "0", 0x00000000u)]
    [InlineData(0x04800000u, "0", 0x00000000u)]
    [InlineData(0x01123456u, "12", 0x01120000u)]
    [InlineData(0x02123456u, "1234", 0x02123400u)]
    [InlineData(0x03123456u, "123456", 0x03123456u)]
    [InlineData(0x04123456u, "12345600", 0x04123456u)]
    [InlineData(0x05009234u, "92340000", 0x05009234u)]
    [InlineData(0x20123456u, "1234560000000000000000000000000000000000000000000000000000000000", 0x20123456u)]
    [InlineData(0x1d00ffffu, "ffff0000000000000000000000000000000000000000000000000000", 0x1d00ffffu)]
    public void FromCompact_follows_bitcoin_core(uint bits, string valueHex, uint normalized)
    {
        var target = Target.FromCompact(bits);
        Assert.Equal(BigInteger.Parse("0" + valueHex, NumberStyles.HexNumber), target.Value.ToBigInteger());
        Assert.Equal(normalized, target.ToCompact());
        Assert.True(Target.TryFromCompact(bits, out var again));
        Assert.Equal(target, again);
    }

    [Theory]
    [InlineData(0x01fedcbau)]
    [InlineData(0x04923456u)]
    [InlineData(0x1d80ffffu)]
    public void FromCompact_rejects_a_negative_target(uint bits)
    {
        Assert.False(Target.TryFromCompact(bits, out _));
        var ex = Assert.Throws<FormatException>(() => Target.FromCompact(bits));
        Assert.Contains("sign bit", ex.Message);
    }

    [Theory]
    [InlineData(0xff123456u)]
    [InlineData(0x23000001u)]
    [InlineData(0x22000100u)]
    [InlineData(0x21010000u)]
    public void FromCompact_rejects_an_overflowing_target(uint bits)
    {
        Assert.False(Target.TryFromCompact(bits, out _));
        Assert.Throws<OverflowException>(() => Target.FromCompact(bits));
    }

    [Fact]
    public void ToCompact_moves_a_set_sign_bit_into_the_size()
    {
        Assert.Equal(0x02008000u, new Target(new UInt256(0x80)).ToCompact());
        Assert.Equal(0x01010000u, new Target(new UInt256(0x01)).ToCompact());
        Assert.Equal(0x00000000u, new Target(UInt256.Zero).ToCompact());
    }

    [Theory]
    [InlineData(0x1d00ffffu, 1.0)]
    [InlineData(0x1b0404cbu, 16307.420938523983)]
    [InlineData(0x1a44b9f2u, 244112.48777433642)]
    public void Difficulty_matches_known_values(uint bits, double difficulty) =>
        Assert.Equal(difficulty, Target.FromCompact(bits).Difficulty, 1e-12 * difficulty);

    [Fact]
    public void ParseCompact_accepts_eight_hex_digits_only()
    {
        Assert.Equal(Target.Difficulty1, Target.ParseCompact("1d00ffff"));
        Assert.Equal(Target.Difficulty1, Target.ParseCompact("0x1D00FFFF"));
        Assert.Throws<FormatException>(() => Target.ParseCompact("1d00fff"));
        Assert.Throws<FormatException>(() => Target.ParseCompact("1d00ffzz"));
        Assert.Throws<FormatException>(() => Target.ParseCompact("1d80ffff"));
    }

    [Fact]
    public void IsMetBy_includes_equality()
    {
        var target = Target.Parse("00000000ffff0000000000000000000000000000000000000000000000000000");
        Assert.True(target.IsMetBy(target.Value));
        Assert.False(target.IsMetBy(UInt256.FromBigInteger(target.Value.ToBigInteger() + 1)));
        Assert.True(target.IsMetBy(UInt256.Zero));
    }

    [SkippableFact]
    public void Every_real_header_meets_its_target_and_matches_nbitcoin()
    {
        int seen = 0;
        foreach (var record in RealHeaders.Shared())
        {
            seen++;
            var target = Target.FromCompact(record.Bits);
            var theirs = new NBitcoin.Target(record.Bits);
            Assert.Equal(theirs.ToUInt256().ToString(), target.ToString());
            Assert.Equal(theirs.Difficulty, target.Difficulty, 1e-9 * target.Difficulty);
            Assert.Equal(record.Bits, target.ToCompact());
            Assert.True(target.IsMetBy(UInt256.Parse(record.BlockHash)), record.ToString());
        }
        Assert.Equal(RealHeaders.SharedCount, seen);
    }
}
