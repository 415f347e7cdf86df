using System.Numerics;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Tests.Mining;

/// <summary>Pool difficulty ↔ share target, version masks, pool URLs.</summary>
public class ShareTargetTests
{
    [Theory]
    // Pool difficulty 1 is Bitcoin's difficulty-1 target (0x1d00ffff), as the Bitcoin wiki's "Target" page gives it.
    [InlineData(1.0, "00000000ffff0000000000000000000000000000000000000000000000000000")]
    [InlineData(2.0, "000000007fff8000000000000000000000000000000000000000000000000000")]
    [InlineData(1024.0, "00000000003fffc0000000000000000000000000000000000000000000000000")]
    [InlineData(0.5, "00000001fffe0000000000000000000000000000000000000000000000000000")]
    [InlineData(1.0 / (1 << 24), "00ffff0000000000000000000000000000000000000000000000000000000000")]
    [InlineData(1e-30, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Pool_difficulty_gives_the_published_share_target(double difficulty, string target)
    {
        Assert.Equal(target, ShareTarget.FromDifficulty(difficulty).ToString());
    }

    [Fact]
    public void Difficulty_1_is_the_network_difficulty_1_target()
    {
        Assert.Equal(Target.Difficulty1, ShareTarget.FromDifficulty(1));
        Assert.Equal(1.0, ShareTarget.DifficultyOf(Target.Difficulty1.Value));
    }

    [Fact]
    public void The_Bitcoin_wiki_difficulty_of_0x1b0404cb_gives_its_target()
    {
        // Bitcoin wiki, "Difficulty": nBits 0x1b0404cb is difficulty 16307.420938523983.
        var expected = Target.FromCompact(0x1b0404cb).Value.ToBigInteger();
        var actual = ShareTarget.FromDifficulty(16307.420938523983).Value.ToBigInteger();
        Assert.True(BigInteger.Abs(actual - expected) * BigInteger.Pow(10, 12) < expected, $"{actual:x} vs {expected:x}");
        Assert.Equal(16307.420938523983, ShareTarget.DifficultyOf(Target.FromCompact(0x1b0404cb).Value), 9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Zero_negative_or_not_finite_difficulty_is_refused(double difficulty)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShareTarget.FromDifficulty(difficulty));
        Assert.Contains("positive finite", ex.Message);
    }

    [Fact]
    public void Version_rolls_fill_the_mask_from_its_lowest_bit()
    {
        // ESP-Miner's "Validate version mask incrementing": 0x20000004 under mask 0x00ffff00 rolls 0x104, 0x204, 0x304.
        Assert.Equal(0x20000104, VersionRolling.Version(0x20000004, 0x00ffff00, 1));
        Assert.Equal(0x20000204, VersionRolling.Version(0x20000004, 0x00ffff00, 2));
        Assert.Equal(0x20000304, VersionRolling.Version(0x20000004, 0x00ffff00, 3));
        Assert.Equal(1L << 16, VersionRolling.RollsOf(0x00ffff00));
        Assert.Equal(1L, VersionRolling.RollsOf(0));
        // A mask with gaps: bits 13, 14 and 20; roll 0b101 sets bits 13 and 20 and keeps the rest of the base.
        Assert.Equal(0x20000004 | 0x2000 | 0x100000, VersionRolling.Version(0x20004004, 0x00106000, 0b101));
        for (int roll = 0; roll < 70_000; roll += 997)
            if (roll < VersionRolling.Rolls)
                Assert.Equal(VersionRolling.Version(0x20000004, roll), VersionRolling.Version(0x20000004, VersionRolling.Mask, roll));
        Assert.Throws<ArgumentOutOfRangeException>(() => VersionRolling.Version(0x20000000, 0x6000, 4));
        Assert.Equal(0x2000e004, VersionRolling.Apply(0x20000004, VersionRolling.Mask, 0x0000e000));
        Assert.Equal(0x20000004, VersionRolling.Apply(0x20000004, VersionRolling.Mask, unchecked((int)0x80000003)));
    }

    [Theory]
    [InlineData("stratum+tcp://pool.example:3333", "pool.example", 3333, false)]
    [InlineData("stratum+ssl://pool.example:443/", "pool.example", 443, true)]
    [InlineData("STRATUM+TCP://127.0.0.1:1", "127.0.0.1", 1, false)]
    [InlineData("stratum+tcp://[::1]:3333", "::1", 3333, false)]
    public void Pool_urls_parse(string text, string host, int port, bool tls)
    {
        var url = StratumUrl.Parse(text);
        Assert.Equal((host, port, tls), (url.Host, url.Port, url.UseTls));
        Assert.Equal(url, StratumUrl.Parse(url.ToString()));
    }

    [Theory]
    [InlineData("stratum+tcp://pool.example", "has no port")]
    [InlineData("stratum+tcp://[::1]", "has no port")]
    [InlineData("http://pool.example:3333", "Unknown pool URL scheme \"http\"")]
    [InlineData("pool.example:3333", "stratum+tcp://HOST:PORT")]
    [InlineData("stratum+tcp://pool.example:0", "a port is a number from 1 to 65535")]
    [InlineData("stratum+tcp://pool.example:99999", "a port is a number from 1 to 65535")]
    [InlineData("stratum+tcp://:3333", "has no host")]
    [InlineData("stratum+tcp://pool.example:3333/path", "only a scheme, a host and a port")]
    public void Bad_pool_urls_are_refused_with_one_clear_reason(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StratumUrl.Parse(text));
        Assert.Contains(expected, ex.Message);
    }
}
