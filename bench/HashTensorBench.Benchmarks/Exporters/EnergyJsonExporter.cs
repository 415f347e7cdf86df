using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;
using HashTensorBench.Energy;

namespace HashTensorBench.Benchmarks.Exporters;

/// <summary>
/// Writes <c>*-energy.json</c> beside BenchmarkDotNet's reports: for every benchmark and every figure,
/// either <c>"source": "measured"</c> with the value or <c>"source": "unavailable"</c> with the reason, as in report.json.
/// BenchmarkDotNet's own CSV and JSON write a missing metric as an empty string, which cannot tell "not
/// measured" from "unavailable here", and lose the reason.
/// </summary>
public sealed class EnergyJsonExporter(EnergyDiagnoser diagnoser) : ExporterBase
{
    protected override string FileExtension => "json";

    protected override string FileCaption => "energy";

    public override void ExportToLog(Summary summary, ILogger logger) => logger.Write(ToJson(summary, diagnoser));

    /// <summary>The sidecar document for <paramref name="summary"/>.</summary>
    public static string ToJson(Summary summary, EnergyDiagnoser diagnoser)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("title", summary.Title);
            json.WriteNumber("minimum_window_seconds", EnergyReading.MinimumSeconds);
            json.WriteStartArray("idle");
            foreach (var (device, reading) in diagnoser.Idle)
            {
                json.WriteStartObject();
                json.WriteString("kind", device.ToString().ToLowerInvariant());
                WriteReading(json, reading);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("benchmarks");
            foreach (var report in summary.Reports)
            {
                var benchmarkCase = report.BenchmarkCase;
                var work = BenchmarkWork.For(benchmarkCase);
                json.WriteStartObject();
                json.WriteString("benchmark", benchmarkCase.Descriptor.WorkloadMethodDisplayInfo);
                json.WriteString("parameters", benchmarkCase.Parameters.DisplayInfo);
                json.WriteString("job", benchmarkCase.Job.DisplayInfo);
                json.WriteString("work_unit", work.Unit);
                json.WriteNumber("work_per_operation", work.PerOperation);
                if (report.ResultStatistics is { Mean: > 0 } statistics)
                    WriteMeasured(json, "throughput", work.Unit + "/s", ThroughputColumn.Compute(work.PerOperation, statistics.Mean));
                else
                    WriteUnavailable(json, "throughput", work.Unit + "/s", "the benchmark has no result");
                if (diagnoser.Figures.TryGetValue(benchmarkCase, out var figures))
                {
                    WriteReading(json, figures.Reading);
                    json.WriteNumber("operations", figures.Operations);
                    json.WriteNumber("workload_seconds", figures.WorkloadSeconds);
                    if (figures.WorkPerJoule is { } perJoule)
                        WriteMeasured(json, "work_per_joule", work.Unit + "/J", perJoule);
                    else
                        WriteUnavailable(json, "work_per_joule", work.Unit + "/J", figures.Reading.UnavailableReason ?? "no energy in the window");
                }
                else
                {
                    const string reason = "no energy window (the benchmark did not reach its actual workload stage)";
                    WriteUnavailable(json, "joules", "J", reason);
                    WriteUnavailable(json, "average_watts", "W", reason);
                    WriteUnavailable(json, "work_per_joule", work.Unit + "/J", reason);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteReading(Utf8JsonWriter json, EnergyReading reading)
    {
        json.WriteString("device", reading.Device);
        json.WriteString("source", reading.Source);
        json.WriteNumber("window_seconds", reading.Duration.TotalSeconds);
        json.WriteBoolean("window_too_short", reading.IsTooShort);
        if (reading.Joules is { } joules && reading.AverageWatts is { } watts)
        {
            WriteMeasured(json, "joules", "J", joules);
            WriteMeasured(json, "average_watts", "W", watts);
        }
        else
        {
            WriteUnavailable(json, "joules", "J", reading.UnavailableReason!);
            WriteUnavailable(json, "average_watts", "W", reading.UnavailableReason!);
        }
        WriteState(json, "at_start", reading.AtStart);
        WriteState(json, "at_end", reading.AtEnd);
    }

    private static void WriteMeasured(Utf8JsonWriter json, string name, string unit, double value)
    {
        json.WriteStartObject(name);
        json.WriteString("source", "measured");
        json.WriteNumber("value", value);
        json.WriteString("unit", unit);
        json.WriteEndObject();
    }

    private static void WriteUnavailable(Utf8JsonWriter json, string name, string unit, string reason)
    {
        json.WriteStartObject(name);
        json.WriteString("source", "unavailable");
        json.WriteNull("value");
        json.WriteString("unit", unit);
        json.WriteString("reason", reason);
        json.WriteEndObject();
    }

    private static void WriteState(Utf8JsonWriter json, string name, DeviceState? state)
    {
        if (state is not { } known)
            return;
        json.WriteStartObject(name);
        WriteOptional(json, "power_limit_watts", known.PowerLimitWatts);
        WriteOptional(json, "sm_clock_mhz", known.SmClockMHz);
        WriteOptional(json, "temperature_celsius", known.TemperatureCelsius);
        if (known.ClockLimits is { } limits)
            json.WriteString("clock_limits", limits);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } known)
            json.WriteNumber(name, known);
        else
            json.WriteNull(name);
    }
}
