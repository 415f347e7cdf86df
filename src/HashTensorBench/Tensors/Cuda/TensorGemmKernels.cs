using System.Reflection;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>The instantiations of <see cref="TensorGemmKernel"/>, one descriptor per input type.</summary>
internal static class TensorGemmKernels
{
    /// <summary>FP16 A and B (<see cref="ushort"/> bits), FP32 C, float alpha and beta.</summary>
    public static TensorGemmDescriptor Fp16 { get; } = new(GemmElementType.Fp16, nameof(TensorGemmKernel.Fp16), nameof(TensorGemmKernel.Fp16Emulated));

    /// <summary>BF16 A and B (<see cref="ushort"/> bits), FP32 C, float alpha and beta.</summary>
    public static TensorGemmDescriptor Bf16 { get; } = new(GemmElementType.Bf16, nameof(TensorGemmKernel.Bf16), nameof(TensorGemmKernel.Bf16Emulated));

    /// <summary>INT8 A and B (<see cref="sbyte"/>), int32 C, int32 alpha and beta.</summary>
    public static TensorGemmDescriptor Int8 { get; } = new(GemmElementType.Int8, nameof(TensorGemmKernel.Int8), nameof(TensorGemmKernel.Int8Emulated));
}

/// <summary>
/// How to load and launch one instantiation of <see cref="TensorGemmKernel"/>: its GPU and emulated entry points,
/// the launch shape and the parameters.
/// </summary>
/// <remarks>
/// Use: <c>var run = descriptor.Load&lt;ushort, float&gt;(accelerator)</c> once per accelerator, then per product
/// <c>run(descriptor.Config(m, n), a, b, c, TensorGemmParameters.ForFloat(m, n, k, alpha, beta))</c> (INT8:
/// <c>Load&lt;sbyte, int&gt;</c> and <see cref="TensorGemmParameters.ForInt8"/>). Grids of more than 65,535 blocks along
/// y (M over 8.4 million) are CUDA's limit for the caller to check.
/// </remarks>
internal sealed class TensorGemmDescriptor
{
    internal TensorGemmDescriptor(GemmElementType type, string gpu, string emulated)
    {
        Type = type;
        Gpu = typeof(TensorGemmKernel).GetMethod(gpu, BindingFlags.Public | BindingFlags.Static)!;
        Emulated = typeof(TensorGemmKernel).GetMethod(emulated, BindingFlags.Public | BindingFlags.Static)!;
    }

    /// <summary>The input type: its name, element bytes and accumulator.</summary>
    public GemmElementType Type { get; }

    /// <summary>The kernel with inline PTX, for a CUDA accelerator.</summary>
    public MethodInfo Gpu { get; }

    /// <summary>The kernel with every PTX step emulated, for ILGPU's CPU accelerator.</summary>
    public MethodInfo Emulated { get; }

    /// <summary>Threads per block.</summary>
    public int Threads => TensorGemmKernel.Threads;

    /// <summary>Dynamic shared memory per block, in bytes (more than 48 KB: the loader raises the limit).</summary>
    public int DynamicSharedBytes => TensorGemmKernel.SharedBytes;

    /// <summary>Launch bounds the kernel is compiled with.</summary>
    public KernelSpecialization Specialization => TensorGemmKernel.Specialization;

    /// <summary>The GPU kernel for the PTX export, exported as it is loaded.</summary>
    public GpuKernel Export => new(Gpu, Specialization, PromoteLocals: true);

    /// <summary>Blocks along x (N) and y (M) for an M×N product.</summary>
    public (int X, int Y) GridSize(int m, int n) => TensorGemmKernel.GridSize(m, n);

    /// <summary>The launch configuration of an M×N product.</summary>
    public KernelConfig Config(int m, int n)
    {
        var (x, y) = GridSize(m, n);
        return new KernelConfig(new Index2D(x, y), new Index2D(Threads, 1), SharedMemoryConfig.RequestDynamic<byte>(DynamicSharedBytes));
    }

    /// <summary>
    /// Loads the kernel on <paramref name="accelerator"/>: the GPU kernel through <see cref="PromotedKernelLoader"/> on
    /// CUDA, the emulated one elsewhere. The launcher runs on the accelerator's default stream.
    /// </summary>
    /// <typeparam name="TInput"><see cref="ushort"/> (FP16, BF16) or <see cref="sbyte"/> (INT8).</typeparam>
    /// <typeparam name="TOutput"><see cref="float"/> (FP16, BF16) or <see cref="int"/> (INT8).</typeparam>
    public Action<KernelConfig, ArrayView<TInput>, ArrayView<TInput>, ArrayView<TOutput>, TensorGemmParameters> Load<TInput, TOutput>(Accelerator accelerator)
        where TInput : unmanaged where TOutput : unmanaged
    {
        var kernel = accelerator is CudaAccelerator cuda
            ? PromotedKernelLoader.Load(cuda, Gpu, Specialization, DynamicSharedBytes)
            : accelerator.LoadKernel(Emulated, Specialization);
        var launch = kernel.CreateLauncherDelegate<Action<AcceleratorStream, KernelConfig, ArrayView<TInput>, ArrayView<TInput>, ArrayView<TOutput>, TensorGemmParameters>>();
        var stream = accelerator.DefaultStream;
        return (config, a, b, c, p) => launch(stream, config, a, b, c, p);
    }
}
