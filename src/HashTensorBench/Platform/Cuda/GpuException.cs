using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>A GPU failed: the driver, an allocation or a kernel launch. The message names the device.</summary>
public sealed class GpuException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuException(string device, string message, Exception? innerException = null)
        : base($"{device}: {message}", innerException) => Device = device;

    /// <summary>The device that failed, as reports name it (for example <c>cuda:0</c>).</summary>
    public string Device { get; }

    /// <summary>Whether ILGPU or the driver threw <paramref name="ex"/> for a device failure (to wrap it in one naming the device).</summary>
    internal static bool IsDeviceFailure(Exception ex) =>
        ex is AcceleratorException or CudaException or OutOfMemoryException or InvalidOperationException or NotSupportedException
            or InvalidKernelOperationException or InternalCompilerException or CapabilityNotSupportedException;
}
