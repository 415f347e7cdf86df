using HashTensorBench.Gpu;
using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Hashing;

/// <summary>Creates the searcher for a device name, as the command line and reports write it.</summary>
public static class NonceSearchers
{
    /// <summary>The device names <see cref="Create"/> accepts.</summary>
    public const string DeviceNames = "cpu, gpu (every CUDA device), cuda:N, or ilgpu-cpu (the GPU kernel on ILGPU's CPU accelerator)";

    /// <summary>Creates a searcher; dispose it when it is <see cref="IDisposable"/>.</summary>
    /// <param name="device"><c>cpu</c>, <c>gpu</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.</param>
    /// <param name="cpuThreads">Threads for the CPU search; by default one per logical processor.</param>
    /// <param name="notice">Told why <c>gpu</c> fell back to the CPU, when it does.</param>
    /// <exception cref="ArgumentException">The name is not a device.</exception>
    /// <exception cref="GpuException">A named CUDA device is missing or fails to open.</exception>
    public static INonceSearcher Create(string device, int? cpuThreads = null, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        string name = device.Trim().ToLowerInvariant();
        if (name == "cpu")
            return new CpuNonceSearcher(threads: cpuThreads);
        if (name == "ilgpu-cpu")
            return IlgpuNonceSearcher.ForCpuAccelerator();
        if (name == "gpu")
        {
            var discovery = CudaDiscovery.Run();
            if (discovery.Devices.Count == 0)
            {
                notice?.Invoke($"no CUDA device: {discovery.Reason}; searching on the CPU instead.");
                return new CpuNonceSearcher(threads: cpuThreads);
            }
            var opened = new List<INonceSearcher>();
            try
            {
                foreach (var gpu in discovery.Devices)
                    opened.Add(IlgpuNonceSearcher.ForCuda(gpu.Index));
            }
            catch
            {
                foreach (var searcher in opened.OfType<IDisposable>())
                    searcher.Dispose();
                throw;
            }
            return opened.Count == 1 ? opened[0] : new MultiDeviceNonceSearcher(opened);
        }
        if (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), out int index) && index >= 0)
            return IlgpuNonceSearcher.ForCuda(index);
        throw new ArgumentException($"Unknown device \"{device}\"; expected {DeviceNames}.", nameof(device));
    }
}
