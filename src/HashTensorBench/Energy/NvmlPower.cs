using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.Cuda.API;

namespace HashTensorBench.Energy;

/// <summary>The few NVML queries the GPU meter makes, behind an interface so tests can stand in for a GPU.</summary>
internal interface INvmlPower : IDisposable
{
    NvmlReturn GetTotalEnergyConsumption(out ulong millijoules);

    NvmlReturn GetPowerUsage(out uint milliwatts);

    NvmlReturn GetEnforcedPowerLimit(out uint milliwatts);

    NvmlReturn GetSmClock(out uint megahertz);

    NvmlReturn GetTemperature(out uint celsius);

    /// <summary>NVML's current clocks-event (throttle) reason bits.</summary>
    NvmlReturn GetClockLimits(out ulong reasons);
}

/// <summary>The NVML queries on a real device, through ILGPU.Algorithms' bindings; shuts NVML down when disposed.</summary>
internal sealed class NvmlApiPower(NvmlAPI api, IntPtr device) : INvmlPower
{
    public NvmlReturn GetTotalEnergyConsumption(out ulong millijoules) => api.DeviceGetTotalEnergyConsumption(device, out millijoules);

    public NvmlReturn GetPowerUsage(out uint milliwatts) => api.DeviceGetPowerUsage(device, out milliwatts);

    public NvmlReturn GetEnforcedPowerLimit(out uint milliwatts) => api.DeviceGetEnforcedPowerLimit(device, out milliwatts);

    public NvmlReturn GetSmClock(out uint megahertz) => api.DeviceGetClockInfo(device, NvmlClockType.NVML_CLOCK_SM, out megahertz);

    public NvmlReturn GetTemperature(out uint celsius) =>
        api.DeviceGetTemperature(device, NvmlTemperatureSensors.NVML_TEMPERATURE_GPU, out celsius);

    public NvmlReturn GetClockLimits(out ulong reasons)
    {
        var status = api.DeviceGetCurrentClocksThrottleReasons(device, out var value);
        reasons = (ulong)value;
        return status;
    }

    // A failed shutdown leaves nothing for us to release.
    public void Dispose() => api.Shutdown();
}
