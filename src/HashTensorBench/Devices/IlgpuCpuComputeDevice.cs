using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Devices;

/// <summary>The GPU kernels on ILGPU's CPU accelerator (slowly): for tests, and machines without a GPU. Energy is the CPU's.</summary>
public sealed class IlgpuCpuComputeDevice : IlgpuComputeDevice
{
    internal IlgpuCpuComputeDevice()
        : base(DeviceId.IlgpuCpu, IlgpuAccelerator.OpenCpu)
    {
    }

    /// <inheritdoc/>
    public override string Name => "ILGPU CPU accelerator";

    /// <inheritdoc/>
    public override long? MemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>2^16 nonces: the CPU accelerator is some 10^4 times slower than a GPU.</summary>
    public override long PreferredChunk => 1L << 16;

    /// <inheritdoc/>
    public override IEnergyMeter OpenEnergyMeter() => EnergyMeters.ForCpu();
}
