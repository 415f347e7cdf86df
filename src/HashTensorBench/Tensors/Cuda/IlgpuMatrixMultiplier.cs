using System.Numerics;
using System.Runtime.CompilerServices;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// GEMM on one ILGPU accelerator: a CUDA GPU, or ILGPU's CPU accelerator, which runs the very same kernels
/// (slowly, and with scalar math where the GPU uses tensor cores) so that they can be tested on any machine.
/// </summary>
/// <remarks>
/// <see cref="Multiply"/> copies the operands to the device and C back on every call: the figure an application
/// sees. To time the kernel alone, <see cref="Prepare"/> uploads once and <see cref="GpuGemmSession.Run"/> only
/// launches and waits. The kernel of each element type comes from one table (<c>GpuGemmKernels</c>).
/// </remarks>
public sealed class IlgpuMatrixMultiplier : IMatrixMultiplier
{
    private readonly IlgpuAccelerator _gpu;
    // What the multiplier closes when disposed: its accelerator, or the device that handed it over; null when it
    // shares a device that stays open.
    private readonly IDisposable? _owner;
    // Each kernel is compiled and loaded on its first use, so a process that multiplies FP32 only never pays
    // for the tensor-core kernels, and a failure to load one type leaves the others usable.
    private readonly Dictionary<GemmElementType, GpuGemmKernel> _kernels;
    private readonly Dictionary<GemmElementType, Lazy<object>> _loaded;

    /// <summary>
    /// A multiplier on <paramref name="gpu"/>, which it shares, running the kernel named <paramref name="kernel"/> wherever
    /// a type has one (tests check every kernel of the table); <paramref name="owner"/>, when given, is disposed with it.
    /// </summary>
    internal IlgpuMatrixMultiplier(IlgpuAccelerator gpu, string? kernel, IDisposable? owner)
    {
        _gpu = gpu;
        _owner = owner;
        Name = gpu.Name;
        _kernels = GpuGemmKernels.ElementTypes.ToDictionary(t => t, t => GpuGemmKernels.For(t, kernel)!);
        _loaded = GpuGemmKernels.ElementTypes.ToDictionary(t => t, t => new Lazy<object>(() => Load(Kernel(t))));
    }

    /// <summary>ILGPU's CPU accelerator, opened for this multiplier alone, with warps of 32 and blocks of 256 threads as the kernels expect.</summary>
    public static IlgpuMatrixMultiplier ForCpuAccelerator() => ForCpuAccelerator(kernel: null);

    /// <summary>The CPU accelerator with the kernel named <paramref name="kernel"/> wherever a type has one (tests check every kernel of the table).</summary>
    internal static IlgpuMatrixMultiplier ForCpuAccelerator(string? kernel)
    {
        var gpu = IlgpuAccelerator.OpenCpu();
        return new IlgpuMatrixMultiplier(gpu, kernel, owner: gpu);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<GemmElementType> ElementTypes => GpuGemmKernels.ElementTypes;

    /// <inheritdoc/>
    /// <exception cref="GpuException">The operands do not fit in the device's memory, or the device fails.</exception>
    public void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
        TAccumulator alpha, TAccumulator beta)
        where TInput : unmanaged
        where TAccumulator : unmanaged
    {
        shape.CheckOperands(a, b, c);
        using var session = Prepare(shape, a, b, c, alpha, beta);
        session.Run();
        session.Download(c);
    }

    /// <summary>
    /// Uploads A and B (and C when <paramref name="beta"/> is not 0) and keeps them on the device, so that
    /// <see cref="GpuGemmSession.Run"/> times the kernel alone.
    /// </summary>
    /// <param name="shape">The sizes.</param>
    /// <param name="a">A, row-major, <see cref="GemmShape.ALength"/> elements.</param>
    /// <param name="b">B, row-major, <see cref="GemmShape.BLength"/> elements.</param>
    /// <param name="c">The initial C, <see cref="GemmShape.CLength"/> elements; read only when <paramref name="beta"/> is not 0 (pass an empty span otherwise).</param>
    /// <param name="alpha">Scales A·B.</param>
    /// <param name="beta">Scales the old C on every run.</param>
    /// <exception cref="ArgumentException">A length does not match the shape.</exception>
    /// <exception cref="NotSupportedException">The CLR types are no element type with a GPU kernel.</exception>
    /// <exception cref="GpuException">The buffers do not fit in the device's memory, or the device fails.</exception>
    public GpuGemmSession Prepare<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, ReadOnlySpan<TAccumulator> c,
        TAccumulator alpha, TAccumulator beta)
        where TInput : unmanaged
        where TAccumulator : unmanaged
    {
        var type = GemmElementType.Of<TInput, TAccumulator>();
        this.CheckSupports(type);
        var kernel = Kernel(type);
        // Every accumulator is 4 bytes; the kernel, which uploads C, decides from beta's bits whether it is read.
        bool readsC = kernel.ReadsC(Unsafe.BitCast<TAccumulator, int>(beta));
        CheckSession(shape, type, a.Length, b.Length, c.Length, readsC, kernel);
        var loaded = _loaded[type].Value;
        try
        {
            return kernel.Prepare(loaded, Name, _gpu.Accelerator, shape, a, b, c, alpha, beta);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Name, $"could not prepare a {shape} {type.Name} GEMM: {ex.Message}", ex);
        }
    }

    /// <summary>Uploads A and B with FP32 accumulators (FP32, FP16 or BF16 inputs), C only when <paramref name="beta"/> is not 0.</summary>
    /// <inheritdoc cref="Prepare{TInput, TAccumulator}"/>
    public GpuGemmSession Prepare<TInput>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, ReadOnlySpan<float> c = default,
        float alpha = 1, float beta = 0) where TInput : unmanaged =>
        Prepare<TInput, float>(shape, a, b, c, alpha, beta);

    /// <summary>Uploads <paramref name="operands"/> (alpha 1, beta 0) into a session: the kernel alone on the very product they check.</summary>
    /// <inheritdoc cref="Prepare{TInput, TAccumulator}"/>
    public GpuGemmSession Prepare(GemmOperands operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        return operands.Accept(new Preparer(this));
    }

    /// <inheritdoc/>
    public void Dispose() => _owner?.Dispose();

    private object Load(GpuGemmKernel kernel)
    {
        try
        {
            return kernel.Load(_gpu.Accelerator);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Name, $"could not load the {kernel.Type.Name} GEMM kernel ({kernel.Name}): {ex.Message}", ex);
        }
    }

    // The kernel of each type is picked once per multiplier (HTB_GPU_GEMM_KERNEL is read when it is made).
    private GpuGemmKernel Kernel(GemmElementType type) => _kernels.GetValueOrDefault(type) ?? throw new NotSupportedException($"{Name} has no {type.Name} GEMM.");

    private void CheckSession(GemmShape shape, GemmElementType type, int aLength, int bLength, int cLength, bool readsC, GpuGemmKernel kernel)
    {
        if (shape.M == 0)
            ThrowHelper.ThrowArgument("shape", "The shape is empty (default(GemmShape)); create it with new GemmShape(m, n, k).");
        if (aLength != shape.ALength)
            ThrowHelper.ThrowArgument("a", $"A must hold M×K = {shape.ALength} elements (row-major); it holds {aLength}.");
        if (bLength != shape.BLength)
            ThrowHelper.ThrowArgument("b", $"B must hold K×N = {shape.BLength} elements (row-major); it holds {bLength}.");
        if (readsC && cLength != shape.CLength)
            ThrowHelper.ThrowArgument("c", $"With a nonzero beta, C must hold M×N = {shape.CLength} elements (row-major); it holds {cLength}.");
        if (kernel.GridSize(shape.M, shape.N).Y > ushort.MaxValue)
            ThrowHelper.ThrowArgument("shape", $"M = {shape.M} needs more than {ushort.MaxValue} blocks along y, CUDA's limit for one launch.");
        long bytes = GemmMemory.Bytes(shape, type);
        if (bytes > _gpu.Accelerator.MemorySize)
        {
            throw new GpuException(Name,
                $"A, B and C of {shape} need {bytes / (1024.0 * 1024 * 1024):F2} GiB, more than the device's {_gpu.Accelerator.MemorySize / (1024.0 * 1024 * 1024):F2} GiB.");
        }
    }

    private sealed class Preparer(IlgpuMatrixMultiplier gpu) : IGemmOperandsVisitor<GpuGemmSession>
    {
        public GpuGemmSession Visit<TInput, TAccumulator>(GemmOperands<TInput, TAccumulator> operands)
            where TInput : unmanaged
            where TAccumulator : unmanaged, INumberBase<TAccumulator> =>
            gpu.Prepare(operands.Shape, operands.A, operands.B, ReadOnlySpan<TAccumulator>.Empty, TAccumulator.One, TAccumulator.Zero);
    }
}
