using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>What CUDA devices this machine has, or why it has none.</summary>
/// <param name="Devices">Every CUDA device, by index.</param>
/// <param name="Reason">When there are none: why (no driver, or a driver without devices).</param>
public sealed record CudaDiscovery(IReadOnlyList<GpuDevice> Devices, string? Reason)
{
    /// <summary>Looks for CUDA devices through the NVIDIA driver; never throws for a missing driver.</summary>
    public static CudaDiscovery Run()
    {
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

/// <summary>Opens one CUDA device for a GPU implementation, with the same checks and errors for all of them.</summary>
internal static class CudaAccelerators
{
    /// <summary>
    /// Creates an ILGPU context and accelerator for <c>cuda:N</c> and hands them to <paramref name="create"/>,
    /// which owns them from then on; on failure they are disposed and a <see cref="GpuException"/> names the device.
    /// </summary>
    public static T Open<T>(int deviceIndex, Func<Context, Accelerator, GpuDevice, T> create)
    {
        NativeLibraries.Register();
        string name = $"cuda:{deviceIndex}";
        var context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2));
        try
        {
            var devices = context.GetCudaDevices();
            if (deviceIndex < 0 || deviceIndex >= devices.Count)
            {
                throw new GpuException(name, devices.Count == 0
                    ? $"no CUDA device: {CudaDiscovery.Run().Reason}"
                    : $"no such device; this machine has cuda:0 to cuda:{devices.Count - 1}");
            }
            var device = CudaDiscovery.Describe(deviceIndex, devices[deviceIndex]);
            return create(context, devices[deviceIndex].CreateAccelerator(context), device);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            context.Dispose();
            throw new GpuException(name, ex.Message, ex);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }
}

