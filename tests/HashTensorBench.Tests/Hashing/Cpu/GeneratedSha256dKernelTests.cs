using System.Buffers.Binary;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Hashing.Cpu;

/// <summary>
/// The kernels generated as machine code, the SHA-NI one at every interleave and the AVX-512 one, against the
/// platform's SHA-256 and the managed scalar kernel. On a processor without their instructions (or where the code
/// cannot be mapped) these skip, saying why.
/// </summary>
public class GeneratedSha256dKernelTests
{
    /// <summary>
    /// Every generated kernel: <c>shani-xN</c> for each interleave, <c>avx512gen</c>, and <c>avx512sha-xN</c> for each
    /// count of SHA-NI nonces beside the AVX-512 group (the kernel runs four: two pairs, one after the other).
    /// </summary>
    public static TheoryData<string> Kernels =>
    [
        .. Enumerable.Range(1, Sha256dShaNiFrame.MaxWays).Select(ways => $"shani-x{ways}"), "avx512gen",
        .. Enumerable.Range(1, Sha256dShaNiFrame.MaxWays).Select(n => $"avx512sha-x{n}"),
    ];

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Last_word_is_sha256d_and_the_scalar_kernels_for_random_headers_at_both_ends_of_the_nonce_space(string kernel)
    {
        SkipUnlessSupported(kernel);
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
            LastWords(kernel, job, first, words.AsSpan(0, count));
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
    [MemberData(nameof(Kernels))]
    public void Search_returns_exactly_the_reference_hits_in_ranges_of_every_length_and_at_the_ends(string kernel)
    {
        SkipUnlessSupported(kernel);
        var random = new Random(19);
        // About one nonce in 16 meets it.
        var target = Target.Parse("0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        var ranges = new List<NonceRange> { new(0, 1), new(0, 2500), new(uint.MaxValue, 1), new(uint.MaxValue - 2100, 2101) };
        for (int count = 1; count <= 33; count++)
            ranges.Add(new NonceRange((uint)random.NextInt64(0, 1L << 32) - (uint)count, count));
        foreach (var range in ranges)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var hits = new List<NonceHit>();
            Search(kernel, new Sha256dJob(header, target), range.Start, range.End, hits);
            Assert.Equal(ReferenceSearch.Search(header, target, range), hits);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void A_hash_whose_top_word_equals_the_targets_is_found_and_one_just_above_is_not(string kernel)
    {
        SkipUnlessSupported(kernel);
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
                Search(kernel, new Sha256dJob(header, target), range.Start, range.End, hits);
                Assert.Equal(found, hits.Any(h => h.Nonce == nonce));
                Assert.Equal(ReferenceSearch.Search(header, target, range), hits);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Last_word_matches_every_shared_block_hash(string kernel)
    {
        SkipUnlessSupported(kernel);
        int lanes = Lanes(kernel);
        var words = new uint[lanes];
        foreach (var record in RealHeaders.Shared())
        {
            var header = record.Header;
            var job = new Sha256dJob(header, header.Target);
            // The block's own nonce in every position of the group.
            for (int lane = 0; lane < lanes; lane++)
            {
                LastWords(kernel, job, unchecked(record.Nonce - (uint)lane), words);
                // The block hash in display order starts with the last state word, byte-reversed.
                Assert.Equal(BinaryPrimitives.ReverseEndianness(Convert.ToUInt32(record.BlockHash[..8], 16)), words[lane]);
            }
        }
    }

    [Fact]
    public void Generation_gives_the_same_bytes_each_time()
    {
        // Every kernel, whatever this processor has: generating needs neither SHA extensions nor AVX-512.
        var generators = Enumerable.Range(1, Sha256dShaNiFrame.MaxWays)
            .Select(ways => (Func<HashTensorBench.Platform.CodeGeneration.GeneratedCode>)(() => Sha256dShaNiKernel.Generate(ways)))
            .Append(Sha256dAvx512Kernel.Generate)
            .Concat(Enumerable.Range(1, Sha256dShaNiFrame.MaxWays).Select(n => (Func<HashTensorBench.Platform.CodeGeneration.GeneratedCode>)(() => Sha256dHybridKernel.Generate(n))));
        foreach (var generate in generators)
        {
            var first = generate();
            var second = generate();
            Assert.True(first.Bytes.Span.SequenceEqual(second.Bytes.Span), $"{first.Name} differs between two generations");
            Assert.Equal(first.Disassembly(), second.Disassembly());
        }
    }

    [Fact]
    public void The_windows_kernels_keep_the_callers_xmm6_and_up()
    {
        string code = new Sha256dShaNiGenerator(4, windows: true).Assemble().Disassembly();
        for (int i = 6; i <= 15; i++)
        {
            Assert.Contains($"movdqa      [r8+{Sha256dShaNiFrame.SavedXmm + 16 * (i - 6):X}h],xmm{i}", code, StringComparison.Ordinal);
            Assert.Contains($"movdqa      xmm{i},[r8+{Sha256dShaNiFrame.SavedXmm + 16 * (i - 6):X}h]", code, StringComparison.Ordinal);
        }
        Assert.Contains("mov         r8,rcx", code, StringComparison.Ordinal);

        // The AVX-512 kernel writes zmm0-zmm12 and zmm16-zmm31: of the registers Windows has the callee keep, xmm6-xmm12.
        code = new Sha256dAvx512Generator(windows: true).Assemble().Disassembly();
        for (int i = 6; i <= 12; i++)
        {
            Assert.Contains($"vmovdqu     [r8+{Sha256dAvx512Frame.SavedXmm + 16 * (i - 6):X}h],xmm{i}", code, StringComparison.Ordinal);
            Assert.Contains($"vmovdqu     xmm{i},[r8+{Sha256dAvx512Frame.SavedXmm + 16 * (i - 6):X}h]", code, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("zmm13", code, StringComparison.Ordinal);
        Assert.DoesNotContain("zmm14", code, StringComparison.Ordinal);
        Assert.DoesNotContain("zmm15", code, StringComparison.Ordinal);
        Assert.Contains("mov         r8,rcx", code, StringComparison.Ordinal);

        // The hybrid writes all of xmm0-xmm15: it keeps xmm6-xmm15, before its first write and after its last.
        var lines = new Sha256dHybridGenerator(Sha256dHybridKernel.ShaNiNonces, windows: true).Assemble().Disassembly().Split('\n')
            .Where(line => line.Length > 7 && !line.StartsWith(';')).Select(line => line[7..]).ToList();
        Assert.Equal("mov         r8,rcx", lines[0]);
        for (int i = 6; i <= 15; i++)
        {
            Assert.Equal($"vmovdqu     [r8+{Sha256dHybridFrame.SavedXmm + 16 * (i - 6):X}h],xmm{i}", lines[i - 5]);
            Assert.Equal($"vmovdqu     xmm{i},[r8+{Sha256dHybridFrame.SavedXmm + 16 * (i - 6):X}h]", lines[lines.Count - 12 + i - 6]);
        }
        Assert.Equal("vzeroupper", lines[^2]);
        Assert.Equal("ret", lines[^1]);
    }

    [Fact]
    public void The_avx512_kernel_reads_no_message_word_from_memory()
    {
        // The schedule lives in registers: every vector memory operand is a broadcast constant (folded, {1to16}, or
        // a state word's vpbroadcastd) but the prologue's two loads (lane numbers, byte swap) and the last words' store.
        var lines = Sha256dAvx512Kernel.Generate().Disassembly().Split('\n');
        var others = lines.Where(line => line.Contains("zmm", StringComparison.Ordinal) && line.Contains('[', StringComparison.Ordinal)
            && !line.Contains("{1to16}", StringComparison.Ordinal) && !line.Contains("vpbroadcastd", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, others.Count);
        Assert.True(lines.Count(line => line.Contains("{1to16}", StringComparison.Ordinal)) > 100);
    }

    private static void SkipUnlessSupported(string kernel)
    {
        string? reason = kernel == "avx512gen" ? Sha256dAvx512Kernel.WhyNotSupported()
            : IsHybrid(kernel) ? Sha256dHybridKernel.WhyNotSupported(Ways(kernel))
            : Sha256dShaNiKernel.WhyNotSupported(Ways(kernel));
        Skip.If(reason is not null, $"The {kernel} kernel cannot run here: {reason}.");
    }

    private static bool IsHybrid(string kernel) => kernel.StartsWith("avx512sha-x", StringComparison.Ordinal);

    // The SHA-NI nonces of shani-xN and avx512sha-xN.
    private static int Ways(string kernel) => int.Parse(kernel[(kernel.LastIndexOf('x') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static int Lanes(string kernel) =>
        kernel == "avx512gen" ? Sha256dAvx512Frame.Lanes : IsHybrid(kernel) ? Sha256dHybridKernel.Lanes(Ways(kernel)) : Ways(kernel);

    // The kernel's last words, a group at most per call for the AVX-512 and hybrid kernels.
    private static void LastWords(string kernel, Sha256dJob job, uint first, Span<uint> words)
    {
        if (kernel.StartsWith("shani-x", StringComparison.Ordinal))
        {
            Sha256dShaNiKernel.LastWords(job, first, words, Ways(kernel));
            return;
        }
        int lanes = Lanes(kernel);
        for (int i = 0; i < words.Length; i += lanes)
        {
            var part = words.Slice(i, Math.Min(lanes, words.Length - i));
            if (IsHybrid(kernel))
                Sha256dHybridKernel.LastWords(job, unchecked(first + (uint)i), part, Ways(kernel));
            else
                Sha256dAvx512Kernel.LastWords(job, unchecked(first + (uint)i), part);
        }
    }

    private static void Search(string kernel, Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        if (kernel == "avx512gen")
            Sha256dAvx512Kernel.Search(job, first, end, hits);
        else if (IsHybrid(kernel))
            Sha256dHybridKernel.Search(job, first, end, hits, Ways(kernel));
        else
            Sha256dShaNiKernel.Search(job, first, end, hits, Ways(kernel));
    }
}
