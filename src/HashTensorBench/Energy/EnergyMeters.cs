namespace HashTensorBench.Energy;

/// <summary>Opens the energy meter of the CPU or of a GPU (an opened device picks its own: <c>ComputeDevice.OpenEnergyMeter</c>).</summary>
public static class EnergyMeters
{
    /// <summary>The CPU packages' meter: RAPL through Linux powercap, or unavailable with the reason.</summary>
    public static IEnergyMeter ForCpu() => OperatingSystem.IsLinux()
        ? RaplEnergyMeter.Open()
        : new UnavailableEnergyMeter("cpu", EnergySources.None, "not supported (RAPL is read through Linux powercap)");

    /// <summary>A GPU's meter by PCI bus id (for example <c>00000000:01:00.0</c>), or unavailable with the reason.</summary>
    public static IEnergyMeter ForGpu(string pciBusId) => NvmlEnergyMeter.Open(pciBusId);

    /// <summary>A GPU's meter by NVML index, or unavailable with the reason.</summary>
    public static IEnergyMeter ForGpu(uint index) => NvmlEnergyMeter.Open(index);
}
