using System.Diagnostics;
using System.Runtime.Intrinsics;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The sha256d nonce search on the CPU: one SIMD kernel per thread, over chunks of the range taken by
/// every core in turn. Given no kernel, where <see cref="CpuSha256dKernels.Rival"/> names one, each thread races the
/// default against it chunk by chunk and runs the faster (<see cref="KernelRace"/>).
/// </summary>
public sealed class CpuNonceSearcher : INonceSearcher
{
    // About 30 ms of work per chunk on one core: short enough for progress and cancellation, long enough
    // that taking a chunk costs nothing.
    private const long ChunkSize = 1 << 20;

    /// <summary>Creates a searcher.</summary>
    /// <param name="kernel">The kernel; by default <see cref="CpuSha256dKernels.Default"/>, raced against <see cref="CpuSha256dKernels.Rival"/> where there is one.</param>
    /// <param name="threads">How many threads; by default one per logical processor.</param>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run <paramref name="kernel"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public CpuNonceSearcher(CpuSha256dKernel? kernel = null, int? threads = null)
    {
        Kernel = kernel ?? CpuSha256dKernels.Default;
        Rival = kernel is null ? CpuSha256dKernels.Rival : null;
        // Per thread, across chunks and calls: a search loop (hashrate, mining) calls Search again every second or so,
        // and a race started afresh would try the slower kernel again each time.
        _races = Rival is { } rival ? new ThreadLocal<KernelRace>(() => new KernelRace(Kernel, rival)) : null;
        if (CpuSha256dKernels.WhyNotSupported(Kernel) is { } reason)
            throw new PlatformNotSupportedException($"This processor cannot run the {Kernel.ToString().ToLowerInvariant()} kernel: {reason}.");
        Threads = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(threads));
    }

    private readonly ThreadLocal<KernelRace>? _races;

    /// <summary>The kernel each thread runs (first, where there is a <see cref="Rival"/>).</summary>
    public CpuSha256dKernel Kernel { get; }

    /// <summary>The kernel each thread races against <see cref="Kernel"/> chunk by chunk, running the faster; null for none.</summary>
    public CpuSha256dKernel? Rival { get; }

    /// <summary>How many threads search at once.</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public string Name => $"cpu/{CpuSha256dKernels.Describe(Kernel, Rival)} x{Threads}";

    /// <inheritdoc/>
    public NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var job = new Sha256dJob(header, target);
        // Chunks are whole groups of either kernel.
        int lanes = Rival is { } rival ? LeastCommonMultiple(CpuSha256dKernels.Lanes(Kernel), CpuSha256dKernels.Lanes(rival)) : CpuSha256dKernels.Lanes(Kernel);
        // Enough chunks to keep every thread busy on small ranges, each a whole number of vectors.
        long chunk = Math.Min(ChunkSize, Math.Max(lanes, (range.Count + Threads - 1) / Threads));
        chunk = (chunk + lanes - 1) / lanes * lanes;
        long chunks = (range.Count + chunk - 1) / chunk;

        var hits = new List<NonceHit>();
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Threads, CancellationToken = cancellationToken },
            () => (Hits: new List<NonceHit>(), Race: _races?.Value),
            (index, _, local) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                long first = range.Start + index * chunk;
                long end = Math.Min(first + chunk, range.End);
                if (local.Race is { } race)
                {
                    var kernel = race.Next();
                    double start = ThreadClock.Seconds();
                    Run(kernel, job, first, end, local.Hits);
                    race.Record(kernel, end - first, ThreadClock.Seconds() - start);
                }
                else
                {
                    Run(Kernel, job, first, end, local.Hits);
                }
                long total = Interlocked.Add(ref done, end - first);
                progress?.Report(total);
                return local;
            },
            local =>
            {
                lock (hits)
                    hits.AddRange(local.Hits);
            });
        stopwatch.Stop();
        hits.Sort((x, y) => x.Nonce.CompareTo(y.Nonce));
        return new NonceSearchResult(Name, range.Count, hits, stopwatch.Elapsed);
    }

    private static int LeastCommonMultiple(int a, int b)
    {
        int x = a, y = b;
        while (y != 0)
            (x, y) = (y, x % y);
        return a / x * b;
    }

    /// <summary>One thread's search of [first, end) with <paramref name="kernel"/>, on the calling thread.</summary>
    internal static void Run(CpuSha256dKernel kernel, Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        switch (kernel)
        {
            case CpuSha256dKernel.ShaNi:
                Sha256dShaNiKernel.Search(job, first, end, hits);
                break;
            case CpuSha256dKernel.Avx512Gen:
                Sha256dAvx512Kernel.Search(job, first, end, hits);
                break;
            case CpuSha256dKernel.Avx512Sha:
                Sha256dHybridKernel.Search(job, first, end, hits);
                break;
            case CpuSha256dKernel.Avx512:
                Sha256dLaneKernel<Vector512<uint>, Vector512Lanes>.Search(job, first, end, hits);
                break;
            case CpuSha256dKernel.Avx2:
                Sha256dLaneKernel<Vector256<uint>, Vector256Lanes>.Search(job, first, end, hits);
                break;
            default:
                Sha256dLaneKernel<uint, ScalarLanes>.Search(job, first, end, hits);
                break;
        }
    }

    /// <summary>Releases the threads' race state; the threads themselves are the process's.</summary>
    public void Dispose() => _races?.Dispose();
}
