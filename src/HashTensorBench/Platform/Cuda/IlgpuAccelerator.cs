using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// An ILGPU context and the one accelerator opened in it, a CUDA device or ILGPU's CPU accelerator, disposed together
/// and once: what the kernels of every workload on one device share.
/// </summary>
internal sealed class IlgpuAccelerator : IDisposable
{
    private int _disposed;

    private IlgpuAccelerator(Context context, Accelerator accelerator, string name, GpuDevice? device)
    {
        Context = context;
        Accelerator = accelerator;
        Name = name;
        Device = device;
    }

    /// <summary>The name in results: <c>cuda:N</c> and the product, or <c>ilgpu-cpu</c>.</summary>
    public string Name { get; }

    /// <summary>The CUDA device; null on ILGPU's CPU accelerator.</summary>
    public GpuDevice? Device { get; }

    /// <summary>The ILGPU context the accelerator lives in.</summary>
    public Context Context { get; }

    /// <summary>The accelerator the kernels are loaded on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The CUDA device's free memory in bytes now, by the driver's count; null on ILGPU's CPU accelerator.</summary>
    /// <exception cref="GpuException">The driver fails to say.</exception>
    public long? FreeMemory
    {
        get
        {
            if (Accelerator is not CudaAccelerator cuda)
                return null;
            try
            {
                cuda.Bind();
                return cuda.GetFreeMemory();
            }
            catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
            {
                throw new GpuException(Name, $"could not read the free memory: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Opens the CUDA device <paramref name="device"/>, as discovered; a failure is a <see cref="GpuException"/> naming it.</summary>
    public static IlgpuAccelerator OpenCuda(GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        NativeLibraries.Register();
        var context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2));
        try
        {
            var devices = context.GetCudaDevices();
            if (device.Index >= devices.Count)
                throw new GpuException(device.Id, $"the driver lists {devices.Count} CUDA devices now");
            var accelerator = devices[device.Index].CreateAccelerator(context);
            return new IlgpuAccelerator(context, accelerator, $"{device.Id} {accelerator.Name}", device);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            context.Dispose();
            throw new GpuException(device.Id, ex.Message, ex);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// ILGPU's CPU accelerator with warps of 32 and blocks of 256 threads, as the GEMM kernels expect (the sha256d kernel
    /// runs on any shape).
    /// </summary>
    public static IlgpuAccelerator OpenCpu() => OpenCpu(new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1));

    /// <summary>ILGPU's CPU accelerator shaped as <paramref name="shape"/>.</summary>
    public static IlgpuAccelerator OpenCpu(CPUDevice shape)
    {
        var context = Context.Create(builder => builder.CPU(shape).Optimize(OptimizationLevel.O2));
        return new IlgpuAccelerator(context, context.CreateCPUAccelerator(0), "ilgpu-cpu", null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Accelerator.Dispose();
        Context.Dispose();
    }
}
