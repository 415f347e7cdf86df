using HashTensorBench.Bitcoin;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Bitcoin;

public class BlockHeaderTests
{
    public static TheoryData<HeaderRow> Embedded => [.. RealHeaders.Embedded];

    [Fact]
    public void Genesis_fields_are_read_in_wire_order()
    {
        var genesis = RealHeaders.Embedded[0].Header;
        Assert.Equal(1, genesis.Version);
        Assert.Equal(UInt256.Zero, genesis.PreviousBlockHash);
        Assert.Equal("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", genesis.MerkleRoot.ToString());
        Assert.Equal(1231006505u, genesis.Time);
        Assert.Equal(0x1d00ffffu, genesis.Bits);
        Assert.Equal(2083236893u, genesis.Nonce);
        Assert.Equal(Target.Difficulty1, genesis.Target);
    }

    [Theory]
    [MemberData(nameof(Embedded))]
    public void Embedded_headers_hash_to_their_block_hash(HeaderRow record)
    {
        var header = record.Header;
        Assert.Equal(record.BlockHash, header.Hash.ToString());
        Assert.Equal(record.Nonce, header.Nonce);
        Assert.Equal(record.HeaderHex, header.ToString());
        Assert.True(header.Target.IsMetBy(header.Hash));
    }

    [SkippableFact]
    public void Every_shared_header_hashes_to_its_block_hash_as_nbitcoin_computes_it()
    {
        int seen = 0;
        foreach (var record in RealHeaders.Shared())
        {
            seen++;
            var header = record.Header;
            Assert.Equal(record.BlockHash, header.Hash.ToString());
            var theirs = NBitcoin.BlockHeader.Parse(record.HeaderHex, NBitcoin.Network.Main);
            Assert.Equal(theirs.GetHash().ToString(), header.Hash.ToString());
            Assert.Equal(theirs.HashPrevBlock.ToString(), header.PreviousBlockHash.ToString());
            Assert.Equal(theirs.HashMerkleRoot.ToString(), header.MerkleRoot.ToString());
            Assert.Equal(theirs.Nonce, header.Nonce);
            Assert.Equal(theirs.Version, header.Version);
            Assert.Equal(record.HeaderHex, header.ToString());
        }
        Assert.Equal(RealHeaders.SharedCount, seen);
    }

    [SkippableFact]
    public void The_shared_chain_links_each_header_to_the_previous_hash()
    {
        var run = RealHeaders.Shared().Where(r => r.Height is >= 822528 and <= 830592).OrderBy(r => r.Height).ToArray();
        Assert.True(run.Length > 8000);
        for (int i = 1; i < run.Length; i++)
            Assert.Equal(run[i - 1].Header.Hash, run[i].Header.PreviousBlockHash);
    }

    [Fact]
    public void WithNonce_changes_only_the_nonce()
    {
        var genesis = RealHeaders.Embedded[0].Header;
        var other = genesis.WithNonce(7);
        Assert.Equal(7u, other.Nonce);
        Assert.Equal(genesis, other.WithNonce(genesis.Nonce));
        Assert.NotEqual(genesis.Hash, other.Hash);
    }

    [Theory]
    [InlineData(0, "got 0 characters")]
    [InlineData(158, "got 158 characters")]
    [InlineData(162, "got 162 characters")]
    public void Parse_rejects_a_header_that_is_not_80_bytes(int digits, string expected)
    {
        string hex = new('0', digits);
        Assert.False(BlockHeader.TryParse(hex, out _));
        var ex = Assert.Throws<FormatException>(() => BlockHeader.Parse(hex));
        Assert.Contains("80 bytes", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Parse_rejects_non_hex_characters()
    {
        string hex = "zz" + RealHeaders.Embedded[0].HeaderHex[2..];
        var ex = Assert.Throws<FormatException>(() => BlockHeader.Parse(hex));
        Assert.Contains("not hex", ex.Message);
    }

    [Fact]
    public void Read_rejects_a_span_that_is_not_80_bytes()
    {
        Assert.Throws<ArgumentException>(() => BlockHeader.Read(new byte[79]));
        Assert.Throws<ArgumentException>(() => BlockHeader.Read(new byte[81]));
        Assert.Throws<ArgumentException>(() => RealHeaders.Embedded[0].Header.WriteTo(new byte[79]));
    }
}
