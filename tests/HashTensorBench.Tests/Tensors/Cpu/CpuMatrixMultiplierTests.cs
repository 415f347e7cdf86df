using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Tensors.Cpu;

/// <summary>Every CPU kernel this machine supports, on one and two threads, against a double-precision reference.</summary>
public class CpuMatrixMultiplierTests
{
    // Blocks small enough that products of a few thousand FMAs cross every block edge: multiples of every
    // kernel's Mr (12, 4, 4) and Nr (32, 24, 4).
    private static readonly GemmBlocking TinyBlocks = new(Mc: 24, Nc: 96, Kc: 16);

    // The same in the BLIS loop order (B block from L3, A block in L2).
    private static readonly GemmBlocking TinyBlocksABlockInL2 = TinyBlocks with { ABlockInL2 = true };

    // Every kernel, not only this machine's: one it cannot run shows as skipped, with the reason, rather than vanishing.
    public static TheoryData<CpuGemmKernel, int> Kernels()
    {
        var data = new TheoryData<CpuGemmKernel, int>();
        foreach (var kernel in Enum.GetValues<CpuGemmKernel>())
        {
            data.Add(kernel, 1);
            data.Add(kernel, 2);
        }
        return data;
    }

    private static void RequireSupported(CpuGemmKernel kernel) =>
        Skip.IfNot(CpuGemmKernels.IsSupported(kernel), $"This CPU cannot run the {kernel} GEMM kernel.");

    // No minimum work per thread, so that two threads split even a 1×1×1 product.
    private static CpuMatrixMultiplier Create(CpuGemmKernel kernel, int threads, GemmBlocking? blocking = null) =>
        new(kernel, threads, blocking, minFlopsPerThread: 0);

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Matches_the_reference_on_shapes_that_are_not_tile_multiples(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var multiplier = Create(kernel, threads);
        // 1×1×1, primes, K = 1, single rows and columns, and sizes just off every kernel's Mr and Nr.
        int[][] shapes = [[1, 1, 1], [127, 257, 61], [33, 65, 1], [1, 300, 7], [300, 1, 7], [13, 33, 7], [11, 31, 5], [25, 49, 17], [7, 17, 3], [5, 5, 5]];
        foreach (int[] s in shapes)
            AssertMatchesReference(multiplier, new GemmShape(s[0], s[1], s[2]), alpha: 1, beta: 0, seed: s[0] + s[1] + s[2]);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Matches_the_reference_across_the_edges_of_small_blocks(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        foreach (var blocking in (GemmBlocking[])[TinyBlocks, TinyBlocksABlockInL2])
        {
            var multiplier = Create(kernel, threads, blocking);
            foreach (int m in (int[])[23, 24, 25, 49])
            {
                foreach (int n in (int[])[95, 96, 97, 193])
                {
                    foreach (int k in (int[])[15, 16, 17, 33])
                        AssertMatchesReference(multiplier, new GemmShape(m, n, k), alpha: 1.5f, beta: 0.5f, seed: m * n + k);
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Matches_the_reference_just_below_and_above_the_default_blocks(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var multiplier = Create(kernel, threads);
        var blocks = multiplier.Blocking;
        foreach (int delta in (int[])[-1, 1])
        {
            AssertMatchesReference(multiplier, new GemmShape(13, 35, blocks.Kc + delta), alpha: 1, beta: 0, seed: 1);
            AssertMatchesReference(multiplier, new GemmShape(5, blocks.Nc + delta, 9), alpha: 1, beta: 1, seed: 2);
            AssertMatchesReference(multiplier, new GemmShape(blocks.Mc + delta, 33, 5), alpha: 1, beta: 0, seed: 3);
        }
        AssertMatchesReference(multiplier, new GemmShape(blocks.Mc + 1, blocks.Nc + 1, 3), alpha: -1, beta: 2, seed: 4);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Combines_alpha_and_beta_like_blas(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var multiplier = Create(kernel, threads, TinyBlocks);
        (float Alpha, float Beta)[] cases = [(1, 0), (2.5f, 0), (1, 1), (-0.5f, 2), (0.75f, -1.25f)];
        foreach (var (alpha, beta) in cases)
            AssertMatchesReference(multiplier, new GemmShape(29, 45, 19), alpha, beta, seed: 7);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Beta_zero_overwrites_a_NaN_in_C(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var multiplier = Create(kernel, threads, TinyBlocks);
        var shape = new GemmShape(29, 70, 40);
        var (a, b, _) = GemmReference.RandomOperands(shape, seed: 8);
        var c = Enumerable.Repeat(float.NaN, shape.CLength).ToArray();
        multiplier.Multiply(shape, a, b, c, alpha: 2, beta: 0);
        var expected = GemmReference.Multiply(shape, a, b, c, 2, 0, out var bound);
        GemmReference.AssertWithin(expected, bound, c, shape);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Alpha_zero_reads_neither_A_nor_B(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        var multiplier = Create(kernel, threads);
        var shape = new GemmShape(9, 40, 12);
        var a = Enumerable.Repeat(float.NaN, shape.ALength).ToArray();
        var b = Enumerable.Repeat(float.NaN, shape.BLength).ToArray();
        var c = Enumerable.Range(0, shape.CLength).Select(i => (float)i).ToArray();
        multiplier.Multiply(shape, a, b, c, alpha: 0, beta: 0.5f);
        Assert.Equal(Enumerable.Range(0, shape.CLength).Select(i => i * 0.5f), c);

        Array.Fill(c, float.NaN);
        multiplier.Multiply(shape, a, b, c, alpha: 0, beta: 0);
        Assert.All(c, x => Assert.Equal(0f, x));
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Small_integers_multiply_exactly(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        // Values in [-8, 8] and K = 300: every product, partial sum and alpha·sum + beta·c is an integer
        // below 2^24, exact in FP32 whatever the order, so every element must equal the reference exactly.
        var shape = new GemmShape(61, 97, 300);
        var random = new Random(9);
        float[] a = Integers(shape.ALength, random), b = Integers(shape.BLength, random), c = Integers(shape.CLength, random);
        var expected = GemmReference.Multiply(shape, a, b, c, 2, -3, out _);

        var fromFloats = (float[])c.Clone();
        Create(kernel, threads, TinyBlocks).Multiply(shape, a, b, fromFloats, alpha: 2, beta: -3);
        Assert.Equal(expected.Select(x => (float)x), fromFloats);

        var fromHalves = (float[])c.Clone();
        Create(kernel, threads).Multiply(shape, ToHalves(a), ToHalves(b), fromHalves, alpha: 2, beta: -3);
        Assert.Equal(expected.Select(x => (float)x), fromHalves);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Half_inputs_match_the_reference_of_the_same_halves(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        foreach (var multiplier in (CpuMatrixMultiplier[])[Create(kernel, threads), Create(kernel, threads, TinyBlocks)])
        {
            foreach (var shape in (GemmShape[])[new(1, 1, 1), new(127, 257, 61), new(25, 65, 17)])
            {
                var (aSingle, bSingle, c) = GemmReference.RandomOperands(shape, seed: shape.M);
                Half[] a = ToHalves(aSingle), b = ToHalves(bSingle);
                // Widening is exact, so the reference takes the halves' own values.
                float[] aWidened = [.. a.Select(x => (float)x)], bWidened = [.. b.Select(x => (float)x)];
                var expected = GemmReference.Multiply(shape, aWidened, bWidened, c, 1.25f, -0.5f, out var bound);
                multiplier.Multiply(shape, a, b, c, alpha: 1.25f, beta: -0.5f);
                GemmReference.AssertWithin(expected, bound, c, shape);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Bf16_inputs_match_the_reference_of_the_same_values(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        foreach (var multiplier in (CpuMatrixMultiplier[])[Create(kernel, threads), Create(kernel, threads, TinyBlocks)])
        {
            foreach (var shape in (GemmShape[])[new(1, 1, 1), new(127, 257, 61), new(25, 65, 17)])
            {
                var (aSingle, bSingle, c) = GemmReference.RandomOperands(shape, seed: shape.N);
                BFloat16[] a = [.. aSingle.Select(x => (BFloat16)x)], b = [.. bSingle.Select(x => (BFloat16)x)];
                var expected = GemmReference.Multiply(shape, [.. a.Select(x => (float)x)], [.. b.Select(x => (float)x)], c, 1.25f, -0.5f, out var bound);
                multiplier.Multiply(shape, a, b, c, alpha: 1.25f, beta: -0.5f);
                GemmReference.AssertWithin(expected, bound, c, shape);
            }
        }
    }

    [Theory]
    [InlineData(3, 16, 4, 5)]
    [InlineData(3, 4, 16, 5)]
    [InlineData(7, 50, 9, 3)]
    [InlineData(16, 33, 65, 7)]
    public void More_threads_than_the_split_fills_still_compute_every_entry(int threads, int m, int n, int k)
    {
        // Three threads over four scalar tile rows: two tiles each, so a third part would be empty.
        foreach (var kernel in CpuGemmKernels.Supported)
            AssertMatchesReference(Create(kernel, threads), new GemmShape(m, n, k), alpha: 1, beta: 0.5f, seed: threads);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Threads_that_share_packed_B_match_the_reference(int threads)
    {
        // In the BLIS order, threads with at least 8 tile rows each share each packed block of B (they pack its
        // micro-panels eight at a time, then take blocks of rows from a counter): tiny blocks give many B blocks (both
        // buffers in turn), fewer pack items than threads and a ragged last one (a block of 272 columns), row
        // blocks that end inside a tile, and FP16.
        foreach (var blocking in (GemmBlocking[])[TinyBlocksABlockInL2, TinyBlocksABlockInL2 with { Nc = 272 }])
        foreach (var kernel in CpuGemmKernels.Supported)
        {
            int rows = threads * 8 * GemmMr(kernel);
            AssertSharedBlocksMatchTheReference(Create(kernel, threads, blocking),
                [new(rows, 65, 33), new(rows + 7, 129, 40), new(rows * 2 + 1, 17, 5), new(rows, 3, 70), new(rows + 1, 300, 20)]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Threads_that_share_packed_A_match_the_reference(int threads)
    {
        // The mirror image in the default order: threads with at least 8 tile columns each share each packed block of
        // A and take blocks of columns. Mc 108 is 9 or 27 micro-panels: a ragged last pack item; Mc 24, fewer pack items
        // than threads.
        foreach (var blocking in (GemmBlocking[])[TinyBlocks, TinyBlocks with { Mc = 108 }, TinyBlocks with { SharedKc = 48 }])
        foreach (var kernel in CpuGemmKernels.Supported)
        {
            int columns = threads * 8 * GemmNr(kernel);
            AssertSharedBlocksMatchTheReference(Create(kernel, threads, blocking),
                [new(65, columns, 33), new(129, columns + 7, 40), new(17, columns * 2 + 1, 5), new(3, columns, 70), new(300, columns + 1, 20)]);
        }
    }

    [Fact]
    public void Threads_that_share_blocks_give_the_bits_of_one_thread_every_time()
    {
        // Each element sees the same K slices in the same order whoever computes it, so a product on three threads
        // must equal the one-thread product bit for bit; repeated, so that the threads' timing varies: a slice added
        // before the one before it, a block read before it is packed, or a buffer repacked while still read, shows as a
        // difference. Where the threads slice K deeper (SharedKc), they must equal one thread with that Kc.
        // K 40 under SharedKc 48 is one slice, which the threads split in two (SharedDepth).
        foreach (var (blocking, k) in new[] { (TinyBlocks, 70), (TinyBlocksABlockInL2, 70), (TinyBlocks with { SharedKc = 48 }, 70), (TinyBlocks with { SharedKc = 48 }, 40) })
        foreach (var kernel in CpuGemmKernels.Supported)
        {
            var shape = new GemmShape(3 * 8 * GemmMr(kernel) + 5, 3 * 8 * GemmNr(kernel) + 3, k);
            var (a, b, c0) = GemmReference.RandomOperands(shape, seed: 11);
            float[] expected = [.. c0];
            var oneThread = blocking with { Kc = blocking.SharedDepth(k), SharedKc = 0 };
            Create(kernel, 1, oneThread).Multiply(shape, a, b, expected, alpha: 1.25f, beta: -0.5f);
            var multiplier = Create(kernel, 3, blocking);
            for (int run = 0; run < 20; run++)
            {
                float[] c = [.. c0];
                multiplier.Multiply(shape, a, b, c, alpha: 1.25f, beta: -0.5f);
                Assert.Equal(expected, c);
            }
        }
    }

    private static void AssertSharedBlocksMatchTheReference(CpuMatrixMultiplier multiplier, GemmShape[] shapes)
    {
        foreach (var shape in shapes)
        {
            AssertMatchesReference(multiplier, shape, alpha: 1.5f, beta: -0.5f, seed: shape.M + shape.N);
            var (aSingle, bSingle, c) = GemmReference.RandomOperands(shape, seed: shape.K);
            Half[] a = ToHalves(aSingle), b = ToHalves(bSingle);
            var expected = GemmReference.Multiply(shape, [.. a.Select(x => (float)x)], [.. b.Select(x => (float)x)], c, 1, 0.25f, out var bound);
            multiplier.Multiply(shape, a, b, c, alpha: 1, beta: 0.25f);
            GemmReference.AssertWithin(expected, bound, c, shape);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Int8_products_equal_the_integer_reference_across_blocks_and_slices(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        // Exact, element for element: across block edges in both loop orders, with K cut into many slices (Kc 16) and
        // into the kernel's own (up to 3 of them at K 1000), alpha and beta that wrap INT32 as the GPU's INT8 GEMM does,
        // beta 0 over a C that is not read, and alpha 0 (A and B not read, C only scaled).
        (int Alpha, int Beta)[] scalars = [(1, 0), (3, -2), (-1, 1), (int.MaxValue, 7), (0, 5), (0, 0)];
        foreach (var multiplier in (CpuMatrixMultiplier[])[Create(kernel, threads), Create(kernel, threads, TinyBlocks), Create(kernel, threads, TinyBlocksABlockInL2)])
        {
            foreach (int[] s in (int[][])[[1, 1, 1], [25, 97, 33], [49, 193, 17], [13, 35, 1000]])
            {
                var shape = new GemmShape(s[0], s[1], s[2]);
                foreach (var (alpha, beta) in scalars)
                    AssertInt8MatchesReference(multiplier, shape, alpha, beta, seed: s[0] + s[2] + alpha);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Int8_extremes_stay_exact_past_the_floats_integer_range(CpuGemmKernel kernel, int threads)
    {
        RequireSupported(kernel);
        // A all 127 and B all −127: each product is −16,129 (odd), and a row of K = 4100 sums to −66,128,900, past 2²⁴,
        // where a float running sum rounds (its slices of 242 or so are not multiples of a power of two that would
        // hide it); the slices keep every float sum below 2²⁴ and add them in INT32.
        var shape = new GemmShape(7, 50, 4100);
        var a = Enumerable.Repeat(sbyte.MaxValue, shape.ALength).ToArray();
        var b = Enumerable.Repeat((sbyte)-127, shape.BLength).ToArray();
        var c = new int[shape.CLength];
        Create(kernel, threads).Multiply(shape, a, b, c);
        Assert.All(c, x => Assert.Equal(-4100 * 16129, x));
        float inFloat = 0;
        for (int p = 0; p < shape.K; p++)
            inFloat += 127f * -127f;
        Assert.NotEqual(-4100 * 16129, (int)inFloat);
    }

    [Fact]
    public void Every_kernels_K_slice_keeps_int8_sums_exact_in_a_float()
    {
        // INT8 runs on the FP32 kernels, exact only while a K slice sums to at most 2²⁴ (2¹⁴ a product): every kernel's
        // blocking, including those this machine cannot run, must keep Kc at or below 1024.
        Assert.Equal(1L << 24, CpuMatrixMultiplier.MaxExactInt8Slice * 128L * 128L);
        foreach (var blocking in (GemmBlocking[])[Vector512MicroKernel.Blocking, Vector256MicroKernel.Blocking, ScalarMicroKernel.Blocking])
            Assert.InRange(blocking.Kc, 1, CpuMatrixMultiplier.MaxExactInt8Slice);
    }

    private static void AssertInt8MatchesReference(CpuMatrixMultiplier multiplier, GemmShape shape, int alpha, int beta, int seed)
    {
        var random = new Random(seed);
        sbyte[] a = [.. Enumerable.Range(0, shape.ALength).Select(_ => (sbyte)random.Next(-128, 128))];
        sbyte[] b = [.. Enumerable.Range(0, shape.BLength).Select(_ => (sbyte)random.Next(-128, 128))];
        int[] c = [.. Enumerable.Range(0, shape.CLength).Select(_ => random.Next())];
        var expected = new int[shape.CLength];
        for (int i = 0; i < shape.M; i++)
        {
            for (int j = 0; j < shape.N; j++)
            {
                long sum = 0;
                for (int p = 0; p < shape.K; p++)
                    sum += a[i * shape.K + p] * b[p * shape.N + j];
                expected[i * shape.N + j] = unchecked((int)sum * alpha + (beta == 0 ? 0 : beta * c[i * shape.N + j]));
            }
        }
        multiplier.Multiply(shape, a, b, c, alpha, beta);
        Assert.Equal(expected, c);
    }

    [Fact]
    public void A_product_started_while_the_threads_are_busy_still_matches_the_reference()
    {
        // Two products at once: the second finds the worker threads busy and runs its parts on the thread pool,
        // as rectangles, since parts that wait for each other at a barrier need threads of their own.
        // Enough rows and columns that both loop orders share a packed block when the threads are free.
        // Either way, the same bits: the rectangles slice K as the shared blocks do (SharedKc 48 here).
        var kernel = CpuGemmKernels.Supported[0];
        var shape = new GemmShape(2 * 8 * GemmMr(kernel) + 5, 2 * 8 * GemmNr(kernel) + 3, 90);
        foreach (var blocking in (GemmBlocking[])[TinyBlocks, TinyBlocksABlockInL2, TinyBlocks with { SharedKc = 48 }])
        {
            var multiplier = Create(kernel, 2, blocking);
            var (a, b, c0) = GemmReference.RandomOperands(shape, seed: 5);
            float[] alone = [.. c0];
            multiplier.Multiply(shape, a, b, alone, alpha: 1, beta: 1);
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => AssertMatchesReference(multiplier, shape, alpha: 1, beta: 1, seed: i));
            // Certainly busy: a product started from a worker's part while the caller holds the workers (once another
            // test's product, running in parallel, has let go of them: TryRunTogether runs nothing until it has them).
            float[] busy = [.. c0];
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!GemmWorkers.TryRunTogether(2, part =>
            {
                if (part == 1)
                    multiplier.Multiply(shape, a, b, busy, alpha: 1, beta: 1);
            }))
            {
                Assert.True(DateTime.UtcNow < deadline, "The GEMM workers stayed busy for a minute.");
                Thread.Sleep(1);
            }
            Assert.Equal(alone, busy);
        }
    }

    private static int GemmMr(CpuGemmKernel kernel) => kernel switch
    {
        CpuGemmKernel.Avx512 => Vector512MicroKernel.Mr,
        CpuGemmKernel.Avx2 => Vector256MicroKernel.Mr,
        _ => ScalarMicroKernel.Mr,
    };

    private static int GemmNr(CpuGemmKernel kernel) => kernel switch
    {
        CpuGemmKernel.Avx512 => Vector512MicroKernel.Nr,
        CpuGemmKernel.Avx2 => Vector256MicroKernel.Nr,
        _ => ScalarMicroKernel.Nr,
    };

    [Fact]
    public void Threads_split_a_k_that_would_be_one_shared_slice_in_two()
    {
        var blocking = Vector512MicroKernel.Blocking;
        Assert.Equal(512, blocking.SharedDepth(1024));
        Assert.Equal(1024, blocking.SharedDepth(2048));
        Assert.Equal(1024, blocking.SharedDepth(4096));
        // Shallower than two single-thread slices: one slice, as deep as K goes (KcStep caps it).
        Assert.Equal(1024, blocking.SharedDepth(700));
        Assert.Equal(blocking.Kc, (blocking with { SharedKc = 0 }).SharedDepth(1024));
    }

    [Fact]
    public void Splits_C_along_the_dimension_that_has_the_tiles()
    {
        // Scalar tiles are 4×4.
        Assert.Equal((1, 2), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(1, 1000, 1), 2));
        Assert.Equal((2, 1), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(1000, 1, 1), 2));
        Assert.Equal((1, 1), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(4, 4, 100), 2));
        Assert.Equal((2, 2), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(400, 400, 1), 4));
        Assert.Equal((1, 3), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(4, 400, 1), 3));
        // Five threads, but only two tiles: two threads.
        Assert.Equal((2, 1), GemmDriver<ScalarMicroKernel>.Partition(new GemmShape(8, 4, 1), 5));
    }

    private static void AssertMatchesReference(CpuMatrixMultiplier multiplier, GemmShape shape, float alpha, float beta, int seed)
    {
        var (a, b, c) = GemmReference.RandomOperands(shape, seed);
        var expected = GemmReference.Multiply(shape, a, b, c, alpha, beta, out var bound);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
        GemmReference.AssertWithin(expected, bound, c, shape);
    }

    private static float[] Integers(int length, Random random) => [.. Enumerable.Range(0, length).Select(_ => (float)random.Next(-8, 9))];

    private static Half[] ToHalves(float[] values) => [.. values.Select(x => (Half)x)];
}
