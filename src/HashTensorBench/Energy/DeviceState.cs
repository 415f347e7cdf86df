using System.Globalization;

namespace HashTensorBench.Energy;

/// <summary>
/// What a device reported about itself at one edge of a window, where its source gives it (NVML does,
/// RAPL does not): a throttled clock or a hot die explains a low figure.
/// </summary>
/// <param name="PowerLimitWatts">The enforced power limit, in watts.</param>
/// <param name="SmClockMHz">The streaming-multiprocessor clock, in MHz.</param>
/// <param name="TemperatureCelsius">The die temperature, in °C.</param>
/// <param name="ClockLimits">
/// What holds the clock back right now, as NVML names it (<c>SwPowerCap</c>, <c>HwThermalSlowdown</c>, …, comma-separated),
/// <c>none</c> when nothing does; null when the source cannot say.
/// </param>
public readonly record struct DeviceState(double? PowerLimitWatts, uint? SmClockMHz, uint? TemperatureCelsius, string? ClockLimits = null)
{
    // NVML's clocks-event (throttle) reason bits, nvml.h.
    private static readonly (ulong Bit, string Name)[] s_limits =
    [
        (0x1, "GpuIdle"), (0x2, "ApplicationsClocksSetting"), (0x4, "SwPowerCap"), (0x8, "HwSlowdown"), (0x10, "SyncBoost"),
        (0x20, "SwThermalSlowdown"), (0x40, "HwThermalSlowdown"), (0x80, "HwPowerBrakeSlowdown"), (0x100, "DisplayClockSetting"),
    ];

    /// <summary>NVML's reason bits as names: <c>none</c> for 0, unknown bits in hex.</summary>
    public static string ClockLimitNames(ulong reasons)
    {
        if (reasons == 0)
            return "none";
        var names = s_limits.Where(l => (reasons & l.Bit) != 0).Select(l => l.Name).ToList();
        ulong unknown = reasons & ~s_limits.Aggregate(0UL, (all, l) => all | l.Bit);
        if (unknown != 0)
            names.Add(string.Create(CultureInfo.InvariantCulture, $"0x{unknown:x}"));
        return string.Join(",", names);
    }

    /// <summary>Whether the clock was held back by power, heat or a slowdown (not by idleness or a setting).</summary>
    public bool IsThrottled => ClockLimits is { } limits && limits.Split(',').Any(l => l is not ("none" or "GpuIdle" or "ApplicationsClocksSetting" or "DisplayClockSetting"));

    /// <summary>The known values, for example <c>limit 700 W, SM 1980 MHz, 41 °C</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (PowerLimitWatts is { } limit)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"limit {limit:0.#} W"));
        if (SmClockMHz is { } clock)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"SM {clock} MHz"));
        if (TemperatureCelsius is { } temperature)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{temperature} °C"));
        if (ClockLimits is { } limits)
            parts.Add($"clock limits: {limits}");
        return parts.Count == 0 ? "unknown" : string.Join(", ", parts);
    }
}
