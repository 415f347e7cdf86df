using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;
using HashTensorBench.Tensors.Cuda;

namespace HashTensorBench.Devices;

/// <summary>Creates the GEMM of a device.</summary>
public static class MatrixMultipliers
{
    /// <summary>Creates a multiplier that closes its device when disposed (the device is <see cref="ComputeDevice"/>).</summary>
    /// <param name="device">One device: <c>gpu</c> names several, so <see cref="DeviceId.Expand"/> it first.</param>
    /// <param name="cpuThreads">Threads for the CPU GEMM; by default one per logical processor.</param>
    /// <exception cref="ArgumentException"><paramref name="device"/> is <c>gpu</c>.</exception>
    /// <exception cref="GpuException">The CUDA device is missing or fails to open.</exception>
    public static IMatrixMultiplier Create(DeviceId device, int? cpuThreads = null) => device.Kind == DeviceKind.EveryGpu
        ? throw new ArgumentException("gpu names every CUDA device; multiply on each of DeviceId.Expand() in turn.", nameof(device))
        : ComputeDevice.Open(device).TakeMultiplier(cpuThreads);

    /// <summary>
    /// The element types a device kind multiplies, without opening it: the CPU's or the GPU kernels'
    /// (<c>gpu</c>, <c>cuda:N</c> and <c>ilgpu-cpu</c> run the same kernels).
    /// </summary>
    public static IReadOnlyList<GemmElementType> ElementTypes(DeviceId device) =>
        device.Kind == DeviceKind.Cpu ? CpuMatrixMultiplier.SupportedElementTypes : GpuGemmKernels.ElementTypes;

    /// <summary>Creates a multiplier for a device name (<see cref="DeviceId.Parse"/>).</summary>
    /// <exception cref="ArgumentException">The name is not one device.</exception>
    /// <exception cref="GpuException">The CUDA device is missing or fails to open.</exception>
    public static IMatrixMultiplier Create(string device, int? cpuThreads = null) => Create(DeviceId.Parse(device), cpuThreads);
}
