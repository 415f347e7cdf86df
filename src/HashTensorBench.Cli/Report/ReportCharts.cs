using System.Globalization;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Workloads;
using ScottPlot;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The report's charts, each as PNG and SVG: throughput (hashing, GEMM), efficiency, and money per day per
/// use. Text is drawn with the bundled DejaVu Sans, so charts render on machines without fonts. Every chart
/// names its date, devices and inputs under the title; hashing is always <see cref="HashingColor"/> and AI
/// (GEMM) always <see cref="AiColor"/>, here and in the site charts; a chart with nothing to show draws no axes.
/// </summary>
internal static class ReportCharts
{
    internal const string FontName = "DejaVu Sans";
    internal const int Width = 1000, Height = 560;

    /// <summary>Hashing (sha256d, ASIC mining) in every chart.</summary>
    internal static readonly Color HashingColor = Colors.C1;

    /// <summary>AI (GEMM, GPU rent, colocation) in every chart.</summary>
    internal static readonly Color AiColor = Colors.C0;

    // Characters of the 11-point note font that fit across a chart, with room for the frame.
    private const int NoteColumns = 120;

    /// <summary>Characters of the 14-point words of a chart with nothing to draw that fit across it.</summary>
    internal const int EmptyColumns = 95;

    private static readonly Lazy<bool> s_font = new(RegisterFont);

    /// <summary>The colour of a workload by its unit: hashes are hashing, FLOP are AI.</summary>
    internal static Color ColorOf(string unit) => unit == WorkUnits.Hash ? HashingColor : AiColor;

    /// <summary>The charts' file names, without extension, in the order they are written.</summary>
    internal static IReadOnlyList<string> Names { get; } = ["throughput-hashing", "throughput-gemm", "efficiency", "usd-per-day"];

    /// <summary>
    /// Whether any run counted energy: without, <c>efficiency</c> is still written (every run writes the same files) but has
    /// no bars, only why.
    /// </summary>
    internal static bool AnyEnergy(ComparisonReport report) =>
        report.Devices.SelectMany(d => d.Workloads).Any(w => w.Run?.WorkPerJoule is not null);

    /// <summary>Writes every chart into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ComparisonReport report, string directory)
    {
        EnsureFont();
        var files = new List<string>();
        string subtitle = Subtitle(report, money: false);
        var hashing = report.Devices.Where(d => d.HashRun is not null).ToArray();
        Save(files, directory, Names[0], BarChart("sha256d throughput", subtitle, "M hashes per second",
            [.. hashing.Select(d => Measured(d.Id, d.HashRun!, 1e6, HashingColor))]));

        var gemm = report.Devices.SelectMany(d => d.Workloads.Where(w => w.Unit == WorkUnits.Flop && w.Run is not null).Select(w => (d, w))).ToArray();
        Save(files, directory, Names[1], BarChart("GEMM throughput", subtitle, "GFLOP per second",
            [.. gemm.Select(x => Measured($"{x.d.Id}\n{x.w.Workload}", x.w.Run!, 1e9, AiColor))]));

        var efficiency = new List<BarFigure>();
        var missing = new Dictionary<string, List<string>>();
        foreach (var d in report.Devices)
        {
            foreach (var w in d.Workloads.Where(w => w.Run is not null))
            {
                if (w.Run!.WorkPerJoule is double perJoule)
                {
                    double scaled = w.Unit == WorkUnits.Hash ? perJoule / 1e6 : perJoule / 1e9;
                    efficiency.Add(new($"{d.Id}\n{w.Workload}\n({(w.Unit == WorkUnits.Hash ? "M H/J" : "GFLOP/J")})", scaled, Figure(scaled), ColorOf(w.Unit)));
                }
                else
                {
                    string reason = w.Run.Energy.UnavailableReason ?? "no energy was counted in the window";
                    if (!missing.TryGetValue(reason, out var workloads))
                        missing[reason] = workloads = [];
                    workloads.Add($"{d.Id} {w.Workload}");
                }
            }
        }
        // Each reason once, with the workloads it applies to, wrapped to the chart's width: small above bars, large alone.
        string? Reasons(int columns) => missing.Count == 0 ? null : string.Join("\n", missing.Select(m =>
            Wrap($"Energy unavailable for {string.Join(", ", m.Value)}: {m.Key}", columns)));
        var efficiencyPlot = BarChart("Work per joule", subtitle, "M hashes or GFLOP per joule", efficiency,
            empty: "Nothing to plot: no energy was measured on any device." + (Reasons(EmptyColumns) is string why ? "\n\n" + why : "")
                + "\n\nThe rates are in throughput-hashing and throughput-gemm.",
            note: Reasons(NoteColumns));
        Save(files, directory, Names[2], efficiencyPlot);

        Save(files, directory, Names[3], MoneyChart(report));
        return files;
    }

    // A bar at a run's median window, its whisker over the middle half of the windows: the spread the run is judged stable
    // by. The extremes (in report.md) are not drawn: on a shared VM one window caught mid-hiccup, or timed too short, can
    // read 20 times the median and would flatten every bar.
    private static BarFigure Measured(string label, TimedRun run, double scale, Color color) =>
        new(label, run.Rate / scale, Figure(run.Rate / scale), color, (run.Windows.LowerQuartile / scale, run.Windows.UpperQuartile / scale));

    // Three significant figures, grouped: 8.7 and 9.45 do not both read "9".
    private static string Figure(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>The line under every chart's title: when, on what, and with which inputs.</summary>
    internal static string Subtitle(ComparisonReport report, bool money)
    {
        string devices = report.Devices.Count == 0 ? "no device" : string.Join(", ", report.Devices.Select(d => $"{d.Id} {d.Name}"));
        string line = string.Create(CultureInfo.InvariantCulture,
            $"htb compare {report.Generated:yyyy-MM-dd HH:mm} UTC · {devices} · {report.WorkloadDuration.TotalSeconds:F0} s per workload{(report.Quick ? " (quick)" : "")}{(report.Cancelled ? " · stopped early" : "")}");
        if (!money)
            return Wrap(line, NoteColumns);
        var i = report.Inputs;
        string inputs = string.Create(CultureInfo.InvariantCulture,
            $"BTC {i[Input.BtcPrice].Value:N0} USD · difficulty {i[Input.Difficulty].Value / 1e12:G5} T · electricity {i[Input.Electricity].Value:G} USD/kWh · pool fee {i[Input.PoolFee].Value:P1} · {i[Input.PflopHourPrice].Value:F2} USD per PFLOP/s-hour");
        return Wrap(line, NoteColumns) + "\n" + Wrap(inputs, NoteColumns);
    }

    /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="columns"/> characters (a longer word stays whole).</summary>
    internal static string Wrap(string text, int columns)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Split('\n'))
        {
            var line = new System.Text.StringBuilder();
            foreach (string word in paragraph.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > columns)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                if (line.Length > 0)
                    line.Append(' ');
                line.Append(word);
            }
            lines.Add(line.ToString());
        }
        return string.Join("\n", lines);
    }

    // One bar: where it stands, its figure in words, and, for a measured rate, the range of its windows.
    private sealed record BarFigure(string Label, double Value, string Text, Color Color, (double Low, double High)? Range = null);

    private static Plot BarChart(string title, string subtitle, string axis, IReadOnlyList<BarFigure> bars,
        string empty = "Nothing measured", string? note = null)
    {
        var plot = NewPlot(title, axis, subtitle);
        if (bars.Count == 0)
        {
            Empty(plot, empty);
            return plot;
        }
        var items = bars.Select((b, i) => new Bar { Position = i, Value = b.Value, FillColor = b.Color }).ToArray();
        plot.Add.Bars(items);
        var ranged = bars.Select((b, i) => (b, i)).Where(x => x.b.Range is not null).ToArray();
        if (ranged.Length > 0)
        {
            double[] none = new double[ranged.Length];
            var whiskers = new ScottPlot.Plottables.ErrorBar([.. ranged.Select(x => (double)x.i)], [.. ranged.Select(x => x.b.Value)],
                xErrorsPositive: none, xErrorsNegative: none,
                yErrorsPositive: [.. ranged.Select(x => x.b.Range!.Value.High - x.b.Value)], yErrorsNegative: [.. ranged.Select(x => x.b.Value - x.b.Range!.Value.Low)])
            {
                Color = Colors.Black,
                LineWidth = 1.5f,
                CapSize = 12,
            };
            plot.Add.Plottable(whiskers);
        }
        // Each figure above its bar or, where there is one, above its whisker.
        for (int i = 0; i < bars.Count; i++)
        {
            var label = plot.Add.Text(bars[i].Text, i, Math.Max(bars[i].Value, bars[i].Range?.High ?? 0));
            label.LabelFontName = FontName;
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -4;
        }
        plot.Axes.Bottom.SetTicks([.. bars.Select((_, i) => (double)i)], [.. bars.Select(b => b.Label)]);
        // Room above the tallest whisker for its figure, clear of the legend.
        plot.Axes.Margins(bottom: 0, top: note is null ? 0.3 : 0.45);
        if (note is not null)
            Note(plot, note, Alignment.UpperLeft);
        Legend(plot, bars.Select(b => b.Color));
        if (ranged.Length > 0)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "whisker: middle half of the timed windows", LineColor = Colors.Black, LineWidth = 1.5f });
        return plot;
    }

    /// <summary>
    /// A chart for nothing: no axes, no grid, no ticks (they would mean nothing), only the words, large, in the middle; wrap
    /// them at <see cref="EmptyColumns"/>.
    /// </summary>
    internal static void Empty(Plot plot, string text)
    {
        plot.Axes.Left.IsVisible = false;
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        plot.Axes.Bottom.IsVisible = false;
        plot.HideGrid();
        Note(plot, text, Alignment.MiddleCenter, 14);
    }

    private static void Note(Plot plot, string text, Alignment alignment, float size = 11)
    {
        var note = plot.Add.Annotation(text, alignment);
        note.LabelFontName = FontName;
        note.LabelFontSize = size;
        note.LabelBackgroundColor = Colors.White.WithAlpha(0.9);
        note.LabelBorderColor = Colors.LightGray;
        note.LabelShadowColor = Colors.Transparent;
    }

    private static void Legend(Plot plot, IEnumerable<Color> used)
    {
        var colors = used.Distinct().ToArray();
        if (colors.Contains(HashingColor))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "hashing (sha256d)", FillColor = HashingColor });
        if (colors.Contains(AiColor))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "AI (GEMM)", FillColor = AiColor });
        plot.Legend.FontName = FontName;
        plot.ShowLegend(Alignment.UpperRight);
    }

    // Per device, hashing beside AI: profit where power was measured, else revenue (the label says which). The
    // values span orders of magnitude (a CPU hashes for millionths of a dollar, rents for dollars): the axis is
    // logarithmic in |USD|, and a loss is labelled as one.
    private static Plot MoneyChart(ComparisonReport report)
    {
        var plot = NewPlot("What each use earns per day", "USD per day (log scale; a loss is labelled)", Subtitle(report, money: true));
        var devices = report.Devices.Where(d => d.Hashing is not null || d.Ai is not null).ToArray();
        var figures = new List<(double Position, double Value, string Label, Color Color, bool Revenue)>();
        for (int i = 0; i < devices.Length; i++)
        {
            foreach (var (use, offset, color) in new[] { (devices[i].Hashing, -0.2, HashingColor), (devices[i].Ai, 0.2, AiColor) })
            {
                if (use is null || (use.Profit.UsdPerDay ?? use.Revenue.UsdPerDay) is not double value)
                    continue;
                string basis = use.Profit.UsdPerDay is null ? "revenue" : value < 0 ? "loss" : "profit";
                figures.Add((i + offset, value, $"{ReportFormat.Usd(value)} ({basis})", color, use.Profit.UsdPerDay is null));
            }
        }
        var shown = figures.Where(f => f.Value != 0).ToArray();
        if (shown.Length == 0)
        {
            Empty(plot, "Nothing priced: no workload completed");
            return plot;
        }
        double low = Math.Floor(Math.Log10(shown.Min(f => Math.Abs(f.Value)))) - 1;
        double high = Math.Ceiling(Math.Log10(shown.Max(f => Math.Abs(f.Value)))) + 1;
        var bars = figures.Select(f => new Bar
        {
            Position = f.Position,
            ValueBase = low,
            Value = f.Value == 0 ? low : Math.Log10(Math.Abs(f.Value)),
            Size = 0.35,
            FillColor = f.Color,
            // A loss: the same colour, hatched outline.
            LineColor = f.Value < 0 ? Colors.Red : f.Color,
            LineWidth = f.Value < 0 ? 3 : 0,
            Label = f.Label,
        }).ToList();
        plot.Add.Bars(bars);
        foreach (var bar in bars)
        {
            var label = plot.Add.Text(bar.Label, bar.Position, bar.Value);
            label.LabelFontName = FontName;
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -4;
        }
        bars.ForEach(b => b.Label = "");
        plot.Axes.Bottom.SetTicks([.. devices.Select((_, i) => (double)i)], [.. devices.Select(d => d.Id)]);
        var ticks = Enumerable.Range((int)low, (int)(high - low) + 1).Select(e => (double)e).ToArray();
        plot.Axes.Left.SetTicks(ticks, [.. ticks.Select(e => PowerOfTen(e, low))]);
        plot.Axes.SetLimitsY(low, high);
        // Each colour says what its bars are: profit, revenue (no power measured), or either, as each bar's label says.
        foreach (var (use, color) in new[] { ("hashing", HashingColor), ("AI", AiColor) })
        {
            var bases = figures.Where(f => f.Color == color).Select(f => f.Revenue).Distinct().ToArray();
            if (bases.Length == 0)
                continue;
            string what = bases.Length == 2 ? "profit, or revenue where power was not measured (see each label)"
                : bases[0] ? "revenue (power not measured, so no profit)" : "profit";
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{use}: {what}", FillColor = color });
        }
        if (figures.Any(f => f.Value < 0))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "a loss (|USD| shown)", FillColor = Colors.White, OutlineColor = Colors.Red, OutlineWidth = 3 });
        plot.Legend.FontName = FontName;
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    // One format for every tick of an axis: plain decimals while the smallest tick has at most three decimals
    // (0.001, 0.01 … 1,000), powers of ten for all of them once it has more (10⁻⁷ … 10⁻³, never 10^-4 beside 0.001).
    internal static string PowerOfTen(double exponent, double lowest) => lowest >= -3
        ? Math.Pow(10, exponent).ToString("#,0.###", CultureInfo.InvariantCulture)
        : "10" + string.Concat(((int)exponent).ToString(CultureInfo.InvariantCulture).Select(c => "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".IndexOf(c, StringComparison.Ordinal)]));

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

    /// <summary>A plot whose title carries a second, smaller block: the date, devices and inputs.</summary>
    internal static Plot NewPlot(string title, string axis, string subtitle)
    {
        var plot = NewPlot(title + "\n" + subtitle, axis);
        plot.Axes.Title.Label.FontSize = 13;
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as NAME.png and NAME.svg, and lists both in <paramref name="files"/>.</summary>
    internal static void Save(List<string> files, string directory, string name, Plot plot, int width = Width, int height = Height)
    {
        string png = Path.Combine(directory, name + ".png"), svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, width, height);
        plot.SaveSvg(svg, width, height);
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
