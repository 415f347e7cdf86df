using System.Text.Json;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report as JSON, in the compare report's manner: every figure an object with its value (null
/// when unknown), unit and source (<c>derived</c> with its arithmetic, <c>unavailable</c> with the reason);
/// every input with <c>default</c> (date, publisher, age), <c>user</c>, <c>measured</c> (report and device) or <c>derived</c>.
/// </summary>
internal static class SiteReportJson
{
    public static void Write(Stream stream, SiteReport report)
    {
        var plan = report.Plan;
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("tool", "htb site");
        writer.WriteString("generated", report.Generated.ToString("O"));
        writer.WriteString("per", "MW of IT load per year");
        writer.WriteStartObject("defaults");
        writer.WriteString("file", report.Defaults.Origin);
        writer.WriteString("collected", report.Defaults.Collected.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartArray("older_than_90_days");
        foreach (var (key, age) in report.Stale)
        {
            writer.WriteStartObject();
            writer.WriteString("input", key);
            writer.WriteNumber("age_days", age);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("asic");
        writer.WriteString("model", plan.Inputs.Asic.Model);
        writer.WriteNumber("terahashes_per_second", plan.Inputs.Asic.TerahashesPerSecond);
        writer.WriteNumber("joules_per_terahash", plan.Inputs.Asic.JoulesPerTerahash);
        writer.WriteString("source", "default");
        writer.WriteString("published_by", plan.Inputs.Asic.Source);
        writer.WriteEndObject();
        writer.WriteString("gpu_model", plan.Inputs.GpuModel);
        writer.WriteStartArray("inputs");
        foreach (var (name, key, input) in plan.Inputs.All())
        {
            // The flag is the input's key, as in the defaults file.
            ReportJson.WriteInput(writer, $"{name} (--{key})", input, today: report.Today);
        }
        writer.WriteEndArray();
        Figure(writer, "hashprice", plan.Hashprice);

        writer.WriteStartArray("scenarios");
        foreach (var s in plan.Scenarios)
        {
            writer.WriteStartObject();
            writer.WriteString("key", s.Key);
            writer.WriteString("name", s.Name);
            Figure(writer, "units", s.Units);
            Figure(writer, "it_watts", s.ItWatts);
            Figure(writer, "revenue", s.Revenue);
            Figure(writer, "electricity", s.Electricity);
            Figure(writer, "profit", s.Profit);
            Figure(writer, "capex", s.Capex);
            Figure(writer, "payback", s.PaybackYears);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        var b = plan.BreakEven;
        writer.WriteStartObject("break_even");
        Figure(writer, "btc_price_vs_gpu_cloud", b.BtcPriceVsGpuCloud);
        Figure(writer, "hashprice_vs_gpu_cloud", b.HashpriceVsGpuCloud);
        Figure(writer, "btc_price_vs_colocation", b.BtcPriceVsColocation);
        Figure(writer, "hashprice_vs_colocation", b.HashpriceVsColocation);
        Figure(writer, "gpu_rent", b.GpuRent);
        Figure(writer, "utilisation", b.Utilisation);
        Figure(writer, "rent_times_utilisation", b.RentTimesUtilisation);
        writer.WriteEndObject();

        if (report.Merged is { } merged)
            WriteMerged(writer, merged, report.Model);
        else
            writer.WriteNull("measured");

        writer.WriteStartObject("sensitivity");
        Sweep(writer, "profit_vs_btc_price", "btc_price_usd", report.ByBtcPrice);
        Sweep(writer, "profit_vs_rent_times_utilisation", "usd_per_gpu_hour", report.ByRentTimesUtilisation);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMerged(Utf8JsonWriter writer, MergedReports merged, ModelSummary? used)
    {
        writer.WriteStartObject("measured");
        writer.WriteStartArray("reports");
        foreach (string r in merged.Reports)
            writer.WriteStringValue(r);
        writer.WriteEndArray();
        writer.WriteString("model_used", used?.Model);
        writer.WriteStartArray("models");
        foreach (var m in merged.Models)
        {
            writer.WriteStartObject();
            writer.WriteString("model", m.Model);
            writer.WriteNumber("devices", m.Devices.Count);
            Median(writer, "sha256d_rate", m.MedianHashRate, "H/s", m.SourceOf(d => d.HashRate));
            Median(writer, "watts_hashing", m.MedianHashWatts, "W", m.SourceOf(d => d.HashWatts));
            Median(writer, "gemm_rate", m.MedianGemmRate, "FLOP/s", $"{m.SourceOf(d => d.GemmRate)}; {m.GemmWorkloads}");
            Median(writer, "watts_gemm", m.MedianGemmWatts, "W", m.SourceOf(d => d.GemmWatts));
            writer.WriteStartArray("outliers");
            foreach (var o in m.Outliers)
            {
                writer.WriteStartObject();
                writer.WriteString("report", o.Device.Report);
                writer.WriteString("device", o.Device.Id);
                writer.WriteString("figure", o.Figure);
                writer.WriteNumber("value", o.Value);
                writer.WriteNumber("peer_median", o.PeerMedian);
                writer.WriteString("description", o.Description);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Median(Utf8JsonWriter writer, string name, double? value, string unit, string source) =>
        ReportJson.WriteFigure(writer, name, value, unit, value is null ? "unavailable" : "measured", value is null ? "not measured on any device of the model" : source);

    private static void Figure(Utf8JsonWriter writer, string name, SiteFigure figure) =>
        ReportJson.WriteFigure(writer, name, figure.Value, figure.Unit, figure.Value is null ? "unavailable" : "derived", figure.Note);

    private static void Sweep(Utf8JsonWriter writer, string name, string x, IReadOnlyList<SensitivityPoint> points)
    {
        writer.WriteStartArray(name);
        foreach (var p in points)
        {
            writer.WriteStartObject();
            writer.WriteNumber(x, p.X);
            foreach (var (key, _) in SiteReport.Columns)
            {
                if (p.Profit[key] is double v)
                    writer.WriteNumber(key, v);
                else
                    writer.WriteNull(key);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString($"{name}_unit", "USD per MW of IT load per year (derived: the plan recomputed at each point)");
    }
}
