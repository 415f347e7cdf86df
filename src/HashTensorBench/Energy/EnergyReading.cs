using System.Globalization;

namespace HashTensorBench.Energy;

/// <summary>
/// The energy a device used over a window, or why it could not be measured. An unavailable reading
/// has no joules and no watts (both null), so it cannot be mistaken for a measured zero.
/// </summary>
public sealed class EnergyReading
{
    /// <summary>
    /// Windows shorter than this many seconds are flagged <see cref="IsTooShort"/>: the counters update
    /// about every 100 ms (NVML's power reading is itself a 1 s average), so a short window's edges
    /// weigh too much.
    /// </summary>
    public const double MinimumSeconds = 10;

    private EnergyReading(string device, string source, double? joules, TimeSpan duration, string? unavailableReason,
        DeviceState? atStart, DeviceState? atEnd)
    {
        Device = device;
        Source = source;
        Joules = joules;
        Duration = duration;
        UnavailableReason = unavailableReason;
        AtStart = atStart;
        AtEnd = atEnd;
    }

    /// <summary>A measured reading.</summary>
    /// <param name="device">The device, as <see cref="IEnergyMeter.Device"/>.</param>
    /// <param name="source">The source, one of <see cref="EnergySources"/>.</param>
    /// <param name="joules">The energy used over the window, finite and not negative.</param>
    /// <param name="duration">The window's length, positive.</param>
    /// <param name="atStart">The device's state when the window opened, where known.</param>
    /// <param name="atEnd">The device's state when the window closed, where known.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="joules"/> or <paramref name="duration"/> is out of range.</exception>
    public static EnergyReading Measured(string device, string source, double joules, TimeSpan duration,
        DeviceState? atStart = null, DeviceState? atEnd = null)
    {
        if (!double.IsFinite(joules) || joules < 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(joules), "Energy must be finite and not negative.");
        if (duration <= TimeSpan.Zero)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(duration), "A window must last a positive time.");
        return new EnergyReading(device, source, joules, duration, null, atStart, atEnd);
    }

    /// <summary>A reading that could not be measured.</summary>
    /// <param name="device">The device, as <see cref="IEnergyMeter.Device"/>.</param>
    /// <param name="source">The source that was tried, or <see cref="EnergySources.None"/>.</param>
    /// <param name="reason">Why, in a few words (for example <c>no permission (…)</c>).</param>
    /// <param name="duration">The window's length, where there was a window.</param>
    public static EnergyReading Unavailable(string device, string source, string reason, TimeSpan duration = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new EnergyReading(device, source, null, duration, reason, null, null);
    }

    /// <summary>The device measured.</summary>
    public string Device { get; }

    /// <summary>Where the figure comes from: one of <see cref="EnergySources"/>.</summary>
    public string Source { get; }

    /// <summary>Whether this reading holds a measured figure.</summary>
    public bool IsMeasured => UnavailableReason is null;

    /// <summary>Why there is no figure; null when <see cref="IsMeasured"/>.</summary>
    public string? UnavailableReason { get; }

    /// <summary>The energy used over the window, in joules; null when unavailable.</summary>
    public double? Joules { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The average power over the window, in watts; null when unavailable.</summary>
    public double? AverageWatts => Joules / Duration.TotalSeconds;

    /// <summary>Whether a measured window is shorter than <see cref="MinimumSeconds"/>, so its figure is rough.</summary>
    public bool IsTooShort => IsMeasured && Duration.TotalSeconds < MinimumSeconds;

    /// <summary>The device's state when the window opened, where the source reports it.</summary>
    public DeviceState? AtStart { get; }

    /// <summary>The device's state when the window closed, where the source reports it.</summary>
    public DeviceState? AtEnd { get; }

    /// <summary>Gets the energy in joules, or returns false when the reading is unavailable.</summary>
    public bool TryGetJoules(out double joules)
    {
        joules = Joules.GetValueOrDefault();
        return Joules.HasValue;
    }

    /// <summary>
    /// One line, for example <c>1234.5 J over 12.00 s = 102.9 W (rapl, cpu package-0)</c> or
    /// <c>unavailable: no powercap zone (…) (rapl, cpu)</c>.
    /// </summary>
    public override string ToString()
    {
        if (Joules is not { } joules)
            return $"unavailable: {UnavailableReason} ({Source}, {Device})";
        var seconds = Duration.TotalSeconds;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{joules:0.###} J over {seconds:0.00} s = {joules / seconds:0.###} W ({Source}, {Device})");
        if (IsTooShort)
            text += string.Create(CultureInfo.InvariantCulture, $" [too short: {seconds:0.00} s < {MinimumSeconds} s]");
        if (AtStart is { } start && AtEnd is { } end)
            text += $" [start: {start}; end: {end}]";
        return text;
    }
}
