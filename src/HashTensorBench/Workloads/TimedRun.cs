using System.Diagnostics;
using HashTensorBench.Energy;

namespace HashTensorBench.Workloads;

/// <summary>
/// A workload run for at least a set time inside one energy window: how much work it did, how long it
/// took, and the energy the device used meanwhile (or why that is unavailable).
/// </summary>
/// <param name="Device">The device, as reports name it.</param>
/// <param name="Unit">The unit of work: <c>H</c> (sha256d hashes) or <c>FLOP</c>.</param>
/// <param name="Work">Units of work done.</param>
/// <param name="Elapsed">Wall time from the window's start to its end; every step is synchronous, so GPU work is inside it.</param>
/// <param name="Energy">The energy reading over the same window.</param>
public sealed record TimedRun(string Device, string Unit, double Work, TimeSpan Elapsed, EnergyReading Energy)
{
    /// <summary>Work per second.</summary>
    public double WorkPerSecond => Work / Elapsed.TotalSeconds;

    /// <summary>Work per joule; null when energy is unavailable.</summary>
    public double? WorkPerJoule => Energy.Joules is double joules && joules > 0 ? Work / joules : null;

    /// <summary>
    /// Runs <paramref name="step"/> again and again until <paramref name="duration"/> has passed, inside an
    /// energy window of <paramref name="meter"/>. Each step returns the work it did.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the window is closed first.</exception>
    public static TimedRun Measure(string device, string unit, IEnergyMeter meter, TimeSpan duration, Func<double> step,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(step);
        if (duration <= TimeSpan.Zero)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(duration), "A timed run needs a positive duration.");
        double work = 0;
        using var window = meter.Start();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            work += step();
            progress?.Report(Math.Min(1, stopwatch.Elapsed / duration));
        }
        stopwatch.Stop();
        var energy = window.Stop();
        return new TimedRun(device, unit, work, stopwatch.Elapsed, energy);
    }
}
