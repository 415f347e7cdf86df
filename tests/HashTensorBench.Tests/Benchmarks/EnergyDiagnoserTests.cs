using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HashTensorBench.Benchmarks;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;
using HashTensorBench.Devices;
using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Benchmarks;

public sealed class EnergyDiagnoserTests
{
    private static readonly BenchmarkWork TwoHashesPerOperation = new(WorkUnitAttribute.Hash, 2);

    [Fact]
    public void Figures_count_only_the_actual_workload_iterations()
    {
        var reading = EnergyReading.Measured("cpu", EnergySources.Rapl, 100, TimeSpan.FromSeconds(10));
        Measurement[] measurements =
        [
            new(1, IterationMode.Overhead, IterationStage.Actual, 1, 5000, 1e6),
            new(1, IterationMode.Workload, IterationStage.Warmup, 1, 500, 1e9),
            new(1, IterationMode.Workload, IterationStage.Actual, 1, 1000, 4e9),
            new(1, IterationMode.Workload, IterationStage.Actual, 2, 1000, 5e9),
            new(1, IterationMode.Workload, IterationStage.Result, 1, 1000, 4e9),
        ];

        var figures = EnergyFigures.From(reading, TwoHashesPerOperation, measurements);

        Assert.Equal(2000, figures.Operations);
        Assert.Equal(9.0, figures.WorkloadSeconds, 9);
        Assert.Equal(4000, figures.TotalWork);
        Assert.Equal(40, figures.WorkPerJoule);
        var metrics = figures.ToMetrics().ToDictionary(metric => metric.Descriptor, metric => metric.Value);
        Assert.Equal(10, metrics[EnergyMetricDescriptors.AveragePower]);
        Assert.Equal(100, metrics[EnergyMetricDescriptors.Energy]);
        Assert.Equal(40, metrics[EnergyMetricDescriptors.WorkPerJoule("H")]);
        Assert.Same(EnergyMetricDescriptors.WorkPerJoule("H"), EnergyMetricDescriptors.WorkPerJoule("H"));
        Assert.Equal("H/J", EnergyMetricDescriptors.WorkPerJoule("H").DisplayName);
        Assert.Equal("rapl", EnergySourceColumn.Describe(figures));
    }

    [Fact]
    public void Unavailable_reading_gives_no_metrics_and_its_reason()
    {
        var reading = EnergyReading.Unavailable("cpu", EnergySources.Rapl, "no powercap zone (test)", TimeSpan.FromSeconds(20));
        Measurement[] measurements = [new(1, IterationMode.Workload, IterationStage.Actual, 1, 1000, 4e9)];

        var figures = EnergyFigures.From(reading, TwoHashesPerOperation, measurements);

        Assert.Empty(figures.ToMetrics());
        Assert.Null(figures.WorkPerJoule);
        Assert.Equal("unavailable: no powercap zone (test)", EnergySourceColumn.Describe(figures));
    }

    [Fact]
    public void Short_window_is_flagged_in_the_source_column()
    {
        var reading = EnergyReading.Measured("gpu 0", EnergySources.NvmlTotalEnergy, 30, TimeSpan.FromSeconds(3.04));

        Assert.Equal("nvml-total-energy (too short: 3.0 s)", EnergySourceColumn.Describe(new EnergyFigures(reading, TwoHashesPerOperation, 1, 3)));
    }

    [Fact]
    public void Throughput_is_work_per_operation_over_the_mean()
    {
        Assert.Equal(5e8, ThroughputColumn.Compute(2, 4), 3);
        Assert.Equal("4.257 G", ThroughputColumn.FormatSi(4.2571e9));
        Assert.Equal("950", ThroughputColumn.FormatSi(950));
        Assert.Equal("1.5 T", ThroughputColumn.FormatSi(1.5e12));
    }

    [Fact]
    public void Work_unit_multiplies_the_named_parameters()
    {
        var cases = BenchmarkConverter.TypeToBenchmarks(typeof(SampleGemm)).BenchmarksCases;

        var work = cases.Select(BenchmarkWork.For).ToArray();

        Assert.All(work, item => Assert.Equal(WorkUnitAttribute.Flop, item.Unit));
        Assert.Equal([2.0 * 64 * 32 * 16, 2.0 * 128 * 32 * 16], work.Select(item => item.PerOperation).Order());
        var unmarked = BenchmarkConverter.TypeToBenchmarks(typeof(SampleUnmarked)).BenchmarksCases.Single();
        Assert.Equal(new BenchmarkWork(BenchmarkWork.DefaultUnit, 1), BenchmarkWork.For(unmarked));
        Assert.Equal(EnergyDeviceKind.Gpu, EnergyDeviceAttribute.For(cases[0]));
        Assert.Equal(EnergyDeviceKind.Cpu, EnergyDeviceAttribute.For(unmarked));
    }

    [Fact]
    public void Options_are_taken_out_of_the_arguments()
    {
        var options = BenchmarkOptions.Parse(
            ["--filter", "*", "--inProcess", "--energy-gpu", "cuda:1", "--energy-idle", "12.5", "--job", "short"],
            _ => null);

        Assert.True(options.InProcess);
        Assert.Equal(DeviceId.Cuda(1), options.Gpu);
        Assert.Equal(TimeSpan.FromSeconds(12.5), options.IdleDuration);
        Assert.Equal("short", options.BaseJob);
        Assert.Equal(["--filter", "*", "--job", "short"], options.BenchmarkDotNetArgs);

        var fromEnvironment = BenchmarkOptions.Parse([], name => name switch
        {
            BenchmarkOptions.InProcessVariable => "1",
            BenchmarkOptions.GpuVariable => "cuda:0",
            _ => null,
        });
        Assert.True(fromEnvironment.InProcess);
        Assert.Equal(DeviceId.Cuda(0), fromEnvironment.Gpu);
        Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--energy-idle"], _ => null));
        Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--energy-idle", "soon"], _ => null));
        // One device grammar: gpu:N and bus ids are not device names, and gpu (every GPU) or the CPU is not one GPU.
        foreach (string bad in new[] { "gpu:1", "0000:01:00.0", "gpu", "cpu" })
            Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--energy-gpu", bad], _ => null));
    }

    [Fact]
    public void In_process_run_reports_measured_energy_and_the_sidecar_says_so()
    {
        var diagnoser = new EnergyDiagnoser(_ => new FixedMeter(joules: 50, seconds: 20), idleDuration: TimeSpan.FromMilliseconds(1));
        var (summary, sidecar) = Run(diagnoser);

        // Idle is measured once, reported apart, and not subtracted from the workload's 50 J.
        Assert.Equal(50, diagnoser.Idle[EnergyDeviceKind.Cpu].Joules);
        Assert.Contains("\"kind\": \"cpu\"", sidecar, StringComparison.Ordinal);

        var report = summary.Reports.Single();
        Assert.True(report.Success);
        Assert.Equal(2.5, report.Metrics["Energy.AverageWatts"].Value);
        Assert.Equal(50, report.Metrics["Energy.Joules"].Value);
        var figures = diagnoser.Figures[report.BenchmarkCase];
        // Dry: one actual iteration of one invoke, of 4096 operations (OperationsPerInvoke) of one hash each.
        Assert.Equal(4096, figures.Operations);
        Assert.Equal(4096 / 50.0, report.Metrics["Energy.HPerJoule"].Value, 9);
        Assert.Contains("\"source\": \"measured\"", sidecar, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\": \"unavailable\"", sidecar, StringComparison.Ordinal);
    }

    [Fact]
    public void In_process_run_without_a_source_reports_the_reason_and_no_number()
    {
        var diagnoser = new EnergyDiagnoser(_ => new UnavailableEnergyMeter("cpu", EnergySources.Rapl, "no powercap zone (test)"));
        var (summary, sidecar) = Run(diagnoser);

        var report = summary.Reports.Single();
        Assert.True(report.Success);
        Assert.DoesNotContain(report.Metrics.Keys, key => key.StartsWith("Energy.", StringComparison.Ordinal));
        Assert.Equal("unavailable: no powercap zone (test)", new EnergySourceColumn(diagnoser).GetValue(summary, report.BenchmarkCase));
        Assert.Contains("\"reason\": \"no powercap zone (test)\"", sidecar, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\": \"measured\",\n        \"value\": 0", sidecar.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gpu_benchmark_reads_the_energy_of_its_own_device_by_pci_bus_id()
    {
        // No --energy-gpu: the meter follows the case's Device parameter. cuda:7 is on no test machine, so the
        // reading names it instead of silently using GPU 0's joules.
        var diagnoser = new EnergyDiagnoser();
        var (summary, sidecar) = Run<SampleGpuDevice>(diagnoser);

        Assert.True(summary.Reports.Single().Success);
        Assert.Contains("\"reason\": \"no CUDA device cuda:7 to match by PCI bus id\"", sidecar, StringComparison.Ordinal);
    }

    /// <summary>Runs <see cref="SampleHashing"/> in process, and returns the summary and the sidecar's text.</summary>
    private static (Summary Summary, string Sidecar) Run(EnergyDiagnoser diagnoser) => Run<SampleHashing>(diagnoser);

    private static (Summary Summary, string Sidecar) Run<T>(EnergyDiagnoser diagnoser)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "htb-bdn-" + Guid.NewGuid().ToString("N"));
        var config = ManualConfig.CreateEmpty()
            .AddDiagnoser(diagnoser)
            .AddJob(Job.Dry.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(1), logOutput: false)))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        try
        {
            var summary = BenchmarkRunner.Run<T>(config);
            var sidecar = ((ExporterBase)diagnoser.Exporters.Single()).GetArtifactFullName(summary);
            return (summary, File.ReadAllText(sidecar));
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private sealed class FixedMeter(double joules, double seconds) : IEnergyMeter
    {
        public string Device => "test";

        public string Source => EnergySources.Rapl;

        public string? UnavailableReason => null;

        public IEnergyWindow Start() => new Window(joules, seconds);

        public void Dispose()
        {
        }

        private sealed class Window(double joules, double seconds) : IEnergyWindow
        {
            public EnergyReading Stop() => EnergyReading.Measured("test", EnergySources.Rapl, joules, TimeSpan.FromSeconds(seconds));

            public void Dispose()
            {
            }
        }
    }
}

public class SampleHashing
{
    private readonly byte[] _data = new byte[4096];

    [Benchmark(OperationsPerInvoke = 4096)]
    [WorkUnit(WorkUnitAttribute.Hash)]
    public int Sum()
    {
        int sum = 0;
        foreach (var item in _data)
            sum += item;
        return sum;
    }
}

[EnergyDevice(EnergyDeviceKind.Gpu)]
[WorkUnit(WorkUnitAttribute.Flop, PerOperation = 2, TimesParameters = ["M", "N", "K"])]
public class SampleGemm
{
    [Params(64, 128)]
    public int M { get; set; }

    [Params(32)]
    public int N { get; set; }

    [Params(16)]
    public int K { get; set; }

    [Benchmark]
    public int Multiply() => M * N * K;
}

[EnergyDevice(EnergyDeviceKind.Gpu)]
public class SampleGpuDevice
{
    [Params("cuda:7")]
    public string Device { get; set; } = "";

    [Benchmark]
    public int Launch() => Device.Length;
}

public class SampleUnmarked
{
    [Benchmark]
    public int Nothing() => 0;
}
