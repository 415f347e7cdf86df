using System.CommandLine;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Devices;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb hashrate --device D [--threads N] [--seconds S] [--json]</c>: the sha256d rate of each device over a timed
/// window, with the energy its meter read (or why none).
/// </summary>
internal static class HashRateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var device = Options.Device("Which device; gpu measures each CUDA device in turn.", DeviceId.Cpu);
        var seconds = Options.Integer("--seconds", "How long to measure (energy counters need 10 s or more).", 1, 3600, defaultValue: 10);
        var json = Options.Json();
        var threads = Options.Threads();
        var command = new Command("hashrate", "Measure sha256d hashes per second, watts and hashes per joule on a device.") { device, threads, seconds, json };
        command.Validators.Add(result => Options.CheckThreadsOnCpu(result, threads, device));
        command.SetAction((result, cancellationToken) =>
        {
            var runs = new List<TimedRun>();
            // gpu is every CUDA device measured on its own, so each gets its own energy window.
            using var devices = ComputeDevices.Open(result.GetValue(device), notice => error.WriteLine($"htb: {notice}"));
            foreach (var opened in devices)
            {
                using var searcher = opened.CreateSearcher((int)result.GetValue(threads), notice => error.WriteLine($"htb: {notice}"));
                using var meter = opened.OpenEnergyMeter();
                // A progress bar on a terminal; nothing when piped or with --json.
                runs.Add(Options.WithProgress(output, result.GetValue(json), $"hashrate on {searcher.Name}", progress =>
                    HashRate.Measure(searcher, meter, TimeSpan.FromSeconds(result.GetValue(seconds)), progress, cancellationToken)));
                if (cancellationToken.IsCancellationRequested)
                    break;
            }
            // Ctrl+C mid-run: what was measured until then is printed (marked stopped early), and the exit code says so.
            if (result.GetValue(json))
                WriteJson(output, runs);
            else
                foreach (var run in runs)
                    WriteText(output, run);
            return Task.FromResult(cancellationToken.IsCancellationRequested ? HtbApp.Cancelled : 0);
        });
        return command;
    }

    private static void WriteText(TextWriter output, TimedRun run)
    {
        output.WriteLine($"device   {run.Device}");
        output.WriteLine($"rate     {ReportFormat.RateWithSpread(run)}, {run.Work:N0} hashes");
        output.WriteLine(run.Energy.Joules is double joules
            ? $"energy   {joules:F1} J, {run.Energy.AverageWatts:F1} W, {run.WorkPerJoule / 1e6:F3} M hashes/J ({run.Energy.Source}){(run.Energy.IsTooShort ? ", window under 10 s" : "")}"
            : $"energy   unavailable: {run.Energy.UnavailableReason}");
        if (run.Energy.AtStart is { } start && run.Energy.AtEnd is { } end)
            output.WriteLine($"state    start {start}; end {end}");
        if (run.Load.OtherBusyCores is { } busy)
            output.WriteLine($"machine  other processes {busy:0.##} of {run.Load.LogicalProcessors} logical processors busy, steal {run.Load.StealFraction:P1}");
        foreach (string warning in run.Warnings)
            output.WriteLine($"warning  {warning}");
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<TimedRun> runs)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var run in runs)
                ReportJson.WriteWorkload(writer, new WorkloadResult("sha256d", run.Unit, null, run, null));
            writer.WriteEndArray();
        });
    }
}
