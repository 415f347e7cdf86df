using System.Diagnostics;
using System.Globalization;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Benchmarks.Hashing;

/// <summary>
/// CPU sha256d kernels measured round by round on the calling thread: in each round every kernel searches the same
/// number of nonces of the genesis header at its real target, one after the other (the order turning each round), and
/// the ratio of each to the first is taken within the round, so that a drift of the machine moves both alike.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/HashTensorBench.Benchmarks -- sha256d-pairs [--kernels shani-x4,avx512,avx2]
/// [--rounds 9] [--nonces 4194304]</c>. A kernel is a name of <see cref="CpuSha256dKernels"/>, <c>shani-xN</c> for the
/// SHA-NI kernel interleaving N nonces, or <c>avx512sha-xN</c> for the hybrid with N SHA-NI nonces beside the AVX-512 sixteen. Each search is timed by the thread's CPU time (Linux
/// <c>CLOCK_THREAD_CPUTIME_ID</c>), so time spent descheduled on a busy machine does not count; the wall-clock rate
/// is printed beside it.
/// </remarks>
internal static class Sha256dPairs
{
    public const string Verb = "sha256d-pairs";

    public static int Run(string[] args)
    {
        string[] kernels = ["shani", "avx512", "avx2"];
        int rounds = 9;
        long nonces = 1 << 22;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--kernels": kernels = args[i + 1].Split(','); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--nonces": nonces = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"{Verb}: unknown option {args[i]}"); return 2;
            }
        }
        var header = KnownHeaders.Genesis.Header;
        var job = new Sha256dJob(header, header.Target);
        var searches = kernels.Select(name => Search(name.Trim(), job)).ToArray();
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-ddTHH:mmZ} {CpuDevice.Name}, {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"# {nonces:N0} nonces per search, one thread; MH/s by thread CPU time (by wall clock)");
        Console.WriteLine("round  " + string.Join("  ", kernels.Select(k => $"{k,22}")));

        var rates = kernels.Select(_ => new List<double>()).ToArray();
        long start = 1L << 24;
        foreach (var search in searches)
            search(start, start + (1 << 20));
        for (int round = 1; round <= rounds; round++)
        {
            var cpu = new double[kernels.Length];
            var wall = new double[kernels.Length];
            for (int j = 0; j < kernels.Length; j++)
            {
                int k = (j + round) % kernels.Length;
                start = (start + nonces) % (NonceRange.NonceCount - nonces);
                double cpuStart = PairedRuns.ThreadCpuSeconds(Verb);
                long wallStart = Stopwatch.GetTimestamp();
                searches[k](start, start + nonces);
                wall[k] = nonces / Stopwatch.GetElapsedTime(wallStart).TotalSeconds / 1e6;
                cpu[k] = nonces / (PairedRuns.ThreadCpuSeconds(Verb) - cpuStart) / 1e6;
                rates[k].Add(cpu[k]);
            }
            Console.WriteLine($"{round,5}  " + string.Join("  ", cpu.Select((c, k) => $"{c,10:F2} ({wall[k],8:F2})")));
        }
        Console.WriteLine();
        for (int k = 0; k < kernels.Length; k++)
        {
            var ratios = rates[k].Zip(rates[0], (a, b) => a / b).ToList();
            Console.WriteLine($"{kernels[k],-10} median {PairedRuns.Median(rates[k]),7:F2} MH/s ({rates[k].Min():F2}–{rates[k].Max():F2}); " +
                $"/ {kernels[0]}: median {PairedRuns.Median(ratios):F3} ({ratios.Min():F3}–{ratios.Max():F3})");
        }
        return 0;
    }

    private static Action<long, long> Search(string name, Sha256dJob job)
    {
        var hits = new List<NonceHit>();
        if (name.StartsWith("shani-x", StringComparison.Ordinal))
        {
            int ways = int.Parse(name["shani-x".Length..], CultureInfo.InvariantCulture);
            return (first, end) => Sha256dShaNiKernel.Search(job, first, end, hits, ways);
        }
        if (name.StartsWith("avx512sha-x", StringComparison.Ordinal))
        {
            int shaNiNonces = int.Parse(name["avx512sha-x".Length..], CultureInfo.InvariantCulture);
            return (first, end) => Sha256dHybridKernel.Search(job, first, end, hits, shaNiNonces);
        }
        var kernel = CpuSha256dKernels.Parse(name);
        return (first, end) => CpuNonceSearcher.Run(kernel, job, first, end, hits);
    }
}
