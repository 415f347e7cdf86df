using System.Globalization;

namespace HashTensorBench.Energy;

/// <summary>
/// What a device reported about itself at one edge of a window, where its source gives it (NVML does,
/// RAPL does not): a throttled clock or a hot die explains a low figure.
/// </summary>
/// <param name="PowerLimitWatts">The enforced power limit, in watts.</param>
/// <param name="SmClockMHz">The streaming-multiprocessor clock, in MHz.</param>
/// <param name="TemperatureCelsius">The die temperature, in °C.</param>
public readonly record struct DeviceState(double? PowerLimitWatts, uint? SmClockMHz, uint? TemperatureCelsius)
{
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
        return parts.Count == 0 ? "unknown" : string.Join(", ", parts);
    }
}
