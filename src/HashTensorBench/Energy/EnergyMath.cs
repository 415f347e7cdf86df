namespace HashTensorBench.Energy;

/// <summary>The arithmetic of the meters, apart from their I/O so that tests can check it with made-up samples.</summary>
internal static class EnergyMath
{
    /// <summary>
    /// The increase of a counter that runs from 0 to <paramref name="range"/> and then starts again at 0
    /// (RAPL's <c>energy_uj</c> with its <c>max_energy_range_uj</c>), assuming at most one wrap between the
    /// two reads: a smaller current value means the counter wrapped once.
    /// </summary>
    public static ulong CounterDelta(ulong previous, ulong current, ulong range) =>
        current >= previous ? current - previous : range - previous + current;

    /// <summary>
    /// The joules between two reads of NVML's total energy counter (millijoules since the driver loaded),
    /// or null when the counter went backwards (the driver was reloaded during the window).
    /// </summary>
    public static double? MillijoulesToJoules(ulong startMillijoules, ulong endMillijoules) =>
        endMillijoules >= startMillijoules ? (endMillijoules - startMillijoules) / 1000.0 : null;

    /// <summary>
    /// The energy in joules under a power curve given by samples in time order, by the trapezoid rule
    /// (each interval's power is the mean of its two ends).
    /// </summary>
    public static double Trapezoid(ReadOnlySpan<PowerSample> samples)
    {
        double joules = 0;
        for (int i = 1; i < samples.Length; i++)
            joules += (samples[i].Watts + samples[i - 1].Watts) * 0.5 * (samples[i].Seconds - samples[i - 1].Seconds);
        return joules;
    }

    /// <summary>
    /// The energy over a whole window of <paramref name="windowSeconds"/>: <see cref="Trapezoid"/> between the
    /// samples, and the first and last sample held flat out to the window's edges, so that a failed read at
    /// either end does not shorten the integral while the duration stays whole.
    /// </summary>
    public static double TrapezoidOverWindow(ReadOnlySpan<PowerSample> samples, double windowSeconds)
    {
        if (samples.IsEmpty)
            return 0;
        return samples[0].Watts * Math.Max(0, samples[0].Seconds) + Trapezoid(samples)
            + samples[^1].Watts * Math.Max(0, windowSeconds - samples[^1].Seconds);
    }
}

/// <summary>One power reading.</summary>
/// <param name="Seconds">When, in seconds from the window's start.</param>
/// <param name="Watts">The power then.</param>
internal readonly record struct PowerSample(double Seconds, double Watts);
