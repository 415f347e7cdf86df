using BenchmarkDotNet.Attributes;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// Square FP32 GEMM, C = A·B, on one thread and on every core: each CPU kernel against OpenBLAS
/// <c>cblas_sgemm</c> and BLIS <c>cblas_sgemm</c> (where installed) with the same thread count. Run OpenBLAS with
/// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so that it picks its own kernel for this processor; each
/// anchor's setup prints which kernel set it picked.
/// </summary>
[WorkUnit(WorkUnitAttribute.Flop, PerOperation = 2, TimesParameters = [nameof(Size), nameof(Size), nameof(Size)])]
public class GemmBenchmarks
{
    private GemmShape _shape;
    private float[] _a = [], _b = [], _c = [];
    private Half[] _aHalf = [], _bHalf = [];
    private OpenBlas? _openBlas;
    private Blis? _blis;
    private CpuMatrixMultiplier? _multiplier;

    [Params(512, 1024, 2048, 4096)]
    public int Size { get; set; }

    /// <summary>One thread shows the kernel alone; every core shows the threading too.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    [GlobalSetup(Target = nameof(OpenBlasSgemm))]
    public void SetupOpenBlas()
    {
        CreateOperands();
        _openBlas = OpenBlas.Load(Threads);
        Console.WriteLine($"// OpenBLAS: core {_openBlas.CoreName}, {_openBlas.Config}, {Threads} threads");
        foreach (string variable in (string[])["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"])
        {
            if (Environment.GetEnvironmentVariable(variable) is { } value)
                Console.WriteLine($"// Warning: {variable}={value} is set and overrides OpenBLAS's own choice.");
        }
    }

    [GlobalSetup(Target = nameof(BlisSgemm))]
    public void SetupBlis()
    {
        CreateOperands();
        _blis = Blis.Load(Threads);
        Console.WriteLine($"// BLIS {_blis.Version}: {_blis.Architecture} kernels, {Threads} threads");
    }

    [GlobalSetup(Target = nameof(Avx512))]
    public void SetupAvx512() => Setup(CpuGemmKernel.Avx512);

    [GlobalSetup(Target = nameof(Avx2))]
    public void SetupAvx2() => Setup(CpuGemmKernel.Avx2);

    [GlobalSetup(Target = nameof(Scalar))]
    public void SetupScalar() => Setup(CpuGemmKernel.Scalar);

    [GlobalSetup(Target = nameof(Avx512Fp16Inputs))]
    public void SetupAvx512Fp16Inputs() => Setup(CpuGemmKernel.Avx512);

    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm() => _openBlas!.Sgemm(_shape, _a, _b, _c);

    [Benchmark]
    public void BlisSgemm() => _blis!.Sgemm(_shape, _a, _b, _c);

    [Benchmark]
    public void Avx512() => _multiplier!.Multiply(_shape, _a, _b, _c);

    [Benchmark]
    public void Avx2() => _multiplier!.Multiply(_shape, _a, _b, _c);

    [Benchmark]
    public void Scalar() => _multiplier!.Multiply(_shape, _a, _b, _c);

    /// <summary>FP16 A and B, widened while packing: the cost of the conversion over <see cref="Avx512"/>.</summary>
    [Benchmark]
    public void Avx512Fp16Inputs() => _multiplier!.Multiply(_shape, _aHalf, _bHalf, _c);

    private void Setup(CpuGemmKernel kernel)
    {
        CreateOperands();
        // Throws PlatformNotSupportedException where the processor lacks the kernel: that benchmark fails, the rest run.
        _multiplier = new CpuMatrixMultiplier(kernel, Threads);
        Console.WriteLine($"// {_multiplier.Name}");
    }

    private void CreateOperands()
    {
        _shape = new GemmShape(Size, Size, Size);
        var random = new Random(42);
        _a = [.. Enumerable.Range(0, _shape.ALength).Select(_ => random.NextSingle() * 2 - 1)];
        _b = [.. Enumerable.Range(0, _shape.BLength).Select(_ => random.NextSingle() * 2 - 1)];
        _c = new float[_shape.CLength];
        _aHalf = [.. _a.Select(x => (Half)x)];
        _bHalf = [.. _b.Select(x => (Half)x)];
    }
}
