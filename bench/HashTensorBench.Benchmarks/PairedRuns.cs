using System.Runtime.InteropServices;

namespace HashTensorBench.Benchmarks;

/// <summary>What the paired-run commands (gemm-pairs, sha256d-pairs) share: the calling thread's CPU clock and the median.</summary>
internal static class PairedRuns
{
    /// <summary>
    /// The calling thread's CPU time in seconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): time spent descheduled on a busy
    /// machine does not count. <paramref name="what"/> names what needs it, for the message where it cannot be read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock cannot be read (not Linux).</exception>
    public static unsafe double ThreadCpuSeconds(string what)
    {
        const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID
        long* timespec = stackalloc long[2];
        if (ClockGetTime(ThreadCpuTimeClock, timespec) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; {what} needs Linux.");
        return timespec[0] + timespec[1] * 1e-9;
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int ClockGetTime(int clock, long* timespec);
}
