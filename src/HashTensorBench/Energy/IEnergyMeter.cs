namespace HashTensorBench.Energy;

/// <summary>
/// An energy counter for one device (a CPU's packages, one GPU), read over windows of time. A meter
/// with no source is still a meter: its <see cref="UnavailableReason"/> says why, and its windows give
/// unavailable readings, never a number.
/// </summary>
public interface IEnergyMeter : IDisposable
{
    /// <summary>The device measured, for reports (for example <c>cpu package-0+package-1</c>).</summary>
    string Device { get; }

    /// <summary>Where the joules come from: one of <see cref="EnergySources"/>.</summary>
    string Source { get; }

    /// <summary>Why this meter cannot measure (no driver, not supported, no permission, …); null when it can.</summary>
    string? UnavailableReason { get; }

    /// <summary>Opens a window: energy is counted from now until <see cref="IEnergyWindow.Stop"/>.</summary>
    IEnergyWindow Start();
}

/// <summary>A window of time over which an <see cref="IEnergyMeter"/> counts energy.</summary>
public interface IEnergyWindow : IDisposable
{
    /// <summary>Closes the window and returns what was measured; later calls return the same reading.</summary>
    EnergyReading Stop();
}
