using System.Text.Json;
using HashTensorBench.Bitcoin;
using HashTensorBench.Mining;

namespace HashTensorBench.Tests.Mining;

/// <summary>The job path (notify → coinbase → merkle root → header) against real blocks and real pool jobs.</summary>
public class StratumJobTests
{
    private static StratumJob Notify(string json)
    {
        using var document = JsonDocument.Parse(json);
        return StratumJob.FromNotifyParams(document.RootElement);
    }

    [Fact]
    public void Block_100000_rebuilt_from_its_job_hashes_to_its_block_hash()
    {
        var job = Notify(RealJobs.Block100000Notify);
        byte[] extranonce1 = Convert.FromHexString(RealJobs.Block100000Extranonce1);
        byte[] extranonce2 = Convert.FromHexString(RealJobs.Block100000Extranonce2);

        Assert.Equal(RealJobs.Block100000Transactions[0], Convert.ToHexStringLower(job.Coinbase(extranonce1, extranonce2)));
        Assert.Equal(RealJobs.Block100000MerkleRoot, job.MerkleRoot(extranonce1, extranonce2).ToString());
        var header = job.Header(extranonce1, extranonce2).WithNonce(RealJobs.Block100000Nonce);
        Assert.Equal(RealJobs.Block100000Header, header.ToString());
        Assert.Equal(RealJobs.Block100000Hash, header.Hash.ToString());
        Assert.True(job.NetworkTarget.IsMetBy(header.Hash));
        Assert.Equal("186a0", job.JobId);
        Assert.True(job.CleanJobs);
    }

    [Fact]
    public void Block_100000_branches_follow_from_its_transactions()
    {
        var ids = RealJobs.Block100000Transactions.Select(tx => Merkle.TransactionId(Convert.FromHexString(tx))).ToArray();
        // Transaction ids as block explorers show them (display order).
        Assert.Equal("8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87", ids[0].ToString());
        Assert.Equal("e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d", ids[3].ToString());
        Assert.Equal(RealJobs.Block100000MerkleRoot, Merkle.Root(ids).ToString());

        var job = Notify(RealJobs.Block100000Notify);
        Assert.Equal(job.MerkleBranches, Merkle.BranchesForCoinbase(ids));
        Assert.Equal(Merkle.Root(ids), Merkle.RootFromBranches(ids[0], job.MerkleBranches));
    }

    [Fact]
    public void Odd_levels_repeat_their_last_node_and_one_transaction_is_its_own_root()
    {
        var ids = Enumerable.Range(1, 5).Select(i => new UInt256((ulong)i, 0, 0, (ulong)i << 40)).ToArray();
        var level1 = new[] { Merkle.Parent(ids[0], ids[1]), Merkle.Parent(ids[2], ids[3]), Merkle.Parent(ids[4], ids[4]) };
        var level2 = new[] { Merkle.Parent(level1[0], level1[1]), Merkle.Parent(level1[2], level1[2]) };
        Assert.Equal(Merkle.Parent(level2[0], level2[1]), Merkle.Root(ids));
        Assert.Equal([ids[1], level1[1], level2[1]], Merkle.BranchesForCoinbase(ids));
        Assert.Equal(Merkle.Root(ids), Merkle.RootFromBranches(ids[0], Merkle.BranchesForCoinbase(ids)));
        Assert.Equal(ids[0], Merkle.Root([ids[0]]));
        Assert.Empty(Merkle.BranchesForCoinbase([ids[0]]));
        Assert.Throws<ArgumentException>(() => Merkle.Root([]));
    }

    [Fact]
    public void A_real_pool_job_gives_ESP_Miners_merkle_root_and_share_difficulty()
    {
        var job = new StratumJob("esp", StratumJob.ParsePreviousHash(RealJobs.EspPreviousHash), Convert.FromHexString(RealJobs.EspCoinbase), [],
            RealJobs.EspBranches.Select(hex => UInt256.FromLittleEndian(Convert.FromHexString(hex))).ToArray(), RealJobs.EspVersion, RealJobs.EspBits,
            RealJobs.EspTime, cleanJobs: false);
        var root = job.MerkleRoot([], []);
        var rootBytes = new byte[32];
        root.WriteLittleEndian(rootBytes);
        Assert.Equal(RealJobs.EspMerkleRootInternal, Convert.ToHexStringLower(rootBytes));

        var hash = job.Header([], []).WithNonce(RealJobs.EspNonce).Hash;
        double difficulty = ShareTarget.DifficultyOf(hash);
        Assert.Equal(683, (int)difficulty);
        // A share, not a block: the network target of nBits 1705ae3a is far below.
        Assert.False(job.NetworkTarget.IsMetBy(hash));
        Assert.True(ShareTarget.FromDifficulty(512).IsMetBy(hash));
        Assert.False(ShareTarget.FromDifficulty(1024).IsMetBy(hash));
    }

    [Fact]
    public void Coinbase_is_part_1_extranonces_part_2_as_ESP_Miner_builds_it()
    {
        var job = new StratumJob("c", UInt256.Zero, Convert.FromHexString(RealJobs.EspCoinbase1), Convert.FromHexString(RealJobs.EspCoinbase2), [], 1, 0x1d00ffff, 0, false);
        Assert.Equal(RealJobs.EspCoinbaseBuilt,
            Convert.ToHexStringLower(job.Coinbase(Convert.FromHexString(RealJobs.EspExtranonce1), Convert.FromHexString(RealJobs.EspExtranonce2))));
    }

    [Fact]
    public void Previous_hash_words_are_swapped_both_ways()
    {
        var hash = UInt256.Parse("000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250");
        Assert.Equal("1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000", StratumJob.FormatPreviousHash(hash));
        Assert.Equal(hash, StratumJob.ParsePreviousHash(StratumJob.FormatPreviousHash(hash)));
    }

    [Fact]
    public void Notify_written_by_a_pool_reads_back_the_same_job()
    {
        var job = Notify(RealJobs.Block100000Notify);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            job.WriteNotifyParams(writer);
        Assert.Equal(RealJobs.Block100000Notify, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("\"zz\"", 1, "previous hash is not hex")]
    [InlineData("\"1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c000000\"", 1, "previous hash is 32 bytes")]
    [InlineData("\"0100\"", 2, "")]
    [InlineData("\"01g0\"", 2, "coinbase 1 is not hex")]
    [InlineData("\"010\"", 3, "coinbase 2 has an odd number")]
    [InlineData("[\"00\"]", 4, "merkle branch is 32 bytes")]
    [InlineData("\"branches\"", 4, "merkle branches are not an array")]
    [InlineData("\"0000001\"", 5, "version is 8 hex digits")]
    [InlineData("\"1d80ffff\"", 6, "not a valid compact target")]
    [InlineData("\"4d1b223x\"", 7, "nTime is 8 hex digits")]
    [InlineData("\"true\"", 8, "clean jobs is not true or false")]
    [InlineData("\"\"", 0, "job id is empty")]
    [InlineData("17", 0, "job id is not a string")]
    public void Malformed_fields_are_refused_with_the_field_named(string value, int index, string expected)
    {
        using var document = JsonDocument.Parse(RealJobs.Block100000Notify);
        var fields = document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
        fields[index] = value;
        string json = $"[{string.Join(",", fields)}]";
        if (expected.Length == 0)
        {
            Assert.Equal("0100", Convert.ToHexStringLower(Notify(json).Coinbase1.Span));
            return;
        }
        var ex = Assert.Throws<FormatException>(() => Notify(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_notify_with_too_few_parameters_is_refused()
    {
        Assert.Throws<FormatException>(() => Notify("[\"a\",\"b\"]"));
        Assert.Throws<FormatException>(() => Notify("{}"));
    }
}
