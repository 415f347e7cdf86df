using System.Globalization;
using HashTensorBench.Gpu;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tensors;

/// <summary>Creates a GEMM by device name, as the command line and the benchmarks name them.</summary>
public static class MatrixMultipliers
{
    /// <summary>The names <see cref="Create"/> accepts, for messages.</summary>
    public const string DeviceNames = "cpu, cuda:N, or ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator)";

    /// <summary>Whether <paramref name="device"/> is a name <see cref="Create"/> accepts (the device may still be missing).</summary>
    public static bool IsDeviceName(string device) => TryParse(device, out _, out _);

    /// <summary>Creates a multiplier; dispose it when it is <see cref="IDisposable"/>.</summary>
    /// <param name="device"><c>cpu</c>, <c>cuda:N</c> or <c>ilgpu-cpu</c>.</param>
    /// <param name="cpuThreads">Threads for the CPU GEMM; by default one per logical processor.</param>
    /// <exception cref="ArgumentException">The name is not a device.</exception>
    /// <exception cref="GpuException">The CUDA device is missing or fails to open.</exception>
    public static IMatrixMultiplier Create(string device, int? cpuThreads = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!TryParse(device, out string name, out int index))
            throw new ArgumentException($"Unknown device \"{device}\"; expected {DeviceNames}.", nameof(device));
        return name switch
        {
            "cpu" => new CpuMatrixMultiplier(threads: cpuThreads),
            "ilgpu-cpu" => IlgpuMatrixMultiplier.ForCpuAccelerator(),
            _ => IlgpuMatrixMultiplier.ForCuda(index),
        };
    }

    private static bool TryParse(string device, out string name, out int cudaIndex)
    {
        name = device.Trim().ToLowerInvariant();
        cudaIndex = -1;
        if (name is "cpu" or "ilgpu-cpu")
            return true;
        return name.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out cudaIndex);
    }
}
