using System.Diagnostics;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// The GEMM anchors measured pair by pair: in one process, on the same threads, one product of ours, then one of
/// OpenBLAS, then one of BLIS (where installed), then the same in the reverse order …, and the ratio ours/anchor
/// taken within each round. On a shared machine whose speed drifts (other work, clocks), adjacent products see the same machine,
/// which BenchmarkDotNet's one-benchmark-after-another runs do not.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/HashTensorBench.Benchmarks -- gemm-pairs [--sizes 1024,2048,4096]
/// [--threads 1,N] [--rounds 7] [--min-seconds 0.2] [--kernel avx2|avx512] [--blocking Mc,Nc,Kc[,l2][,SharedKc]] [--cold] [--cpu-time] [--no-blis]</c>; <c>--blocking</c> adds ours with
/// that cache blocking (<c>l2</c>: the BLIS loop order; <c>SharedKc</c>: the depth where threads share blocks) to each round, to set two blockings side by side;
/// <c>--no-blis</c> leaves BLIS out (a generic build, as Debian's on Zen 5, takes most of each round and says little). Each side runs one warm-up product first. Prints one line
/// per round and, per size and thread count, the median GFLOP/s of each and the median of the ratios.
/// <para>On several threads, each library's threads spin for a while after a product (ours 2 ms, OpenBLAS's much
/// longer, BLIS's OpenMP threads by its wait policy), and on a machine with as many cores as threads a spinning
/// thread of the library just measured takes a core from the next: on 2 vCPUs, 1024³ on 2 threads measured ours/OpenBLAS
/// 0.47–0.54 when our threads spun 2 ms and 1.53–1.67 when they spun 50 ms, the same code. So on several threads
/// each library's timed product comes after a pause of 0.2 s (every library's threads idle) and one untimed product
/// of its own (its threads awake), as in a run of back-to-back products; <c>--cold</c> times the products back to back
/// across libraries instead, as before.</para>
/// <para>Each timed figure is the mean of as many back-to-back products as fill <c>--min-seconds</c> (from ours'
/// warm-up; the same count for every library): one product of 1024³ on two threads takes 7 ms, and a single
/// product's rate swung 0.5–2.5× between rounds when another process took the core for a few milliseconds. 0 times
/// one product, as before.</para>
/// <para>The physical limit: before and after each size, <see cref="FmaPeak"/> measures the FMA rate at the kernel's width
/// of as many threads at once as the product runs (the clock of a shared virtual machine moves by 10 % within minutes),
/// and each median is also given as a share of the mean of the two.</para>
/// <para><c>--cpu-time</c>: on one thread, where every library computes on the calling thread, time each product by
/// that thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>) instead of the wall clock, so that the time the thread
/// spends descheduled on a busy machine does not count (its caches shared with other work still do).</para>
/// </remarks>
internal static class GemmPairs
{
    public const string Verb = "gemm-pairs";

    public static int Run(string[] args)
    {
        int[] sizes = [1024, 2048, 4096];
        int[] threadCounts = [.. new[] { 1, Environment.ProcessorCount }.Distinct()];
        int rounds = 7;
        double minSeconds = 0.2;
        CpuGemmKernel kernel = CpuGemmKernels.Default;
        GemmBlocking? otherBlocking = null;
        bool cold = args.Contains("--cold"), cpuTime = args.Contains("--cpu-time"), noBlis = args.Contains("--no-blis");
        string[] options = [.. args.Where(a => a is not ("--cold" or "--cpu-time" or "--no-blis"))];
        for (int i = 1; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--sizes": sizes = [.. options[i + 1].Split(',').Select(int.Parse)]; break;
                case "--threads": threadCounts = [.. options[i + 1].Split(',').Select(int.Parse)]; break;
                case "--rounds": rounds = int.Parse(options[i + 1]); break;
                case "--min-seconds": minSeconds = double.Parse(options[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--kernel": kernel = CpuGemmKernels.Parse(options[i + 1]); break;
                case "--blocking":
                    string[] parts = options[i + 1].Split(',');
                    otherBlocking = new GemmBlocking(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]), parts[3..].Contains("l2"),
                        parts[3..].Where(p => p != "l2").Select(int.Parse).FirstOrDefault());
                    break;
                default: Console.Error.WriteLine($"gemm-pairs: unknown option {options[i]}"); return 2;
            }
        }
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-ddTHH:mmZ} {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (int threads in threadCounts)
        {
            var openBlas = OpenBlas.Load(threads);
            Blis? blis = null;
            try
            {
                blis = noBlis ? null : Blis.Load(threads);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"# {e.Message}");
            }
            var ours = new CpuMatrixMultiplier(kernel, threads);
            var other = otherBlocking is null ? null : new CpuMatrixMultiplier(kernel, threads, otherBlocking, 1 << 22);
            Console.WriteLine($"# ours {ours.Name}; OpenBLAS core {openBlas.CoreName} ({openBlas.Config}); "
                + (blis is null ? "no BLIS" : $"BLIS {blis.Version} {blis.Architecture}") + $"; {threads} threads"
                + (other is null ? "" : $"; ours/other: default {ours.Blocking} against {other.Blocking}")
                + (threads > 1 && !cold ? "; each timed product after a 0.2 s pause and one untimed product of its own" : "")
                + (threads == 1 && cpuTime ? "; timed by the thread's CPU time" : ""));
            Func<Action, double> time = threads > 1 && !cold ? TimeWarm : threads == 1 && cpuTime ? ThreadCpuTime : Time;
            foreach (int size in sizes)
                RunSize(size, threads, rounds, minSeconds, ours, openBlas, blis, other, time, kernel);
        }
        Console.WriteLine($"# load {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void RunSize(int size, int threads, int rounds, double minSeconds, CpuMatrixMultiplier ours, OpenBlas openBlas, Blis? blis,
        CpuMatrixMultiplier? other, Func<Action, double> time, CpuGemmKernel kernel)
    {
        double peakBefore = FmaPeak.Measure(kernel, threads);
        var shape = new GemmShape(size, size, size);
        var random = new Random(42);
        float[] a = [.. Enumerable.Range(0, shape.ALength).Select(_ => random.NextSingle() * 2 - 1)];
        float[] b = [.. Enumerable.Range(0, shape.BLength).Select(_ => random.NextSingle() * 2 - 1)];
        float[] c = new float[shape.CLength];
        Action oursProduct = () => ours.Multiply(shape, a, b, c);
        Action openBlasProduct = () => openBlas.Sgemm(shape, a, b, c);
        Action? blisProduct = blis is null ? null : () => blis.Sgemm(shape, a, b, c);
        Action? otherProduct = other is null ? null : () => other.Multiply(shape, a, b, c);
        otherProduct?.Invoke();
        oursProduct();
        int count = Math.Max(1, (int)Math.Ceiling(minSeconds / Time(oursProduct)));
        openBlasProduct();
        blisProduct?.Invoke();
        if (count > 1)
        {
            Console.WriteLine($"{size,5} x{threads}: each figure is the mean of {count} back-to-back products");
            (oursProduct, openBlasProduct, blisProduct, otherProduct) = (Repeat(oursProduct, count), Repeat(openBlasProduct, count),
                blisProduct is null ? null : Repeat(blisProduct, count), otherProduct is null ? null : Repeat(otherProduct, count));
        }
        double flop = (double)shape.FlopCount * count;
        var oursRates = new List<double>();
        var openBlasRates = new List<double>();
        var blisRates = new List<double>();
        var openBlasRatios = new List<double>();
        var blisRatios = new List<double>();
        var otherRatios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            // Odd rounds run ours first and even rounds last, so that whatever a position costs (the threads or the
            // caches the previous product left) falls on every side equally often.
            Action?[] products = [oursProduct, openBlasProduct, blisProduct, otherProduct];
            var rates = new double?[products.Length];
            foreach (int i in round % 2 == 1 ? [0, 1, 2, 3] : new[] { 3, 2, 1, 0 })
                rates[i] = products[i] is Action product ? flop / time(product) / 1e9 : null;
            double mine = rates[0]!.Value, theirs = rates[1]!.Value;
            double? blisRate = rates[2], otherOurs = rates[3];
            if (otherOurs is double oo)
                otherRatios.Add(mine / oo);
            oursRates.Add(mine);
            openBlasRates.Add(theirs);
            openBlasRatios.Add(mine / theirs);
            if (blisRate is double o)
            {
                blisRates.Add(o);
                blisRatios.Add(mine / o);
            }
            Console.WriteLine($"{size,5} x{threads} round {round} (ours {(round % 2 == 1 ? "first" : "last")}): ours {mine,7:F1}  OpenBLAS {theirs,7:F1}  ratio {mine / theirs:F3}"
                + (blisRate is double x ? $"  BLIS {x,7:F1}  ratio {mine / x:F3}" : "")
                + (otherOurs is double y ? $"  ours-other {y,7:F1}  ratio {mine / y:F3}" : ""));
        }
        double peakAfter = FmaPeak.Measure(kernel, threads), peak = (peakBefore + peakAfter) / 2;
        Console.WriteLine($"{size,5} x{threads} FMA peak of {threads} thread{(threads == 1 ? "" : "s at once")} {peak:F1} GFLOP/s ({peakBefore:F1} before, {peakAfter:F1} after)");
        Console.WriteLine($"{size,5} x{threads} median GFLOP/s: ours {PairedRuns.Median(oursRates):F1} ({PairedRuns.Median(oursRates) / peak:P0} of peak), "
            + $"OpenBLAS {PairedRuns.Median(openBlasRates):F1} ({PairedRuns.Median(openBlasRates) / peak:P0})"
            + (blisRates.Count > 0 ? $", BLIS {PairedRuns.Median(blisRates):F1}" : "")
            + $"; median ratio ours/OpenBLAS {PairedRuns.Median(openBlasRatios):F3} (min {openBlasRatios.Min():F3}, max {openBlasRatios.Max():F3})"
            + (blisRatios.Count > 0 ? $", ours/BLIS {PairedRuns.Median(blisRatios):F3} (min {blisRatios.Min():F3}, max {blisRatios.Max():F3})" : "")
            + (otherRatios.Count > 0 ? $", ours/ours-other {PairedRuns.Median(otherRatios):F3} (min {otherRatios.Min():F3}, max {otherRatios.Max():F3})" : ""));
    }

    private static Action Repeat(Action product, int count) => () =>
    {
        for (int i = 0; i < count; i++)
            product();
    };

    private static double Time(Action product)
    {
        long start = Stopwatch.GetTimestamp();
        product();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    // Every library's threads idle, then this one's awake: the product as in a run of back-to-back products.
    private static double TimeWarm(Action product)
    {
        Thread.Sleep(200);
        product();
        return Time(product);
    }

    private static double ThreadCpuTime(Action product)
    {
        double start = PairedRuns.ThreadCpuSeconds("--cpu-time");
        product();
        return PairedRuns.ThreadCpuSeconds("--cpu-time") - start;
    }
}
