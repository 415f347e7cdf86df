using HashTensorBench.Hashing;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Devices;

/// <summary>Creates the searcher for a device, for callers that want nothing else of it (the device is <see cref="ComputeDevice"/>).</summary>
public static class NonceSearchers
{
    /// <summary>Creates a searcher that closes its devices when disposed.</summary>
    /// <param name="device">The device; <c>gpu</c> searches every CUDA device at once, split by range, or the CPU when there is none.</param>
    /// <param name="cpuThreads">Threads for the CPU search; by default one per logical processor.</param>
    /// <param name="notice">Told why <c>gpu</c> fell back to the CPU, or the CPU to a managed kernel, when it does.</param>
    /// <exception cref="GpuException">A named CUDA device is missing or fails to open.</exception>
    public static INonceSearcher Create(DeviceId device, int? cpuThreads = null, Action<string>? notice = null)
    {
        var devices = ComputeDevices.Open(device, notice);
        try
        {
            return devices.TakeSearcher(cpuThreads, notice);
        }
        catch
        {
            devices.Dispose();
            throw;
        }
    }

    /// <summary>Creates a searcher for a device name (<see cref="DeviceId.Parse"/>).</summary>
    /// <exception cref="ArgumentException">The name is not a device.</exception>
    /// <exception cref="GpuException">A named CUDA device is missing or fails to open.</exception>
    public static INonceSearcher Create(string device, int? cpuThreads = null, Action<string>? notice = null) =>
        Create(DeviceId.Parse(device), cpuThreads, notice);
}
