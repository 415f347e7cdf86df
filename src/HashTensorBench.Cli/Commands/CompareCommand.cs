using System.CommandLine;
using System.Globalization;
using HashTensorBench.Cli.Report;
using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;
using HashTensorBench.Tensors.Cuda;
using HashTensorBench.Workloads;
using Spectre.Console;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb compare</c>: hashing and AI measured on every device, priced per day, and written as a report
/// folder (Markdown, JSON, charts). Ctrl+C stops and still writes what was measured.
/// </summary>
internal static class CompareCommand
{
    private sealed record Workload(string Name, string Unit, Func<IEnergyMeter, TimeSpan, IProgress<double>, CancellationToken, TimedRun> Run);

    private sealed record DevicePlan(string Id, string Name, Func<IEnergyMeter> Meter, IReadOnlyList<Workload> Workloads, MarketInput? Rental);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var duration = Options.Integer("--duration", "Seconds per workload (energy counters need 10 or more).", 1, 3600, defaultValue: 10);
        var quick = new Option<bool>("--quick") { Description = "A smoke run: 1 s per workload and small matrices." };
        var outputDir = new Option<string?>("--output") { Description = "A new report folder (default: htb-report-<date>-<time> in the current folder); one that holds a report already is refused." };
        outputDir.Validators.Add(Options.CheckFolderNamed);
        var config = new Option<FileInfo?>("--config") { Description = "A JSON file of market inputs (the keys of the flags below, such as {\"btc-price\": 95000})." };
        var defaultsFile = new Option<FileInfo?>("--defaults") { Description = $"A defaults file to use instead of the built-in {MarketDefaults.FileName} (a copy lies beside htb)." };
        var only = new Option<string?>("--devices") { Description = "Comma-separated devices to measure, such as cuda:0,cuda:1 (default: the CPU and every CUDA device)." };
        var prices = MarketOptions.All.Select(o => o.Option).ToArray();
        var command = new Command("compare", "Measure hashing and AI on every device, price them per day, and write a report.") { duration, quick, outputDir, config, only, defaultsFile };
        foreach (var option in prices)
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) =>
        {
            var defaults = result.GetValue(defaultsFile) is { } file ? MarketDefaults.Load(file.FullName) : MarketDefaults.Builtin;
            var inputs = MarketOptions.Read(result, result.GetValue(config), defaults).Validate();
            bool isQuick = result.GetValue(quick);
            var perWorkload = TimeSpan.FromSeconds(isQuick ? 1 : result.GetValue(duration));
            var discovery = CudaDiscovery.Run();
            string cuda = discovery.Devices.Count > 0
                ? string.Join("; ", discovery.Devices.Select(d => d.ToString()))
                : $"none ({discovery.Reason})";
            var plans = new List<DevicePlan> { CpuPlan(isQuick) };
            plans.AddRange(discovery.Devices.Select(d => GpuPlan(d, isQuick)));
            if (result.GetValue(only) is { } wanted)
                plans = Select(plans, wanted, error);
            string folder = PrepareFolder(result.GetValue(outputDir));
            output.WriteLine($"devices: cpu ({CpuDevice.Name}, {CpuDevice.LogicalProcessors} threads); CUDA: {cuda}; measuring {string.Join(", ", plans.Select(p => p.Id))}");

            bool cancelled = false;
            var measured = new List<(DevicePlan Plan, List<WorkloadResult> Results)>();
            RunAll(output, plans, perWorkload, measured, ref cancelled, cancellationToken);

            var report = new ComparisonReport(DateTimeOffset.UtcNow, perWorkload, isQuick, cancelled, CpuDevice.Name, cuda, inputs,
                [.. measured.Select(m => ComparisonReport.Price(m.Plan.Id, m.Plan.Name, m.Results, InputsFor(m.Plan, inputs)))]);
            WriteReport(report, folder);
            PrintSummary(output, report, folder);
            return Task.FromResult(cancelled ? HtbApp.Cancelled : 0);
        });
        return command;
    }

    private static DevicePlan CpuPlan(bool quick)
    {
        int n = quick ? 256 : 1024;
        var shape = new GemmShape(n, n, n);
        return new DevicePlan("cpu", CpuDevice.Name, EnergyMeters.ForCpu,
        [
            new("sha256d", WorkUnits.Hash, (meter, time, progress, ct) => HashRate.Measure(new CpuNonceSearcher(), meter, time, progress, ct)),
            new($"gemm fp32 {n}x{n}x{n}", WorkUnits.Flop, (meter, time, progress, ct) =>
                GemmRate.Measure(new CpuMatrixMultiplier(), GemmOperands.Create(shape, GemmElementType.Fp32, GemmRate.Seed, ct), meter, time, progress, ct)),
        ], null);
    }

    // On a GPU the GEMM operands stay on the device: the rate is the kernel's, not the PCIe bus's.
    private static DevicePlan GpuPlan(GpuDevice device, bool quick)
    {
        int n = quick ? 2048 : 8192;
        var shape = new GemmShape(n, n, n);
        Workload Gemm(GemmElementType type) => new($"gemm {type.Name} {n}x{n}x{n}", WorkUnits.Flop, (meter, time, progress, ct) =>
        {
            using var gpu = IlgpuMatrixMultiplier.ForCuda(device.Index);
            using var session = gpu.Prepare(GemmOperands.Create(shape, type, GemmRate.Seed, ct));
            return GemmRate.Measure(session, meter, time, progress, ct);
        });
        return new(device.Id, device.Name, () => EnergyMeters.ForGpu(device.PciBusId),
        [
            new("sha256d", WorkUnits.Hash, (meter, time, progress, ct) =>
            {
                using var searcher = IlgpuNonceSearcher.ForCuda(device.Index);
                return HashRate.Measure(searcher, meter, time, progress, ct);
            }),
            Gemm(GemmElementType.Fp32),
            Gemm(GemmElementType.Fp16),
        ], MarketReferences.GpuRental(device.Name));
    }

    // Each workload in its own energy window; a failing device is recorded and the others still run.
    private static void RunAll(TextWriter output, List<DevicePlan> plans, TimeSpan perWorkload,
        List<(DevicePlan, List<WorkloadResult>)> measured, ref bool cancelled, CancellationToken cancellationToken)
    {
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        bool stopped = false;
        void RunPlans(Func<DevicePlan, Workload, IProgress<double>> progressFor)
        {
            foreach (var plan in plans)
            {
                var results = new List<WorkloadResult>();
                measured.Add((plan, results));
                foreach (var workload in plan.Workloads)
                {
                    if (stopped)
                    {
                        results.Add(new WorkloadResult(workload.Name, workload.Unit, null, "cancelled (Ctrl+C)"));
                        continue;
                    }
                    try
                    {
                        using var meter = plan.Meter();
                        results.Add(new WorkloadResult(workload.Name, workload.Unit,
                            workload.Run(meter, perWorkload, progressFor(plan, workload), cancellationToken), null));
                        // Ctrl+C in the middle of a workload: what it measured until then is kept (marked stopped early).
                        stopped = cancellationToken.IsCancellationRequested;
                    }
                    catch (OperationCanceledException)
                    {
                        stopped = true;
                        results.Add(new WorkloadResult(workload.Name, workload.Unit, null, "cancelled (Ctrl+C)"));
                    }
                    catch (Exception ex) when (ex is GpuException or PlatformNotSupportedException or OutOfMemoryException)
                    {
                        results.Add(new WorkloadResult(workload.Name, workload.Unit, null, ex.Message));
                    }
                }
            }
        }

        if (interactive)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var tasks = plans.SelectMany(p => p.Workloads.Select(w => (p, w))).ToDictionary(x => x, x => context.AddTask($"{x.p.Id} {x.w.Name}", autoStart: false, maxValue: 1));
                    RunPlans((plan, workload) =>
                    {
                        var task = tasks[(plan, workload)];
                        task.StartTask();
                        return new Progress<double>(value => task.Value = value);
                    });
                    foreach (var task in tasks.Values)
                        task.StopTask();
                });
        }
        else
        {
            RunPlans((plan, workload) =>
            {
                output.WriteLine($"measuring {workload.Name} on {plan.Id} for {perWorkload.TotalSeconds:F0} s ...");
                return new Progress<double>(_ => { });
            });
        }
        cancelled = stopped;
    }

    // A GPU's AI work is priced by its rent (the user's --gpu-rent, else its model's typical price); the
    // CPU has no rental market, so it is always priced per PFLOP/s-hour.
    private static MarketInputs InputsFor(DevicePlan plan, MarketInputs inputs) => plan.Id == "cpu"
        ? inputs with { GpuRentalPerHour = null }
        : inputs with { GpuRentalPerHour = inputs.GpuRentalPerHour ?? plan.Rental };

    // Device names as every command reads them (DeviceId); gpu is every CUDA device, else the CPU with a line saying why.
    private static List<DevicePlan> Select(List<DevicePlan> plans, string wanted, TextWriter error)
    {
        var ids = new List<string>();
        foreach (string name in wanted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DeviceId.TryParse(name, out var id))
                throw new ArgumentException($"--devices: Unknown device \"{name}\"; expected {DeviceId.Names}.");
            foreach (var one in id.Expand(notice => error.WriteLine($"htb: {notice}")))
            {
                if (!plans.Any(p => p.Id == one.ToString()))
                    throw new ArgumentException($"--devices: no device \"{one}\" here; found {string.Join(", ", plans.Select(p => p.Id))}.");
                ids.Add(one.ToString());
            }
        }
        return ids.Count == 0
            ? throw new ArgumentException("--devices: name at least one device, such as cpu or cuda:0.")
            : [.. plans.Where(p => ids.Contains(p.Id))];
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
        var table = new Table().Title("Hash or AI, per day").AddColumns("device", "workload", "rate", "power", "per joule");
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
        console.MarkupLineInterpolated($"report: {folder}{Path.DirectorySeparatorChar}report.md (and report.json, charts)");
    }
}
