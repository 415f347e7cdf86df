using System.Globalization;

namespace HashTensorBench.Workloads;

/// <summary>
/// A rate measured as many windows after a warm-up, each window one step timed on its own: the median, the
/// extremes and the relative spread say how far one figure can be trusted, which a single timing cannot.
/// </summary>
public sealed class RateMeasurement
{
    private RateMeasurement(string unit, double[] sortedRates, TimeSpan elapsed, TimeSpan warmup)
    {
        Unit = unit;
        Rates = sortedRates;
        Elapsed = elapsed;
        Warmup = warmup;
        int middle = sortedRates.Length / 2;
        Median = sortedRates.Length % 2 == 1 ? sortedRates[middle] : (sortedRates[middle - 1] + sortedRates[middle]) / 2;
    }

    /// <summary>
    /// A middle half of the windows wider than this share of the median makes the figure unstable (the extremes alone
    /// do not: on a shared VM a window or two always catch a hiccup).
    /// </summary>
    public const double SpreadThreshold = 0.10;

    /// <summary>Fewer windows than this say little about the spread.</summary>
    public const int MinimumWindows = 5;

    /// <summary>
    /// Other processes' load, steal time and the CPU clock while <c>Measure</c> timed the windows; null for windows
    /// timed elsewhere (<see cref="FromWindows"/>), whose caller watches the machine itself.
    /// </summary>
    public MachineLoad? Load { get; private init; }

    /// <summary>What the windows and the machine say against the figure: an unstable rate, too few windows, a busy machine.</summary>
    public IEnumerable<string> Warnings()
    {
        foreach (string warning in Load?.Warnings() ?? [])
            yield return warning;
        if (QuartileSpread > SpreadThreshold)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"the rate is unstable: the middle half of the windows spans {QuartileSpread:P0} of the median ({Si(LowerQuartile)} to {Si(UpperQuartile)} {Unit}/s; all of them {Si(Min)} to {Si(Max)}), over {SpreadThreshold:P0}");
        }
        if (Windows < MinimumWindows)
            yield return $"only {Windows} window(s): the spread says little";
    }

    // 3.43 M, 612 G: three significant digits and an SI prefix.
    private static string Si(double value)
    {
        var (scaled, prefix) = SiPrefix.Of(value);
        return string.Create(CultureInfo.InvariantCulture, $"{scaled:G3} {prefix}").TrimEnd();
    }

    /// <summary>The unit of work, such as <c>FLOP</c>; rates are per second of it.</summary>
    public string Unit { get; }

    /// <summary>Every window's rate, ascending.</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>The median window's rate: the figure to quote.</summary>
    public double Median { get; }

    /// <summary>The slowest window's rate.</summary>
    public double Min => Rates[0];

    /// <summary>The fastest window's rate.</summary>
    public double Max => Rates[^1];

    /// <summary>(max − min) / median: 0.02 means every window lies within 2 % of the others.</summary>
    public double Spread => Median > 0 ? (Max - Min) / Median : double.NaN;

    /// <summary>The first quartile of the windows' rates.</summary>
    public double LowerQuartile => Quantile(0.25);

    /// <summary>The third quartile of the windows' rates.</summary>
    public double UpperQuartile => Quantile(0.75);

    /// <summary>
    /// (third quartile − first quartile) / median: how much the middle half of the windows disagree. Unlike
    /// <see cref="Spread"/>, one window hit by a passing hiccup does not move it.
    /// </summary>
    public double QuartileSpread => Median > 0 ? (UpperQuartile - LowerQuartile) / Median : double.NaN;

    // Linear interpolation between the closest ranks.
    private double Quantile(double q)
    {
        double position = q * (Rates.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, Rates.Count - 1);
        return Rates[below] + (Rates[above] - Rates[below]) * (position - below);
    }

    /// <summary>The number of timed windows.</summary>
    public int Windows => Rates.Count;

    /// <summary>The time the timed windows took together.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The untimed warm-up before them (compilation, caches, clocks ramping up).</summary>
    public TimeSpan Warmup { get; }

    /// <summary>
    /// Runs <paramref name="step"/> untimed for at least <paramref name="warmup"/> and until two steps in a row agree
    /// within <see cref="Warmups.SettledWithin"/> (or four times the warm-up has passed), then timed, one window a
    /// step, until both <paramref name="minimum"/> has passed and <paramref name="minimumWindows"/> windows are done.
    /// Each step does its work synchronously and returns how much it did.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is negative, or <paramref name="minimumWindows"/> is below 1.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static RateMeasurement Measure(string unit, Func<double> step, TimeSpan minimum, TimeSpan warmup,
        int minimumWindows = 5, CancellationToken cancellationToken = default) =>
        Measure(unit, step, minimum, warmup, minimumWindows, TimeProvider.System, cancellationToken);

    // The clock is a seam for tests, whose steps move a fake one by known amounts.
    internal static RateMeasurement Measure(string unit, Func<double> step, TimeSpan minimum, TimeSpan warmup,
        int minimumWindows, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumWindows, 1);
        // The same watch as every timed run keeps (TimedRun): a figure measured beside other work says so.
        var load = MachineLoadMonitor.Start();
        var (warmed, _) = Warmups.UntilSettled(step, warmup, time, cancellationToken);
        var rates = new List<double>();
        var timed = TimeSpan.Zero;
        while (timed < minimum || rates.Count < minimumWindows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (work, window) = Warmups.Time(step, time);
            timed += window;
            rates.Add(work / Math.Max(window.TotalSeconds, 1e-9));
        }
        rates.Sort();
        return new RateMeasurement(unit, [.. rates], timed, warmed) { Load = load.Stop() };
    }

    /// <summary>The statistics of windows already timed.</summary>
    /// <exception cref="ArgumentException">There is no window.</exception>
    public static RateMeasurement FromWindows(string unit, IEnumerable<double> rates, TimeSpan elapsed, TimeSpan warmup)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var sorted = rates.ToArray();
        if (sorted.Length == 0)
            ThrowHelper.ThrowArgument(nameof(rates), "A measurement needs at least one window.");
        Array.Sort(sorted);
        return new RateMeasurement(unit, sorted, elapsed, warmup);
    }
}

/// <summary>The warm-up every rate measurement starts with.</summary>
public static class Warmups
{
    /// <summary>The least warm-up before any timed run, hash rate or GEMM.</summary>
    public static readonly TimeSpan DefaultMinimum = TimeSpan.FromSeconds(0.25);

    /// <summary>Two warm-up steps in a row whose rates agree within this share mean the rate has settled.</summary>
    public const double SettledWithin = 0.05;

    /// <summary>
    /// Runs <paramref name="step"/> at least once and for at least <paramref name="minimum"/>, then until two steps in a row
    /// agree within <see cref="SettledWithin"/>, giving up at four times <paramref name="minimum"/> (at least 0.5 s):
    /// compilation, caches and a GPU's clocks ramping up from idle stay out of the timed windows. Returns the time spent.
    /// </summary>
    public static TimeSpan UntilSettled(Func<double> step, TimeSpan minimum, CancellationToken cancellationToken = default) =>
        UntilSettled(step, minimum, TimeProvider.System, cancellationToken).Spent;

    // Also the last step's rate: the settled rate, from which a caller can size its windows.
    internal static (TimeSpan Spent, double Rate) UntilSettled(Func<double> step, TimeSpan minimum, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var limit = TimeSpan.FromTicks(Math.Max(4 * minimum.Ticks, TimeSpan.FromSeconds(0.5).Ticks));
        long start = time.GetTimestamp();
        double previous = double.NaN;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (work, window) = Time(step, time);
            double rate = work / Math.Max(window.TotalSeconds, 1e-9);
            var spent = time.GetElapsedTime(start);
            bool settled = Math.Abs(rate - previous) <= SettledWithin * Math.Max(rate, previous);
            if (spent >= limit || (spent >= minimum && settled))
                return (spent, rate);
            previous = rate;
        }
    }

    /// <summary>Runs one step and times it.</summary>
    internal static (double Work, TimeSpan Elapsed) Time(Func<double> step, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        long start = time.GetTimestamp();
        double work = step();
        return (work, time.GetElapsedTime(start));
    }
}
