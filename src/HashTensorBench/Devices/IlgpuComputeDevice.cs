using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;

namespace HashTensorBench.Devices;

/// <summary>
/// A device that runs the GPU kernels through ILGPU: a CUDA GPU, or ILGPU's CPU accelerator. Its one accelerator is
/// opened on first use (so reading its meter or kernels opens nothing), shared by every searcher and multiplier it
/// hands out, and closed once with the device.
/// </summary>
public abstract class IlgpuComputeDevice : ComputeDevice
{
    private readonly Lazy<IlgpuAccelerator> _accelerator;
    // One multiplier for the device, so that each GEMM kernel is compiled and loaded once however many products,
    // sessions and commands use it; disposing it leaves the device open.
    private readonly Lazy<IlgpuMatrixMultiplier> _multiplier;

    private protected IlgpuComputeDevice(DeviceId id, Func<IlgpuAccelerator> open)
        : base(id)
    {
        _accelerator = new Lazy<IlgpuAccelerator>(open);
        _multiplier = new Lazy<IlgpuMatrixMultiplier>(() => new IlgpuMatrixMultiplier(Accelerator, kernel: null, owner: null));
    }

    /// <summary>The GPU kernels' types.</summary>
    public override IReadOnlyList<GemmElementType> ElementTypes => GpuGemmKernels.ElementTypes;

    /// <summary>The one sha256d kernel of the GPU: <c>sha256d</c>.</summary>
    public override string SearchKernel => "sha256d";

    /// <summary>The table's kernel for <paramref name="type"/>, or the one <c>HTB_GPU_GEMM_KERNEL</c> forces.</summary>
    public override string GemmKernel(GemmElementType type) => GpuGemmKernels.For(type)?.Name
        ?? throw new NotSupportedException($"{Id} has no {type.Name} GEMM.");

    /// <summary>
    /// The memory a product's buffers must fit in now: the driver's count of free memory on a CUDA device; on ILGPU's CPU
    /// accelerator, the host's available memory.
    /// </summary>
    /// <exception cref="GpuException">The device fails to open or to say.</exception>
    public long FreeMemory => Accelerator.FreeMemory ?? GemmMemory.AvailableHostBytes() ?? Accelerator.Accelerator.MemorySize;

    /// <summary>
    /// The GEMM of <paramref name="operands"/> with them copied to the device once, to time the kernel alone (a product
    /// through <see cref="CreateMultiplier"/> copies them over the bus each time, as an application does).
    /// </summary>
    /// <exception cref="GpuException">The device fails to open, or the operands do not fit.</exception>
    public GpuGemmSession Prepare(GemmOperands operands) => _multiplier.Value.Prepare(operands);

    /// <inheritdoc/>
    public override INonceSearcher CreateSearcher(int? cpuThreads = null, Action<string>? notice = null) =>
        CreateSearcher(IlgpuNonceSearcher.DefaultCandidateCapacity);

    /// <summary>A searcher whose launches report at most <paramref name="candidateCapacity"/> candidates (a check forces the re-search in halves).</summary>
    internal IlgpuNonceSearcher CreateSearcher(int candidateCapacity) => new(Accelerator, candidateCapacity, owner: null);

    /// <summary>The device's one GEMM (its kernels loaded once); disposing it leaves the device open.</summary>
    public override IMatrixMultiplier CreateMultiplier(int? cpuThreads = null) => _multiplier.Value;

    internal override INonceSearcher TakeSearcher(int? cpuThreads, Action<string>? notice) =>
        Take(() => new IlgpuNonceSearcher(Accelerator, IlgpuNonceSearcher.DefaultCandidateCapacity, owner: this));

    internal override IMatrixMultiplier TakeMultiplier(int? cpuThreads) => Take(() => new IlgpuMatrixMultiplier(Accelerator, kernel: null, owner: this));

    /// <summary>The accelerator, opened on first use.</summary>
    /// <exception cref="GpuException">The device fails to open.</exception>
    private IlgpuAccelerator Accelerator => _accelerator.Value;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _accelerator.IsValueCreated)
            _accelerator.Value.Dispose();
        base.Dispose(disposing);
    }

    // What is taken closes the device; where it fails to open, the device is closed here.
    private T Take<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch
        {
            Dispose();
            throw;
        }
    }
}
