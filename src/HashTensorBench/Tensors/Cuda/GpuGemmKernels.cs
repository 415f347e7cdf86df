using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// The GPU GEMM kernels by element type, as Sep names its SIMD paths: a table of named implementations, the first of
/// each type its default, and a forcing switch (<see cref="KernelVariable"/>) to run another. <see cref="IlgpuMatrixMultiplier"/>
/// loads from it and the PTX export lists it. A new element type is one entry here (and its kernel).
/// </summary>
internal static class GpuGemmKernels
{
    /// <summary>The variable that forces a kernel by name for the types that have it, such as <c>mma-simple</c>.</summary>
    public const string KernelVariable = "HTB_GPU_GEMM_KERNEL";

    /// <summary>Every kernel: per type the default first.</summary>
    public static IReadOnlyList<GpuGemmKernel> All { get; } =
    [
        // ILGPU's CPU accelerator runs the FP32 kernel as it is: it has no inline PTX.
        new StreamGemmKernel<float, float>(GemmElementType.Fp32, "simt", GemmFp32Kernel.Multiply, GemmFp32Kernel.Multiply,
            GemmFp32Kernel.Specialization, GemmFp32Kernel.Launch),
        new PipelinedGemmKernel<ushort, float>(TensorGemmKernels.Fp16),
        new PipelinedGemmKernel<ushort, float>(TensorGemmKernels.Bf16),
        new PipelinedGemmKernel<sbyte, int>(TensorGemmKernels.Int8),
        // The first tensor-core kernel (mma.sync from registers, no cp.async or ldmatrix): the fallback, and the
        // figure the pipelined kernel is measured against.
        new StreamGemmKernel<ushort, float>(GemmElementType.Fp16, "mma-simple", GemmFp16Kernel.MultiplyTensorCores, GemmFp16Kernel.MultiplyEmulated,
            GemmFp16Kernel.Specialization, GemmFp16Kernel.Launch),
        new StreamGemmKernel<ushort, float>(GemmElementType.Bf16, "mma-simple", GemmFp16Kernel.MultiplyBf16TensorCores, GemmFp16Kernel.MultiplyBf16Emulated,
            GemmFp16Kernel.Specialization, GemmFp16Kernel.Launch),
    ];

    /// <summary>The element types with a GPU kernel, in <see cref="GemmElementType.All"/>'s order.</summary>
    public static IReadOnlyList<GemmElementType> ElementTypes { get; } = [.. GemmElementType.All.Where(t => All.Any(k => k.Type == t))];

    /// <summary>Every kernel's name, once each: what <see cref="KernelVariable"/> may name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name).Distinct()];

    /// <summary>
    /// The kernel a multiplier uses for <paramref name="type"/>: the one <paramref name="name"/> (by default
    /// <see cref="KernelVariable"/>) names where the type has it, else the default; null when the GPU has none.
    /// </summary>
    /// <exception cref="ArgumentException">The name is no kernel's (a misspelling would otherwise run the default unnoticed).</exception>
    public static GpuGemmKernel? For(GemmElementType type, string? name = null)
    {
        string? forced = (name ?? Environment.GetEnvironmentVariable(KernelVariable))?.Trim();
        if (!string.IsNullOrEmpty(forced) && !Names.Contains(forced, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{(name is null ? $"{KernelVariable}: " : "")}Unknown GPU GEMM kernel \"{forced}\"; expected one of: {string.Join(", ", Names)}.",
                nameof(name));
        }
        var candidates = All.Where(k => k.Type == type).ToList();
        return candidates.FirstOrDefault(k => string.Equals(k.Name, forced, StringComparison.OrdinalIgnoreCase)) ?? candidates.FirstOrDefault();
    }
}

/// <summary>One GEMM kernel of one element type: its name, its entry points, how it is launched and loaded.</summary>
internal abstract class GpuGemmKernel
{
    private protected GpuGemmKernel(GemmElementType type, string name)
    {
        Type = type;
        Name = name;
    }

    /// <summary>The element type it multiplies.</summary>
    public GemmElementType Type { get; }

    /// <summary>Its name in the table, such as <c>tc-pipelined</c>; <see cref="GpuGemmKernels.KernelVariable"/> picks by it.</summary>
    public string Name { get; }

    /// <summary>The GPU entry as the PTX export writes it (rewritten where the kernel is loaded so).</summary>
    public abstract GpuKernel Export { get; }

    /// <summary>The PTX file's name: <c>gemm-TYPE</c> for a type's default, <c>gemm-TYPE-NAME</c> for the others.</summary>
    public string ExportName => GpuGemmKernels.All.First(k => k.Type == Type) == this ? $"gemm-{Type.Name}" : $"gemm-{Type.Name}-{Name}";

    /// <summary>Blocks along x (N) and y (M) for an M×N product.</summary>
    public abstract (int X, int Y) GridSize(int m, int n);

    /// <summary>
    /// Compiles and loads the kernel on <paramref name="accelerator"/>: the GPU entry on CUDA, the emulated one on ILGPU's
    /// CPU accelerator. Pass the result to <see cref="Prepare"/>.
    /// </summary>
    public abstract object Load(Accelerator accelerator);

    /// <summary>
    /// Uploads the operands into a session of <paramref name="loaded"/> (what <see cref="Load"/> returned). The CLR types
    /// must be this kernel's element type's (the multiplier checks); C is uploaded only when beta is not 0.
    /// </summary>
    public GpuGemmSession Prepare<TInput, TCaller>(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, ReadOnlySpan<TCaller> c, TCaller alpha, TCaller beta)
        where TInput : unmanaged
        where TCaller : unmanaged
    {
        var buffers = new List<MemoryBuffer>();
        try
        {
            return Upload(loaded, device, accelerator, shape, MemoryMarshal.AsBytes(a), MemoryMarshal.AsBytes(b), MemoryMarshal.AsBytes(c),
                Unsafe.BitCast<TCaller, int>(alpha), Unsafe.BitCast<TCaller, int>(beta), buffers);
        }
        catch
        {
            foreach (var buffer in buffers)
                buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Allocates and fills the device buffers (adding each to <paramref name="buffers"/> as it is made, so a failure frees
    /// them) and returns the session; alpha and beta arrive as the bits of the accumulator type.
    /// </summary>
    private protected abstract GpuGemmSession Upload(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, int alphaBits, int betaBits, List<MemoryBuffer> buffers);

    /// <summary>A device buffer of <paramref name="bytes"/> reinterpreted as <typeparamref name="T"/>, uploaded when not empty.</summary>
    private protected static ArrayView<T> Upload<T>(Accelerator accelerator, ReadOnlySpan<byte> bytes, int length, List<MemoryBuffer> buffers)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(length);
        buffers.Add(buffer);
        ArrayView<T> view = buffer.View;
        if (!bytes.IsEmpty)
            view.CopyFromCPU(MemoryMarshal.Cast<byte, T>(bytes));
        return view;
    }

    /// <summary>
    /// Whether beta, as the accumulator's bits, scales C (BLAS reads no C when beta is 0). Decided per accumulator:
    /// −0.0 is a float zero, but its bits are int.MinValue, a nonzero int32 beta.
    /// </summary>
    internal bool ReadsC(int betaBits) => Type.IsExact ? betaBits != 0 : (betaBits & int.MaxValue) != 0;
}

/// <summary>
/// A kernel ILGPU loads as it compiles it (<c>LoadStreamKernel</c>: no PTX rewrite, static shared memory), over device
/// elements <typeparamref name="TElement"/> (a half's bits as <see cref="ushort"/>) and accumulators
/// <typeparamref name="TAccumulator"/>, with <see cref="GemmKernelParameters"/>: the FP32 SIMT kernel and the simple
/// tensor-core one (<c>mma-simple</c>) alike, hence not named after either.
/// </summary>
internal sealed class StreamGemmKernel<TElement, TAccumulator> : GpuGemmKernel
    where TElement : unmanaged
    where TAccumulator : unmanaged
{
    private readonly Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> _gpu, _emulated;
    private readonly KernelSpecialization _specialization;
    private readonly GemmLaunch _launch;

    public StreamGemmKernel(GemmElementType type, string name,
        Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> gpu,
        Action<ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters> emulated,
        KernelSpecialization specialization, GemmLaunch launch)
        : base(type, name)
    {
        CheckTypes<TElement, TAccumulator>(type);
        _gpu = gpu;
        _emulated = emulated;
        _specialization = specialization;
        _launch = launch;
    }

    public override GpuKernel Export => new(_gpu.Method, _specialization);

    public override (int X, int Y) GridSize(int m, int n) => _launch.GridSize(m, n);

    public override object Load(Accelerator accelerator) =>
        accelerator.LoadStreamKernel(accelerator.AcceleratorType == AcceleratorType.Cuda ? _gpu : _emulated, _specialization);

    private protected override GpuGemmSession Upload(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, int alphaBits, int betaBits, List<MemoryBuffer> buffers)
    {
        var kernel = (Action<KernelConfig, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, GemmKernelParameters>)loaded;
        var viewA = Upload<TElement>(accelerator, a, shape.ALength, buffers);
        var viewB = Upload<TElement>(accelerator, b, shape.BLength, buffers);
        var viewC = Upload<TAccumulator>(accelerator, ReadsC(betaBits) ? c : default, shape.CLength, buffers);
        // Rows of A and B start on 16-byte boundaries (device buffers are at least 256-byte aligned).
        bool vectorized = shape.K % _launch.VectorWidth == 0 && shape.N % _launch.VectorWidth == 0;
        var parameters = new GemmKernelParameters
        {
            M = shape.M, N = shape.N, K = shape.K, Alpha = BitConverter.Int32BitsToSingle(alphaBits), Beta = BitConverter.Int32BitsToSingle(betaBits),
            Vectorized = vectorized ? 1 : 0,
        };
        var (x, y) = _launch.GridSize(shape.M, shape.N);
        var config = new KernelConfig(new Index2D(x, y), new Index2D(_launch.Threads, 1));
        return new GpuGemmSession(device, shape, Type, accelerator, [.. buffers], buffers[2], () => kernel(config, viewA, viewB, viewC, parameters));
    }

    internal static void CheckTypes<TE, TA>(GemmElementType type) where TE : unmanaged
    {
        if (Unsafe.SizeOf<TE>() != type.InputBytes || type.AccumulatorType != typeof(TA))
            throw new ArgumentException($"A {type.Name} kernel must take {type.InputBytes}-byte elements and {type.AccumulatorType.Name} accumulators.", nameof(type));
    }
}

/// <summary>The pipelined tensor-core kernel (<see cref="TensorGemmKernel"/>): loaded through the PTX rewrite, launched with its dynamic shared memory.</summary>
internal sealed class PipelinedGemmKernel<TElement, TAccumulator> : GpuGemmKernel
    where TElement : unmanaged
    where TAccumulator : unmanaged
{
    private readonly TensorGemmDescriptor _descriptor;

    public PipelinedGemmKernel(TensorGemmDescriptor descriptor)
        : base(descriptor.Type, "tc-pipelined")
    {
        StreamGemmKernel<TElement, TAccumulator>.CheckTypes<TElement, TAccumulator>(descriptor.Type);
        _descriptor = descriptor;
    }

    public override GpuKernel Export => _descriptor.Export;

    public override (int X, int Y) GridSize(int m, int n) => _descriptor.GridSize(m, n);

    public override object Load(Accelerator accelerator) => _descriptor.Load<TElement, TAccumulator>(accelerator);

    private protected override GpuGemmSession Upload(object loaded, string device, Accelerator accelerator, GemmShape shape,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, int alphaBits, int betaBits, List<MemoryBuffer> buffers)
    {
        var kernel = (Action<KernelConfig, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TAccumulator>, TensorGemmParameters>)loaded;
        var viewA = Upload<TElement>(accelerator, a, shape.ALength, buffers);
        var viewB = Upload<TElement>(accelerator, b, shape.BLength, buffers);
        var viewC = Upload<TAccumulator>(accelerator, ReadsC(betaBits) ? c : default, shape.CLength, buffers);
        var parameters = Type.IsExact
            ? TensorGemmParameters.ForInt8(shape.M, shape.N, shape.K, alphaBits, betaBits)
            : TensorGemmParameters.ForFloat(shape.M, shape.N, shape.K, BitConverter.Int32BitsToSingle(alphaBits), BitConverter.Int32BitsToSingle(betaBits));
        var config = _descriptor.Config(shape.M, shape.N);
        return new GpuGemmSession(device, shape, Type, accelerator, [.. buffers], buffers[2], () => kernel(config, viewA, viewB, viewC, parameters));
    }
}
