using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// Finds the NVIDIA driver's libraries for ILGPU on Linux. ILGPU imports <c>cuda</c> and NVML as
/// <c>nvidia-ml.so</c>, which .NET probes as <c>libcuda.so</c> and <c>libnvidia-ml.so</c>: names that
/// only the development packages install. A machine with the driver alone has <c>libcuda.so.1</c> and
/// <c>libnvidia-ml.so.1</c>, so without this ILGPU sees no CUDA device and NVML throws
/// <see cref="DllNotFoundException"/>.
/// </summary>
public static class NativeLibraries
{
    private static readonly Lazy<bool> Registered = new(RegisterOnce);

    /// <summary>
    /// Installs the resolvers on the ILGPU and ILGPU.Algorithms assemblies, once; call it before the
    /// first ILGPU context or NVML device. Returns false when another resolver was already installed on
    /// either assembly (that one is kept) or the system is not Linux.
    /// </summary>
    public static bool Register() => Registered.Value;

    /// <summary>The NVIDIA driver's library, as a driver-only machine names it.</summary>
    public const string CudaDriver = "libcuda.so.1";

    /// <summary>Whether the NVIDIA driver's library can be loaded at all.</summary>
    public static bool IsCudaDriverPresent()
    {
        foreach (var candidate in Candidates("cuda"))
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                NativeLibrary.Free(handle);
                return true;
            }
        }
        return false;
    }

    /// <summary>The file names to try, in order, for a library name ILGPU imports; empty for names left to .NET.</summary>
    internal static string[] Candidates(string libraryName) => libraryName switch
    {
        "cuda" => ["libcuda.so", "libcuda.so.1"],
        "nvidia-ml.so" => ["libnvidia-ml.so", "libnvidia-ml.so.1"],
        _ => [],
    };

    private static bool RegisterOnce()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        return TrySetResolver(typeof(Context).Assembly) & TrySetResolver(typeof(NvmlDevice).Assembly);
    }

    private static bool TrySetResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Someone set one first; .NET allows one per assembly.
            return false;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var candidate in Candidates(libraryName))
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
                return handle;
        }
        // Zero lets .NET probe as usual, so a missing library still surfaces as DllNotFoundException.
        return IntPtr.Zero;
    }
}
