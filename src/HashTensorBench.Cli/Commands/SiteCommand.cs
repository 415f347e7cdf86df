using System.CommandLine;
using System.Globalization;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;
using Spectre.Console;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb site</c>: should a site's megawatts mine with ASICs, rent GPUs out, lease the power to an AI tenant, or hash on
/// the GPUs? Each use valued per MW over its machines' life (NPV, IRR, payback, annuity), its risk over paths of the BTC
/// price and GPU rent, and the mixes of uses no other mix beats; from dated defaults, the user's inputs and the devices
/// <c>htb compare</c> measured. Writes a report folder.
/// </summary>
internal static class SiteCommand
{
    /// <summary>Paths drawn unless <c>--paths</c> says otherwise: enough for P10 within about 1 % and under a second.</summary>
    public const int DefaultPaths = 10_000;

    public static Command Create(TextWriter output, TimeProvider clock, string marketFile)
    {
        var reports = new Option<string[]>("--reports")
        {
            Description = "report.json files of htb compare, one per node: devices are grouped by model and their median power and rates used.",
            AllowMultipleArgumentsPerToken = true,
        };
        var includePartial = new Option<bool>("--include-partial") { Description = "Merge --quick and cancelled compare reports too (by default they are left out and listed)." };
        var gpuModel = new Option<string?>("--gpu-model") { Description = $"The GPU model: with --reports, the one to take from them (part of its name, such as H100; needed when they hold several); without, one from the datasheet table ({string.Join(", ", MarketDefaults.Builtin.Gpus.Select(g => g.Model))}; default {MarketDefaults.Builtin.DefaultGpu.Model})." };
        var asic = new Option<string?>("--asic") { Description = "The ASIC model to mine with (default: the defaults file's, Antminer S21 XP)." };
        var defaultsFile = Options.Defaults();
        var outputDir = new Option<string?>("--output") { Description = "A new report folder (default: htb-site-<date>-<time> in the current folder); one that holds a site report already is refused." };
        outputDir.Validators.Add(Options.CheckFolderNamed);
        var newSite = new Option<bool>("--new-site") { Description = "Build the site new: count the mining site's build for every use (default: an existing mining site, whose build is sunk; an AI conversion is always counted)." };
        var noCurtailment = new Option<bool>("--no-curtailment") { Description = "Keep hashing machines running in months whose revenue is below their electricity (default: switch them off, as miners curtail)." };
        var paths = Options.Integer("--paths", $"Paths of the BTC price and GPU rent to draw for the risk figures (default {DefaultPaths:N0}).", 1, SiteRisk.MaxPaths, DefaultPaths);
        var seed = Options.Integer("--seed", "The seed of the paths: the same seed gives the same figures, bit for bit (default 1).", 0, long.MaxValue, 1);
        var mix = new Option<string?>("--mix") { Description = $"Split the MW between uses, such as asic=0.3,colocation=0.7 (uses: {string.Join(", ", SiteAnalysis.Keys)}); its risk figures are reported beside the efficient mixes." };
        var inputs = InputOptions.For(InputUse.Site);
        var command = new Command("site", "A megawatt: mine or host AI? Each use valued per MW over its machines' life, with its risk, from measured devices.")
        {
            reports, includePartial, gpuModel, asic, defaultsFile, outputDir, newSite, noCurtailment, paths, seed, mix,
        };
        inputs.AddTo(command);

        command.SetAction((result, cancellationToken) =>
        {
            var defaults = MarketDefaults.Choose(result.GetValue(defaultsFile)?.FullName, marketFile);
            var files = result.GetValue(reports) is { Length: > 0 } given ? given : null;
            var site = SiteInputs.FromDefaults(defaults, result.GetValue(asic), files is null ? result.GetValue(gpuModel) : null);
            MergedReports? merged = null;
            ModelSummary? model = null;
            if (files is not null)
            {
                merged = ReportJsonReader.Merge(files, result.GetValue(includePartial));
                model = merged.Find(result.GetValue(gpuModel));
                site = site.WithMeasured(model);
            }
            site = (site with { Values = inputs.Apply(result, site.Values) }).WithGivenAsic();
            if (inputs.Given(result, Input.Hashprice))
            {
                if (inputs.Given(result, Input.BtcPrice))
                    throw new ArgumentException("Give --btc-price or --hashprice, not both.");
                site = site.Validate().WithHashprice(site[Input.Hashprice]);
            }
            var shares = result.GetValue(mix) is { } text ? SiteRisk.ParseMix(text) : null;
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var options = new SiteOptions
            {
                Start = new DateOnly(today.Year, today.Month, 1),
                NewSite = result.GetValue(newSite),
                Curtail = !result.GetValue(noCurtailment),
            };
            var plan = SiteAnalysis.Analyze(site, options);
            int pathCount = (int)result.GetValue(paths);
            var risk = Options.WithProgress(output, json: false, $"{pathCount:N0} paths", progress =>
                SiteRisk.Run(plan.Model, pathCount, (ulong)result.GetValue(seed), shares, progress, cancellationToken));
            var report = SiteReport.Create(clock.GetUtcNow(), defaults, merged, model, plan, risk);
            string folder = CompareCommand.PrepareFolder(result.GetValue(outputDir), "htb-site", "site.json", "site.md");
            Write(report, folder);
            Print(output, report, folder);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Write(SiteReport report, string folder)
    {
        using (var json = File.Create(Path.Combine(folder, "site.json")))
            SiteReportJson.Write(json, report);
        File.WriteAllText(Path.Combine(folder, "site.md"), SiteReportMarkdown.Write(report));
        SiteCharts.Write(report, folder);
    }

    private static void Print(TextWriter output, SiteReport report, string folder)
    {
        var console = Options.Console(output);
        foreach (string line in report.AgeLines())
            console.WriteLine(line);
        var plan = report.Plan;
        var inputs = plan.Inputs;
        foreach (string line in SiteReportMarkdown.SiteLines(report))
            console.WriteLine(line);
        if (report.Merged is { } merged)
        {
            console.WriteLine($"reports: {merged.Reports.Count}; " + string.Join("; ", merged.Models.Select(m => $"{m.Model}: {m.Devices.Count} device(s)")));
            foreach (var outlier in merged.Models.SelectMany(m => m.Outliers))
                console.WriteLine($"outlier: {outlier.Description}");
            foreach (var (path, why, used) in merged.Partial)
                console.WriteLine($"partial report {(used ? "merged (--include-partial)" : "left out")}: {path}: {why}");
        }
        var inputTable = new Table().Title("Inputs").AddColumns("input", "value", "source");
        foreach (var (input, value) in inputs.All())
        {
            inputTable.AddRow(Markup.Escape($"{input.Label} (--{input.Key})"), Markup.Escape(SiteReportMarkdown.Value(input, value)),
                Markup.Escape(ReportMarkdown.Source(value) + (value.AgeDays(report.Today) is int age ? $" ({age} days old)" : "")));
        }
        console.Write(inputTable);
        var table = new Table().Title("Per MW of IT load, each use over its horizon (USD)").AddColumn("");
        foreach (var v in plan.Valuations)
            table.AddColumn(new TableColumn(Markup.Escape(SiteReport.Short(v.Key))).RightAligned());
        foreach (var (label, cell) in SiteReportMarkdown.Rows)
            table.AddRow([label, .. plan.Valuations.Select(v => Markup.Escape(cell(v)))]);
        console.Write(table);
        var risk = new Table().Title(string.Create(CultureInfo.InvariantCulture, $"Risk over {report.Risk.Paths:N0} paths (seed {report.Risk.Settings.Seed}): NPV per MW (USD)"))
            .AddColumns("use", "P10", "P50", "P90", "P(loss)");
        foreach (var u in report.Risk.Uses)
            risk.AddRow(SiteReport.Short(u.Key), Usd(u.Npv.P10), Usd(u.Npv.P50), Usd(u.Npv.P90), u.Npv.ProbabilityOfLoss.ToString("P1", CultureInfo.InvariantCulture));
        console.Write(risk);
        foreach (string line in SiteReportMarkdown.AnswerLines(report))
            console.WriteLine(line);
        console.WriteLine($"inputs and their sources: {folder}{Path.DirectorySeparatorChar}site.md (and site.json, charts)");
    }

    private static string Usd(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
