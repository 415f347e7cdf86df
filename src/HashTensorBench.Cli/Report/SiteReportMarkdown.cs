using System.Globalization;
using System.Text;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Risk;
using HashTensorBench.Economics.Site;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report as Markdown: the ranked uses, their yearly cash, their risk and the efficient mixes, where the answer
/// flips, each input's swing, the devices, the sweeps, one NPV worked by hand, and every input with its source.
/// </summary>
internal static class SiteReportMarkdown
{
    /// <summary>The rows of the per-use table: label and cell.</summary>
    public static IReadOnlyList<(string Label, Func<SiteValuation, string> Cell)> Rows { get; } =
    [
        ("horizon", v => $"{v.Use.Years:G} years"),
        ("units in 1 MW", v => $"{v.Use.Units.Value:N0}"),
        ("capex in month 0", v => Usd(v.Use.Capex[0])),
        ("first-year revenue", v => Usd(v.FirstYear.Revenue)),
        ("first-year electricity", v => Usd(v.FirstYear.Electricity)),
        ("first-year opex", v => Usd(v.FirstYear.Opex)),
        ("first-year cash before capex", v => Usd(v.FirstYear.Net)),
        ("NPV", v => Usd(v.NpvValue)),
        ("annuity (USD per year)", v => Usd(v.AnnuityValue)),
        ("IRR", v => v.Irr.Value is double irr ? irr.ToString("P1", CultureInfo.InvariantCulture) : "none"),
        ("payback", v => v.PaybackMonth.Value is double p ? $"month {p:F0}" : "never"),
        ("profit per year after depreciation", v => Usd(v.ProfitPerYear.Value!.Value)),
        ("months curtailed", v => v.CurtailedMonths.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>An input's value and unit, rounded as compare's report rounds it, or a dash when it has none.</summary>
    public static string Value(InputDefinition input, MarketInput value) => value.HasValue ? ReportMarkdown.Value(input.Label, value) : "—";

    /// <summary>The site in a few lines: load, ASIC, GPU, hashprice, the build, curtailment and the halving.</summary>
    public static IEnumerable<string> SiteLines(SiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plan = report.Plan;
        var inputs = plan.Inputs;
        var model = plan.Model;
        yield return $"site: {inputs[Input.Megawatts].Value:G} MW of IT load, PUE {inputs[Input.Pue].Value:G}; ASIC {inputs.Asic.Model} ({inputs.Asic.TerahashesPerSecond:G} TH/s, {inputs.Asic.JoulesPerTerahash:G} J/TH); GPU {inputs.GpuModel}; hashprice {plan.Hashprice.Value:G4} USD/PH/day";
        yield return model.Options.NewSite
            ? "build: a new site: the mining site's build is counted for every use, and the AI conversion on top for the AI uses (--new-site)"
            : "build: an existing mining site, whose build cost is sunk (not counted); an AI conversion is counted for the AI uses (--new-site counts both builds)";
        yield return model.Options.Curtail
            ? "curtailment: hashing machines are switched off in months whose revenue is below their electricity; opex still runs (--no-curtailment keeps them on)"
            : "curtailment: none; hashing machines run every month (--no-curtailment)";
        yield return $"halving: {model.HalvingNote}; the subsidy halves from that month on";
        foreach (var (key, reason) in model.Unvalued)
            yield return $"{SiteReport.Short(key)}: {reason}";
    }

    /// <summary>The answer: the ranking, the assumptions it rests on, the risk and mixes in brief, and where it flips.</summary>
    public static IEnumerable<string> AnswerLines(SiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plan = report.Plan;
        var best = plan.Best;
        double r = plan.Inputs[Input.DiscountRate].Value;
        string horizon = plan.Inputs.Values.Find(Input.Years) is { } years ? F($"every use over {years.Value:G} years") : "each use over its own life";
        yield return F($"ranked by equivalent annual annuity at a {r:P0} discount rate, {horizon}: ")
            + string.Join(" > ", plan.Valuations.Select(v => F($"{SiteReport.Short(v.Key)} {v.AnnuityValue:N0} USD/year (NPV {v.NpvValue:N0} over {v.Use.Years:G} years)")));
        yield return F($"most value per MW: {best.Use.Name}, {best.AnnuityValue:N0} USD per year, NPV {best.NpvValue:N0} USD over {best.Use.Years:G} years, payback {(best.PaybackMonth.Value is double p ? $"month {p:F0}" : "never")}, IRR {(best.Irr.Value is double i ? i.ToString("P1", CultureInfo.InvariantCulture) : "none")}");
        var assumptions = plan.Inputs.Assumptions().Select(d => d.Key).ToArray();
        if (assumptions.Length > 0)
            yield return $"assumptions (htb's judgement, not published figures; set them with their flags): {string.Join(", ", assumptions)}";
        var risk = report.Risk;
        var efficient = risk.Frontier.Efficient.OrderByDescending(m => m.Quantiles.P50).ToArray();
        yield return F($"risk over {risk.Paths:N0} paths: ") + string.Join("; ", risk.Uses.Select(u =>
            F($"{SiteReport.Short(u.Key)} NPV P10 {u.Npv.P10:N0}, P50 {u.Npv.P50:N0}, P(loss) {u.Npv.ProbabilityOfLoss:P0}")));
        yield return "on the median path (P50 of each use's annuity): " + string.Join(" > ", risk.Uses.OrderByDescending(u => u.Annuity.P50)
            .Select(u => F($"{SiteReport.Short(u.Key)} {u.Annuity.P50:N0} USD/year")));
        yield return $"efficient mixes (no other mix on a 10 % grid has both a higher P50 and a higher P10 annuity): {string.Join("; ", efficient.Select(m => Mix(risk, m)))}";
        if (risk.Mix is { } mix)
            yield return F($"your mix {Mix(risk, mix)}{(risk.Frontier.Efficient.Any(e => e.Shares.SequenceEqual(mix.Shares)) ? " is efficient" : $" is beaten on both P50 and P10 by {Mix(risk, risk.Frontier.Mixes.Where(o => o.Beats(mix)).MaxBy(o => o.Quantiles.P50)!)}")}");
        foreach (var line in FlipLines(plan))
            yield return line;
    }

    /// <summary>Where the answer flips, in words.</summary>
    public static IEnumerable<string> FlipLines(SitePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var flip in plan.Flips)
        {
            string now = Number(flip.Input, flip.Now);
            string zero = string.Join(", ", flip.ZeroNpv.Where(z => z.Value is not null).Select(z => $"{SiteReport.Short(z.Key)} at {Number(flip.Input, z.Value!.Value)}"));
            yield return (flip.Value is double v
                ? $"{flip.Input.Label}: {SiteReport.Short(flip.NewLeader!)} takes the lead from {SiteReport.Short(flip.Leader)} at {Number(flip.Input, v)} (now {now})"
                : $"{flip.Input.Label}: {SiteReport.Short(flip.Leader)} leads from {Number(flip.Input, flip.Range.Low)} to {Number(flip.Input, flip.Range.High)} (now {now})")
                + (zero.Length > 0 ? $"; NPV is 0 for {zero}" : "");
        }
    }

    public static string Write(SiteReport report)
    {
        var plan = report.Plan;
        var inputs = plan.Inputs;
        var md = new StringBuilder();
        md.AppendLine("# A megawatt: mine or host AI? — htb site").AppendLine();
        md.AppendLine(F($"Generated {report.Generated:yyyy-MM-dd HH:mm} UTC. Per MW of IT load; the site has {inputs[Input.Megawatts].Value:G} MW. Month 0 is {plan.Model.Options.Start:yyyy-MM}.")).AppendLine();
        foreach (string line in report.AgeLines().Concat(SiteLines(report)))
            md.AppendLine(line.StartsWith("warning", StringComparison.Ordinal) ? $"- **{line}**" : $"- {line}");
        md.AppendLine($"- ASIC: {inputs.Asic.Model} ({inputs.Asic.TerahashesPerSecond:G} TH/s, {inputs.Asic.JoulesPerTerahash:G} J/TH, {inputs.Asic.Watts:G} W, released {inputs.Asic.Released}; {inputs.Asic.Source})");
        md.AppendLine($"- hashprice {plan.Hashprice.Value:N2} USD per PH/s per day ({plan.Hashprice.Note})");

        md.AppendLine().AppendLine("## The answer").AppendLine();
        foreach (string line in AnswerLines(report))
            md.AppendLine($"- {line}");

        md.AppendLine().AppendLine("## Each use per MW over its horizon (USD)").AppendLine();
        md.AppendLine("| | " + string.Join(" | ", plan.Valuations.Select(v => v.Use.Name)) + " |");
        md.AppendLine("|---|" + string.Concat(plan.Valuations.Select(_ => "---:|")));
        foreach (var (label, cell) in Rows)
            md.AppendLine($"| {label} | " + string.Join(" | ", plan.Valuations.Select(cell)) + " |");
        md.AppendLine().AppendLine("Uses are ranked by the equivalent annual annuity of their NPV: NPV · r ÷ (1 − (1 + r)^−years), the level yearly amount worth the NPV over the use's own life, which compares uses of unequal lives. Electricity counts every unit at full power in every month it runs, PUE included.");

        md.AppendLine().AppendLine("## Yearly cash per MW (USD, undiscounted; the last year holds the residual value)");
        foreach (var v in plan.Valuations)
        {
            md.AppendLine().AppendLine($"### {v.Use.Name}, {v.Use.HorizonNote}").AppendLine();
            md.AppendLine("| year | revenue | electricity | opex | capex − residual | net | cumulative | net discounted | months curtailed |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var y in v.Years)
                md.AppendLine($"| {y.Year} | {Usd(y.Revenue)} | {Usd(y.Electricity)} | {Usd(y.Opex)} | {Usd(y.Capex)} | {Usd(y.Net)} | {Usd(y.Cumulative)} | {Usd(y.Discounted)} | {y.CurtailedMonths} |");
        }

        var risk = report.Risk;
        var s = risk.Settings;
        md.AppendLine().AppendLine("## Risk").AppendLine();
        md.AppendLine(F($"{risk.Paths:N0} paths, seed {s.Seed}: the BTC price a geometric Brownian motion with volatility {s.BtcVolatility:G} and drift {s.BtcDrift:G} a year; the GPU rent around its {s.RentChange:P0} a year trend with volatility {s.RentVolatility:G}, correlation {s.RentBtcCorrelation:G} with the BTC price; the colocation tenant leaves with probability {inputs[Input.TenantDefault].Value:G} a year, the MW then empty for {inputs[Input.VacancyMonths].Value:G} months and re-let at the lease moved as far as the GPU rent has moved off its trend. Difficulty, electricity and capex follow their trends on every path.")).AppendLine();
        md.AppendLine("| use | NPV P10 | NPV P50 | NPV P90 | P(NPV < 0) | annuity P10 | annuity P50 | mean months curtailed |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var u in risk.Uses)
            md.AppendLine(F($"| {SiteReport.Short(u.Key)} | {Usd(u.Npv.P10)} | {Usd(u.Npv.P50)} | {Usd(u.Npv.P90)} | {u.Npv.ProbabilityOfLoss:P1} | {Usd(u.Annuity.P10)} | {Usd(u.Annuity.P50)} | {u.MeanCurtailedMonths:F1} |"));
        md.AppendLine().AppendLine("### Efficient mixes").AppendLine();
        md.AppendLine($"Of the {risk.Frontier.Mixes.Count} mixes of the MW on a 10 % grid, these are the ones no other mix beats on both the P50 and the P10 of its annuity (USD per MW per year; a mix's annuity on a path is the shares' sum of its uses' annuities there).").AppendLine();
        md.AppendLine("| mix | annuity P10 | annuity P50 | annuity P90 | P(loss) |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var m in risk.Frontier.Efficient.OrderByDescending(m => m.Quantiles.P50))
            md.AppendLine(F($"| {Mix(risk, m)} | {Usd(m.Quantiles.P10)} | {Usd(m.Quantiles.P50)} | {Usd(m.Quantiles.P90)} | {m.Quantiles.ProbabilityOfLoss:P1} |"));
        if (risk.Mix is { } mine)
            md.AppendLine(F($"| your mix: {Mix(risk, mine)} | {Usd(mine.Quantiles.P10)} | {Usd(mine.Quantiles.P50)} | {Usd(mine.Quantiles.P90)} | {mine.Quantiles.ProbabilityOfLoss:P1} |"));

        md.AppendLine().AppendLine("## Where the answer flips").AppendLine();
        md.AppendLine("Each input moved alone, the others as given; found by root-finding on the uses' annuities (the lead) and NPVs (the zeros).").AppendLine();
        foreach (string line in FlipLines(plan))
            md.AppendLine($"- {line}");

        md.AppendLine().AppendLine("## Sensitivity: each input 20 % lower and higher").AppendLine();
        md.AppendLine("| input | low → high | " + string.Join(" | ", plan.Valuations.Select(v => $"{SiteReport.Short(v.Key)} NPV low → high")) + " |");
        md.AppendLine("|---|---|" + string.Concat(plan.Valuations.Select(_ => "---:|")));
        foreach (var row in plan.Sensitivities)
            md.AppendLine($"| {row.Input.Label} | {Number(row.Input, row.Low)} → {Number(row.Input, row.High)} | " + string.Join(" | ", plan.Valuations.Select(v => $"{Usd(row.NpvLow[v.Key])} → {Usd(row.NpvHigh[v.Key])}")) + " |");

        if (report.Merged is { } merged)
            Devices(md, report, merged);

        md.AppendLine().AppendLine("## Annuity per MW against the BTC price (USD per year)").AppendLine();
        Sweep(md, "BTC price (USD)", report.ByBtcPrice, "N0");
        if (report.ByRent.Count > 0)
        {
            md.AppendLine().AppendLine("## Annuity per MW against the GPU rent (USD per year)").AppendLine();
            Sweep(md, "GPU rent (USD/h)", report.ByRent, "N3");
        }

        md.AppendLine().AppendLine("## Arithmetic").AppendLine();
        foreach (var v in plan.Valuations)
        {
            md.AppendLine($"- {v.Use.Name}, units: {v.Use.Units.Note}");
            foreach (var asset in v.Use.Assets)
                md.AppendLine(F($"- {v.Use.Name}, {asset.Name}: {asset.Note}, depreciated over {asset.LifeYears:G} years"));
            foreach (var (label, figure) in new[] { ("NPV", v.Npv), ("annuity", v.Annuity), ("IRR", v.Irr), ("payback", v.PaybackMonth), ("profit per year after depreciation", v.ProfitPerYear) })
                md.AppendLine($"- {v.Use.Name}, {label}: {figure.Note}");
        }
        WorkedNpv(md, plan);

        md.AppendLine().AppendLine("## Inputs").AppendLine();
        md.AppendLine("| input | flag | value | source |").AppendLine("|---|---|---|---|");
        foreach (var (input, value) in inputs.All())
            md.AppendLine($"| {input.Label} | `--{input.Key}` | {Value(input, value)} | {ReportMarkdown.Source(value)}{(value.AgeDays(report.Today) is int age ? $" ({age} days old)" : "")} |");
        md.AppendLine().AppendLine($"Charts: {string.Join(", ", SiteCharts.Names.Select(n => $"`{n}`"))} (PNG and SVG)"
            + (report.ByRent.Count == 0 ? $"; `{SiteCharts.AnnuityByRent}` has no lines, as GPU cloud is not valued without a rent, and says so" : "")
            + ". Every figure, with its unit and source, is in `site.json`.");
        return md.ToString();
    }

    // The NPV of the use with the shortest horizon, year by year: each month's cash divided by (1 + r)^(m/12), summed.
    private static void WorkedNpv(StringBuilder md, SitePlan plan)
    {
        var v = plan.Valuations.MinBy(x => x.Use.Months)!;
        double r = plan.Inputs[Input.DiscountRate].Value;
        md.AppendLine().AppendLine($"### One NPV worked by hand: {v.Use.Name}").AppendLine();
        md.AppendLine(F($"Month m's cash (revenue − electricity − opex − capex) is divided by (1 + {r:G})^(m/12) = {1 + r:G}^(m/12); month 0 holds the capex ({Usd(v.Use.Capex[0])} USD), month {v.Use.Months} the residual value ({Usd(-v.Use.Capex[v.Use.Months])} USD).")).AppendLine();
        var cash = v.Cash.Cash;
        md.AppendLine(F($"- month 0: {Usd(cash[0])} ÷ 1 = {Usd(cash[0])}"));
        if (cash.Length > 2)
            md.AppendLine(F($"- month 1: {Usd(cash[1])} ÷ {Math.Pow(1 + r, 1 / 12.0):F6} = {Usd(cash[1] / Math.Pow(1 + r, 1 / 12.0))}"));
        foreach (var y in v.Years)
            md.AppendLine(F($"- year {y.Year} (months {(y.Year - 1) * 12}–{Math.Min(y.Year * 12 - 1 + (y.Year == v.Years.Count ? 1 : 0), v.Use.Months)}): undiscounted {Usd(y.Net)}, discounted {Usd(y.Discounted)}"));
        md.AppendLine(F($"- NPV = {string.Join(" + ", v.Years.Select(y => Usd(y.Discounted)))} = **{Usd(v.NpvValue)} USD**"));
    }

    private static void Devices(StringBuilder md, SiteReport report, MergedReports merged)
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
        if (merged.Partial.Count > 0)
        {
            md.AppendLine().AppendLine("Partial reports (a `--quick` smoke run or a cancelled one measures no node's rate; `--include-partial` merges them):");
            foreach (var (path, why, used) in merged.Partial)
                md.AppendLine($"- `{path}`: {why}; {(used ? "merged" : "left out")}");
        }
    }

    /// <summary>A mix in words: <c>asic 30 %, colocation 70 %</c>.</summary>
    public static string Mix(SiteRiskResult risk, MixOutcome mix) =>
        string.Join(", ", mix.Shares.Select((share, i) => (share, i)).Where(p => p.share > 0).Select(p => F($"{risk.Keys[p.i]} {p.share:P0}")));

    private static void Sweep(StringBuilder md, string axis, IReadOnlyList<SitePoint> points, string format)
    {
        md.AppendLine($"| {axis} | " + string.Join(" | ", SiteAnalysis.Keys.Select(SiteReport.Short)) + " |");
        md.AppendLine("|---:|" + string.Concat(SiteAnalysis.Keys.Select(_ => "---:|")));
        foreach (var p in points)
            md.AppendLine($"| {p.X.ToString(format, CultureInfo.InvariantCulture)} | " + string.Join(" | ", SiteAnalysis.Keys.Select(k => p.Annuity[k] is double v ? Usd(v) : "not valued")) + " |");
    }

    /// <summary>
    /// A value of <paramref name="input"/> in its unit: fractions as percentages, prices in whole USD, other thousands grouped and
    /// millions and up with an SI prefix (32,000 USD per GPU and 107.1 T, not 3.2E+04 and 1.071E+14).
    /// </summary>
    public static string Number(InputDefinition input, double value) => input.Unit switch
    {
        "fraction per year" => F($"{value:P1} a year"),
        "USD" => F($"{value:N0} USD"),
        "fraction" => F($"{value:P1}"),
        var unit when unit.StartsWith("fraction of ", StringComparison.Ordinal) => F($"{value:P1} {unit["fraction ".Length..]}"),
        _ when Math.Abs(value) >= 1e6 => F($"{SiPrefix.Of(value).Scaled:G4} {SiPrefix.Of(value).Prefix} {input.Unit}").TrimEnd(),
        _ when Math.Abs(value) >= 10_000 => F($"{value:N0} {input.Unit}").TrimEnd(),
        _ => F($"{value:G4} {input.Unit}").TrimEnd(),
    };

    private static string Usd(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Scaled(double? value, string unit) => value is double v ? ReportFormat.Scaled(v, unit) : "not measured";

    private static string Watts(double? watts) => watts is double w ? $"{w:F1} W" : "not measured";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
