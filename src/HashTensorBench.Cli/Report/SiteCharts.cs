using System.Globalization;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;
using ScottPlot;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report's charts, PNG and SVG, each naming its inputs with their dates under the x axis: the cumulative cash per MW
/// of each use over time and the fan of its discounted cash over the paths, with the halvings marked; the leader's NPV as each
/// input moves ±20 %; and each use's annuity against the BTC price and the GPU rent, with where the lead changes.
/// </summary>
internal static class SiteCharts
{
    private const int Width = 1100, Height = 650;

    // Points of the annuity sweeps: a linear axis needs no more to draw a kink where curtailment starts.
    private const int SweepPoints = 60;

    // Characters of the 11-point footer that fit across the chart.
    private const int FooterColumns = 165;

    // The tornado's rows: the dozen largest swings say what matters; the rest are on the sensitivity table.
    private const int TornadoRows = 12;

    // ASIC mining, GPU cloud, AI colocation, GPU hashing: hashing and AI in the colours of the compare charts.
    private static readonly Dictionary<string, Color> s_colors = new()
    {
        [SiteAnalysis.Asic] = ReportCharts.HashingColor,
        [SiteAnalysis.GpuCloud] = ReportCharts.AiColor,
        [SiteAnalysis.Colocation] = Colors.C2,
        [SiteAnalysis.GpuHashing] = Colors.C3,
    };

    private static readonly (string Name, Func<SiteReport, Plot> Draw)[] s_charts =
    [
        ("site-cumulative-cash", CumulativeCash),
        ("site-npv-fan", NpvFan),
        ("site-tornado", Tornado),
        ("site-annuity-vs-btc-price", r => AnnuityAgainst(r, Input.BtcPrice)),
        (AnnuityByRent, r => AnnuityAgainst(r, Input.GpuRent)),
    ];

    /// <summary>
    /// The chart of the annuities against the GPU rent: always written, so that every run writes the same files; without a rent
    /// it has no lines and says why.
    /// </summary>
    public const string AnnuityByRent = "site-annuity-vs-gpu-rent";

    /// <summary>The charts' file names, without extension.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_charts.Select(c => c.Name)];

    /// <summary>Writes every chart into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(SiteReport report, string directory)
    {
        ReportCharts.EnsureFont();
        var files = new List<string>();
        foreach (var (name, draw) in s_charts)
            ReportCharts.Save(files, directory, name, draw(report), Width, Height);
        return files;
    }

    // Undiscounted cash so far, year by year: capex in year 0 pulls each line below zero; the residual value lifts the last point.
    private static Plot CumulativeCash(SiteReport report)
    {
        var plan = report.Plan;
        var plot = NewPlot(report, "Cumulative cash per MW of IT load, each use over its horizon",
            "undiscounted, on the expected path: the capex of month 0 starts each line below 0; the last point includes the residual value",
            "cumulative cash (million USD per MW)");
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
        Halvings(plot, plan);
        return plot;
    }

    // Each use's discounted cash so far at each year-end over the paths: the band from P10 to P90, the line at P50. Where the
    // P50 line crosses zero is the use's discounted payback on a typical path; the band's width is what the paths disagree on.
    private static Plot NpvFan(SiteReport report)
    {
        var plan = report.Plan;
        var risk = report.Risk;
        var s = risk.Settings;
        var plot = NewPlot(report, "Discounted cash so far per MW of IT load, each use over its horizon: P10–P90 band, P50 line",
            string.Create(CultureInfo.InvariantCulture,
                $"{risk.Paths:N0} paths, seed {s.Seed}: BTC volatility {s.BtcVolatility:G}, drift {s.BtcDrift:P0} a year; rent volatility {s.RentVolatility:G}, correlation {s.RentBtcCorrelation:G} with BTC; discounted at {plan.Inputs[Input.DiscountRate].Value:P0} a year"),
            "discounted cash so far (million USD per MW)");
        plot.Axes.Bottom.Label.Text = "years from month 0";
        foreach (var u in risk.Uses)
        {
            var use = plan[u.Key].Use;
            double[] xs = [0, .. u.Fan.Select((_, y) => Math.Min(y + 1, use.Years))];
            double start = -use.Capex[0] / 1e6;
            double[] p10 = [start, .. u.Fan.Select(q => q.P10 / 1e6)];
            double[] p90 = [start, .. u.Fan.Select(q => q.P90 / 1e6)];
            var band = plot.Add.FillY(xs, p10, p90);
            band.FillColor = s_colors[u.Key].WithAlpha(0.22);
            band.LineColor = s_colors[u.Key].WithAlpha(0.5);
            band.LineWidth = 1;
            var median = plot.Add.ScatterLine(xs, [start, .. u.Fan.Select(q => q.P50 / 1e6)], s_colors[u.Key]);
            median.LineWidth = 2.5f;
            median.LegendText = SiteReport.Short(u.Key);
        }
        plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dotted);
        Halvings(plot, plan);
        return plot;
    }

    // The leader's NPV with each input × 0.8 (light) and × 1.2 (dark), the largest swing on top: the inputs to get right first.
    private static Plot Tornado(SiteReport report)
    {
        var plan = report.Plan;
        var best = plan.Best;
        double npv = best.NpvValue;
        var plot = NewPlot(report, $"{SiteReport.Short(best.Key)}, the leader: its NPV per MW as each input moves ±20 %",
            $"{best.Use.Name} over {best.Use.Years:G} years; each input alone (within its bounds), the others as given; the {TornadoRows} largest swings, largest on top",
            "input: value × 0.8 → × 1.2");
        var rows = plan.Sensitivities.Where(r => r.NpvHigh[best.Key] != r.NpvLow[best.Key]).Take(TornadoRows).ToArray();
        if (rows.Length == 0)
        {
            Empty(plot, $"No input moves the NPV of {best.Use.Name}.");
            return plot;
        }
        Color lower = Colors.Silver, higher = Colors.DimGray;
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Length; i++)
        {
            double position = rows.Length - 1 - i;
            foreach (var (value, color) in new[] { (rows[i].NpvLow[best.Key], lower), (rows[i].NpvHigh[best.Key], higher) })
            {
                bars.Add(new Bar { Position = position, ValueBase = npv / 1e6, Value = value / 1e6, FillColor = color, LineWidth = 0, Size = 0.7, Orientation = Orientation.Horizontal });
                var label = plot.Add.Text(Millions(value), value / 1e6, position);
                label.LabelFontName = ReportCharts.FontName;
                label.LabelFontSize = 11;
                label.LabelAlignment = value >= npv ? Alignment.MiddleLeft : Alignment.MiddleRight;
                label.OffsetX = value >= npv ? 4 : -4;
            }
        }
        plot.Add.Bars(bars);
        var baseLine = plot.Add.VerticalLine(npv / 1e6, 1.5f, Colors.Black);
        baseLine.LabelText = $"base NPV {Millions(npv)} M USD";
        baseLine.LabelFontName = ReportCharts.FontName;
        baseLine.LabelOppositeAxis = true;
        plot.Axes.Left.SetTicks([.. rows.Select((_, i) => (double)(rows.Length - 1 - i))],
            [.. rows.Select(r => $"{r.Input.Label}\n{SiteReportMarkdown.Number(r.Input, r.Low)} → {SiteReportMarkdown.Number(r.Input, r.High)}")]);
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Axes.Bottom.Label.Text = "NPV (million USD per MW)";
        // Room at both ends for the figures beside the bars.
        plot.Axes.Margins(horizontal: 0.12, vertical: 0.04);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "NPV with the input × 0.8", FillColor = lower });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "NPV with the input × 1.2", FillColor = higher });
        return plot;
    }

    // Each use's annuity on a linear grid of the input from 0 past both now and the flip, so a straight line stays straight;
    // the flip is where the leader now is overtaken.
    private static Plot AnnuityAgainst(SiteReport report, InputDefinition input)
    {
        var plan = report.Plan;
        var current = plan.Inputs[input];
        string unit = input.Unit;
        var plot = NewPlot(report, $"Annuity per MW of IT load against the {input.Label}, each use over its horizon",
            $"each use's equivalent annual annuity at {plan.Inputs[Input.DiscountRate].Value.ToString("P0", CultureInfo.InvariantCulture)} a year, the {input.Label} moved alone and the others as given",
            "annuity (million USD per MW per year)");
        plot.Axes.Bottom.Label.Text = $"{input.Label} ({unit}, linear)";
        if (!current.HasValue)
        {
            string why = plan.Model.Unvalued.FirstOrDefault(u => u.Key == SiteAnalysis.GpuCloud).Reason ?? $"no {input.Label}";
            Empty(plot, ReportCharts.Wrap($"Nothing to draw: {why}.\nSet it with --{input.Key} to value GPU cloud against it.", ReportCharts.EmptyColumns));
            return plot;
        }
        double now = current.Value;
        var flip = plan.Flips.FirstOrDefault(f => f.Input == input && f.Value is not null);
        // A rent of 0 is allowed: the axis then runs to 1 rather than collapsing to a point.
        double high = 1.25 * Math.Max(now, flip?.Value ?? now) is > 0 and var h ? h : 1;
        double[] grid = [.. Enumerable.Range(0, SweepPoints).Select(i => high * i / (SweepPoints - 1)).Append(now)
            .Concat(flip?.Value is double f ? [f] : []).Distinct().Order()];
        var points = SiteAnalysis.AnnuityAgainst(plan.Inputs, plan.Model.Options, input, grid);
        var lines = SiteAnalysis.Keys.Where(k => points.All(p => p.Annuity[k] is not null))
            .ToDictionary(k => k, k => points.Select(p => p.Annuity[k]!.Value / 1e6).ToArray());
        // A use far below all the others (GPU hashing at −10 M against ±1 M) would squeeze them into a sliver: the legend names
        // it and its range instead of drawing it.
        var below = lines.Where(l => l.Key != plan.Best.Key && l.Key != flip?.NewLeader).Where(l =>
        {
            var others = lines.Where(o => o.Key != l.Key).SelectMany(o => o.Value).ToArray();
            return others.Length > 0 && l.Value.Max() < others.Min() - (others.Max() - others.Min());
        }).Select(l => l.Key).ToArray();
        foreach (var (key, ys) in lines)
        {
            string name = SiteReport.Short(key);
            if (below.Contains(key))
            {
                string least = ys.Min().ToString("0.0", CultureInfo.InvariantCulture), most = ys.Max().ToString("0.0", CultureInfo.InvariantCulture);
                name += $" at {(least == most ? least : $"{least} to {most}")} (off the chart)";
            }
            else
                plot.Add.ScatterLine(grid, ys, s_colors[key]).LineWidth = 2.5f;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, LineColor = s_colors[key], LineWidth = 2.5f, LinePattern = below.Contains(key) ? LinePattern.Dotted : LinePattern.Solid });
        }
        plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dotted);
        string Value(double x) => SiteReportMarkdown.Number(input, x);
        var nowLine = plot.Add.VerticalLine(now, 1.5f, Colors.Gray, LinePattern.Dashed);
        nowLine.LabelText = $"now {Value(now)}: {SiteReport.Short(plan.Best.Key)} leads";
        nowLine.LabelFontName = ReportCharts.FontName;
        nowLine.LabelOppositeAxis = true;
        // Near the left edge the label runs right from the line, so that it is not cut off.
        if (now < 0.3 * high)
            nowLine.ManualLabelAlignment = Alignment.LowerLeft;
        if (flip is { Value: double at, NewLeader: string leader })
        {
            double y = lines[leader][Array.IndexOf(grid, at)];
            var marker = plot.Add.Marker(at, y, MarkerShape.OpenCircle, 16, Colors.Black);
            marker.LineWidth = 2;
            var text = plot.Add.Text($"{SiteReport.Short(leader)} takes the lead\nfrom {SiteReport.Short(flip.Leader)} at {Value(at)}", at, y);
            text.LabelFontName = ReportCharts.FontName;
            text.LabelFontSize = 12;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
            // Above the marker, on the side with more room.
            bool left = at > high / 1.25 / 2;
            text.LabelAlignment = left ? Alignment.LowerRight : Alignment.LowerLeft;
            text.OffsetX = left ? -12 : 12;
            text.OffsetY = -8;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = x => x.ToString(unit == "USD" ? "N0" : "0.##", CultureInfo.InvariantCulture),
        };
        return plot;
    }

    // Halvings within the longest horizon, their labels along the top so that they never cover the ticks.
    private static void Halvings(Plot plot, SitePlan plan)
    {
        foreach (var (date, month, _) in plan.Model.Halvings.Where(h => h.Month >= 0 && h.Month <= plan.Valuations.Max(v => v.Use.Months)))
        {
            var line = plot.Add.VerticalLine(month / 12.0, 1, Colors.Gray, LinePattern.Dashed);
            line.LabelText = $"halving {date:yyyy-MM}";
            line.LabelFontName = ReportCharts.FontName;
            line.LabelOppositeAxis = true;
        }
    }

    // Words for a chart with nothing to draw, without the legend: a legend panel with no item leaves the whole image blank.
    private static void Empty(Plot plot, string text)
    {
        foreach (var legend in plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>())
            plot.Axes.Remove(legend);
        ReportCharts.Empty(plot, text);
    }

    private static string Millions(double usd) => (usd / 1e6).ToString("0.00", CultureInfo.InvariantCulture);

    private static Plot NewPlot(SiteReport report, string title, string subtitle, string axis)
    {
        var i = report.Plan.Inputs;
        static string Dated(MarketInput input) => input.Date is DateOnly d ? $" ({d:yyyy-MM-dd})" : input.Origin == InputOrigin.User ? " (user)" : "";
        static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        string[] inputs =
        [
            F($"BTC {i[Input.BtcPrice].Value:N0} USD{Dated(i[Input.BtcPrice])}"),
            F($"difficulty {i[Input.Difficulty].Value / 1e12:G5} T{Dated(i[Input.Difficulty])} growing {i[Input.DifficultyGrowth].Value:P0}/yr"),
            F($"electricity {i[Input.Electricity].Value:G} USD/kWh"),
            F($"PUE {i[Input.Pue].Value:G}"),
            F($"discount {i[Input.DiscountRate].Value:P0}"),
            F($"{i.Asic.Model} at {i[Input.AsicPrice].Value:G} USD/TH"),
            F($"{i.GpuModel} at {i[Input.GpuServerPrice].Value:N0} USD"),
            F($"rent {(i[Input.GpuRent].HasValue ? F($"{i[Input.GpuRent].Value:G} USD/h{Dated(i[Input.GpuRent])}") : "none")} changing {i[Input.RentChange].Value:P0}/yr"),
            F($"colocation {i[Input.ColoPrice].Value / 1e6:G3} M USD/MW-yr"),
            F($"generated {report.Generated:yyyy-MM-dd} by htb site"),
        ];
        var plot = ReportCharts.NewPlot(title, axis);
        plot.Axes.Title.Label.FontSize = 16;
        plot.Axes.Title.FullFigureCenter = true;
        // Outside the data, so that nothing hides behind them: the legend in one row above, the subtitle above it (panels
        // on one edge stack outwards in the order they are added), the inputs under the x axis.
        plot.Legend.FontName = ReportCharts.FontName;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        plot.ShowLegend(Edge.Top);
        plot.Axes.AddPanel(new TextPanel(subtitle, Edge.Top, 12));
        plot.Axes.AddPanel(new TextPanel(Lines(inputs, FooterColumns), Edge.Bottom, 11));
        return plot;
    }

    // Joins the parts with " · ", starting a new line rather than breaking one.
    private static string Lines(IEnumerable<string> parts, int columns)
    {
        var lines = new List<string> { "" };
        foreach (string part in parts)
        {
            if (lines[^1].Length == 0)
                lines[^1] = part;
            else if (lines[^1].Length + 3 + part.Length <= columns)
                lines[^1] += " · " + part;
            else
                lines.Add(part);
        }
        return string.Join("\n", lines);
    }

    // A line or two of text outside the data area: under the title, or under the x axis for the inputs, where it never covers data.
    private sealed class TextPanel(string text, Edge edge, float fontSize) : IPanel
    {
        private const float Padding = 6;

        private readonly LabelStyle _label = new()
        {
            Text = text,
            FontName = ReportCharts.FontName,
            FontSize = fontSize,
            ForeColor = Colors.Black.WithAlpha(0.75),
            Alignment = Alignment.UpperCenter,
        };

        public bool IsVisible { get; set; } = true;

        public Edge Edge => edge;

        public bool ShowDebugInformation { get; set; }

        public float MinimumSize { get; set; }

        public float MaximumSize { get; set; } = float.MaxValue;

        public float Measure(Paint paint) => _label.Measure(paint).Height + 2 * Padding;

        public PixelRect GetPanelRect(PixelRect dataRect, float size, float offset, Paint paint) => edge == Edge.Top
            ? new PixelRect(dataRect.Left, dataRect.Right, dataRect.Top - offset, dataRect.Top - offset - size)
            : new PixelRect(dataRect.Left, dataRect.Right, dataRect.Bottom + offset + size, dataRect.Bottom + offset);

        public void Render(RenderPack rp, float size, float offset)
        {
            var rect = GetPanelRect(rp.DataRect, size, offset, rp.Paint);
            // Centred on the figure, not the data area, as the title is.
            _label.Render(rp.Canvas, new Pixel(rp.FigureRect.HorizontalCenter, rect.Top + Padding), rp.Paint);
        }
    }
}
