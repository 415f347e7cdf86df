using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// The physical limit a GEMM kernel runs against: the FP32 FMA rate at the kernel's vector width of as many threads as
/// the product runs, all at once, measured now. The clock of a shared or virtual machine is not the data sheet's, and
/// two vCPUs need not be two whole cores (the host may put them on one core's two hardware threads). Each thread runs 24
/// independent chains of fused multiply-adds, enough to cover the FMA latency on every pipe.
/// </summary>
internal static class FmaPeak
{
    private const int Steps = 1 << 22;

    /// <summary>
    /// GFLOP/s of <paramref name="threads"/> threads at <paramref name="kernel"/>'s width, the best of five runs of about
    /// 15 ms: one thread timed by its CPU time, several together by the wall clock from a common start to the last end.
    /// </summary>
    public static double Measure(CpuGemmKernel kernel, int threads)
    {
        int lanes = kernel == CpuGemmKernel.Avx512 ? Vector512<float>.Count : Vector256<float>.Count;
        double flop = 24.0 * 2 * lanes * Steps * threads, best = 0;
        for (int run = 0; run < 5; run++)
            best = Math.Max(best, flop / (threads == 1 ? OneThread(kernel) : Together(kernel, threads)) / 1e9);
        return best;
    }

    private static double OneThread(CpuGemmKernel kernel)
    {
        double start = PairedRuns.ThreadCpuSeconds("the FMA peak");
        Run(kernel);
        return PairedRuns.ThreadCpuSeconds("the FMA peak") - start;
    }

    // From the first thread's start to the last one's end, as each thread reads the clock itself: the caller may be
    // descheduled after the barrier while the others already run.
    private static double Together(CpuGemmKernel kernel, int threads)
    {
        using var start = new Barrier(threads);
        long[] starts = new long[threads], ends = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            starts[i] = System.Diagnostics.Stopwatch.GetTimestamp();
            Run(kernel);
            ends[i] = System.Diagnostics.Stopwatch.GetTimestamp();
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return (double)(ends.Max() - starts.Min()) / System.Diagnostics.Stopwatch.Frequency;
    }

    private static void Run(CpuGemmKernel kernel)
    {
        float sink = kernel == CpuGemmKernel.Avx512 ? Chains<Vector512<float>, Wide>() : Chains<Vector256<float>, Narrow>();
        // The sink keeps the chains alive; it is never NaN, so the check only stops the JIT dropping them.
        if (float.IsNaN(sink))
            throw new InvalidOperationException("The FMA chains gave NaN.");
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains<TVector, TOps>() where TVector : struct where TOps : struct, IOps<TVector>
    {
        TVector a = TOps.Create(0.999999f), b = TOps.Create(1e-7f);
        TVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        TVector c12 = b, c13 = b, c14 = b, c15 = b, c16 = b, c17 = b, c18 = b, c19 = b, c20 = b, c21 = b, c22 = b, c23 = b;
        for (int i = 0; i < Steps; i++)
        {
            c0 = TOps.Fma(c0, a, b); c1 = TOps.Fma(c1, a, b);
            c2 = TOps.Fma(c2, a, b); c3 = TOps.Fma(c3, a, b);
            c4 = TOps.Fma(c4, a, b); c5 = TOps.Fma(c5, a, b);
            c6 = TOps.Fma(c6, a, b); c7 = TOps.Fma(c7, a, b);
            c8 = TOps.Fma(c8, a, b); c9 = TOps.Fma(c9, a, b);
            c10 = TOps.Fma(c10, a, b); c11 = TOps.Fma(c11, a, b);
            c12 = TOps.Fma(c12, a, b); c13 = TOps.Fma(c13, a, b);
            c14 = TOps.Fma(c14, a, b); c15 = TOps.Fma(c15, a, b);
            c16 = TOps.Fma(c16, a, b); c17 = TOps.Fma(c17, a, b);
            c18 = TOps.Fma(c18, a, b); c19 = TOps.Fma(c19, a, b);
            c20 = TOps.Fma(c20, a, b); c21 = TOps.Fma(c21, a, b);
            c22 = TOps.Fma(c22, a, b); c23 = TOps.Fma(c23, a, b);
        }
        // Added as values: passing the chains as a span would keep them in memory, not registers, inside the loop too.
        TVector sum = TOps.Add(TOps.Add(TOps.Add(TOps.Add(c0, c1), TOps.Add(c2, c3)), TOps.Add(TOps.Add(c4, c5), TOps.Add(c6, c7))),
            TOps.Add(TOps.Add(TOps.Add(c8, c9), TOps.Add(c10, c11)), TOps.Add(TOps.Add(c12, c13), TOps.Add(c14, c15))));
        sum = TOps.Add(sum, TOps.Add(TOps.Add(TOps.Add(c16, c17), TOps.Add(c18, c19)), TOps.Add(TOps.Add(c20, c21), TOps.Add(c22, c23))));
        return TOps.Sum(sum);
    }

    // The vector width's operations; the JIT compiles Chains once per struct, each with its own instructions.
    private interface IOps<TVector>
    {
        static abstract TVector Create(float value);

        static abstract TVector Fma(TVector x, TVector y, TVector z);

        static abstract TVector Add(TVector x, TVector y);

        static abstract float Sum(TVector x);
    }

    private readonly struct Wide : IOps<Vector512<float>>
    {
        public static Vector512<float> Create(float value) => Vector512.Create(value);

        public static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> z) => Avx512F.FusedMultiplyAdd(x, y, z);

        public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;

        public static float Sum(Vector512<float> x) => Vector512.Sum(x);
    }

    private readonly struct Narrow : IOps<Vector256<float>>
    {
        public static Vector256<float> Create(float value) => Vector256.Create(value);

        public static Vector256<float> Fma(Vector256<float> x, Vector256<float> y, Vector256<float> z) => System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, z);

        public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;

        public static float Sum(Vector256<float> x) => Vector256.Sum(x);
    }
}
