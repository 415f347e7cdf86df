using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Exporters;
using HashTensorBench.Devices;
using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Benchmarks.Diagnosers;

/// <summary>
/// Reads a device's energy over each benchmark's actual workload stage only: the window opens at
/// <see cref="HostSignal.BeforeActualRun"/> (after pilot and warmup) and closes at
/// <see cref="HostSignal.AfterActualRun"/>, and only the Workload/Actual iterations count as work.
/// The meter runs in the host process, so out-of-process runs are measured as well as in-process ones.
/// Returns average watts, joules and work per joule as metrics; an unavailable reading returns none,
/// and <see cref="Columns.EnergySourceColumn"/> and the sidecar JSON say why.
/// </summary>
public sealed class EnergyDiagnoser : IDiagnoser
{
    private readonly Func<BenchmarkCase, EnergyDeviceKind, IEnergyMeter> _openMeter;
    private readonly TimeSpan _idleDuration;
    private readonly Dictionary<BenchmarkCase, EnergyReading> _readings = [];
    private readonly Dictionary<BenchmarkCase, EnergyFigures> _figures = [];
    private readonly Dictionary<EnergyDeviceKind, EnergyReading> _idle = [];
    private IEnergyMeter? _meter;
    private IEnergyWindow? _window;

    /// <summary>Measures the CPU with RAPL and GPUs with NVML.</summary>
    /// <param name="gpu">
    /// The CUDA device for every GPU benchmark; null (the default) reads each benchmark's own device, the one its
    /// <c>Device</c> parameter (<c>cuda:N</c>) names, so that on a machine with several GPUs each case's joules are its
    /// own GPU's. Either is matched to NVML by PCI bus id (<see cref="ComputeDevice.OpenEnergyMeter"/>).
    /// </param>
    /// <param name="idleDuration">When positive, each device's idle power is measured this long before its first benchmark, and reported apart.</param>
    public EnergyDiagnoser(DeviceId? gpu = null, TimeSpan idleDuration = default)
        : this((benchmarkCase, kind) => kind == EnergyDeviceKind.Gpu
            ? OpenGpuMeter(gpu ?? GpuOf(benchmarkCase))
            : EnergyMeters.ForCpu(), idleDuration)
    {
    }

    /// <summary>Measures with the meters <paramref name="openMeter"/> opens; each is disposed after its benchmark.</summary>
    public EnergyDiagnoser(Func<EnergyDeviceKind, IEnergyMeter> openMeter, TimeSpan idleDuration = default)
        : this((_, kind) => openMeter(kind), idleDuration)
    {
    }

    private EnergyDiagnoser(Func<BenchmarkCase, EnergyDeviceKind, IEnergyMeter> openMeter, TimeSpan idleDuration)
    {
        _openMeter = openMeter;
        _idleDuration = idleDuration;
        Exporters = [new EnergyJsonExporter(this)];
    }

    /// <summary>The name of the parameter that says which CUDA device a GPU benchmark runs on (<c>cuda:N</c>).</summary>
    public const string DeviceParameter = "Device";

    // The GPU's meter, by the PCI bus id the opened device holds; unavailable, saying why, when there is no such GPU.
    private static IEnergyMeter OpenGpuMeter(DeviceId gpu)
    {
        try
        {
            using var device = ComputeDevice.Open(gpu);
            return device.OpenEnergyMeter();
        }
        catch (GpuException)
        {
            return new UnavailableEnergyMeter(gpu.ToString(), EnergySources.None, $"no CUDA device {gpu} to match by PCI bus id");
        }
    }

    // The device a case runs on (its Device parameter), else the first CUDA device.
    private static DeviceId GpuOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == DeviceParameter)?.Value is string device
            ? DeviceId.Parse(device)
            : DeviceId.Cuda(0);

    /// <summary>Each measured benchmark's figures, once BenchmarkDotNet has processed its results.</summary>
    public IReadOnlyDictionary<BenchmarkCase, EnergyFigures> Figures => _figures;

    /// <summary>Each device's idle reading, when an idle duration was given; never subtracted from anything.</summary>
    public IReadOnlyDictionary<EnergyDeviceKind, EnergyReading> Idle => _idle;

    public IEnumerable<string> Ids => [nameof(EnergyDiagnoser)];

    public IEnumerable<IExporter> Exporters { get; }

    public IEnumerable<IAnalyser> Analysers => [];

    // The meter reads the device from the host, off the benchmark's threads, so the energy belongs to
    // the very iterations whose times the summary reports.
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        var device = EnergyDeviceAttribute.For(parameters.BenchmarkCase);
        switch (signal)
        {
            case HostSignal.BeforeAnythingElse when _idleDuration > TimeSpan.Zero && !_idle.ContainsKey(device):
                using (var meter = _openMeter(parameters.BenchmarkCase, device))
                    _idle[device] = IdlePower.Measure(meter, _idleDuration);
                break;
            case HostSignal.BeforeActualRun:
                // A benchmark that died in its actual stage never sent AfterActualRun: close its window.
                CloseWindow();
                _meter = _openMeter(parameters.BenchmarkCase, device);
                _window = _meter.Start();
                break;
            case HostSignal.AfterActualRun when _window is not null:
                _readings[parameters.BenchmarkCase] = _window.Stop();
                CloseWindow();
                break;
            case HostSignal.AfterAll:
                CloseWindow();
                break;
        }
    }

    private void CloseWindow()
    {
        _window?.Dispose();
        _meter?.Dispose();
        (_window, _meter) = (null, null);
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults results)
    {
        if (!_readings.TryGetValue(results.BenchmarkCase, out var reading))
            return [];
        var figures = EnergyFigures.From(reading, BenchmarkWork.For(results.BenchmarkCase), results.Measurements);
        _figures[results.BenchmarkCase] = figures;
        return figures.ToMetrics();
    }

    public void DisplayResults(ILogger logger)
    {
        logger.WriteLineHeader("// * Energy (actual workload iterations only; idle is never subtracted) *");
        foreach (var (device, reading) in _idle)
            logger.WriteLineInfo($"idle {device.ToString().ToLowerInvariant()}: {reading}");
        foreach (var (benchmarkCase, figures) in _figures)
            logger.WriteLineInfo($"{benchmarkCase.DisplayInfo}: {figures.Reading}");
    }

    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters)
    {
        foreach (var benchmarkCase in validationParameters.Benchmarks)
        {
            string? error = null;
            try
            {
                BenchmarkWork.For(benchmarkCase);
            }
            catch (InvalidOperationException e)
            {
                error = e.Message;
            }
            if (error is not null)
                yield return new ValidationError(true, error, benchmarkCase);
        }
    }
}
