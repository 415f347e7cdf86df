using System.Text.Json;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Comparison;

/// <summary>
/// The report as JSON. Every figure is an object with its value (null when unknown), unit and source:
/// <c>measured</c>, <c>unavailable</c> (with the reason), <c>derived</c> (with the arithmetic),
/// <c>default</c> (with its date and publisher), <c>user</c>, or <c>given</c> (a device's power from <c>--watts</c>).
/// <see cref="ReportJsonReader"/> reads it back. The figure writers are public because the command line's other JSON
/// (site, hashrate, gemm) writes its figures the same way.
/// </summary>
public static class ReportJson
{
    /// <summary>The <c>tool</c> a compare report names, by which a reader knows it.</summary>
    public const string Tool = "htb compare";

    /// <summary>
    /// The schema's version, written as <c>version</c>: raise it when a figure changes meaning or leaves, so that an
    /// older reader refuses the report instead of misreading it. Reports written before the field are version 1.
    /// </summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="report"/> to <paramref name="stream"/> as indented JSON.</summary>
    public static void Write(Stream stream, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("tool", Tool);
        writer.WriteNumber("version", Version);
        writer.WriteString("generated", report.Generated.ToString("O"));
        writer.WriteNumber("workload_seconds", report.WorkloadDuration.TotalSeconds);
        writer.WriteBoolean("quick", report.Quick);
        writer.WriteBoolean("cancelled", report.Cancelled);
        writer.WriteString("cpu", report.Cpu);
        writer.WriteString("cuda", report.CudaSummary);
        writer.WriteString("ai_format", report.AiFormat.Name);
        if (report.Defaults is { } defaults)
        {
            writer.WriteStartObject("defaults");
            WriteDefaults(writer, defaults, DateOnly.FromDateTime(report.Generated.UtcDateTime));
            writer.WriteEndObject();
        }
        writer.WriteStartArray("inputs");
        foreach (var (definition, input) in report.Inputs.All())
            WriteInput(writer, definition.Label, input);
        writer.WriteEndArray();
        WriteStale(writer, report.Ages);
        writer.WriteStartArray("unused_inputs");
        foreach (string unused in report.Unused)
            writer.WriteStringValue(unused);
        writer.WriteEndArray();
        writer.WriteStartArray("devices");
        foreach (var device in report.Devices)
            WriteDevice(writer, device);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The defaults older than <see cref="MarketDefaults.StaleAfterDays"/> days, each with its age: compare's and site's.</summary>
    public static void WriteStale(Utf8JsonWriter writer, InputAges ages)
    {
        writer.WriteStartArray("older_than_90_days");
        foreach (var (key, age) in ages.Stale)
        {
            writer.WriteStartObject();
            writer.WriteString("input", key);
            writer.WriteNumber("age_days", age);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteDevice(Utf8JsonWriter writer, DeviceResult device)
    {
        writer.WriteStartObject();
        writer.WriteString("id", device.Id);
        writer.WriteString("name", device.Name);
        writer.WriteStartArray("workloads");
        foreach (var workload in device.Workloads)
            WriteWorkload(writer, workload);
        writer.WriteEndArray();
        if (device.Inputs.Find(Input.GpuRent) is { } rent)
            WriteInput(writer, "GPU rental", rent, "gpu_rental");
        WriteFigure(writer, "joules_per_terahash", device.JoulesPerTerahash, "J/TH",
            device.JoulesPerTerahash is null ? "unavailable" : "derived",
            device.JoulesPerTerahash is null ? "power was not measured" : "average watts ÷ (H/s ÷ 10^12)");
        WriteUse(writer, "hashing", device.Hashing);
        // The GEMM whose power (and, without a rent, whose rate) prices AI: the report's format, or null when this device has none.
        if (device.AiWorkload is { } priced)
            writer.WriteString("ai_workload", priced.Workload);
        else
            writer.WriteNull("ai_workload");
        WriteUse(writer, "ai", device.Ai);
        if (device.Decision is { } decision)
        {
            writer.WriteStartObject("decision");
            writer.WriteString("winner", decision.Winner);
            writer.WriteString("basis", decision.Basis);
            writer.WriteBoolean("both_lose_money", decision.BothLoseMoney);
            writer.WriteString("ai_priced_by", device.Inputs.Find(Input.GpuRent) is not null
                ? "this device's rent per hour"
                : "a borrowed price per PFLOP/s-hour (POP/s-hour for int8): an H100's rent over its rate; this device has no rental market of its own");
            WriteFigure(writer, "margin", decision.MarginUsdPerDay, "USD/day", "derived", $"{decision.Winner} earns more per day by its {decision.Basis}");
            WritePriced(writer, "break_even_btc_price", decision.BreakEvenBtcPrice, "USD/BTC");
            if (decision.BreakEvenRentalPerHour is { } rent2)
                WritePriced(writer, "break_even_rental", rent2, "USD/h");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("decision");
        }
        writer.WriteEndObject();
    }

    /// <summary>One workload: its figures, or why it has none.</summary>
    public static void WriteWorkload(Utf8JsonWriter writer, WorkloadResult workload)
    {
        writer.WriteStartObject();
        writer.WriteString("workload", workload.Workload);
        if (workload.Run is not TimedRun run)
        {
            writer.WriteString("status", "unavailable");
            writer.WriteString("reason", workload.Error);
            writer.WriteEndObject();
            return;
        }
        writer.WriteString("status", "measured");
        writer.WriteString("implementation", run.Device);
        WriteFigure(writer, "work", run.Work, workload.Unit, "measured", null);
        WriteFigure(writer, "seconds", run.Elapsed.TotalSeconds, "s", "measured", null);
        WriteRate(writer, run);
        var energy = run.Energy;
        string? reason = energy.UnavailableReason;
        WriteFigure(writer, "joules", energy.Joules, "J", reason is null ? "measured" : "unavailable", reason ?? energy.Source);
        WriteFigure(writer, "watts", energy.AverageWatts, "W", reason is null ? "measured" : "unavailable", reason ?? energy.Source);
        string? perJouleReason = reason ?? (run.WorkPerJoule is null ? "no energy was counted in the window" : null);
        WriteFigure(writer, "per_joule", run.WorkPerJoule, workload.Unit + "/J", perJouleReason is null ? "derived" : "unavailable", perJouleReason ?? "work ÷ joules");
        // Only a window that counted energy can be too short for it; with none counted the question has no answer.
        if (energy.Joules is null)
            writer.WriteNull("energy_window_under_10_s");
        else
            writer.WriteBoolean("energy_window_under_10_s", energy.IsTooShort);
        WriteState(writer, "device_at_start", energy.AtStart);
        WriteState(writer, "device_at_end", energy.AtEnd);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A rate as the measurement object every command writes: the median window as <c>value</c>, its extremes, the
    /// relative spread, the window count and seconds, the warm-up, what could distort it (<c>warnings</c>), and for a
    /// run inside an energy window the sustained rate (work ÷ seconds, the one the joules match).
    /// </summary>
    public static void WriteMeasurement(Utf8JsonWriter writer, string name, RateMeasurement measurement, IEnumerable<string> warnings,
        double? sustained = null)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("value", measurement.Median);
        writer.WriteString("unit", measurement.Unit + "/s");
        writer.WriteString("source", "measured");
        writer.WriteNumber("median", measurement.Median);
        writer.WriteNumber("min", measurement.Min);
        writer.WriteNumber("max", measurement.Max);
        writer.WriteNumber("spread", measurement.Spread);
        writer.WriteNumber("lower_quartile", measurement.LowerQuartile);
        writer.WriteNumber("upper_quartile", measurement.UpperQuartile);
        writer.WriteNumber("quartile_spread", measurement.QuartileSpread);
        writer.WriteNumber("windows", measurement.Windows);
        writer.WriteNumber("seconds", measurement.Elapsed.TotalSeconds);
        writer.WriteNumber("warmup_seconds", measurement.Warmup.TotalSeconds);
        if (sustained is double rate)
            writer.WriteNumber("sustained", rate);
        writer.WriteStartArray("warnings");
        foreach (string warning in warnings)
            writer.WriteStringValue(warning);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A timed run's rate (<see cref="WriteMeasurement"/>, with every warning of the run) and the machine's load over it.</summary>
    public static void WriteRate(Utf8JsonWriter writer, TimedRun run)
    {
        WriteMeasurement(writer, "rate", run.Windows, run.Warnings, run.WorkPerSecond);
        writer.WriteStartObject("machine_load");
        var load = run.Load;
        WriteNumberOrNull(writer, "other_busy_cores", load.OtherBusyCores);
        WriteNumberOrNull(writer, "steal_fraction", load.StealFraction);
        WriteNumberOrNull(writer, "cpu_mhz_at_start", load.CpuMHzAtStart);
        WriteNumberOrNull(writer, "cpu_mhz_at_end", load.CpuMHzAtEnd);
        writer.WriteNumber("logical_processors", load.LogicalProcessors);
        if (load.UnavailableReason is { } reason)
            writer.WriteString("reason", reason);
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    // Power limit, SM clock and temperature where the energy source reports them (NVML).
    private static void WriteState(Utf8JsonWriter writer, string name, DeviceState? state)
    {
        if (state is not { } s)
            return;
        writer.WriteStartObject(name);
        if (s.PowerLimitWatts is double limit)
            writer.WriteNumber("power_limit_watts", limit);
        if (s.SmClockMHz is uint clock)
            writer.WriteNumber("sm_clock_mhz", clock);
        if (s.TemperatureCelsius is uint temperature)
            writer.WriteNumber("temperature_celsius", temperature);
        if (s.ClockLimits is { } limits)
            writer.WriteString("clock_limits", limits);
        writer.WriteEndObject();
    }

    private static void WriteUse(Utf8JsonWriter writer, string name, UsePricing? use)
    {
        if (use is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        // The watts that price electricity: the reading, or what the user gave (--watts) where there is none.
        WriteFigure(writer, "watts", use.Watts, "W", use.Watts is null ? "unavailable" : use.PowerSource == PowerSource.Given ? "given" : "measured",
            use.Watts is null ? "power was not measured" : null);
        WritePriced(writer, "revenue", use.Revenue, "USD/day");
        WritePriced(writer, "electricity", use.Electricity, "USD/day");
        WritePriced(writer, "profit", use.Profit, "USD/day");
        WriteFigure(writer, "profit_per_mwh", use.ProfitPerMWh, "USD/MWh", use.ProfitPerMWh is null ? "unavailable" : "derived",
            use.ProfitPerMWh is null ? "power was not measured" : "profit per day ÷ (watts × 24 h ÷ 10^6)");
        writer.WriteEndObject();
    }

    private static void WritePriced(Utf8JsonWriter writer, string name, PricedFigure figure, string unit) =>
        WriteFigure(writer, name, figure.UsdPerDay, unit, figure.UsdPerDay is null ? "unavailable" : "derived", figure.Arithmetic);

    /// <summary>
    /// Which defaults file priced the report, inside an open object: its origin, when it was collected, the line that says
    /// which and how old, and what <c>market refresh</c> read into it (empty for other files).
    /// </summary>
    public static void WriteDefaults(Utf8JsonWriter writer, MarketDefaults defaults, DateOnly today)
    {
        writer.WriteString("file", defaults.Origin);
        writer.WriteString("collected", defaults.Collected.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("description", defaults.Describe(today));
        writer.WriteStartArray("refreshed");
        foreach (string key in defaults.Refreshed)
            writer.WriteStringValue(key);
        writer.WriteEndArray();
        writer.WriteString("refreshed_from", defaults.RefreshedFrom);
        if (defaults.RefreshedAt is DateTimeOffset at)
            writer.WriteString("refreshed_at", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        else
            writer.WriteNull("refreshed_at");
    }

    /// <summary>
    /// One input: its value (null when unavailable), unit and source (<c>default</c> with its date and
    /// publisher, <c>user</c>, <c>measured</c> with the report and device, <c>derived</c> with the arithmetic,
    /// <c>unavailable</c> with the reason).
    /// </summary>
    public static void WriteInput(Utf8JsonWriter writer, string name, MarketInput input, string? property = null, DateOnly? today = null)
    {
        if (property is null)
            writer.WriteStartObject();
        else
            writer.WriteStartObject(property);
        writer.WriteString("name", name);
        if (input.HasValue)
            writer.WriteNumber("value", input.Value);
        else
            writer.WriteNull("value");
        writer.WriteString("unit", input.Unit);
        writer.WriteString("source", input.Origin.ToString().ToLowerInvariant());
        switch (input.Origin)
        {
            case InputOrigin.Default:
                writer.WriteString("as_of", input.AsOf);
                writer.WriteString("published_by", input.Source);
                if (today is DateOnly day && input.AgeDays(day) is int age)
                    writer.WriteNumber("age_days", age);
                break;
            case InputOrigin.User:
                writer.WriteString("as_of", input.AsOf);
                writer.WriteString("published_by", input.Source);
                break;
            case InputOrigin.Measured:
                writer.WriteString("as_of", input.AsOf);
                writer.WriteString("note", input.Source);
                break;
            case InputOrigin.Derived:
                writer.WriteString("note", input.Source);
                break;
            default:
                writer.WriteString("reason", input.Source);
                break;
        }
        writer.WriteEndObject();
    }

    /// <summary>One figure: value (null when unknown), unit, source, and the note or reason.</summary>
    public static void WriteFigure(Utf8JsonWriter writer, string name, double? value, string unit, string source, string? note)
    {
        writer.WriteStartObject(name);
        if (value is double v && double.IsFinite(v))
            writer.WriteNumber("value", v);
        else
            writer.WriteNull("value");
        writer.WriteString("unit", unit);
        writer.WriteString("source", source);
        if (note is not null)
            writer.WriteString(source == "unavailable" ? "reason" : "note", note);
        writer.WriteEndObject();
    }
}
