using System.Globalization;
using HashTensorBench.Economics.Site;
using ScottPlot;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report's charts, PNG and SVG: profit per MW per year of each scenario against the BTC price
/// (log axis: the break-evens lie an order of magnitude apart) and against GPU rent × utilisation. Each
/// names its inputs, date and units.
/// </summary>
internal static class SiteCharts
{
    private const int Width = 1100, Height = 650;

    // Profits run from a loss of half a million to tens of millions per MW: a symmetric log axis (linear
    // within ±10,000 USD, logarithmic beyond) shows the mining line beside the GPU cloud one, and losses.
    private const double LinearWithin = 10_000;

    private static double Y(double usd) => Math.Sign(usd) * Math.Log10(1 + Math.Abs(usd) / LinearWithin);
    // ASIC mining, GPU cloud, AI colocation, GPU hashing: hashing and AI in the colours of the compare charts.
    private static readonly Color[] s_colors = [ReportCharts.HashingColor, ReportCharts.AiColor, Colors.C2, Colors.C3];

    /// <summary>Writes both charts into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(SiteReport report, string directory)
    {
        ReportCharts.EnsureFont();
        var files = new List<string>();
        ReportCharts.Save(files, directory, "site-profit-vs-btc-price", ByBtcPrice(report), Width, Height);
        ReportCharts.Save(files, directory, "site-profit-vs-rent", ByRent(report), Width, Height);
        return files;
    }

    private static Plot ByBtcPrice(SiteReport report)
    {
        var plan = report.Plan;
        var inputs = plan.Inputs;
        double now = inputs.Market.BtcPrice.Value;
        var breakEvens = new[] { plan.BreakEven.BtcPriceVsColocation.Value, plan.BreakEven.BtcPriceVsGpuCloud.Value }.OfType<double>().Where(p => p > 0).ToArray();
        double low = Math.Min(10_000, now / 2), high = Math.Min(1e8, Math.Max(2e6, breakEvens.DefaultIfEmpty(0).Max() * 1.5));
        var prices = LogSpaced(low, high);
        var points = SiteAnalysis.ProfitAgainstBtcPrice(inputs, prices);
        var plot = NewPlot(report, "Profit per MW of IT load per year against the BTC price", "BTC price (USD, log scale)");
        AddLines(plot, plan, points, x => Math.Log10(x));

        LogTicks(plot, low, high, v => v >= 1e6 ? $"{v / 1e6:G}M" : $"{v / 1e3:G}k");
        Marker(plot, points, Math.Log10(now), $"now: {now:N0} USD", Colors.Gray);
        foreach (var (figure, against) in new[] { (plan.BreakEven.BtcPriceVsColocation, "colocation"), (plan.BreakEven.BtcPriceVsGpuCloud, "GPU cloud") })
        {
            if (figure.Value is double p && p > 0 && p <= high)
            {
                double profit = SiteAnalysis.ProfitAgainstBtcPrice(inputs, [p])[0].Profit[SiteAnalysis.Mining]!.Value;
                plot.Add.Marker(Math.Log10(p), Y(profit), MarkerShape.OpenCircle, 12, Colors.Black);
                var text = plot.Add.Text($"mining = {against}\nat {p:N0} USD/BTC", Math.Log10(p), Y(profit));
                text.LabelFontName = ReportCharts.FontName;
                text.LabelFontSize = 12;
                text.LabelAlignment = Alignment.LowerRight;
                text.OffsetX = -6;
            }
        }
        return plot;
    }

    private static Plot ByRent(SiteReport report)
    {
        var plan = report.Plan;
        var inputs = plan.Inputs;
        double now = inputs.GpuRent.HasValue ? inputs.GpuRent.Value * inputs.Utilisation.Value : double.NaN;
        double breakEven = plan.BreakEven.RentTimesUtilisation.Value ?? 1;
        double low = Math.Min(0.01, breakEven / 2), high = Math.Max(10, double.IsFinite(now) ? now * 2 : 0);
        var rents = LogSpaced(low, high);
        var points = SiteAnalysis.ProfitAgainstRentTimesUtilisation(inputs, rents);
        var plot = NewPlot(report, "Profit per MW of IT load per year against GPU rent × utilisation", "GPU rent × utilisation (USD per GPU-hour of the year, log scale)");
        AddLines(plot, plan, points, Math.Log10);
        LogTicks(plot, low, high, v => v >= 1 ? $"{v:G}" : v.ToString("0.0##", CultureInfo.InvariantCulture));
        if (double.IsFinite(now))
            Marker(plot, points, Math.Log10(now), $"now: {inputs.GpuRent.Value:G} USD/h × {inputs.Utilisation.Value:G} = {now:G3}", Colors.Gray);
        if (plan.BreakEven.RentTimesUtilisation.Value is double x && x <= high && x >= low)
        {
            double profit = plan[SiteAnalysis.Mining].Profit.Value!.Value;
            plot.Add.Marker(Math.Log10(x), Y(profit), MarkerShape.OpenCircle, 12, Colors.Black);
            var text = plot.Add.Text($"GPU cloud = mining\nat {x:G3} USD per GPU-hour", Math.Log10(x), Y(profit));
            text.LabelFontName = ReportCharts.FontName;
            text.LabelFontSize = 12;
            text.LabelAlignment = Alignment.UpperLeft;
            text.OffsetX = 8;
            text.OffsetY = 6;
        }
        return plot;
    }

    private static void AddLines(Plot plot, SitePlan plan, IReadOnlyList<SensitivityPoint> points, Func<double, double> x)
    {
        for (int i = 0; i < SiteReport.Columns.Count; i++)
        {
            var (key, _) = SiteReport.Columns[i];
            var known = points.Where(p => p.Profit[key] is not null).ToArray();
            if (known.Length == 0)
                continue;
            double[] xs = [.. known.Select(p => x(p.X))], ys = [.. known.Select(p => Y(p.Profit[key]!.Value))];
            var line = plot.Add.ScatterLine(xs, ys, s_colors[i]);
            line.LineWidth = 2.5f;
            line.LegendText = plan[key].Name;
        }
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dotted);
        zero.LabelText = "";
        plot.Legend.FontName = ReportCharts.FontName;
        plot.Legend.FontSize = 12;
        plot.ShowLegend(Alignment.MiddleRight);
        // A scenario with no known profit anywhere on the sweep is named, with why, under the inputs.
        var unknown = SiteReport.Columns.Where(c => points.All(p => p.Profit[c.Key] is null))
            .Select(c => $"{c.Short}: {plan[c.Key].Profit.Note}").ToArray();
        if (unknown.Length > 0 && plot.GetPlottables<ScottPlot.Plottables.Annotation>().FirstOrDefault() is { } subtitle)
            subtitle.Text += "\nnot drawn: " + string.Join("; ", unknown);
    }

    private static void Marker(Plot plot, IReadOnlyList<SensitivityPoint> points, double x, string label, Color color)
    {
        plot.Add.VerticalLine(x, 1, color, LinePattern.Dashed);
        double top = points.SelectMany(p => p.Profit.Values).OfType<double>().Select(Y).Max();
        var text = plot.Add.Text(label, x, top);
        text.LabelFontName = ReportCharts.FontName;
        text.LabelFontSize = 12;
        text.LabelFontColor = Colors.DimGray;
        text.LabelAlignment = Alignment.UpperLeft;
        text.OffsetX = 4;
    }

    private static double[] LogSpaced(double low, double high) =>
        [.. Enumerable.Range(0, 121).Select(i => Math.Pow(10, Math.Log10(low) + (Math.Log10(high) - Math.Log10(low)) * i / 120))];

    // Ticks at 1, 2 and 5 of every decade on the x axis; on the y axis at 0 and ±10^k USD.
    private static void LogTicks(Plot plot, double low, double high, Func<double, string> label)
    {
        var ticks = new List<(double, string)>();
        for (double decade = Math.Pow(10, Math.Floor(Math.Log10(low))); decade <= high; decade *= 10)
        {
            foreach (double m in new[] { 1, 2, 5 })
            {
                double v = decade * m;
                if (v >= low * 0.999 && v <= high * 1.001)
                    ticks.Add((Math.Log10(v), label(v)));
            }
        }
        plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Item1)], [.. ticks.Select(t => t.Item2)]);
        var yTicks = new List<(double, string)> { (0, "0") };
        foreach (double usd in new[] { 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9 })
        {
            string text = usd >= 1e6 ? $"{usd / 1e6:G}M" : $"{usd / 1e3:G}k";
            yTicks.Add((Y(usd), text));
            yTicks.Add((Y(-usd), "−" + text));
        }
        plot.Axes.Left.SetTicks([.. yTicks.Select(t => t.Item1)], [.. yTicks.Select(t => t.Item2)]);
    }

    private static Plot NewPlot(SiteReport report, string title, string xAxis)
    {
        var i = report.Plan.Inputs;
        string rent = i.GpuRent.HasValue ? $"{i.GpuRent.Value:G} USD/h × {i.Utilisation.Value:G}" : "no rent";
        string inputs = string.Create(CultureInfo.InvariantCulture,
            $"{i.Asic.Model} ({i.Asic.TerahashesPerSecond:G} TH/s, {i.Asic.JoulesPerTerahash:G} J/TH) · {i.GpuModel} ({i.GpuAiWatts.Value:F0} W + {i.GpuOverheadWatts.Value:F0} W, {rent}) · colocation {i.ColoPrice.Value / 1e6:G3} M USD/MW-year\n"
            + $"electricity {i.Market.ElectricityPrice.Value:G} USD/kWh · PUE {i.Pue.Value:G} · difficulty {i.Market.Difficulty.Value / 1e12:G5} T · pool fee {i.Market.PoolFee.Value:P1} · defaults collected {report.Defaults.Collected:yyyy-MM-dd} · generated {report.Generated:yyyy-MM-dd} · htb site");
        var plot = ReportCharts.NewPlot(title, "profit (USD per MW per year; symmetric log scale, linear within ±10k)");
        plot.Axes.Bottom.Label.Text = xAxis;
        plot.Axes.Title.Label.FontSize = 17;
        var subtitle = plot.Add.Annotation(inputs, Alignment.LowerCenter);
        subtitle.LabelFontName = ReportCharts.FontName;
        subtitle.LabelFontSize = 11;
        subtitle.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
        subtitle.LabelBorderColor = Colors.LightGray;
        subtitle.LabelShadowColor = Colors.Transparent;
        plot.Axes.Margins(bottom: 0.22, top: 0.12);
        return plot;
    }
}
