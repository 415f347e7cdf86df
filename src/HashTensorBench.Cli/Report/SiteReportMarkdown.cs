using System.Globalization;
using System.Text;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Cli.Report;

/// <summary>The site report as Markdown: the per-MW table, where it flips, the devices, the sweeps, the arithmetic and every input.</summary>
internal static class SiteReportMarkdown
{
    /// <summary>The rows of the per-MW table: label and figure.</summary>
    public static IReadOnlyList<(string Label, Func<SiteScenario, SiteFigure> Figure)> Rows { get; } =
    [
        ("units in 1 MW", s => s.Units),
        ("revenue", s => s.Revenue),
        ("electricity", s => s.Electricity),
        ("profit", s => s.Profit),
        ("capex", s => s.Capex),
        ("payback (years)", s => s.PaybackYears),
    ];

    /// <summary>A figure for a table cell: whole numbers, years with two decimals, the reason's first words when unknown.</summary>
    public static string Cell(SiteFigure figure) => figure.Value switch
    {
        null => figure.Note.StartsWith("never", StringComparison.Ordinal) ? "never" : "unknown",
        double v when figure.Unit == "years" => v.ToString("N2", CultureInfo.InvariantCulture),
        double v when figure.Unit == "MW leased" => $"{v:G} MW",
        double v => v.ToString("N0", CultureInfo.InvariantCulture),
    };

    /// <summary>Where the answer flips, in words; a break-even that cannot be computed says why.</summary>
    public static IEnumerable<string> BreakEvenLines(SitePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var b = plan.BreakEven;
        var i = plan.Inputs;
        string now = $"now {i.Market.BtcPrice.Value:N0} USD, {plan.Hashprice.Value:N2} USD/PH/day";
        foreach (var (price, hashprice, against) in new[] { (b.BtcPriceVsGpuCloud, b.HashpriceVsGpuCloud, "GPU cloud"), (b.BtcPriceVsColocation, b.HashpriceVsColocation, "AI colocation") })
        {
            yield return price.Value is double p && hashprice.Value is double h
                ? $"mining matches {against} at a BTC price of {p:N0} USD (hashprice {h:N2} USD/PH/day); {now}"
                : $"mining against {against}: no break-even BTC price ({price.Note})";
        }
        yield return b.RentTimesUtilisation.Value is double x
            ? $"GPU cloud matches mining at rent × utilisation {x:N3} USD per GPU-hour: "
                + (b.GpuRent.Value is double r ? $"a rent of {r:N3} USD/h at {i.Utilisation.Value:G} utilisation" : $"no rent at {i.Utilisation.Value:G} utilisation ({b.GpuRent.Note})")
                + (b.Utilisation.Value is double u ? $", or a utilisation of {u:N3} at {i.GpuRent.Value:G} USD/h" : $"; no break-even utilisation ({b.Utilisation.Note})")
            : $"GPU cloud against mining: no break-even rent ({b.RentTimesUtilisation.Note})";
        if (plan.Best is { } best)
            yield return $"most profit per MW: {best.Name}, {best.Profit.Value:N0} USD per year (before capex; payback {(best.PaybackYears.Value is double y ? $"{y:N2} years" : best.PaybackYears.Note)})";
    }

    public static string Write(SiteReport report)
    {
        var plan = report.Plan;
        var inputs = plan.Inputs;
        var md = new StringBuilder();
        md.AppendLine("# A megawatt: mine or host AI? — htb site").AppendLine();
        md.AppendLine($"Generated {report.Generated:yyyy-MM-dd HH:mm} UTC. Per MW of IT load per year; the site has {inputs.Megawatts.Value:G} MW, PUE {inputs.Pue.Value:G}.").AppendLine();
        foreach (string line in report.AgeLines())
            md.AppendLine(line.StartsWith("warning", StringComparison.Ordinal) ? $"- **{line}**" : $"- {line}");
        md.AppendLine($"- ASIC: {inputs.Asic.Model} ({inputs.Asic.TerahashesPerSecond:G} TH/s, {inputs.Asic.JoulesPerTerahash:G} J/TH, {inputs.Asic.Watts:G} W, released {inputs.Asic.Released}; {inputs.Asic.Source})");
        md.AppendLine($"- GPU: {inputs.GpuModel}; hashprice {plan.Hashprice.Value:N2} USD per PH/s per day ({plan.Hashprice.Note})");

        md.AppendLine().AppendLine("## Per MW of IT load per year (USD)").AppendLine();
        md.AppendLine("| | " + string.Join(" | ", plan.Scenarios.Select(s => s.Name)) + " |");
        md.AppendLine("|---|" + string.Concat(plan.Scenarios.Select(_ => "---:|")));
        foreach (var (label, figure) in Rows)
            md.AppendLine($"| {label} | " + string.Join(" | ", plan.Scenarios.Select(s => Cell(figure(s)))) + " |");
        md.AppendLine().AppendLine($"Electricity counts every unit at full power all year, PUE included; profit is before capex, staff and depreciation. Site of {inputs.Megawatts.Value:G} MW: profit per year "
            + string.Join(", ", plan.Scenarios.Select(s => $"{s.Name} {(s.Profit.Value is double p ? (p * inputs.Megawatts.Value).ToString("N0", CultureInfo.InvariantCulture) : "unknown")}")) + " USD.");

        md.AppendLine().AppendLine("## Where the answer flips").AppendLine();
        foreach (string line in BreakEvenLines(plan))
            md.AppendLine($"- {line}");

        if (report.Merged is { } merged)
        {
            md.AppendLine().AppendLine("## Measured devices").AppendLine();
            md.AppendLine($"{merged.Reports.Count} report(s): {string.Join(", ", merged.Reports.Select(r => $"`{r}`"))}. The plan uses **{report.Model?.Model}**.").AppendLine();
            md.AppendLine("| model | devices | sha256d (median) | power hashing | GEMM (median) | power GEMM |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var m in merged.Models)
                md.AppendLine($"| {m.Model} | {m.Devices.Count} | {Scaled(m.MedianHashRate, "H/s")} | {Watts(m.MedianHashWatts)} | {Scaled(m.MedianGemmRate, "FLOP/s")} | {Watts(m.MedianGemmWatts)} |");
            md.AppendLine().AppendLine($"GEMM: the one each report priced AI by (`--ai-format`): {string.Join("; ", merged.Models.Select(m => $"{m.Model}: {(m.GemmWorkloads.Length == 0 ? "none" : m.GemmWorkloads)}"))}.");
            md.AppendLine().AppendLine("| report | device | model | sha256d | power hashing | GEMM | power GEMM |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|");
            foreach (var d in merged.Models.SelectMany(m => m.Devices))
                md.AppendLine($"| `{d.Report}` | {d.Id} | {d.Name} | {Scaled(d.HashRate, "H/s")} | {Watts(d.HashWatts)} | {Scaled(d.GemmRate, "FLOP/s")} | {Watts(d.GemmWatts)} |");
            var outliers = merged.Models.SelectMany(m => m.Outliers).ToArray();
            md.AppendLine().AppendLine(outliers.Length == 0
                ? $"No outliers: no device is more than {ReportMerge.OutlierFraction:P0} slower or hungrier than its peers."
                : $"Outliers (more than {ReportMerge.OutlierFraction:P0} slower or hungrier than the median of their peers):");
            foreach (var o in outliers)
                md.AppendLine($"- {o.Description}");
        }

        md.AppendLine().AppendLine("## Profit per MW per year against the BTC price (USD)").AppendLine();
        Sweep(md, "BTC price (USD)", report.ByBtcPrice, "N0");
        md.AppendLine().AppendLine("## Profit per MW per year against GPU rent × utilisation (USD)").AppendLine();
        Sweep(md, "rent × utilisation (USD per GPU-hour)", report.ByRentTimesUtilisation, "N3");

        md.AppendLine().AppendLine("## Arithmetic").AppendLine();
        foreach (var s in plan.Scenarios)
        {
            md.AppendLine($"- {s.Name}, units: {s.Units.Note}");
            foreach (var (label, figure) in Rows.Skip(1))
                md.AppendLine($"- {s.Name}, {label}: {figure(s).Note}");
        }
        var b = plan.BreakEven;
        foreach (var (label, f) in new[] { ("break-even BTC price against GPU cloud", b.BtcPriceVsGpuCloud), ("break-even hashprice against GPU cloud", b.HashpriceVsGpuCloud),
            ("break-even BTC price against AI colocation", b.BtcPriceVsColocation), ("break-even hashprice against AI colocation", b.HashpriceVsColocation),
            ("break-even rent × utilisation", b.RentTimesUtilisation), ("break-even rent", b.GpuRent), ("break-even utilisation", b.Utilisation) })
            md.AppendLine($"- {label}: {f.Note}");

        md.AppendLine().AppendLine("## Inputs").AppendLine();
        md.AppendLine("| input | flag | value | source |").AppendLine("|---|---|---|---|");
        foreach (var (name, key, input) in inputs.All())
            md.AppendLine($"| {name} | `--{key}` | {(input.HasValue ? $"{input.Value:G} {input.Unit}" : "—")} | {ReportMarkdown.Source(input)}{(input.AgeDays(report.Today) is int age ? $" ({age} days old)" : "")} |");
        md.AppendLine().AppendLine("Charts: `site-profit-vs-btc-price`, `site-profit-vs-rent` (PNG and SVG). Every figure, with its unit and source, is in `site.json`.");
        return md.ToString();
    }

    private static void Sweep(StringBuilder md, string axis, IReadOnlyList<SensitivityPoint> points, string format)
    {
        md.AppendLine($"| {axis} | " + string.Join(" | ", SiteReport.Columns.Select(c => c.Short)) + " |");
        md.AppendLine("|---:|" + string.Concat(SiteReport.Columns.Select(_ => "---:|")));
        foreach (var p in points)
        {
            md.AppendLine($"| {p.X.ToString(format, CultureInfo.InvariantCulture)} | "
                + string.Join(" | ", SiteReport.Columns.Select(c => p.Profit[c.Key] is double v ? v.ToString("N0", CultureInfo.InvariantCulture) : "unknown")) + " |");
        }
    }

    private static string Scaled(double? value, string unit) => value is double v ? ReportFormat.Scaled(v, unit) : "not measured";

    private static string Watts(double? watts) => watts is double w ? $"{w:F1} W" : "not measured";
}
