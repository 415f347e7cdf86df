using System.CommandLine;
using System.Globalization;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using Spectre.Console;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb compare</c>: hashing and AI measured on every device, priced per day, and written as a report
/// folder (Markdown, JSON, charts). Ctrl+C stops and still writes what was measured.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock, string marketFile)
    {
        var duration = Options.Integer("--duration", "Seconds per workload (energy counters need 10 or more).", 1, 3600, defaultValue: 10);
        var quick = new Option<bool>("--quick") { Description = "A smoke run: 1 s per workload and small matrices." };
        var outputDir = new Option<string?>("--output") { Description = "A new report folder (default: htb-report-<date>-<time> in the current folder); one that holds a report already is refused." };
        outputDir.Validators.Add(Options.CheckFolderNamed);
        var config = new Option<FileInfo?>("--config") { Description = "A JSON file of market inputs (the keys of the flags below, such as {\"btc-price\": 95000})." };
        var defaultsFile = Options.Defaults();
        var only = new Option<string?>("--devices") { Description = "Comma-separated devices to measure, such as cuda:0,cuda:1 (default: the CPU and every CUDA device)." };
        var aiFormat = Options.Choice("--ai-format", "The GEMM element type AI is priced by (measured on every device; the GPUs measure every type they have).",
            ComparisonReport.DefaultAiFormat.Name, [.. GemmElementType.All.Select(t => t.Name)]);
        var watts = new Option<string[]>("--watts")
        {
            Description = "A device's power where it cannot be read, as DEVICE=W (such as cpu=180; repeatable): it prices that device's electricity, marked as given.",
        };
        const InputUse compareInputs = InputUse.Compare | InputUse.CompareByDevice;
        var prices = InputOptions.For(compareInputs);
        var command = new Command("compare", "Measure hashing and AI on every device, price them per day, and write a report.") { duration, quick, outputDir, config, only, aiFormat, watts, defaultsFile };
        prices.AddTo(command);

        command.SetAction((result, cancellationToken) =>
        {
            var defaults = MarketDefaults.Choose(result.GetValue(defaultsFile)?.FullName, marketFile);
            var inputs = MarketInputs.ForCompare(defaults);
            if (result.GetValue(config) is { } configFile)
                inputs = prices.ApplyConfig(inputs, configFile);
            inputs = prices.Apply(result, inputs).Validate(Input.For(InputUse.Compare));
            var format = GemmElementType.Parse(result.GetValue(aiFormat)!);
            var givenWatts = ParseWatts(result.GetValue(watts) ?? []);
            bool isQuick = result.GetValue(quick);
            var perWorkload = TimeSpan.FromSeconds(isQuick ? 1 : result.GetValue(duration));
            var discovery = CudaDiscovery.Current;
            string cuda = discovery.Devices.Count > 0
                ? string.Join("; ", discovery.Devices.Select(d => d.ToString()))
                : $"none ({discovery.Reason})";
            // Every device is opened once; each workload shares its device's accelerator, closed when the run ends.
            using var devices = ComputeDevices.OpenAll();
            var plans = DevicePlan.All(devices, isQuick, format);
            if (result.GetValue(only) is { } wanted)
                plans = DevicePlan.Select(plans, wanted, notice => error.WriteLine($"htb: {notice}"));
            string folder = PrepareFolder(result.GetValue(outputDir));
            output.WriteLine($"defaults: {defaults.Describe(DateOnly.FromDateTime(DateTime.UtcNow))}");
            output.WriteLine($"devices: cpu ({CpuDevice.Name}, {CpuDevice.LogicalProcessors} threads); CUDA: {cuda}; measuring {string.Join(", ", plans.Select(p => p.Id))}; AI priced by {format.Name}");

            var (measured, cancelled) = Run(output, plans, perWorkload, cancellationToken);
            var report = new ComparisonReport(clock.GetUtcNow(), perWorkload, isQuick, cancelled, CpuDevice.Name, cuda, inputs, format,
                [.. measured.Select(m => ComparisonReport.Price(m.Plan, m.Results, inputs, format, givenWatts.TryGetValue(m.Plan.Id, out double w) ? w : null))])
            {
                Defaults = defaults,
                GivenWatts = givenWatts,
            };
            WriteReport(report, folder);
            PrintSummary(output, report, folder);
            return Task.FromResult(cancelled ? HtbApp.Cancelled : 0);
        });
        return command;
    }

    /// <summary>Reads <c>--watts DEVICE=W</c>, once per device: cpu or cuda:N, and watts above 0.</summary>
    internal static Dictionary<DeviceId, double> ParseWatts(IEnumerable<string> values)
    {
        var given = new Dictionary<DeviceId, double>();
        foreach (string value in values)
        {
            int equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !double.TryParse(value.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
                || !double.IsFinite(w) || w <= 0)
            {
                throw new ArgumentException($"--watts takes DEVICE=W, W a number of watts above 0, such as cpu=180; got \"{value}\".");
            }
            DeviceId device;
            try
            {
                device = DeviceId.Parse(value[..equals]);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"--watts: {ex.Message}", ex);
            }
            if (device.Kind is not (DeviceKind.Cpu or DeviceKind.Cuda))
                throw new ArgumentException($"--watts names one device, cpu or cuda:N; got \"{value[..equals]}\".");
            if (!given.TryAdd(device, w))
                throw new ArgumentException($"--watts gives {device} twice.");
        }
        return given;
    }

    // The library runs the plans; this only shows progress: bars on a terminal, a line per workload otherwise.
    private static (IReadOnlyList<(DevicePlan Plan, IReadOnlyList<WorkloadResult> Results)>, bool) Run(TextWriter output,
        IReadOnlyList<DevicePlan> plans, TimeSpan perWorkload, CancellationToken cancellationToken)
    {
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            return ComparisonRunner.Run(plans, perWorkload, (plan, workload) =>
            {
                output.WriteLine($"measuring {workload.Name} on {plan.Id} for {perWorkload.TotalSeconds:F0} s ...");
                return new Progress<double>(_ => { });
            }, cancellationToken);
        }
        (IReadOnlyList<(DevicePlan Plan, IReadOnlyList<WorkloadResult> Results)>, bool) outcome = default;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = plans.SelectMany(p => p.Workloads.Select(w => (p, w))).ToDictionary(x => x, x => context.AddTask($"{x.p.Id} {x.w.Name}", autoStart: false, maxValue: 1));
                outcome = ComparisonRunner.Run(plans, perWorkload, (plan, workload) =>
                {
                    var task = tasks[(plan, workload)];
                    task.StartTask();
                    return new Progress<double>(value => task.Value = value);
                }, cancellationToken);
                foreach (var task in tasks.Values)
                    task.StopTask();
            });
        return outcome;
    }

    /// <summary>
    /// Creates the report folder and checks that it can be written; refuses one that holds a report already
    /// (one of <paramref name="reportFiles"/>), whose old charts would mix with the new report.
    /// </summary>
    internal static string PrepareFolder(string? folder, string prefix = "htb-report", params string[] reportFiles)
    {
        folder ??= $"{prefix}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        if (reportFiles.Length == 0)
            reportFiles = ["report.json", "report.md"];
        if (reportFiles.FirstOrDefault(file => File.Exists(Path.Combine(folder, file))) is { } existing)
            throw new ArgumentException($"--output: {Path.GetFullPath(folder)} already holds a report ({existing}); name a new folder or remove that one.");
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return Path.GetFullPath(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"--output: cannot write to {folder}: {ex.Message}", ex);
        }
    }

    private static void WriteReport(ComparisonReport report, string folder)
    {
        foreach (var exporter in ReportExporters.Default)
            exporter.Export(report, folder);
    }

    private static void PrintSummary(TextWriter output, ComparisonReport report, string folder)
    {
        var console = Options.Console(output);
        var table = new Table().Title("Measured rate, power and work per joule").AddColumns("device", "workload", "rate", "power", "per joule");
        foreach (var device in report.Devices)
        {
            foreach (var w in device.Workloads)
            {
                table.AddRow(Markup.Escape(device.Id), Markup.Escape(w.Workload),
                    Markup.Escape(w.Run is { } run ? ReportFormat.Rate(run) : $"unavailable: {w.Error}"),
                    Markup.Escape(w.Run is { } r1 ? ReportFormat.WattsShort(r1) : ""),
                    Markup.Escape(w.Run is { } r2 ? ReportFormat.PerJoule(r2) : ""));
            }
        }
        console.Write(table);
        foreach (string reason in report.Devices.SelectMany(d => d.Workloads).Select(w => w.Run?.Energy.UnavailableReason).OfType<string>().Distinct())
            console.MarkupLineInterpolated($"power unavailable: {reason}");
        foreach (var device in report.Devices)
        {
            foreach (var w in device.Workloads.Where(w => w.Run is not null))
            {
                console.MarkupLineInterpolated($"{device.Id} {w.Workload}: {ReportFormat.RateWithSpread(w.Run!)}");
                foreach (string warning in w.Run!.Warnings)
                    console.MarkupLineInterpolated($"[yellow]warning[/] {device.Id} {w.Workload}: {warning}");
            }
        }
        if (report.Quick)
            console.MarkupLine("[yellow]A smoke run (--quick): do not quote these figures.[/]");
        if (ReportFormat.StaleWarning(report.Ages) is { } stale)
            console.MarkupLineInterpolated($"[yellow]{stale}[/]");
        foreach (string unused in report.Unused)
            console.MarkupLineInterpolated($"[yellow]warning: {unused}[/]");
        var money = new Table().AddColumns("device", "use", "revenue USD/day", "electricity USD/day", "profit USD/day");
        foreach (var device in report.Devices)
        {
            foreach (var use in new[] { device.Hashing, device.Ai })
            {
                if (use is not null)
                    money.AddRow(Markup.Escape(device.Id), use.Use, ReportFormat.Usd(use.Revenue), ReportFormat.Usd(use.Electricity), ReportFormat.Usd(use.Profit));
            }
        }
        console.Write(money);
        foreach (var device in report.Devices)
            console.MarkupLineInterpolated($"{device.Id}: {ReportMarkdown.Verdict(device).Replace("**", "", StringComparison.Ordinal)}");
        if (report.Cancelled)
            console.MarkupLine("Stopped early: the report holds what was measured before Ctrl+C.");
        console.MarkupLineInterpolated($"report: {folder}{Path.DirectorySeparatorChar}report.md (and report.json, report.csv, charts)");
    }
}
