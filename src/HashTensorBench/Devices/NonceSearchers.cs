using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Devices;

/// <summary>Creates the searcher for a device.</summary>
public static class NonceSearchers
{
    /// <summary>Creates a searcher; dispose it when it is <see cref="IDisposable"/>.</summary>
    /// <param name="device">The device; <c>gpu</c> searches every CUDA device at once, split by range, or the CPU when there is none.</param>
    /// <param name="cpuThreads">Threads for the CPU search; by default one per logical processor.</param>
    /// <param name="notice">Told why <c>gpu</c> fell back to the CPU, or the CPU to a managed kernel, when it does.</param>
    /// <exception cref="GpuException">A named CUDA device is missing or fails to open.</exception>
    public static INonceSearcher Create(DeviceId device, int? cpuThreads = null, Action<string>? notice = null)
    {
        switch (device.Kind)
        {
            case DeviceKind.Cpu:
                return CpuSearcher(cpuThreads, notice);
            case DeviceKind.IlgpuCpu:
                return IlgpuNonceSearcher.ForCpuAccelerator();
            case DeviceKind.Cuda:
                return IlgpuNonceSearcher.ForCuda(device.Index);
        }
        var discovery = CudaDiscovery.Run();
        if (discovery.Devices.Count == 0)
        {
            notice?.Invoke($"no CUDA device: {discovery.Reason}; searching on the CPU instead.");
            return CpuSearcher(cpuThreads, notice);
        }
        var opened = new List<INonceSearcher>();
        try
        {
            foreach (var gpu in discovery.Devices)
                opened.Add(IlgpuNonceSearcher.ForCuda(gpu.Index));
        }
        catch
        {
            foreach (var searcher in opened)
                searcher.Dispose();
            throw;
        }
        return opened.Count == 1 ? opened[0] : new MultiDeviceNonceSearcher(opened);
    }

    // Where the processor has the SHA extensions but the generated kernel cannot run (its memory cannot be made
    // executable), the search falls back to a managed kernel, and says so.
    private static CpuNonceSearcher CpuSearcher(int? threads, Action<string>? notice)
    {
        var searcher = new CpuNonceSearcher(threads: threads);
        if (Sha256dShaNiKernel.HasShaExtensions && CpuSha256dKernels.WhyNotSupported(CpuSha256dKernel.ShaNi) is { } reason)
            notice?.Invoke($"the generated shani kernel cannot run: {reason}; searching with the managed {searcher.Kernel.ToString().ToLowerInvariant()} kernel.");
        return searcher;
    }

    /// <summary>Creates a searcher for a device name (<see cref="DeviceId.Parse"/>).</summary>
    /// <exception cref="ArgumentException">The name is not a device.</exception>
    /// <exception cref="GpuException">A named CUDA device is missing or fails to open.</exception>
    public static INonceSearcher Create(string device, int? cpuThreads = null, Action<string>? notice = null) =>
        Create(DeviceId.Parse(device), cpuThreads, notice);
}
