using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Energy;

/// <summary>The few NVML queries the GPU meter makes, behind an interface so tests can stand in for a GPU.</summary>
internal interface INvmlPower : IDisposable
{
    NvmlReturn GetTotalEnergyConsumption(out ulong millijoules);

    NvmlReturn GetPowerUsage(out uint milliwatts);

    NvmlReturn GetEnforcedPowerLimit(out uint milliwatts);

    NvmlReturn GetSmClock(out uint megahertz);

    NvmlReturn GetTemperature(out uint celsius);
}

/// <summary>The NVML queries on a real device, through ILGPU.Algorithms.</summary>
internal sealed class NvmlDevicePower(NvmlDevice device) : INvmlPower
{
    public NvmlReturn GetTotalEnergyConsumption(out ulong millijoules) =>
        device.API.DeviceGetTotalEnergyConsumption(device.DeviceHandle, out millijoules);

    public NvmlReturn GetPowerUsage(out uint milliwatts) =>
        device.API.DeviceGetPowerUsage(device.DeviceHandle, out milliwatts);

    public NvmlReturn GetEnforcedPowerLimit(out uint milliwatts) =>
        device.API.DeviceGetEnforcedPowerLimit(device.DeviceHandle, out milliwatts);

    public NvmlReturn GetSmClock(out uint megahertz) =>
        device.API.DeviceGetClockInfo(device.DeviceHandle, NvmlClockType.NVML_CLOCK_SM, out megahertz);

    public NvmlReturn GetTemperature(out uint celsius) =>
        device.API.DeviceGetTemperature(device.DeviceHandle, NvmlTemperatureSensors.NVML_TEMPERATURE_GPU, out celsius);

    public void Dispose()
    {
        try
        {
            device.Dispose();
        }
        catch (NvmlException)
        {
            // nvmlShutdown failing leaves nothing for us to release.
        }
    }
}
