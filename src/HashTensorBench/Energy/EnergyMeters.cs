using System.Globalization;

namespace HashTensorBench.Energy;

/// <summary>Picks the energy meter for a device.</summary>
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

    /// <summary>
    /// A meter from a device string, as command lines give it: <c>cpu</c>, <c>gpu</c> (index 0),
    /// <c>gpu:N</c> (NVML index) or <c>gpu:BUSID</c> (PCI bus id).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="device"/> is none of these.</exception>
    public static IEnergyMeter Open(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
            return ForCpu();
        if (device.Equals("gpu", StringComparison.OrdinalIgnoreCase))
            return ForGpu(0u);
        if (!device.StartsWith("gpu:", StringComparison.OrdinalIgnoreCase) || device.Length == 4)
            ThrowHelper.ThrowArgument(nameof(device), $"Unknown energy device '{device}': expected cpu, gpu, gpu:INDEX or gpu:PCI-BUS-ID.");
        var id = device[4..];
        return uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? ForGpu(index) : ForGpu(id);
    }
}
