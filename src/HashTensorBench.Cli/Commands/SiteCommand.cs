using System.CommandLine;
using HashTensorBench.Cli.Report;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;
using Spectre.Console;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb site</c>: should a site's megawatts mine with ASICs, rent GPUs out, lease the power to an AI
/// tenant, or hash on the GPUs? Per MW of IT load per year, from dated defaults, the user's inputs and
/// the devices <c>htb compare</c> measured on one or many nodes; writes a report folder.
/// </summary>
internal static class SiteCommand
{
    private sealed record Entry(string Key, string Unit, Option<double?> Option, Func<SiteInputs, MarketInput, SiteInputs> Apply);

    private static Entry Make(string key, string unit, string description, Func<SiteInputs, MarketInput, SiteInputs> apply) =>
        new(key, unit, MarketOptions.Number(key, description), apply);

    public static Command Create(TextWriter output, TimeProvider clock)
    {
        var reports = new Option<string[]>("--reports")
        {
            Description = "report.json files of htb compare, one per node: devices are grouped by model and their median power and rates used.",
            AllowMultipleArgumentsPerToken = true,
        };
        var gpuModel = new Option<string?>("--gpu-model") { Description = "The GPU model to take from the reports (part of its name, such as H100); needed when they hold several." };
        var asic = new Option<string?>("--asic") { Description = "The ASIC model to mine with (default: the defaults file's, Antminer S21 XP)." };
        var defaultsFile = new Option<FileInfo?>("--defaults") { Description = $"A defaults file to use instead of the built-in {MarketDefaults.FileName} (a copy lies beside htb)." };
        var outputDir = new Option<string?>("--output") { Description = "A new report folder (default: htb-site-<date>-<time> in the current folder); one that holds a site report already is refused." };
        outputDir.Validators.Add(Options.CheckFolderNamed);
        Entry[] entries =
        [
            Make("mw", "MW", "The site's IT load in MW (figures are per MW; totals multiply).", (s, v) => s with { Megawatts = v }),
            Make("pue", "", "Power usage effectiveness: facility power ÷ IT power, 1 or more.", (s, v) => s with { Pue = v }),
            Make("btc-price", "USD", "Bitcoin's price in USD.", (s, v) => s with { Market = s.Market with { BtcPrice = v } }),
            Make("hashprice", "USD/PH/day", "Hashprice in USD per PH/s per day, before the pool fee, instead of --btc-price.", (s, _) => s),
            Make("difficulty", "", "Network difficulty.", (s, v) => s with { Market = s.Market with { Difficulty = v } }),
            Make("subsidy", "BTC", "Block subsidy in BTC.", (s, v) => s with { Market = s.Market with { BlockSubsidy = v } }),
            Make("fees", "BTC", "Average fees per block in BTC.", (s, v) => s with { Market = s.Market with { FeesPerBlock = v } }),
            Make("pool-fee", "fraction", "The pool's fee as a fraction (0.02 for 2%).", (s, v) => s with { Market = s.Market with { PoolFee = v } }),
            Make("electricity", "USD/kWh", "Electricity price in USD per kWh.", (s, v) => s with { Market = s.Market with { ElectricityPrice = v } }),
            Make("asic-price", "USD per unit", "What one ASIC costs, USD.", (s, v) => s with { AsicPrice = v }),
            Make("gpu-watts", "W", "One GPU's power serving AI, W (default: measured in the reports, else the datasheet).", (s, v) => s with { GpuAiWatts = v }),
            Make("gpu-hash-watts", "W", "One GPU's power hashing, W (default: measured in the reports, else the datasheet).", (s, v) => s with { GpuHashWatts = v }),
            Make("gpu-hashrate", "H/s", "One GPU's sha256d rate, H/s (default: measured in the reports).", (s, v) => s with { GpuHashRate = v }),
            Make("gpu-overhead-watts", "W", "The server's power per GPU beyond the GPU (host, fans, network), W.", (s, v) => s with { GpuOverheadWatts = v }),
            Make("gpu-rent", "USD/h", "What one GPU rents for per hour.", (s, v) => s with { GpuRent = v }),
            Make("utilisation", "fraction", "The fraction of hours a GPU is rented, 0 to 1.", (s, v) => s with { Utilisation = v }),
            Make("gpu-server-price", "USD per GPU", "What a GPU server costs per GPU, USD.", (s, v) => s with { GpuServerPrice = v }),
            Make("colo-price", "USD per MW-year", "What an AI tenant pays per MW of IT load per year.", (s, v) => s with { ColoPrice = v }),
            Make("colo-power-passthrough", "fraction", "The share of the power bill an AI colocation tenant pays, 0 to 1.", (s, v) => s with { ColoPowerPassthrough = v }),
            Make("mining-capex", "USD per MW", "Building cost of a mining site per MW, ASICs excluded.", (s, v) => s with { MiningCapex = v }),
            Make("ai-capex", "USD per MW", "Building cost of an AI data centre per MW, GPUs excluded.", (s, v) => s with { AiCapex = v }),
        ];
        var command = new Command("site", "A megawatt: mine or host AI? Per MW of IT load per year, four uses side by side, from measured devices.")
        {
            reports, gpuModel, asic, defaultsFile, outputDir,
        };
        foreach (var entry in entries)
            command.Options.Add(entry.Option);

        command.SetAction((result, cancellationToken) =>
        {
            var defaults = result.GetValue(defaultsFile) is { } file ? MarketDefaults.Load(file.FullName) : MarketDefaults.Builtin;
            var inputs = SiteInputs.FromDefaults(defaults, result.GetValue(asic));
            MergedReports? merged = null;
            ModelSummary? model = null;
            if (result.GetValue(reports) is { Length: > 0 } paths)
            {
                merged = ReportMerge.Read(paths);
                model = merged.Find(result.GetValue(gpuModel));
                inputs = WithMeasured(inputs, model);
            }
            else if (result.GetValue(gpuModel) is not null)
            {
                throw new ArgumentException("--gpu-model picks a model from --reports; give the reports too.");
            }
            foreach (var entry in entries)
            {
                if (result.GetValue(entry.Option) is double value)
                    inputs = entry.Apply(inputs, MarketInput.FromUser(value, entry.Unit));
            }
            if (result.GetValue(entries.Single(e => e.Key == "hashprice").Option) is double hashprice)
            {
                if (result.GetValue(entries.Single(e => e.Key == "btc-price").Option) is not null)
                    throw new ArgumentException("Give --btc-price or --hashprice, not both.");
                inputs = inputs.Validate().WithHashprice(MarketInput.FromUser(hashprice, "USD/PH/day"));
            }
            var report = SiteReport.Create(clock.GetUtcNow(), defaults, merged, model, inputs);
            string folder = CompareCommand.PrepareFolder(result.GetValue(outputDir), "htb-site", "site.json", "site.md");
            Write(report, folder);
            Print(output, report, folder);
            return Task.FromResult(0);
        });
        return command;
    }

    // The reports' medians replace the datasheet's figures; what they did not measure keeps its default, saying so.
    private static SiteInputs WithMeasured(SiteInputs inputs, ModelSummary model)
    {
        string asOf = string.Join(", ", model.Devices.Select(d => d.Generated).Where(g => g.Length >= 10).Select(g => g[..10]).Distinct());
        MarketInput Measured(double? value, string unit, MarketInput fallback, Func<MeasuredDevice, double?> select) => value is double v
            ? MarketInput.Measured(v, unit, asOf, model.SourceOf(select))
            : fallback with { Source = $"not measured in the reports for {model.Model}; default: {fallback.Source}" };
        return inputs with
        {
            GpuModel = model.Model,
            GpuAiWatts = Measured(model.MedianGemmWatts, "W", inputs.GpuAiWatts, d => d.GemmWatts),
            GpuHashWatts = Measured(model.MedianHashWatts, "W", inputs.GpuHashWatts, d => d.HashWatts),
            GpuHashRate = Measured(model.MedianHashRate, "H/s", inputs.GpuHashRate, d => d.HashRate),
            GpuRent = MarketReferences.GpuRental(model.Model)
                ?? MarketInput.Unavailable("USD/h", $"{model.Model} has no rental market in the reference table: set --gpu-rent"),
        };
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
        console.WriteLine($"site: {inputs.Megawatts.Value:G} MW of IT load, PUE {inputs.Pue.Value:G}; ASIC {inputs.Asic.Model} ({inputs.Asic.TerahashesPerSecond:G} TH/s, {inputs.Asic.JoulesPerTerahash:G} J/TH); GPU {inputs.GpuModel}; hashprice {plan.Hashprice.Value:G4} USD/PH/day");
        if (report.Merged is { } merged)
        {
            console.WriteLine($"reports: {merged.Reports.Count}; " + string.Join("; ", merged.Models.Select(m => $"{m.Model}: {m.Devices.Count} device(s)")));
            foreach (var outlier in merged.Models.SelectMany(m => m.Outliers))
                console.WriteLine($"outlier: {outlier.Description}");
        }
        var inputTable = new Table().Title("Inputs").AddColumns("input", "value", "source");
        foreach (var (name, key, input) in inputs.All())
        {
            inputTable.AddRow(Markup.Escape($"{name} (--{key})"), Markup.Escape(input.HasValue ? $"{input.Value:G} {input.Unit}" : "—"),
                Markup.Escape(ReportMarkdown.Source(input) + (input.AgeDays(report.Today) is int age ? $" ({age} days old)" : "")));
        }
        console.Write(inputTable);
        var table = new Table().Title("Per MW of IT load per year (USD)").AddColumn("");
        foreach (var (_, name) in SiteReport.Columns)
            table.AddColumn(new TableColumn(name).RightAligned());
        foreach (var (label, figure) in SiteReportMarkdown.Rows)
            table.AddRow([label, .. plan.Scenarios.Select(s => Markup.Escape(SiteReportMarkdown.Cell(figure(s))))]);
        console.Write(table);
        foreach (string line in SiteReportMarkdown.BreakEvenLines(plan))
            console.WriteLine(line);
        console.WriteLine($"inputs and their sources: {folder}{Path.DirectorySeparatorChar}site.md (and site.json, charts)");
    }
}
