namespace HashTensorBench.Energy;

/// <summary>
/// Measures a device at rest, to report beside its loaded figures. Nothing in this library subtracts
/// it: whether a figure should be net of idle is the reader's call, made in the open.
/// </summary>
public static class IdlePower
{
    /// <summary>The default idle window: long enough that the counters' 100 ms steps do not matter.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(EnergyReading.MinimumSeconds);

    /// <summary>Waits <paramref name="duration"/> with a window open on <paramref name="meter"/> and returns the reading.</summary>
    /// <param name="meter">The device's meter; nothing else should be running on the device.</param>
    /// <param name="duration">How long to wait; by default <see cref="DefaultDuration"/>.</param>
    /// <param name="cancellationToken">Stops the wait, which then throws <see cref="OperationCanceledException"/>.</param>
    public static EnergyReading Measure(IEnergyMeter meter, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meter);
        using var window = meter.Start();
        cancellationToken.WaitHandle.WaitOne(duration ?? DefaultDuration);
        cancellationToken.ThrowIfCancellationRequested();
        return window.Stop();
    }
}
