using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// Square GEMM, C = A·B, on each CUDA device (none on a machine without one: the class then has no cases), in every
/// element type the GPU has a kernel for (FP32 on CUDA cores, the others on tensor cores): the kernel alone on
/// operands already on the device, and the whole call with A and B copied in and C copied out. Energy is read from the GPU that <c>--energy-gpu</c> names.
/// </summary>
[Config(typeof(Config))]
[WorkUnit(WorkUnitAttribute.Flop, PerOperation = 2, TimesParameters = ["M", "N", "K"])]
[EnergyDevice(EnergyDeviceKind.Gpu)]
public class GpuGemmBenchmarks
{
    private IlgpuComputeDevice _device = null!;
    private IMatrixMultiplier _multiplier = null!;
    private GpuGemmSession? _session;
    private GemmOperands _operands = null!;

    public static IEnumerable<string> Devices => CudaDiscovery.Current.Devices.Select(d => d.Id);

    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "";

    public static IEnumerable<string> DataTypes => GpuGemmKernels.ElementTypes.Select(t => t.Name);

    /// <summary>The element type's name (<see cref="GemmElementType.Name"/>).</summary>
    [ParamsSource(nameof(DataTypes))]
    public string DataType { get; set; } = "";

    /// <summary>The variable that picks the square sizes, such as <c>8192</c> or <c>4096,8192</c> (the default).</summary>
    public const string SizesVariable = "HTB_GPU_GEMM_SIZES";

    /// <summary>The square sizes to run: <see cref="SizesVariable"/>, else 4096 and 8192.</summary>
    public static IEnumerable<int> Sizes => Environment.GetEnvironmentVariable(SizesVariable) is { Length: > 0 } text
        ? text.Split(',').Select(size => int.TryParse(size, out int n) && n > 0 ? n : throw new ArgumentException($"{SizesVariable}: '{size}' is not a size."))
        : [4096, 8192];

    // Crossed by BenchmarkDotNet; Config keeps the square shapes.
    [ParamsSource(nameof(Sizes))]
    public int M { get; set; }

    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    [ParamsSource(nameof(Sizes))]
    public int K { get; set; }

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetupKernel()
    {
        SetupWithCopies();
        _session = _device.Prepare(_operands);
    }

    [GlobalSetup(Target = nameof(WithCopies))]
    public void SetupWithCopies()
    {
        // A cuda:N device runs the GPU kernels; it is opened once, and its multiplier and sessions share it.
        _device = (IlgpuComputeDevice)ComputeDevice.Open(DeviceId.Parse(Device));
        _multiplier = _device.CreateMultiplier();
        Console.WriteLine($"// {_multiplier.Name}");
        _operands = GemmOperands.Create(new GemmShape(M, N, K), GemmElementType.Parse(DataType), seed: 42);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _multiplier.Dispose();
        _device.Dispose();
    }

    /// <summary>One launch and wait, operands resident on the device: the kernel's own speed.</summary>
    [Benchmark(Baseline = true)]
    public void Kernel() => _session!.Run();

    /// <summary>Upload A and B, multiply, download C: what <see cref="IMatrixMultiplier"/> callers see.</summary>
    [Benchmark]
    public void WithCopies() => _operands.Multiply(_multiplier);

    private sealed class Config : ManualConfig
    {
        public Config() => AddFilter(new SimpleFilter(benchmarkCase =>
        {
            var parameters = benchmarkCase.Parameters;
            return Equals(parameters[nameof(M)], parameters[nameof(N)]) && Equals(parameters[nameof(N)], parameters[nameof(K)]);
        }));
    }
}
