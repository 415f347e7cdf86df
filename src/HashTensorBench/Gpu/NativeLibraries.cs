using System.Reflection;
using System.Runtime.InteropServices;

namespace HashTensorBench.Gpu;

/// <summary>
/// Points ILGPU's P/Invokes at the NVIDIA driver's versioned file names.
/// </summary>
/// <remarks>
/// ILGPU imports <c>cuda</c> and <c>nvidia-ml.so</c>, which .NET probes as <c>libcuda.so</c> and
/// <c>libnvidia-ml.so</c>; a machine with only the driver (no CUDA toolkit) has just the <c>.so.1</c>
/// files. Without this, ILGPU silently reports no CUDA device.
/// </remarks>
internal static class NativeLibraries
{
    private static int s_installed;

    /// <summary>The NVIDIA driver's library, as a driver-only machine names it.</summary>
    public const string CudaDriver = "libcuda.so.1";

    /// <summary>Installs the resolvers once; later calls do nothing.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) != 0)
            return;
        foreach (var assembly in new[] { typeof(ILGPU.Context).Assembly, typeof(ILGPU.Runtime.Cuda.NvmlDevice).Assembly })
        {
            try
            {
                NativeLibrary.SetDllImportResolver(assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The assembly already has a resolver (ILGPU sets one under WSL); keep it.
            }
        }
    }

    /// <summary>Whether the NVIDIA driver library can be loaded at all.</summary>
    public static bool IsCudaDriverPresent()
    {
        if (!NativeLibrary.TryLoad(CudaDriver, out var handle) && !NativeLibrary.TryLoad("libcuda.so", out handle))
            return false;
        NativeLibrary.Free(handle);
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? versioned = name switch
        {
            "cuda" or "libcuda.so" => CudaDriver,
            "nvidia-ml" or "nvidia-ml.so" or "libnvidia-ml.so" => "libnvidia-ml.so.1",
            _ => null,
        };
        // Zero lets the runtime probe as usual, so a development machine's unversioned link still works.
        return versioned is not null && NativeLibrary.TryLoad(versioned, assembly, searchPath, out var handle) ? handle : IntPtr.Zero;
    }
}
