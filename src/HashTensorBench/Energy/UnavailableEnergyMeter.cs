using System.Diagnostics;

namespace HashTensorBench.Energy;

/// <summary>A meter for a device with no energy source: every window reads unavailable, with the reason.</summary>
public sealed class UnavailableEnergyMeter : IEnergyMeter
{
    /// <summary>Creates a meter that cannot measure.</summary>
    /// <param name="device">The device.</param>
    /// <param name="source">The source that was tried, or <see cref="EnergySources.None"/>.</param>
    /// <param name="reason">Why it cannot measure.</param>
    public UnavailableEnergyMeter(string device, string source, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Device = device;
        Source = source;
        UnavailableReason = reason;
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public string UnavailableReason { get; }

    /// <inheritdoc/>
    public IEnergyWindow Start() => new Window(this, Stopwatch.GetTimestamp());

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Window(UnavailableEnergyMeter meter, long started) : IEnergyWindow
    {
        private EnergyReading? _reading;

        public EnergyReading Stop() => _reading ??=
            EnergyReading.Unavailable(meter.Device, meter.Source, meter.UnavailableReason, Stopwatch.GetElapsedTime(started));

        public void Dispose() => Stop();
    }
}
