using System.Globalization;
using HashTensorBench.Energy;

namespace HashTensorBench.Workloads;

/// <summary>
/// A workload run for at least a set time inside one energy window: how much work it did, how long it
/// took, the rate of each step timed as a window of its own, the energy the device used (or why that is
/// unavailable), and what else the machine was doing meanwhile.
/// </summary>
/// <param name="Device">The device, as reports name it.</param>
/// <param name="Unit">The unit of work: <c>H</c> (sha256d hashes) or <c>FLOP</c>.</param>
/// <param name="Work">Units of work done.</param>
/// <param name="Elapsed">Wall time from the window's start to its end; every step is synchronous, so GPU work is inside it.</param>
/// <param name="Energy">The energy reading over the same window.</param>
/// <param name="Windows">Each step's rate: the median to quote, the extremes and the spread.</param>
/// <param name="Load">Other processes' load, steal time and the CPU clock over the window.</param>
public sealed record TimedRun(string Device, string Unit, double Work, TimeSpan Elapsed, EnergyReading Energy,
    RateMeasurement Windows, MachineLoad Load)
{
    /// <summary>The run was cancelled before its duration: the figures cover the windows done until then.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The rate to quote: the median window's, which a moment of other load on the machine moves least.</summary>
    public double Rate => Windows.Median;

    /// <summary>Work per second over the whole window: the sustained rate, the one that matches the joules.</summary>
    public double WorkPerSecond => Work / Elapsed.TotalSeconds;

    /// <summary>Work per joule; null when energy is unavailable.</summary>
    public double? WorkPerJoule => Energy.Joules is double joules && joules > 0 ? Work / joules : null;

    /// <summary>What could distort this figure, in words: an unstable rate, a busy or stolen machine, a throttled GPU, a short energy window.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            if (StoppedEarly)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"stopped early (cancelled) after {Elapsed.TotalSeconds:0.#} s"));
            warnings.AddRange(Windows.Warnings());
            warnings.AddRange(Load.Warnings());
            foreach (var (edge, state) in new[] { ("start", Energy.AtStart), ("end", Energy.AtEnd) })
            {
                if (state is { IsThrottled: true } throttled)
                    warnings.Add($"the GPU's clock was held back at the {edge} ({throttled.ClockLimits})");
            }
            if (Energy.Joules is not null && Energy.IsTooShort)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"the energy window lasted {Energy.Duration.TotalSeconds:0.#} s, under the {EnergyReading.MinimumSeconds} s the counters need"));
            return warnings;
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> again and again until <paramref name="duration"/> has passed, inside an
    /// energy window of <paramref name="meter"/> and a <see cref="MachineLoadMonitor"/>, each step timed as a
    /// window of its own. Each step returns the work it did; warm up before calling, and pass the time that took as
    /// <c>warmup</c>, which is recorded with the windows.
    /// </summary>
    /// <remarks>
    /// Cancelled after at least one whole step, it returns what was measured so far with <see cref="StoppedEarly"/> set;
    /// cancelled before, it throws.
    /// </remarks>
    /// <exception cref="OperationCanceledException">Cancelled before the first step finished; the window is closed first.</exception>
    public static TimedRun Measure(string device, string unit, IEnergyMeter meter, TimeSpan duration, Func<double> step,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default, TimeSpan warmup = default) =>
        Measure(device, unit, meter, duration, step, TimeProvider.System, progress, cancellationToken, warmup);

    // The clock is a seam for tests, whose steps move a fake one by known amounts.
    internal static TimedRun Measure(string device, string unit, IEnergyMeter meter, TimeSpan duration, Func<double> step, TimeProvider time,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default, TimeSpan warmup = default)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(step);
        if (duration <= TimeSpan.Zero)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(duration), "A timed run needs a positive duration.");
        double work = 0;
        var rates = new List<double>();
        var load = MachineLoadMonitor.Start();
        using var window = meter.Start();
        long start = time.GetTimestamp();
        bool stoppedEarly = false;
        while (time.GetElapsedTime(start) < duration)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (done, elapsed) = Warmups.Time(step, time);
                work += done;
                rates.Add(done / Math.Max(elapsed.TotalSeconds, 1e-9));
            }
            catch (OperationCanceledException) when (rates.Count > 0)
            {
                // The step in flight is lost; the whole steps before it are a measurement, shorter than asked.
                stoppedEarly = true;
                break;
            }
            progress?.Report(Math.Min(1, time.GetElapsedTime(start) / duration));
        }
        var measured = time.GetElapsedTime(start);
        var energy = window.Stop();
        return new TimedRun(device, unit, work, measured, energy,
            RateMeasurement.FromWindows(unit, rates, measured, warmup), load.Stop()) { StoppedEarly = stoppedEarly };
    }
}
