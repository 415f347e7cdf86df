using System.Diagnostics;
using System.Globalization;

namespace HashTensorBench.Workloads;

/// <summary>
/// What else the machine did while a workload ran, read from Linux's <c>/proc</c>: the CPU time of every
/// other process, the time a hypervisor stole from this VM, and the CPU clock at both ends. On a shared
/// machine these explain a figure that does not repeat; a figure measured beside them says so.
/// </summary>
/// <param name="OtherBusyCores">Cores kept busy by other processes on average (0.9 = most of one core); null when unreadable.</param>
/// <param name="StealFraction">The share of CPU time the hypervisor took for other guests; null when unreadable.</param>
/// <param name="CpuMHzAtStart">The mean clock of the logical processors when the window opened, where readable.</param>
/// <param name="CpuMHzAtEnd">The same when it closed.</param>
/// <param name="LogicalProcessors">The logical processors the machine has.</param>
/// <param name="UnavailableReason">Why nothing could be read (not Linux, no <c>/proc/stat</c>); null when read.</param>
public sealed record MachineLoad(double? OtherBusyCores, double? StealFraction, double? CpuMHzAtStart, double? CpuMHzAtEnd,
    int LogicalProcessors, string? UnavailableReason)
{
    /// <summary>Other processes' load above this many cores makes a figure suspect.</summary>
    public const double BusyCoresThreshold = 0.25;

    /// <summary>Stolen time above this share makes a figure suspect.</summary>
    public const double StealThreshold = 0.02;

    /// <summary>The warnings this load deserves, in words; empty when the machine was quiet.</summary>
    public IEnumerable<string> Warnings()
    {
        if (OtherBusyCores is { } busy && busy > BusyCoresThreshold)
            yield return string.Create(CultureInfo.InvariantCulture, $"other processes kept {busy:0.##} of {LogicalProcessors} logical processors busy during the run");
        if (StealFraction is { } steal && steal > StealThreshold)
            yield return string.Create(CultureInfo.InvariantCulture, $"the hypervisor took {steal:P0} of the CPU time for other guests (steal)");
        if (CpuMHzAtStart is { } start && CpuMHzAtEnd is { } end && end < 0.9 * start)
            yield return string.Create(CultureInfo.InvariantCulture, $"the CPU clock fell from {start:0} to {end:0} MHz during the run");
    }
}

/// <summary>Reads <see cref="MachineLoad"/> over a window: <see cref="Start()"/>, run the workload, <see cref="Stop"/>.</summary>
public sealed class MachineLoadMonitor
{
    private readonly string _proc;
    private readonly Func<TimeSpan> _ownCpuTime;
    private readonly CpuTimes? _start;
    private readonly TimeSpan _ownAtStart;
    private readonly double? _mhzAtStart;
    private readonly long _startTicks;

    private MachineLoadMonitor(string proc, Func<TimeSpan> ownCpuTime)
    {
        _proc = proc;
        _ownCpuTime = ownCpuTime;
        _start = CpuTimes.Read(proc);
        _ownAtStart = ownCpuTime();
        _mhzAtStart = MeanMHz(proc);
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Opens a window on this machine.</summary>
    public static MachineLoadMonitor Start() => Start("/proc", () => Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>Opens a window on a <c>/proc</c> tree at <paramref name="proc"/> (tests give their own), with this process's CPU time from <paramref name="ownCpuTime"/>.</summary>
    public static MachineLoadMonitor Start(string proc, Func<TimeSpan> ownCpuTime) => new(proc, ownCpuTime);

    /// <summary>Closes the window.</summary>
    public MachineLoad Stop()
    {
        double seconds = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        var end = CpuTimes.Read(_proc);
        double? mhzAtEnd = MeanMHz(_proc);
        if (_start is not { } start || end is not { } stop)
            return new MachineLoad(null, null, _mhzAtStart, mhzAtEnd, Environment.ProcessorCount, $"{Path.Combine(_proc, "stat")} could not be read");
        double busySeconds = (stop.Busy - start.Busy) / CpuTimes.TicksPerSecond;
        double ownSeconds = (_ownCpuTime() - _ownAtStart).TotalSeconds;
        double totalTicks = stop.Total - start.Total;
        double? others = seconds > 0 ? Math.Max(0, busySeconds - ownSeconds) / seconds : null;
        double? steal = totalTicks > 0 ? (stop.Steal - start.Steal) / totalTicks : null;
        return new MachineLoad(others, steal, _mhzAtStart, mhzAtEnd, stop.Processors, null);
    }

    // The mean "cpu MHz" of /proc/cpuinfo; many VMs report the nominal clock there, which then never moves.
    private static double? MeanMHz(string proc)
    {
        try
        {
            var values = File.ReadLines(Path.Combine(proc, "cpuinfo"))
                .Where(line => line.StartsWith("cpu MHz", StringComparison.Ordinal))
                .Select(line => double.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz) ? mhz : double.NaN)
                .Where(double.IsFinite)
                .ToList();
            return values.Count > 0 ? values.Average() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The machine-wide line of <c>/proc/stat</c>, in clock ticks.</summary>
    private readonly record struct CpuTimes(double Busy, double Steal, double Total, int Processors)
    {
        /// <summary>USER_HZ, which Linux fixes at 100 for /proc/stat on every architecture it exports.</summary>
        public const double TicksPerSecond = 100;

        public static CpuTimes? Read(string proc)
        {
            try
            {
                var lines = File.ReadAllLines(Path.Combine(proc, "stat"));
                var total = lines.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
                if (total is null)
                    return null;
                // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
                var fields = total.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                    .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                if (fields.Length < 8)
                    return null;
                double busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6];
                double all = fields.Take(8).Sum();
                int processors = lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && l.Length > 3 && char.IsAsciiDigit(l[3]));
                return new CpuTimes(busy, fields[7], all, Math.Max(1, processors));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return null;
            }
        }
    }
}
