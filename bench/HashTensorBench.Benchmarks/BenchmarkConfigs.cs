using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;

namespace HashTensorBench.Benchmarks;

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
            // On a shared machine other work inflates the mean; the fastest iteration is the least disturbed.
            .AddColumn(StatisticColumn.Min)
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
