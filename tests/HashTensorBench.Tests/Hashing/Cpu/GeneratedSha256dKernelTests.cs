using System.Buffers.Binary;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Hashing.Cpu;

/// <summary>
/// The generated SHA-NI kernel at every interleave, against the platform's SHA-256 and the managed scalar kernel.
/// On a processor without the SHA extensions (or where the code cannot be mapped) these skip, saying why.
/// </summary>
public class Sha256dShaNiKernelTests
{
    public static TheoryData<int> Interleaves => [.. Enumerable.Range(1, Sha256dShaNiFrame.MaxWays)];

    [SkippableTheory]
    [MemberData(nameof(Interleaves))]
    public void Last_word_is_sha256d_and_the_scalar_kernels_for_random_headers_at_both_ends_of_the_nonce_space(int ways)
    {
        SkipUnlessSupported(ways);
        var random = new Random(17);
        var words = new uint[60];
        var scalar = new uint[1];
        for (int trial = 0; trial < 60; trial++)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var job = new Sha256dJob(header, new Target(UInt256.MaxValue));
            // The first and last nonces, a run that wraps past 2^32 - 1, and random places.
            uint first = trial switch { 0 => 0, 1 => uint.MaxValue - 59, 2 => uint.MaxValue - 20, _ => (uint)random.NextInt64(0, 1L << 32) };
            int count = trial < 3 ? words.Length : random.Next(1, words.Length + 1);
            Sha256dShaNiKernel.LastWords(job, first, words.AsSpan(0, count), ways);
            for (int i = 0; i < count; i++)
            {
                uint nonce = unchecked(first + (uint)i);
                Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(ReferenceSearch.Hash(header, nonce).AsSpan(28)), words[i]);
                Sha256dLaneKernel<uint, ScalarLanes>.LastWords(job, nonce, scalar);
                Assert.Equal(scalar[0], words[i]);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Interleaves))]
    public void Search_returns_exactly_the_reference_hits_in_ranges_of_every_length_and_at_the_ends(int ways)
    {
        SkipUnlessSupported(ways);
        var random = new Random(19);
        // About one nonce in 16 meets it.
        var target = Target.Parse("0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        var ranges = new List<NonceRange> { new(0, 1), new(0, 2500), new(uint.MaxValue, 1), new(uint.MaxValue - 2100, 2101) };
        for (int count = 1; count <= 13; count++)
            ranges.Add(new NonceRange((uint)random.NextInt64(0, 1L << 32) - (uint)count, count));
        foreach (var range in ranges)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var hits = new List<NonceHit>();
            Sha256dShaNiKernel.Search(new Sha256dJob(header, target), range.Start, range.End, hits, ways);
            Assert.Equal(ReferenceSearch.Search(header, target, range), hits);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Interleaves))]
    public void A_hash_whose_top_word_equals_the_targets_is_found_and_one_just_above_is_not(int ways)
    {
        SkipUnlessSupported(ways);
        var random = new Random(23);
        for (int trial = 0; trial < 20; trial++)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var range = new NonceRange((uint)random.NextInt64(0, (1L << 32) - 64), 64);
            uint nonce = range.Start + (uint)random.Next(64);
            var hash = UInt256.FromLittleEndian(ReferenceSearch.Hash(header, nonce));
            uint top = hash.HighWord;
            // The target's top word is the hash's, the rest all ones: the hash meets it by its top word alone.
            var atTop = new Target(UInt256.FromBigInteger(((System.Numerics.BigInteger)top << 224) + ((System.Numerics.BigInteger.One << 224) - 1)));
            // One less in the top word: the hash's top word is just above the target's, and it must not be found.
            var belowTop = new Target(UInt256.FromBigInteger(((System.Numerics.BigInteger)(top - 1) << 224) + ((System.Numerics.BigInteger.One << 224) - 1)));
            foreach (var (target, found) in new[] { (atTop, true), (belowTop, false) })
            {
                if (top == 0 && !found)
                    continue;
                var hits = new List<NonceHit>();
                Sha256dShaNiKernel.Search(new Sha256dJob(header, target), range.Start, range.End, hits, ways);
                Assert.Equal(found, hits.Any(h => h.Nonce == nonce));
                Assert.Equal(ReferenceSearch.Search(header, target, range), hits);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Interleaves))]
    public void Last_word_matches_every_shared_block_hash(int ways)
    {
        SkipUnlessSupported(ways);
        var words = new uint[ways];
        foreach (var record in RealHeaders.Shared())
        {
            var header = record.Header;
            var job = new Sha256dJob(header, header.Target);
            // The block's own nonce in every position of the group.
            for (int lane = 0; lane < ways; lane++)
            {
                Sha256dShaNiKernel.LastWords(job, unchecked(record.Nonce - (uint)lane), words, ways);
                // The block hash in display order starts with the last state word, byte-reversed.
                Assert.Equal(BinaryPrimitives.ReverseEndianness(Convert.ToUInt32(record.BlockHash[..8], 16)), words[lane]);
            }
        }
    }

    [Fact]
    public void Generation_gives_the_same_bytes_each_time()
    {
        // Every interleave, whatever this processor has: generating needs no SHA extensions.
        for (int ways = 1; ways <= Sha256dShaNiFrame.MaxWays; ways++)
        {
            var first = Sha256dShaNiKernel.Generate(ways);
            var second = Sha256dShaNiKernel.Generate(ways);
            Assert.True(first.Bytes.Span.SequenceEqual(second.Bytes.Span), $"{first.Name} differs between two generations");
            Assert.Equal(first.Disassembly(), second.Disassembly());
        }
    }

    [Fact]
    public void The_windows_kernel_keeps_the_callers_xmm6_to_xmm15()
    {
        string code = new Sha256dShaNiGenerator(4, windows: true).Assemble().Disassembly();
        for (int i = 6; i <= 15; i++)
        {
            Assert.Contains($"movdqa      [r8+{Sha256dShaNiFrame.SavedXmm + 16 * (i - 6):X}h],xmm{i}", code, StringComparison.Ordinal);
            Assert.Contains($"movdqa      xmm{i},[r8+{Sha256dShaNiFrame.SavedXmm + 16 * (i - 6):X}h]", code, StringComparison.Ordinal);
        }
        Assert.Contains("mov         r8,rcx", code, StringComparison.Ordinal);
    }

    private static void SkipUnlessSupported(int ways) =>
        Skip.If(Sha256dShaNiKernel.WhyNotSupported(ways) is not null, $"The shani kernel cannot run here: {Sha256dShaNiKernel.WhyNotSupported(ways)}.");
}
