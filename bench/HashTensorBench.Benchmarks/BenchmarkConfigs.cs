using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;

namespace HashTensorBench.Benchmarks;

/// <summary>Our own command-line options, taken out of the arguments before BenchmarkDotNet sees them.</summary>
/// <param name="InProcess">Run in this process (<c>--inprocess</c> or <c>HTB_INPROCESS=1</c>): a GPU server has the driver but no .NET SDK to build a child process with.</param>
/// <param name="Gpu">The GPU for <c>[EnergyDevice(EnergyDeviceKind.Gpu)]</c> benchmarks (<c>--energy-gpu</c> or <c>HTB_ENERGY_GPU</c>): <c>gpu</c>, <c>gpu:N</c> or <c>gpu:PCI-BUS-ID</c>.</param>
/// <param name="IdleDuration">How long to measure each device's idle power first (<c>--energy-idle SECONDS</c>); zero skips it.</param>
/// <param name="BaseJob">BenchmarkDotNet's <c>--job</c> (<c>-j</c>), left in the arguments too: in process, our default job replaces BenchmarkDotNet's base job, so it must carry this one's settings.</param>
/// <param name="BenchmarkDotNetArgs">The remaining arguments, for BenchmarkDotNet.</param>
public sealed record BenchmarkOptions(bool InProcess, string Gpu, TimeSpan IdleDuration, string BaseJob, string[] BenchmarkDotNetArgs)
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
        string gpu = environment(GpuVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "gpu";
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
        if (!gpu.Equals("gpu", StringComparison.OrdinalIgnoreCase) && !(gpu.StartsWith("gpu:", StringComparison.OrdinalIgnoreCase) && gpu.Length > 4))
            throw new ArgumentException($"{GpuArgument} takes gpu, gpu:INDEX or gpu:PCI-BUS-ID, not '{gpu}'.");
        return new BenchmarkOptions(inProcess, gpu, idle, baseJob, [.. rest]);
    }

    private static string ValueAfter(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}

/// <summary>The benchmark configuration: energy diagnoser, throughput and energy columns, and the exporters.</summary>
public static class BenchmarkConfigs
{
    /// <summary>How long one in-process benchmark may run: GPU benchmarks with 10 s energy windows take minutes.</summary>
    public static readonly TimeSpan InProcessTimeout = TimeSpan.FromHours(1);

    /// <summary>The configuration for <paramref name="args"/>; pass <see cref="BenchmarkOptions.BenchmarkDotNetArgs"/> to BenchmarkDotNet.</summary>
    public static IConfig Create(string[] args) => Create(BenchmarkOptions.Parse(args));

    /// <summary>The configuration for parsed options.</summary>
    public static IConfig Create(BenchmarkOptions options)
    {
        var diagnoser = new EnergyDiagnoser(options.Gpu, options.IdleDuration);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(diagnoser)
            .AddColumnProvider(new ThroughputColumnProvider())
            .AddColumn(new EnergySourceColumn(diagnoser))
            // DefaultConfig already writes GitHub Markdown, CSV and HTML; the diagnoser adds *-energy.json.
            .AddExporter(JsonExporter.Full);
        if (options.InProcess)
        {
            // As the default job it is the base of every job the command line asks for (--runtimes, --iterationCount …).
            config.AddJob(NamedJob(options.BaseJob)
                .WithToolchain(new InProcessEmitToolchain(InProcessTimeout, logOutput: true))
                .AsDefault());
        }
        return config;
    }

    private static Job NamedJob(string name) => name.ToLowerInvariant() switch
    {
        "default" => Job.Default,
        "dry" => Job.Dry,
        "short" => Job.ShortRun,
        "medium" => Job.MediumRun,
        "long" => Job.LongRun,
        "verylong" => Job.VeryLongRun,
        _ => throw new ArgumentException($"Unknown job '{name}': expected default, dry, short, medium, long or verylong."),
    };

    /// <summary>Runs the benchmarks of <paramref name="assembly"/> that <paramref name="args"/> select; 1 when any failed, 2 for bad options.</summary>
    public static int Run(Assembly assembly, string[] args)
    {
        BenchmarkOptions options;
        IConfig config;
        try
        {
            options = BenchmarkOptions.Parse(args);
            config = Create(options);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var summaries = BenchmarkSwitcher.FromAssembly(assembly).Run(options.BenchmarkDotNetArgs, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
    }
}
