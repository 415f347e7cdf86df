using ScottPlot;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The report's charts, each as PNG and SVG: throughput (hashing, GEMM), efficiency, and money per day per
/// use. Text is drawn with the bundled DejaVu Sans, so charts render on machines without fonts.
/// </summary>
internal static class ReportCharts
{
    internal const string FontName = "DejaVu Sans";
    internal const int Width = 900, Height = 500;
    private static readonly Lazy<bool> s_font = new(RegisterFont);

    /// <summary>Writes every chart into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ComparisonReport report, string directory)
    {
        EnsureFont();
        var files = new List<string>();
        var hashing = report.Devices.Where(d => d.HashRun is not null).ToArray();
        Save(files, directory, "throughput-hashing", BarChart("sha256d throughput", "M hashes per second",
            [.. hashing.Select(d => (d.Id, d.HashRun!.Rate / 1e6, $"{d.HashRun.Rate / 1e6:N1}"))], Colors.C0));

        var gemm = report.Devices.SelectMany(d => d.Workloads.Where(w => w.Unit == "FLOP" && w.Run is not null).Select(w => (d, w))).ToArray();
        Save(files, directory, "throughput-gemm", BarChart("GEMM throughput", "GFLOP per second",
            [.. gemm.Select(x => ($"{x.d.Id}\n{x.w.Workload}", x.w.Run!.Rate / 1e9, $"{x.w.Run.Rate / 1e9:N0}"))], Colors.C1));

        var efficiency = new List<(string, double, string)>();
        var missing = new List<string>();
        foreach (var d in report.Devices)
        {
            foreach (var w in d.Workloads.Where(w => w.Run is not null))
            {
                if (w.Run!.WorkPerJoule is double perJoule)
                {
                    double scaled = w.Unit == "H" ? perJoule / 1e6 : perJoule / 1e9;
                    efficiency.Add(($"{d.Id}\n{w.Workload}\n({(w.Unit == "H" ? "M H/J" : "GFLOP/J")})", scaled, $"{scaled:N2}"));
                }
                else
                {
                    missing.Add($"{d.Id} {w.Workload}: {w.Run.Energy.UnavailableReason}");
                }
            }
        }
        var efficiencyPlot = BarChart("Work per joule", "M hashes or GFLOP per joule", efficiency, Colors.C2,
            empty: "No energy was measured on any device");
        if (missing.Count > 0)
            efficiencyPlot.Add.Annotation("Energy unavailable:\n" + string.Join("\n", missing.Distinct().Take(6)), Alignment.UpperLeft);
        Save(files, directory, "efficiency", efficiencyPlot);

        Save(files, directory, "usd-per-day", MoneyChart(report));
        return files;
    }

    private static Plot BarChart(string title, string axis, IReadOnlyList<(string Label, double Value, string Text)> bars, Color color,
        string empty = "Nothing measured")
    {
        var plot = NewPlot(title, axis);
        if (bars.Count == 0)
        {
            plot.Add.Annotation(empty, Alignment.MiddleCenter);
            plot.HideGrid();
            plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
            plot.Axes.Left.TickLabelStyle.IsVisible = false;
            return plot;
        }
        var items = bars.Select((b, i) => new Bar { Position = i, Value = b.Value, Label = b.Text, FillColor = color }).ToArray();
        var barPlot = plot.Add.Bars(items);
        barPlot.ValueLabelStyle.FontName = FontName;
        plot.Axes.Bottom.SetTicks([.. bars.Select((_, i) => (double)i)], [.. bars.Select(b => b.Label)]);
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return plot;
    }

    // Per device, hashing beside AI: profit where power was measured, else revenue (the legend says which).
    private static Plot MoneyChart(ComparisonReport report)
    {
        var plot = NewPlot("What each use earns per day", "USD per day");
        var devices = report.Devices.Where(d => d.Hashing is not null || d.Ai is not null).ToArray();
        var bars = new List<Bar>();
        for (int i = 0; i < devices.Length; i++)
        {
            foreach (var (use, offset, color) in new[] { (devices[i].Hashing, -0.2, Colors.C1), (devices[i].Ai, 0.2, Colors.C0) })
            {
                if (use is null)
                    continue;
                double value = use.Profit.UsdPerDay ?? use.Revenue.UsdPerDay ?? 0;
                string basis = use.Profit.UsdPerDay is null ? " (revenue)" : "";
                bars.Add(new Bar { Position = i + offset, Value = value, Size = 0.35, FillColor = color, Label = $"{ReportFormat.Usd(value)}{basis}" });
            }
        }
        if (bars.Count == 0)
        {
            plot.Add.Annotation("Nothing priced", Alignment.MiddleCenter);
            return plot;
        }
        plot.Add.Bars(bars).ValueLabelStyle.FontName = FontName;
        plot.Axes.Bottom.SetTicks([.. devices.Select((_, i) => (double)i)], [.. devices.Select(d => d.Id)]);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "hashing: profit (or revenue where power is unknown)", FillColor = Colors.C1 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "AI: profit (or revenue where power is unknown)", FillColor = Colors.C0 });
        plot.Legend.FontName = FontName;
        plot.ShowLegend(Alignment.UpperLeft);
        // A loss (electricity above revenue) is a bar below zero: leave room for its label.
        plot.Axes.Margins(bottom: bars.Any(b => b.Value < 0) ? 0.1 : 0, top: 0.2);
        return plot;
    }

    /// <summary>Registers the bundled font once per process.</summary>
    internal static void EnsureFont() => _ = s_font.Value;

    internal static Plot NewPlot(string title, string axis)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.Axes.Left.Label.Text = axis;
        return plot;
    }

    internal static void Save(List<string> files, string directory, string name, Plot plot)
    {
        string png = Path.Combine(directory, name + ".png"), svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        files.Add(png);
        files.Add(svg);
    }

    private static bool RegisterFont()
    {
        // ScottPlot loads fonts from files: write the bundled one out, atomically, so that two htb
        // processes never read a half-written file.
        string path = Path.Combine(Path.GetTempPath(), "htb-DejaVuSans.ttf");
        string partial = $"{path}.{Environment.ProcessId}";
        using (var resource = typeof(ReportCharts).Assembly.GetManifestResourceStream("DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The bundled font DejaVuSans.ttf is missing from the htb assembly."))
        using (var file = File.Create(partial))
            resource.CopyTo(file);
        File.Move(partial, path, overwrite: true);
        Fonts.AddFontFile(FontName, path);
        return true;
    }
}
