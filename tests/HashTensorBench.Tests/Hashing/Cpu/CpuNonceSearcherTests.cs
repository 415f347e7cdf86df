using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Hashing.Cpu;

public class CpuNonceSearcherTests
{
    // About one nonce in 32 meets it: enough hits to compare sets, few enough to exercise rejection.
    private static readonly Target s_easy = Target.Parse("07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    // Every kernel, not only this machine's: one it cannot run shows as skipped, with the reason, rather than vanishing.
    public static TheoryData<CpuSha256dKernel> Kernels => [.. Enum.GetValues<CpuSha256dKernel>()];

    public static TheoryData<CpuSha256dKernel, int> KernelsAndThreads
    {
        get
        {
            var data = new TheoryData<CpuSha256dKernel, int>();
            foreach (var kernel in Enum.GetValues<CpuSha256dKernel>())
            {
                data.Add(kernel, 1);
                data.Add(kernel, 2);
            }
            return data;
        }
    }

    private static void RequireSupported(CpuSha256dKernel kernel) =>
        Skip.IfNot(CpuSha256dKernels.IsSupported(kernel), $"This CPU cannot run the {kernel} kernel.");

    [Fact]
    public void Scalar_is_always_supported_and_tried_last()
    {
        Assert.Equal(CpuSha256dKernel.Scalar, CpuSha256dKernels.Supported[^1]);
        Assert.Equal(Vector512.IsHardwareAccelerated, CpuSha256dKernels.IsSupported(CpuSha256dKernel.Avx512));
    }

    [Fact]
    public void The_hybrid_comes_first_only_where_each_core_runs_one_hardware_thread()
    {
        CpuSha256dKernel[] rest = [CpuSha256dKernel.Avx512, CpuSha256dKernel.ShaNi, CpuSha256dKernel.Avx2, CpuSha256dKernel.Scalar];
        Assert.Equal([CpuSha256dKernel.Avx512Sha, CpuSha256dKernel.Avx512Gen, .. rest], CpuSha256dKernels.Order(1));
        Assert.Equal([CpuSha256dKernel.Avx512Gen, CpuSha256dKernel.Avx512Sha, .. rest], CpuSha256dKernels.Order(2));
        Assert.Equal([CpuSha256dKernel.Avx512Gen, CpuSha256dKernel.Avx512Sha, .. rest], CpuSha256dKernels.Order(null));
        Assert.Equal([.. CpuSha256dKernels.Order(CpuDevice.ThreadsPerCore).Where(CpuSha256dKernels.IsSupported)], CpuSha256dKernels.Supported);
    }

    [Fact]
    public void Hybrid_or_generated_avx512_comes_first_then_managed_avx512_then_shani_ahead_of_avx2()
    {
        var order = CpuSha256dKernels.Supported.ToList();
        if (CpuSha256dKernels.IsSupported(CpuSha256dKernel.Avx512Sha))
            Assert.Equal(CpuDevice.ThreadsPerCore == 1 ? CpuSha256dKernel.Avx512Sha : CpuSha256dKernel.Avx512Gen, order[0]);
        else if (CpuSha256dKernels.IsSupported(CpuSha256dKernel.Avx512Gen))
            Assert.Equal(CpuSha256dKernel.Avx512Gen, order[0]);
        // Where the generated code cannot be mapped, the managed AVX-512 kernel takes its place.
        else if (CpuSha256dKernels.IsSupported(CpuSha256dKernel.Avx512))
            Assert.Equal(CpuSha256dKernel.Avx512, order[0]);
        else if (CpuSha256dKernels.IsSupported(CpuSha256dKernel.ShaNi))
            Assert.Equal(CpuSha256dKernel.ShaNi, order[0]);
        if (CpuSha256dKernels.IsSupported(CpuSha256dKernel.ShaNi) && CpuSha256dKernels.IsSupported(CpuSha256dKernel.Avx2))
            Assert.True(order.IndexOf(CpuSha256dKernel.ShaNi) < order.IndexOf(CpuSha256dKernel.Avx2));
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Kernel_last_word_is_sha256d_for_every_lane(CpuSha256dKernel kernel)
    {
        RequireSupported(kernel);
        var random = new Random(7);
        int lanes = CpuSha256dKernels.Lanes(kernel);
        var words = new uint[lanes];
        for (int trial = 0; trial < 40; trial++)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var job = new Sha256dJob(header, s_easy);
            // Include vectors whose lanes wrap past nonce 2^32 - 1.
            uint first = trial switch { 0 => 0, 1 => uint.MaxValue, 2 => uint.MaxValue - (uint)lanes + 1, _ => (uint)random.NextInt64(0, 1L << 32) };
            LastWords(kernel, job, first, words);
            for (int lane = 0; lane < lanes; lane++)
            {
                var hash = ReferenceSearch.Hash(header, unchecked(first + (uint)lane));
                Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(28)), words[lane]);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(KernelsAndThreads))]
    public void Search_returns_exactly_the_reference_hits(CpuSha256dKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var random = new Random(11);
        var searcher = new CpuNonceSearcher(kernel, threads);
        var ranges = new (uint Start, long Count)[]
        {
            (0, 1), (0, 15), (5, 17), (1000, 1), (123_456, 777), (1u << 31, 3000),
            (uint.MaxValue, 1), (uint.MaxValue - 15, 16), (uint.MaxValue - 16, 17), (uint.MaxValue - 99, 100),
        };
        foreach (var (start, count) in ranges)
        {
            var header = ReferenceSearch.RandomHeader(random);
            var range = new NonceRange(start, count);
            var expected = ReferenceSearch.Search(header, s_easy, range);
            var result = searcher.Search(header, s_easy, range);
            Assert.Equal(expected, result.Hits);
            Assert.Equal(count, result.Hashes);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void A_target_equal_to_a_hash_is_met_and_one_below_is_not(CpuSha256dKernel kernel)
    {
        RequireSupported(kernel);
        var header = ReferenceSearch.RandomHeader(new Random(3));
        const uint nonce = 1_000_003;
        var hash = UInt256.FromLittleEndian(ReferenceSearch.Hash(header, nonce));
        var searcher = new CpuNonceSearcher(kernel, 1);
        var range = new NonceRange(nonce - 20, 41);

        var exact = searcher.Search(header, new Target(hash), range);
        Assert.Contains(new NonceHit(nonce, hash, header.Version), exact.Hits);
        Assert.Equal(ReferenceSearch.Search(header, new Target(hash), range), exact.Hits);

        var below = new Target(UInt256.FromBigInteger(hash.ToBigInteger() - 1));
        var missed = searcher.Search(header, below, range);
        Assert.DoesNotContain(missed.Hits, h => h.Nonce == nonce);
        Assert.Equal(ReferenceSearch.Search(header, below, range), missed.Hits);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void The_largest_target_is_met_by_every_nonce_and_zero_by_none(CpuSha256dKernel kernel)
    {
        RequireSupported(kernel);
        var header = ReferenceSearch.RandomHeader(new Random(5));
        var searcher = new CpuNonceSearcher(kernel, 2);
        var all = searcher.Search(header, new Target(UInt256.MaxValue), new NonceRange(uint.MaxValue - 52, 53));
        Assert.Equal(Enumerable.Range(0, 53).Select(i => uint.MaxValue - 52 + (uint)i), all.Hits.Select(h => h.Nonce));
        Assert.Empty(searcher.Search(header, new Target(UInt256.Zero), new NonceRange(0, 5000)).Hits);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Embedded_real_headers_are_found_from_a_little_below_their_nonce(CpuSha256dKernel kernel) =>
        AssertFindsRealNonces(kernel, RealHeaders.Embedded, RealHeaders.Embedded.Count);

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Shared_real_headers_are_found_from_a_little_below_their_nonce(CpuSha256dKernel kernel) =>
        AssertFindsRealNonces(kernel, RealHeaders.SharedSample(40), (RealHeaders.SharedCount + 39) / 40);

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Kernel_last_word_matches_every_shared_block_hash(CpuSha256dKernel kernel)
    {
        RequireSupported(kernel);
        var words = new uint[CpuSha256dKernels.Lanes(kernel)];
        int seen = 0;
        foreach (var record in RealHeaders.Shared())
        {
            seen++;
            var header = record.Header;
            LastWords(kernel, new Sha256dJob(header, header.Target), record.Nonce, words);
            // The block hash in display order starts with the last state word, byte-reversed.
            uint expected = BinaryPrimitives.ReverseEndianness(Convert.ToUInt32(record.BlockHash[..8], 16));
            Assert.Equal(expected, words[0]);
        }
        Assert.Equal(RealHeaders.SharedCount, seen);
    }

    [Fact]
    public void Progress_reaches_the_range_size_and_cancellation_stops_the_search()
    {
        var header = RealHeaders.Embedded[0].Header;
        var progress = new LastValue();
        var result = new CpuNonceSearcher(threads: 2).Search(header, header.Target, new NonceRange(2_083_000_000, 3_000_000), progress);
        Assert.Equal(3_000_000, progress.Max);
        Assert.Equal([2083236893u], result.Hits.Select(h => h.Nonce));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CpuNonceSearcher().Search(header, header.Target, NonceRange.All, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuNonceSearcher(threads: 0));
        Assert.Contains("at least one nonce", Assert.Throws<ArgumentOutOfRangeException>(() => new NonceRange(0, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NonceRange(0, -1));
        Assert.Contains("4294967295", Assert.Throws<ArgumentOutOfRangeException>(() => new NonceRange(1, 1L << 32)).Message);
        Assert.Equal(1L << 32, new NonceRange(0, 1L << 32).Count);
        Assert.Equal(uint.MaxValue, new NonceRange(uint.MaxValue, 1).Last);
    }

    [Fact]
    public void Kernel_names_parse_and_unknown_ones_are_listed()
    {
        Assert.Equal(CpuSha256dKernel.Scalar, CpuSha256dKernels.Parse("SCALAR"));
        var ex = Assert.Throws<ArgumentException>(() => CpuSha256dKernels.Parse("avx3"));
        Assert.Contains("scalar, avx2, avx512, shani, avx512gen, avx512sha", ex.Message);
        // shani parses everywhere; where it cannot run, the refusal says why.
        if (CpuSha256dKernels.WhyNotSupported(CpuSha256dKernel.ShaNi) is { } reason)
            Assert.Contains(reason, Assert.Throws<PlatformNotSupportedException>(() => CpuSha256dKernels.Parse("ShaNi")).Message);
        else
            Assert.Equal(CpuSha256dKernel.ShaNi, CpuSha256dKernels.Parse("ShaNi"));
    }

    private static void AssertFindsRealNonces(CpuSha256dKernel kernel, IEnumerable<HeaderRow> records, int count)
    {
        RequireSupported(kernel);
        var searcher = new CpuNonceSearcher(kernel, 1);
        int seen = 0;
        foreach (var record in records)
        {
            seen++;
            var header = record.Header;
            var expected = new NonceHit(record.Nonce, UInt256.Parse(record.BlockHash), header.Version);
            // The nonce inside a range, at its last position, and alone.
            uint below = Math.Min(record.Nonce, 37u);
            foreach (var range in new[]
            {
                new NonceRange(record.Nonce - below, Math.Min(64, NonceRange.NonceCount - (record.Nonce - below))),
                new NonceRange(record.Nonce - Math.Min(record.Nonce, 15u), Math.Min(record.Nonce, 15u) + 1),
                new NonceRange(record.Nonce, 1),
            })
            {
                var result = searcher.Search(header, header.Target, range);
                Assert.Equal([expected], result.Hits);
            }
        }
        Assert.Equal(count, seen);
    }

    private static void LastWords(CpuSha256dKernel kernel, Sha256dJob job, uint first, Span<uint> words)
    {
        switch (kernel)
        {
            case CpuSha256dKernel.ShaNi:
                Sha256dShaNiKernel.LastWords(job, first, words);
                break;
            case CpuSha256dKernel.Avx512Gen:
                Sha256dAvx512Kernel.LastWords(job, first, words);
                break;
            case CpuSha256dKernel.Avx512Sha:
                Sha256dHybridKernel.LastWords(job, first, words);
                break;
            case CpuSha256dKernel.Avx512:
                Sha256dLaneKernel<Vector512<uint>, Vector512Lanes>.LastWords(job, first, words);
                break;
            case CpuSha256dKernel.Avx2:
                Sha256dLaneKernel<Vector256<uint>, Vector256Lanes>.LastWords(job, first, words);
                break;
            default:
                Sha256dLaneKernel<uint, ScalarLanes>.LastWords(job, first, words);
                break;
        }
    }

    private sealed class LastValue : IProgress<long>
    {
        private long _max;

        public long Max => Interlocked.Read(ref _max);

        public void Report(long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
            {
            }
        }
    }
}
