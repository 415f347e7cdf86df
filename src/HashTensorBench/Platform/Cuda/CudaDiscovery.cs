using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>What CUDA devices this machine has, or why it has none.</summary>
/// <param name="Devices">Every CUDA device, by index.</param>
/// <param name="Reason">When there are none: why (no driver, or a driver without devices).</param>
public sealed record CudaDiscovery(IReadOnlyList<GpuDevice> Devices, string? Reason)
{
    // Asking the driver opens a CUDA context: it is done once in a process, and every device, meter and command reads
    // the answer.
    private static readonly Lazy<CudaDiscovery> s_current = new(Discover);
    private static int s_discoveries;

    /// <summary>
    /// The CUDA devices of this machine, found through the NVIDIA driver on first use and kept for the process; never
    /// throws for a missing driver.
    /// </summary>
    public static CudaDiscovery Current => s_current.Value;

    /// <summary>How many times this process has asked the driver for its devices (the tests check it is once).</summary>
    internal static int Discoveries => Volatile.Read(ref s_discoveries);

    private static CudaDiscovery Discover()
    {
        Interlocked.Increment(ref s_discoveries);
        NativeLibraries.Register();
        if (!NativeLibraries.IsCudaDriverPresent())
            return new([], $"no NVIDIA driver ({NativeLibraries.CudaDriver} not found)");
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            var devices = new List<GpuDevice>();
            foreach (var device in context.GetCudaDevices())
                devices.Add(Describe(devices.Count, device));
            return devices.Count > 0
                ? new(devices, null)
                : new([], "the NVIDIA driver is installed but reports no CUDA device (is one visible to this process?)");
        }
        catch (Exception ex) when (ex is CudaException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return new([], $"the NVIDIA driver failed to initialize: {ex.Message}");
        }
    }

    internal static GpuDevice Describe(int index, CudaDevice device) => new(
        index, device.Name, device.NumMultiprocessors, device.ClockRate / 1000, device.MemorySize,
        $"{device.DriverVersion.Major}.{device.DriverVersion.Minor}", device.Architecture?.ToString() ?? "unknown",
        device.InstructionSet?.ToString() ?? "none supported", device.NVMLPCIBusId, PtxTarget(device));

    // What ILGPU will really emit for the device: compile the smallest kernel and read its .target line, once per
    // architecture and ISA in a process (every device open describes its device).
    private static readonly ConcurrentDictionary<(CudaArchitecture, CudaInstructionSet), string> s_ptxTargets = new();

    private static readonly System.Reflection.MethodInfo s_probe = typeof(CudaDiscovery).GetMethod(nameof(Probe),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    // The smallest kernel there is: the platform compiles it to learn the .target line without knowing any workload.
    private static void Probe(Index1D index, ArrayView<int> values) => values[index] = index;

    private static string PtxTarget(CudaDevice device)
    {
        if (device.Architecture is not { } architecture || device.InstructionSet is not { } instructionSet)
            return "none";
        return s_ptxTargets.GetOrAdd((architecture, instructionSet), key =>
        {
            string ptx = PtxCompiler.Compile(s_probe, key.Item1, key.Item2);
            string? target = ptx.Split('\n').FirstOrDefault(line => line.StartsWith(".target", StringComparison.Ordinal));
            return target?.Trim() ?? "unknown";
        });
    }
}
