using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
namespace HashTensorBench.Energy;

/// <summary>Picks the energy meter for a device.</summary>
public static class EnergyMeters
{
    /// <summary>The CPU packages' meter: RAPL through Linux powercap, or unavailable with the reason.</summary>
    public static IEnergyMeter ForCpu() => OperatingSystem.IsLinux()
        ? RaplEnergyMeter.Open()
        : new UnavailableEnergyMeter("cpu", EnergySources.None, "not supported (RAPL is read through Linux powercap)");

    /// <summary>
    /// The meter of the device that does the work: RAPL for the CPU (ILGPU's CPU accelerator runs there too), NVML matched
    /// by PCI bus id for a CUDA device (NVML's indices need not follow CUDA's), or unavailable with the reason.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="device"/> is <c>gpu</c>, which names several.</exception>
    public static IEnergyMeter For(DeviceId device)
    {
        if (device.Kind is DeviceKind.Cpu or DeviceKind.IlgpuCpu)
            return ForCpu();
        if (device.Kind != DeviceKind.Cuda)
            ThrowHelper.ThrowArgument(nameof(device), "gpu names every CUDA device; open a meter for each of DeviceId.Expand().");
        var gpu = CudaDiscovery.Run().Devices.FirstOrDefault(d => d.Index == device.Index);
        return gpu is null
            ? new UnavailableEnergyMeter(device.ToString(), EnergySources.None, $"no CUDA device {device} to match by PCI bus id")
            : ForGpu(gpu.PciBusId);
    }

    /// <summary>A GPU's meter by PCI bus id (for example <c>00000000:01:00.0</c>), or unavailable with the reason.</summary>
    public static IEnergyMeter ForGpu(string pciBusId) => NvmlEnergyMeter.Open(pciBusId);

    /// <summary>A GPU's meter by NVML index, or unavailable with the reason.</summary>
    public static IEnergyMeter ForGpu(uint index) => NvmlEnergyMeter.Open(index);
}
