using System.Globalization;
using HashTensorBench.Devices;

namespace HashTensorBench.Benchmarks;

/// <summary>Our own command-line options, taken out of the arguments before BenchmarkDotNet sees them.</summary>
/// <param name="InProcess">Run in this process (<c>--inprocess</c> or <c>HTB_INPROCESS=1</c>): a GPU server has the driver but no .NET SDK to build a child process with.</param>
/// <param name="Gpu">The GPU for every <c>[EnergyDevice(EnergyDeviceKind.Gpu)]</c> benchmark (<c>--energy-gpu cuda:N</c> or <c>HTB_ENERGY_GPU</c>), matched by PCI bus id as every device is; null, the default, reads each benchmark's own <c>cuda:N</c> device.</param>
/// <param name="IdleDuration">How long to measure each device's idle power first (<c>--energy-idle SECONDS</c>); zero skips it.</param>
/// <param name="BaseJob">BenchmarkDotNet's <c>--job</c> (<c>-j</c>), left in the arguments too: in process, our default job replaces BenchmarkDotNet's base job, so it must carry this one's settings.</param>
/// <param name="BenchmarkDotNetArgs">The remaining arguments, for BenchmarkDotNet.</param>
public sealed record BenchmarkOptions(bool InProcess, DeviceId? Gpu, TimeSpan IdleDuration, string BaseJob, string[] BenchmarkDotNetArgs)
{
    public const string InProcessArgument = "--inprocess";
    public const string GpuArgument = "--energy-gpu";
    public const string IdleArgument = "--energy-idle";
    public const string InProcessVariable = "HTB_INPROCESS";
    public const string GpuVariable = "HTB_ENERGY_GPU";

    /// <summary>Parses our options; <paramref name="environment"/> reads variables (by default the process's).</summary>
    /// <exception cref="ArgumentException">An option lacks its value or has a bad one.</exception>
    public static BenchmarkOptions Parse(string[] args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        bool inProcess = environment(InProcessVariable) is "1" or "true";
        string? gpu = environment(GpuVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var idle = TimeSpan.Zero;
        string baseJob = "default";
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            // Also takes BenchmarkDotNet's own --inProcess, whose 5-minute timeout is too short for a GPU run.
            if (args[i].Equals(InProcessArgument, StringComparison.OrdinalIgnoreCase))
                inProcess = true;
            else if (args[i].Equals(GpuArgument, StringComparison.OrdinalIgnoreCase))
                gpu = ValueAfter(args, ref i);
            else if (args[i].Equals(IdleArgument, StringComparison.OrdinalIgnoreCase))
                idle = TimeSpan.FromSeconds(double.TryParse(ValueAfter(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                    ? seconds
                    : throw new ArgumentException($"{IdleArgument} takes a number of seconds."));
            else
            {
                if (args[i] is "--job" or "-j" && i + 1 < args.Length)
                    baseJob = args[i + 1];
                rest.Add(args[i]);
            }
        }
        // Checked here so that a typo fails the run at once rather than at the first GPU benchmark.
        DeviceId? device = null;
        if (gpu is not null)
            device = DeviceId.TryParse(gpu, out var id) && id.Kind == DeviceKind.Cuda ? id : throw new ArgumentException($"{GpuArgument} takes one CUDA device, cuda:N, not '{gpu}'.");
        return new BenchmarkOptions(inProcess, device, idle, baseJob, [.. rest]);
    }

    private static string ValueAfter(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
