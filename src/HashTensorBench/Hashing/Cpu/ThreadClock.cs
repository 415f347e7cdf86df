using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The calling thread's CPU time, where the operating system keeps it (Linux's <c>CLOCK_THREAD_CPUTIME_ID</c>, Windows'
/// <c>GetThreadTimes</c>), else the wall clock: a chunk timed by it does not look slow because another process or the
/// host took the core for a while, but does when the core itself ran slower, which is what <see cref="KernelRace"/> must see.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>Seconds from an arbitrary start, on one thread; compare only readings of the same thread.</summary>
    public static double Seconds() =>
        TryCpuSeconds(out double seconds) ? seconds : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>The calling thread's CPU time in seconds, where the operating system keeps it (Linux, Windows).</summary>
    public static bool TryCpuSeconds(out double seconds)
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0)
        {
            seconds = time.Seconds + time.Nanoseconds * 1e-9;
            return true;
        }
        if (OperatingSystem.IsWindows() && GetThreadTimes(GetCurrentThread(), out _, out _, out long kernel, out long user))
        {
            seconds = (kernel + user) * 1e-7;
            return true;
        }
        seconds = 0;
        return false;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [LibraryImport("kernel32.dll")]
    private static partial nint GetCurrentThread();

    [LibraryImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetThreadTimes(nint thread, out long creation, out long exit, out long kernel, out long user);
}
