using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// The GPU GEMM kernel of each element type: the table <see cref="IlgpuMatrixMultiplier"/> loads from and the PTX
/// export lists. A new element type is one entry here (and its kernel).
/// </summary>
internal static class GpuGemmKernels
{
    /// <summary>Every kernel, in <see cref="GemmElementType.All"/>'s order.</summary>
    public static IReadOnlyList<GpuGemmKernel> All { get; } =
    [
        // ILGPU's CPU accelerator runs the FP32 kernel as it is: it has no inline PTX.
        new GpuGemmKernel<float, float>(GemmElementType.Fp32, GemmFp32Kernel.Multiply, GemmFp32Kernel.Multiply,
            GemmFp32Kernel.Specialization, GemmFp32Kernel.Launch),
        new GpuGemmKernel<ushort, float>(GemmElementType.Fp16, GemmFp16Kernel.MultiplyTensorCores, GemmFp16Kernel.MultiplyEmulated,
            GemmFp16Kernel.Specialization, GemmFp16Kernel.Launch),
        new GpuGemmKernel<ushort, float>(GemmElementType.Bf16, GemmFp16Kernel.MultiplyBf16TensorCores, GemmFp16Kernel.MultiplyBf16Emulated,
            GemmFp16Kernel.Specialization, GemmFp16Kernel.Launch),
    ];

    /// <summary>The element types with a GPU kernel.</summary>
    public static IReadOnlyList<GemmElementType> ElementTypes { get; } = [.. All.Select(k => k.Type)];

    /// <summary>The kernel of <paramref name="type"/>, or null when the GPU has none.</summary>
    public static GpuGemmKernel? For(GemmElementType type) => All.FirstOrDefault(k => k.Type == type);
}

/// <summary>One element type's GEMM kernel: its entry points, the launch bounds it is compiled with and its launch shape.</summary>
internal abstract class GpuGemmKernel
{
    private protected GpuGemmKernel(GemmElementType type, KernelSpecialization specialization, GemmLaunch launch)
    {
        Type = type;
        Specialization = specialization;
        Launch = launch;
    }

    /// <summary>The element type it multiplies.</summary>
    public GemmElementType Type { get; }

    /// <summary>Threads per block and blocks per multiprocessor it is compiled for (PTX <c>.maxntid</c>/<c>.minnctapersm</c>).</summary>
    public KernelSpecialization Specialization { get; }

    /// <summary>How it is launched.</summary>
    public GemmLaunch Launch { get; }

    /// <summary>The entry point a CUDA GPU runs, for the PTX export.</summary>
    public abstract MethodInfo GpuMethod { get; }

    /// <summary>
    /// Compiles and loads the kernel on <paramref name="accelerator"/>: the GPU entry on CUDA, the emulated one on ILGPU's
    /// CPU accelerator. Pass the result to <see cref="Prepare"/>.
    /// </summary>
    public abstract object Load(Accelerator accelerator);

    /// <summary>
    /// Uploads the operands into a session of <paramref name="loaded"/> (what <see cref="Load"/> returned). The CLR types
    /// must be this kernel's element type's (the multiplier checks); C is uploaded only when beta is not 0.
    /// </summary>
    public abstract GpuGemmSession Prepare<TInput, TAccumulator>(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, ReadOnlySpan<TAccumulator> c, TAccumulator alpha, TAccumulator beta)
        where TInput : unmanaged
        where TAccumulator : unmanaged;
}

/// <summary>A kernel over device elements <typeparamref name="TElement"/> (a half's bits as <see cref="ushort"/>) and accumulators <typeparamref name="TAccumulator"/>.</summary>
internal sealed class GpuGemmKernel<TElement, TAccumulator> : GpuGemmKernel
    where TElement : unmanaged
    where TAccumulator : unmanaged
{
    private readonly Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> _gpu, _emulated;

    public GpuGemmKernel(GemmElementType type,
        Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> gpu,
        Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> emulated,
        KernelSpecialization specialization, GemmLaunch launch)
        : base(type, specialization, launch)
    {
        if (Unsafe.SizeOf<TElement>() != type.InputBytes || type.AccumulatorType != typeof(TAccumulator))
            throw new ArgumentException($"A {type.Name} kernel must take {type.InputBytes}-byte elements and {type.AccumulatorType.Name} accumulators.", nameof(type));
        _gpu = gpu;
        _emulated = emulated;
    }

    public override MethodInfo GpuMethod => _gpu.Method;

    public override object Load(Accelerator accelerator) =>
        accelerator.LoadStreamKernel(accelerator.AcceleratorType == AcceleratorType.Cuda ? _gpu : _emulated, Specialization);

    public override GpuGemmSession Prepare<TInput, TCaller>(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, ReadOnlySpan<TCaller> c, TCaller alpha, TCaller beta)
    {
        var kernel = (Action<KernelConfig, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters>)loaded;
        // The caller's types are this kernel's element type (checked by the multiplier): reinterpret, no copy.
        var elementsA = MemoryMarshal.Cast<TInput, TElement>(a);
        var elementsB = MemoryMarshal.Cast<TInput, TElement>(b);
        var accumulators = MemoryMarshal.Cast<TCaller, TAccumulator>(c);
        MemoryBuffer1D<TElement, Stride1D.Dense>? deviceA = null, deviceB = null;
        MemoryBuffer1D<TAccumulator, Stride1D.Dense>? deviceC = null;
        try
        {
            deviceA = accelerator.Allocate1D<TElement>(elementsA.Length);
            deviceB = accelerator.Allocate1D<TElement>(elementsB.Length);
            deviceC = accelerator.Allocate1D<TAccumulator>(shape.CLength);
            ArrayView<TElement> viewA = deviceA.View, viewB = deviceB.View;
            ArrayView<TAccumulator> viewC = deviceC.View;
            viewA.CopyFromCPU(elementsA);
            viewB.CopyFromCPU(elementsB);
            // The kernels read alpha and beta as the bits of their accumulator type.
            float alphaBits = Unsafe.BitCast<TCaller, float>(alpha);
            float betaBits = Unsafe.BitCast<TCaller, float>(beta);
            if (betaBits != 0)
                viewC.CopyFromCPU(accumulators);
            // Rows of A and B start on 16-byte boundaries (device buffers are at least 256-byte aligned).
            bool vectorized = shape.K % Launch.VectorWidth == 0 && shape.N % Launch.VectorWidth == 0;
            var parameters = new GemmKernelParameters
            {
                M = shape.M, N = shape.N, K = shape.K, Alpha = alphaBits, Beta = betaBits, Vectorized = vectorized ? 1 : 0,
            };
            var (x, y) = Launch.GridSize(shape.M, shape.N);
            var config = new KernelConfig(new Index2D(x, y), new Index2D(Launch.Threads, 1));
            return new GpuGemmSession(device, shape, Type, accelerator, [deviceA, deviceB, deviceC], deviceC,
                () => kernel(config, viewA, viewB, viewC, parameters));
        }
        catch
        {
            deviceA?.Dispose();
            deviceB?.Dispose();
            deviceC?.Dispose();
            throw;
        }
    }
}
