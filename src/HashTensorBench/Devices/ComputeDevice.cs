using HashTensorBench.Energy;
using HashTensorBench.Hashing;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;

namespace HashTensorBench.Devices;

/// <summary>
/// One device, opened once: the CPU (<see cref="CpuComputeDevice"/>), a CUDA GPU (<see cref="CudaComputeDevice"/>) or
/// ILGPU's CPU accelerator (<see cref="IlgpuCpuComputeDevice"/>). It hands out the device's searcher, multiplier and
/// energy meter, and knows its kernels and how much work a search call should take. A GPU's searchers and multipliers
/// share the one accelerator the device opens on first use; disposing the device closes it.
/// </summary>
public abstract class ComputeDevice : IDisposable
{
    private protected ComputeDevice(DeviceId id) => Id = id;

    /// <summary>The device's name on the command line and in reports: <c>cpu</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.</summary>
    public DeviceId Id { get; }

    /// <summary>The product name, such as the CPU's model or "NVIDIA H100 80GB HBM3".</summary>
    public abstract string Name { get; }

    /// <summary>The CUDA device as the driver describes it; null for the CPU and ILGPU's CPU accelerator.</summary>
    public virtual GpuDevice? Gpu => null;

    /// <summary>The device's memory in bytes, where known.</summary>
    public abstract long? MemoryBytes { get; }

    /// <summary>
    /// Nonces per search call when the work is open-ended (<c>mine</c>): long enough to keep the device busy, short
    /// enough that a new job is taken within a second or so.
    /// </summary>
    public abstract long PreferredChunk { get; }

    /// <summary>The GEMM element types the device multiplies.</summary>
    public abstract IReadOnlyList<GemmElementType> ElementTypes { get; }

    /// <summary>The sha256d kernel a search runs here, such as <c>avx512</c> or <c>sha256d</c> (the CUDA kernel).</summary>
    public abstract string SearchKernel { get; }

    /// <summary>The GEMM kernel a product of <paramref name="type"/> runs here, such as <c>avx2</c> or <c>tc-pipelined</c>.</summary>
    /// <exception cref="NotSupportedException">The device has no kernel for <paramref name="type"/>.</exception>
    public abstract string GemmKernel(GemmElementType type);

    /// <summary>The device's sha256d search; dispose it (the device stays open).</summary>
    /// <param name="cpuThreads">Threads for the CPU search; by default one per logical processor; ignored elsewhere.</param>
    /// <param name="notice">Told when the CPU falls back to a managed kernel, and why.</param>
    /// <exception cref="GpuException">The GPU fails to open or to load the kernel.</exception>
    public abstract INonceSearcher CreateSearcher(int? cpuThreads = null, Action<string>? notice = null);

    /// <summary>The device's GEMM; dispose it (the device stays open).</summary>
    /// <param name="cpuThreads">Threads for the CPU GEMM; by default one per logical processor; ignored elsewhere.</param>
    /// <exception cref="GpuException">The GPU fails to open.</exception>
    public abstract IMatrixMultiplier CreateMultiplier(int? cpuThreads = null);

    /// <summary>
    /// The device's energy meter: RAPL for the CPU (ILGPU's CPU accelerator runs there too), NVML matched by the PCI bus
    /// id the device holds for a GPU (NVML's indices need not follow CUDA's), or unavailable with the reason.
    /// </summary>
    public abstract IEnergyMeter OpenEnergyMeter();

    /// <summary>
    /// A searcher that closes this device when it is disposed, for callers that want a searcher and nothing else;
    /// this device is closed at once if the searcher fails to open.
    /// </summary>
    internal abstract INonceSearcher TakeSearcher(int? cpuThreads, Action<string>? notice);

    /// <summary>A multiplier that closes this device when it is disposed; this device is closed at once if it fails to open.</summary>
    internal abstract IMatrixMultiplier TakeMultiplier(int? cpuThreads);

    /// <summary>Opens one device. CUDA devices are those <see cref="CudaDiscovery.Current"/> found: the driver is asked once a process.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is <c>gpu</c>, which names several: use <see cref="ComputeDevices.Open(DeviceId, Action{string})"/>.</exception>
    /// <exception cref="GpuException">The CUDA device is not on this machine.</exception>
    public static ComputeDevice Open(DeviceId id) => id.Kind switch
    {
        DeviceKind.Cpu => new CpuComputeDevice(),
        DeviceKind.IlgpuCpu => new IlgpuCpuComputeDevice(),
        DeviceKind.Cuda => new CudaComputeDevice(Find(id)),
        _ => throw new ArgumentException("gpu names every CUDA device; open them with ComputeDevices.Open.", nameof(id)),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes what the device opened.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} {Name}";

    private static GpuDevice Find(DeviceId id)
    {
        var discovery = CudaDiscovery.Current;
        if (discovery.Devices.Count == 0)
            throw new GpuException(id.ToString(), $"no CUDA device: {discovery.Reason}");
        return discovery.Devices.FirstOrDefault(d => d.Index == id.Index)
            ?? throw new GpuException(id.ToString(), $"no such device; this machine has {GpuDevice.IdOf(0)} to {GpuDevice.IdOf(discovery.Devices.Count - 1)}");
    }
}
