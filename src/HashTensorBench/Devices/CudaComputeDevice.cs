using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Devices;

/// <summary>A CUDA GPU, as <see cref="CudaDiscovery.Current"/> found it; NVML reads its energy by its PCI bus id.</summary>
public sealed class CudaComputeDevice : IlgpuComputeDevice
{
    internal CudaComputeDevice(GpuDevice gpu)
        : base(DeviceId.Cuda(gpu.Index), () => IlgpuAccelerator.OpenCuda(gpu)) => Gpu = gpu;

    /// <inheritdoc/>
    public override GpuDevice Gpu { get; }

    /// <inheritdoc/>
    public override string Name => Gpu.Name;

    /// <inheritdoc/>
    public override long? MemoryBytes => Gpu.MemoryBytes;

    /// <summary>The whole nonce space, 2^32: under a second on a current GPU.</summary>
    public override long PreferredChunk => 1L << 32;

    /// <inheritdoc/>
    public override IEnergyMeter OpenEnergyMeter() => EnergyMeters.ForGpu(Gpu.PciBusId);
}
