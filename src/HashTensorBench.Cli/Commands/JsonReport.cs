using System.Text.Json;
using HashTensorBench.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Commands;

/// <summary>Timed runs as JSON: every figure with its unit, and energy as measured or unavailable with the reason.</summary>
internal static class JsonReport
{
    public static void WriteRun(Utf8JsonWriter writer, TimedRun run)
    {
        writer.WriteStartObject();
        writer.WriteString("device", run.Device);
        writer.WriteString("unit", run.Unit);
        writer.WriteNumber("work", run.Work);
        writer.WriteNumber("seconds", run.Elapsed.TotalSeconds);
        writer.WriteNumber("per_second", run.WorkPerSecond);
        writer.WritePropertyName("energy");
        WriteEnergy(writer, run.Energy);
        if (run.WorkPerJoule is double perJoule)
            writer.WriteNumber("per_joule", perJoule);
        else
            writer.WriteNull("per_joule");
        writer.WriteEndObject();
    }

    private static void WriteEnergy(Utf8JsonWriter writer, EnergyReading energy)
    {
        writer.WriteStartObject();
        writer.WriteString("source", energy.Source);
        writer.WriteString("status", energy.Joules is null ? "unavailable" : "measured");
        if (energy.Joules is double joules)
        {
            writer.WriteNumber("joules", joules);
            writer.WriteNumber("watts", energy.AverageWatts!.Value);
            writer.WriteBoolean("window_under_10_s", energy.IsTooShort);
        }
        else
        {
            writer.WriteString("reason", energy.UnavailableReason);
        }
        WriteState(writer, "at_start", energy.AtStart);
        WriteState(writer, "at_end", energy.AtEnd);
        writer.WriteEndObject();
    }

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
        writer.WriteEndObject();
    }
}
