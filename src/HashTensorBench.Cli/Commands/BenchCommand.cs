using System.CommandLine;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Devices;
using HashTensorBench.Tensors;
using Spectre.Console;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb bench [--devices cpu,cuda:0] [--seconds S] [--size N]</c>: every workload on every device, measured briefly,
/// as one table (as <c>hashcat -b</c> does): the sha256d search and the GEMM in each element type the device has.
/// </summary>
internal static class BenchCommand
{
    private const int CpuSize = 1024, GpuSize = 4096;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var only = new Option<string?>("--devices") { Description = $"Comma-separated devices, such as cpu,cuda:0 (default: the CPU and every CUDA device); each one of: {DeviceId.Names}." };
        var seconds = Options.Integer("--seconds", "Seconds per workload.", 1, 3600, defaultValue: 2);
        var size = Options.Integer("--size", $"N of the square GEMM (N×N×N); by default {CpuSize} on the CPU, {GpuSize} on a GPU.", 1, 65536, defaultValue: CpuSize);
        var command = new Command("bench", "Measure sha256d and the GEMM in every element type on every device, briefly, and print one table.") { only, seconds, size };
        command.SetAction((result, cancellationToken) =>
        {
            bool sizeGiven = result.GetResult(size) is { Implicit: false };
            using var devices = result.GetValue(only) is { } wanted
                ? ComputeDevices.Open(wanted, notice => error.WriteLine($"htb: {notice}"))
                : ComputeDevices.OpenAll();
            DevicePlan[] plans = [.. devices.Select(device =>
            {
                int n = sizeGiven ? (int)result.GetValue(size) : device is IlgpuComputeDevice ? GpuSize : CpuSize;
                var shape = new GemmShape(n, n, n);
                // Checked in bytes before anything is allocated, with the widest type's operands.
                if (GemmMemory.AvailableHostBytes() is long hostBytes)
                    GemmMemory.CheckFits(shape, GemmElementType.Fp32, hostBytes, "the host RAM available");
                return DevicePlan.Of(device, shape, device.ElementTypes);
            })];
            var perWorkload = TimeSpan.FromSeconds(result.GetValue(seconds));
            var (measured, cancelled) = ComparisonRunner.Run(plans, perWorkload, (plan, workload) =>
            {
                error.WriteLine($"htb: measuring {workload.Name} on {plan.Id} for {perWorkload.TotalSeconds:F0} s ...");
                return new Progress<double>(_ => { });
            }, cancellationToken);
            WriteTable(output, measured);
            return Task.FromResult(cancelled ? HtbApp.Cancelled : 0);
        });
        return command;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<(DevicePlan Plan, IReadOnlyList<WorkloadResult> Results)> measured)
    {
        var console = Options.Console(output);
        var table = new Table().AddColumns("device", "workload", "rate", "spread", "power", "per joule");
        foreach (var (plan, results) in measured)
        {
            foreach (var w in results)
            {
                table.AddRow(Markup.Escape($"{plan.Id} {plan.Name}"), Markup.Escape(w.Workload),
                    Markup.Escape(w.Run is { } run ? ReportFormat.Rate(run) : $"unavailable: {w.Error}"),
                    w.Run is { } spread ? $"{spread.Windows.Spread:P1}" : "",
                    Markup.Escape(w.Run is { } power ? ReportFormat.WattsShort(power) : ""),
                    Markup.Escape(w.Run is { } perJoule ? ReportFormat.PerJoule(perJoule) : ""));
            }
        }
        console.Write(table);
        // What could distort a figure (an unstable rate, a busy machine, a short energy window), under the row it concerns.
        foreach (var (plan, results) in measured)
        {
            foreach (var w in results)
            {
                foreach (string warning in w.Run?.Warnings ?? [])
                    console.MarkupLineInterpolated($"warning: {plan.Id} {w.Workload}: {warning}");
            }
        }
        foreach (string reason in measured.SelectMany(m => m.Results).Select(w => w.Run?.Energy.UnavailableReason).OfType<string>().Distinct())
            console.MarkupLineInterpolated($"power unavailable: {reason}");
    }
}
