using System.Globalization;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;
using ScottPlot;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report's charts, PNG and SVG, each naming its inputs with their dates: the cumulative cash per MW of each use over
/// time with the halvings marked.
/// </summary>
internal static class SiteCharts
{
    private const int Width = 1100, Height = 650;

    // ASIC mining, GPU cloud, AI colocation, GPU hashing: hashing and AI in the colours of the compare charts.
    private static readonly Dictionary<string, Color> s_colors = new()
    {
        [SiteAnalysis.Asic] = ReportCharts.HashingColor,
        [SiteAnalysis.GpuCloud] = ReportCharts.AiColor,
        [SiteAnalysis.Colocation] = Colors.C2,
        [SiteAnalysis.GpuHashing] = Colors.C3,
    };

    /// <summary>The charts' file names, without extension.</summary>
    public static IReadOnlyList<string> Names { get; } = ["site-cumulative-cash"];

    /// <summary>Writes every chart into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(SiteReport report, string directory)
    {
        ReportCharts.EnsureFont();
        var files = new List<string>();
        ReportCharts.Save(files, directory, Names[0], CumulativeCash(report), Width, Height);
        return files;
    }

    // Undiscounted cash so far, year by year: capex in year 0 pulls each line below zero; the residual value lifts the last point.
    private static Plot CumulativeCash(SiteReport report)
    {
        var plan = report.Plan;
        var plot = NewPlot(report, "Cumulative cash per MW of IT load, each use over its horizon (after capex)", "cumulative cash (million USD per MW, undiscounted)");
        plot.Axes.Bottom.Label.Text = "years from month 0";
        foreach (var v in plan.Valuations)
        {
            double[] xs = [0, .. v.Years.Select(y => Math.Min(y.Year, v.Use.Years))];
            double[] ys = [-v.Use.Capex[0] / 1e6, .. v.Years.Select(y => y.Cumulative / 1e6)];
            var line = plot.Add.ScatterLine(xs, ys, s_colors[v.Key]);
            line.LineWidth = 2.5f;
            line.LegendText = v.Use.Name;
        }
        plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dotted);
        foreach (var (date, month, _) in plan.Model.Halvings.Where(h => h.Month >= 0 && h.Month <= plan.Valuations.Max(v => v.Use.Months)))
        {
            var line = plot.Add.VerticalLine(month / 12.0, 1, Colors.Gray, LinePattern.Dashed);
            line.LabelText = $"halving {date:yyyy-MM}";
            line.LabelFontName = ReportCharts.FontName;
        }
        plot.Legend.FontName = ReportCharts.FontName;
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot NewPlot(SiteReport report, string title, string axis)
    {
        var i = report.Plan.Inputs;
        static string Dated(MarketInput input) => input.Date is DateOnly d ? $" ({d:yyyy-MM-dd})" : input.Origin == InputOrigin.User ? " (user)" : "";
        string inputs = string.Create(CultureInfo.InvariantCulture,
            $"BTC {i[Input.BtcPrice].Value:N0} USD{Dated(i[Input.BtcPrice])} · difficulty {i[Input.Difficulty].Value / 1e12:G5} T{Dated(i[Input.Difficulty])} growing {i[Input.DifficultyGrowth].Value:P0}/yr · electricity {i[Input.Electricity].Value:G} USD/kWh · PUE {i[Input.Pue].Value:G} · discount {i[Input.DiscountRate].Value:P0}\n"
            + $"{i.Asic.Model} at {i[Input.AsicPrice].Value:G} USD/TH · {i.GpuModel} at {i[Input.GpuServerPrice].Value:N0} USD · rent {(i[Input.GpuRent].HasValue ? $"{i[Input.GpuRent].Value:G} USD/h{Dated(i[Input.GpuRent])}" : "none")} changing {i[Input.RentChange].Value:P0}/yr · colocation {i[Input.ColoPrice].Value / 1e6:G3} M USD/MW-yr · generated {report.Generated:yyyy-MM-dd} · htb site");
        var plot = ReportCharts.NewPlot(title, axis);
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
