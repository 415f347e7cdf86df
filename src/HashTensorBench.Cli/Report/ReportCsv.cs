using System.Globalization;
using HashTensorBench.Comparison;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The report as CSV, one row per figure: device, part (a workload, <c>hashing</c>, <c>ai</c>, <c>decision</c> or the
/// device itself), figure, value, unit, source and note. It is written from the JSON as read back, so that both files say the
/// same and a spreadsheet gets every figure report.json has, with its source.
/// </summary>
internal static class ReportCsv
{
    public const string Header = "device,device_name,part,figure,value,unit,source,note";

    public static void Write(TextWriter writer, ReportDocument report)
    {
        writer.WriteLine(Header);
        foreach (var device in report.Devices)
        {
            void Row(string part, string figure, ReportFigure? value)
            {
                if (value is not null)
                    writer.WriteLine(string.Join(',', Field(device.Id), Field(device.Name), Field(part), Field(figure),
                        value.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "", Field(value.Unit), Field(value.Source), Field(value.Note ?? "")));
            }
            foreach (var w in device.Workloads)
            {
                if (!w.IsMeasured)
                {
                    Row(w.Workload, "status", new ReportFigure(null, "", w.Status, w.Reason));
                    continue;
                }
                Row(w.Workload, "work", w.Work);
                Row(w.Workload, "seconds", w.Seconds);
                Row(w.Workload, "rate", w.Rate);
                Row(w.Workload, "joules", w.Joules);
                Row(w.Workload, "watts", w.Watts);
                Row(w.Workload, "per_joule", w.PerJoule);
            }
            Row("device", "gpu_rental", device.GpuRental?.Figure);
            Row("device", "joules_per_terahash", device.JoulesPerTerahash);
            foreach (var (part, use) in new[] { ("hashing", device.Hashing), ("ai", device.Ai) })
            {
                if (use is null)
                    continue;
                Row(part, "watts", use.Watts);
                Row(part, "revenue", use.Revenue);
                Row(part, "electricity", use.Electricity);
                Row(part, "profit", use.Profit);
                Row(part, "profit_per_mwh", use.ProfitPerMWh);
            }
            if (device.Decision is { } decision)
            {
                Row("decision", "margin", decision.Margin);
                Row("decision", "break_even_btc_price", decision.BreakEvenBtcPrice);
                Row("decision", "break_even_rental", decision.BreakEvenRental);
            }
        }
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
