using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Benchmarks;

/// <summary>What the paired-run commands (gemm-pairs, sha256d-pairs) share: the calling thread's CPU clock and the median.</summary>
internal static class PairedRuns
{
    /// <summary>
    /// The calling thread's CPU time in seconds (<see cref="ThreadClock"/>): time spent descheduled on a busy machine does
    /// not count. <paramref name="what"/> names what needs it, for the message where it cannot be read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock cannot be read (neither Linux nor Windows).</exception>
    public static double ThreadCpuSeconds(string what) => ThreadClock.TryCpuSeconds(out double seconds)
        ? seconds
        : throw new InvalidOperationException($"The thread's CPU time cannot be read here; {what} needs Linux or Windows.");

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
