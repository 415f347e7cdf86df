using System.Diagnostics;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// The GEMM anchors measured pair by pair: in one process, on the same threads, one product of ours, then one of
/// OpenBLAS, then one of BLIS (where installed), then ours again …, and the ratio ours/anchor taken within each
/// round. On a shared machine whose speed drifts (other work, clocks), adjacent products see the same machine,
/// which BenchmarkDotNet's one-benchmark-after-another runs do not.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/HashTensorBench.Benchmarks -- gemm-pairs [--sizes 1024,2048,4096]
/// [--threads 1,N] [--rounds 7] [--kernel avx2|avx512] [--blocking Mc,Nc,Kc[,l2]]</c>; <c>--blocking</c> adds ours with
/// that cache blocking (<c>l2</c>: the BLIS loop order) to each round, to set two blockings side by side. Each side runs one warm-up product first. Prints one line
/// per round and, per size and thread count, the median GFLOP/s of each and the median of the ratios.
/// </remarks>
internal static class GemmPairs
{
    public const string Verb = "gemm-pairs";

    public static int Run(string[] args)
    {
        int[] sizes = [1024, 2048, 4096];
        int[] threadCounts = [.. new[] { 1, Environment.ProcessorCount }.Distinct()];
        int rounds = 7;
        CpuGemmKernel kernel = CpuGemmKernels.Default;
        GemmBlocking? otherBlocking = null;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = [.. args[i + 1].Split(',').Select(int.Parse)]; break;
                case "--threads": threadCounts = [.. args[i + 1].Split(',').Select(int.Parse)]; break;
                case "--rounds": rounds = int.Parse(args[i + 1]); break;
                case "--kernel": kernel = CpuGemmKernels.Parse(args[i + 1]); break;
                case "--blocking":
                    string[] parts = args[i + 1].Split(',');
                    otherBlocking = new GemmBlocking(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]), parts.Length > 3 && parts[3] == "l2");
                    break;
                default: Console.Error.WriteLine($"gemm-pairs: unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-ddTHH:mmZ} {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (int threads in threadCounts)
        {
            var openBlas = OpenBlas.Load(threads);
            Blis? blis = null;
            try
            {
                blis = Blis.Load(threads);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"# {e.Message}");
            }
            var ours = new CpuMatrixMultiplier(kernel, threads);
            var other = otherBlocking is null ? null : new CpuMatrixMultiplier(kernel, threads, otherBlocking, 1 << 22);
            Console.WriteLine($"# ours {ours.Name}; OpenBLAS core {openBlas.CoreName} ({openBlas.Config}); "
                + (blis is null ? "no BLIS" : $"BLIS {blis.Version} {blis.Architecture}") + $"; {threads} threads"
                + (other is null ? "" : $"; ours/other: default {ours.Blocking} against {other.Blocking}"));
            foreach (int size in sizes)
                RunSize(size, threads, rounds, ours, openBlas, blis, other);
        }
        Console.WriteLine($"# load {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void RunSize(int size, int threads, int rounds, CpuMatrixMultiplier ours, OpenBlas openBlas, Blis? blis, CpuMatrixMultiplier? other)
    {
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
        openBlasProduct();
        blisProduct?.Invoke();
        double flop = shape.FlopCount;
        var oursRates = new List<double>();
        var openBlasRates = new List<double>();
        var blisRates = new List<double>();
        var openBlasRatios = new List<double>();
        var blisRatios = new List<double>();
        var otherRatios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            double mine = flop / Time(oursProduct) / 1e9, theirs = flop / Time(openBlasProduct) / 1e9;
            double? blisRate = blisProduct is null ? null : flop / Time(blisProduct) / 1e9;
            double? otherOurs = otherProduct is null ? null : flop / Time(otherProduct) / 1e9;
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
            Console.WriteLine($"{size,5} x{threads} round {round}: ours {mine,7:F1}  OpenBLAS {theirs,7:F1}  ratio {mine / theirs:F3}"
                + (blisRate is double x ? $"  BLIS {x,7:F1}  ratio {mine / x:F3}" : "")
                + (otherOurs is double y ? $"  ours-other {y,7:F1}  ratio {mine / y:F3}" : ""));
        }
        Console.WriteLine($"{size,5} x{threads} median GFLOP/s: ours {Median(oursRates):F1}, OpenBLAS {Median(openBlasRates):F1}"
            + (blisRates.Count > 0 ? $", BLIS {Median(blisRates):F1}" : "")
            + $"; median ratio ours/OpenBLAS {Median(openBlasRatios):F3} (min {openBlasRatios.Min():F3}, max {openBlasRatios.Max():F3})"
            + (blisRatios.Count > 0 ? $", ours/BLIS {Median(blisRatios):F3} (min {blisRatios.Min():F3}, max {blisRatios.Max():F3})" : "")
            + (otherRatios.Count > 0 ? $", ours/ours-other {Median(otherRatios):F3} (min {otherRatios.Min():F3}, max {otherRatios.Max():F3})" : ""));
    }

    private static double Time(Action product)
    {
        long start = Stopwatch.GetTimestamp();
        product();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
